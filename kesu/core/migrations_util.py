"""Migration operations that only apply to one database vendor (e.g. PostgreSQL GIN indexes)."""

from django.db import migrations


class RunSQLOnPostgres(migrations.RunSQL):
    """``RunSQL`` that is a no-op on SQLite, so one migration history serves both databases."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
