"""PostgreSQL only: a pg_trgm GIN index on the complaint number, so that the queue's search finds
a complaint by a fragment of its number (``2026-000123``, ``000123``) — issue 11. SQLite scans."""

from django.db import migrations

from kesu.core.migrations_util import RunSQLOnPostgres


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0008_no_row_lock_on_complaint"),
        ("customers", "0004_search_indexes"),  # creates the pg_trgm extension
    ]

    operations = [
        RunSQLOnPostgres(
            [
                "CREATE INDEX IF NOT EXISTS complaint_number_trgm ON complaints_complaint "
                "USING gin (number gin_trgm_ops);",
            ],
            ["DROP INDEX IF EXISTS complaint_number_trgm;"],
        ),
    ]
