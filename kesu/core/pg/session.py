"""Settings of the current transaction (``SET LOCAL``), for work whose plan PostgreSQL would
otherwise get wrong or compile at a cost."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def without_jit() -> Iterator[None]:
    """A transaction (or savepoint) in which PostgreSQL does not JIT-compile queries
    (``SET LOCAL jit = off``, which ends with the transaction). A scan of a million rows with a
    long expression (the care generator's fingerprint of each vehicle's facts) spent 2 of its 6
    seconds compiling it. Elsewhere: only the transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield
