"""The database itself refuses to change an integrity event (the feed is append-only): an UPDATE trigger
on both databases, and on PostgreSQL a DELETE trigger too (SQLite's test flush deletes rows)."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION duties_integrityevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '政务诚信事件只能追加，不能修改或删除';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER duties_integrityevent_no_update BEFORE UPDATE ON duties_integrityevent
    FOR EACH ROW EXECUTE FUNCTION duties_integrityevent_append_only();
CREATE TRIGGER duties_integrityevent_no_delete BEFORE DELETE ON duties_integrityevent
    FOR EACH ROW EXECUTE FUNCTION duties_integrityevent_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS duties_integrityevent_no_update ON duties_integrityevent;
DROP TRIGGER IF EXISTS duties_integrityevent_no_delete ON duties_integrityevent;
DROP FUNCTION IF EXISTS duties_integrityevent_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER duties_integrityevent_no_update BEFORE UPDATE ON duties_integrityevent
BEGIN SELECT RAISE(ABORT, '政务诚信事件只能追加，不能修改'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS duties_integrityevent_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("duties", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
