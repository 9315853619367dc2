"""Django's PostgreSQL backend, with a cheaper connection health check.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request
that reuses a connection: a round trip and a statement for the server on every request.
A server that ends a connection (a restart, ``pg_terminate_backend``, an idle timeout) first
sends the reason and then closes the socket; an idle connection in good health has nothing to
read. So the socket is polled without waiting, and only a connection with something unread
(or a closed one) is checked with Django's own ``SELECT 1`` — a broken one is replaced before
the request uses it, as before.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # the socket is gone
            return False
        if not readable:
            return True  # nothing arrived since the last answer: the server has not hung up
        return bool(super().is_usable())
