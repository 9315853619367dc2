"""PostgreSQL only: the indexes of the queue's search by customer and vehicle (issue 11).

* ``customer_name_prefix`` — ``name varchar_pattern_ops``: a name is found by its beginning
  (``王伟`` finds 王伟 and 王伟明), which a B-tree answers for any length, two characters included
  (a trigram index cannot: a two-character name has no trigram).
* ``customer_mobile_tail`` — ``right(mobile, 4)``: the last four digits of a phone.
* ``vehicle_plate_trgm`` / ``vehicle_vin_trgm`` — pg_trgm GIN: any 3+ character fragment of a
  plate, any 6+ character fragment of a VIN (``LIKE '%…%'``).

No new column: the benchmark generator drops and recreates these with the others. SQLite runs
the same lookups as scans.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from kesu.core.migrations_util import RunSQLOnPostgres


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_reveal_channel_choices")]

    operations = [
        TrigramExtension(),  # CREATE EXTENSION IF NOT EXISTS pg_trgm; nothing on SQLite
        RunSQLOnPostgres(
            [
                "CREATE INDEX IF NOT EXISTS customer_name_prefix ON customers_customer "
                "(name varchar_pattern_ops);",
                "CREATE INDEX IF NOT EXISTS customer_mobile_tail ON customers_customer (right(mobile, 4));",
                "CREATE INDEX IF NOT EXISTS vehicle_plate_trgm ON customers_vehicle "
                "USING gin (plate gin_trgm_ops);",
                "CREATE INDEX IF NOT EXISTS vehicle_vin_trgm ON customers_vehicle "
                "USING gin (vin gin_trgm_ops);",
                "ANALYZE customers_customer;",
                "ANALYZE customers_vehicle;",
            ],
            [
                "DROP INDEX IF EXISTS customer_name_prefix;",
                "DROP INDEX IF EXISTS customer_mobile_tail;",
                "DROP INDEX IF EXISTS vehicle_plate_trgm;",
                "DROP INDEX IF EXISTS vehicle_vin_trgm;",
            ],
        ),
    ]
