"""The WSGI application, loaded and warmed before the first request.

The URLconf — and with it every view and the text models they import — is loaded here, and the
process-wide caches the desk's first requests would fill (the seed forbidden-phrase matcher, the
crisis and emotion readings, the word segmenter) are filled. Under ``gunicorn --preload`` (as
``kesu serve`` runs it) the master does this once before forking: the workers share those pages,
and a worker started again after a crash answers at once instead of spending seconds on its
first reply or intake."""

import logging
import os

from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
application = get_wsgi_application()


def warm_up() -> None:
    """Fill the process caches; a failure here is logged and never stops the app."""
    from kesu.insights.analysis import analyse
    from kesu.insights.keywords import words
    from kesu.language.services.guard import default_matcher

    get_resolver().url_patterns  # noqa: B018 - imports every view module now
    try:
        default_matcher().check("您好，这个问题我们马上帮您查一下。")
        analyse("刹车突然失灵，差点追尾，我要去12315投诉")  # the rules
        analyse("车子开起来有点怪，声音也不太对")  # nothing fires: the learned readings
        words("刹车异响，修了三次")  # loads the segmenter's dictionary
    except Exception:
        logging.getLogger("kesu.ops").exception("warm-up failed; the first requests fill the caches")
    finally:
        connections.close_all()  # never hand a forked worker the master's database connection


warm_up()
