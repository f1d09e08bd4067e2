# The profile, taken over from the quizzes app with its table (renamed there to
# accounts_profile): nothing is created here, only the model's state.

import accounts.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('quizzes', '0005_profile_moves_to_accounts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Profile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('student', 'Student'), ('teacher', 'Teacher')], default='student', max_length=20)),
                        ('time_zone', models.CharField(default='UTC', help_text='Streaks and days are counted in this time zone.', max_length=64, validators=[accounts.models.validate_time_zone])),
                        ('is_demo', models.BooleanField(default=False, help_text='Made by seed_demo, with a password everyone knows: it cannot change its password or email, and seed_demo --reset deletes it. Nothing else makes a demo account.', verbose_name='demo account')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to=settings.AUTH_USER_MODEL)),
                    ],
                ),
            ],
        ),
    ]
