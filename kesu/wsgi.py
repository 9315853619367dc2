"""The WSGI application. The URLconf — and with it every view and the text models they import —
is loaded here, once, rather than by the first request: under ``gunicorn --preload`` (as ``kesu
serve`` runs it) the master loads it before forking, so the workers share those pages, and a
worker started again after a crash answers at once."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports every view module now
