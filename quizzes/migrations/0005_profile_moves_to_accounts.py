# Profiles move to the accounts app. The table is renamed, not copied: an existing development
# database keeps its profiles, and accounts' first migration takes the model over as it is.
# "Practise again" gets one name: the purpose stored as "retry" becomes "practise_again".

from django.db import migrations, models


def practise_again(apps, schema_editor):
    Attempt = apps.get_model("quizzes", "Attempt")
    Attempt.objects.filter(purpose="retry").update(purpose="practise_again")


def retry(apps, schema_editor):
    Attempt = apps.get_model("quizzes", "Attempt")
    Attempt.objects.filter(purpose="practise_again").update(purpose="retry")


class Migration(migrations.Migration):

    dependencies = [
        ('quizzes', '0004_profile_is_demo'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name='profile', table='accounts_profile'),
            ],
            state_operations=[
                migrations.DeleteModel(name='Profile'),
            ],
        ),
        migrations.AlterField(
            model_name='attempt',
            name='purpose',
            field=models.CharField(choices=[('practice', 'Practice'), ('practise_again', 'Practise again'), ('review', 'Review'), ('weak_spots', 'Weak spots')], default='practice', max_length=20),
        ),
        migrations.RunPython(practise_again, retry),
    ]
