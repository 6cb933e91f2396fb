"""WSGI entry point: ``gunicorn matchwerk.wsgi``."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchwerk.settings")
application = get_wsgi_application()

# The web process makes the PDFs (WeasyPrint) and the reports' charts (matplotlib). Their
# import takes seconds in a fresh process, so it happens here, once when the process
# starts (before gunicorn forks its workers when started with --preload), not in the first
# request that needs one. Management commands, the task worker and the tests never load
# this module, so they start without both.
import matplotlib.figure  # noqa: E402,F401
import weasyprint  # noqa: E402,F401

# What is loaded now lives as long as the process: move it out of the garbage collector's
# full passes (gc.freeze), which then walk only what requests allocate. Without it a full
# pass walked the ~200,000 start-up objects: ~200 ms, every ten or so report requests.
# (Before a fork it also keeps the shared pages shared.)
gc.collect()
gc.freeze()
