"""PostgreSQL only: the bigram GIN index for Chinese search and the complaint-number sequence."""

from django.db import migrations

from kesu.core.migrations_util import RunSQLOnPostgres


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_initial")]

    operations = [
        RunSQLOnPostgres(
            "CREATE INDEX IF NOT EXISTS complaint_search_tokens_gin ON complaints_complaint "
            "USING gin (to_tsvector('simple'::regconfig, search_tokens));",
            "DROP INDEX IF EXISTS complaint_search_tokens_gin;",
        ),
        RunSQLOnPostgres(
            "CREATE SEQUENCE IF NOT EXISTS complaints_number_seq;",
            "DROP SEQUENCE IF EXISTS complaints_number_seq;",
        ),
    ]
