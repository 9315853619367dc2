"""Readable complaint numbers, KS-2026-000123: never duplicated, gaps allowed.

PostgreSQL takes the next value of a sequence (no lock held by the creating transaction, so
concurrent intakes never queue behind each other). SQLite, which serialises writers anyway, bumps a
per-year counter row. The unique constraint on ``Complaint.number`` is the final guarantee.
"""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from .models import NumberCounter

POSTGRES_SEQUENCE = "complaints_number_seq"


def _next_value_sqlite(year: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE complaints_numbercounter SET last_value = last_value + 1 WHERE year = %s "
            "RETURNING last_value",
            [year],
        )
        row = cursor.fetchone()
    if row is not None:
        return int(row[0])
    try:
        with transaction.atomic():
            NumberCounter.objects.create(year=year, last_value=1)
        return 1
    except IntegrityError:  # another writer created the row first
        return _next_value_sqlite(year)


def next_number(received_at: datetime) -> str:
    year = received_at.year
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [POSTGRES_SEQUENCE])
            value = int(cursor.fetchone()[0])
    else:
        value = _next_value_sqlite(year)
    return f"{settings.KESU_NUMBER_PREFIX}-{year}-{value:06d}"
