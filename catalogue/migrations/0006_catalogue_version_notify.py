"""On PostgreSQL, a change to the catalogue's version notifies the channel every app connection
listens to (catalogue.snapshot.VERSION_CHANNEL), when its transaction commits: they keep the
version until then, rather than read it on every request. Nothing on other databases."""

from django.db import migrations

from config.postgresql.migrating import on_postgresql

CREATE = """
CREATE OR REPLACE FUNCTION catalogue_version_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('catalogue_version', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER catalogue_version_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON catalogue_catalogueversion
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_notify();
"""

DROP = """
DROP TRIGGER IF EXISTS catalogue_version_changed ON catalogue_catalogueversion;
DROP FUNCTION IF EXISTS catalogue_version_notify();
"""


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_module_search_terms")]

    operations = [on_postgresql(CREATE, DROP)]
