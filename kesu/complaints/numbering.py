"""Readable complaint numbers, KS-2026-000123: never duplicated, gaps allowed.

PostgreSQL takes the next value of a sequence (no lock held by the creating transaction, so
concurrent intakes never queue behind each other). SQLite, which serialises writers anyway, bumps a
per-year counter row. The unique constraint on ``Complaint.number`` is the final guarantee.
"""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from kesu.core.pg import bump_counter, next_value

from .models import NumberCounter

POSTGRES_SEQUENCE = "complaints_number_seq"


def _next_value_sqlite(year: int) -> int:
    value = bump_counter(NumberCounter, key="year", value=year, counter="last_value")
    if value is not None:
        return value
    try:
        with transaction.atomic():
            NumberCounter.objects.create(year=year, last_value=1)
        return 1
    except IntegrityError:  # another writer created the row first
        return _next_value_sqlite(year)


def next_number(received_at: datetime) -> str:
    year = received_at.year
    value = next_value(POSTGRES_SEQUENCE) if connection.vendor == "postgresql" else _next_value_sqlite(year)
    return f"{settings.KESU_NUMBER_PREFIX}-{year}-{value:06d}"
