"""A partial index on the database queue's RUNNING tasks: the ticker looks for stuck ones every
tick and /healthz counts them, while finished rows pile up in the same table."""

from django.db import migrations

TABLE = "django_tasks_database_dbtaskresult"


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0001_worker_heartbeat"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS ops_task_running ON {TABLE} (started_at) WHERE status = 'RUNNING'",
            "DROP INDEX IF EXISTS ops_task_running",
        )
    ]
