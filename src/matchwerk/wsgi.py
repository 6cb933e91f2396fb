"""WSGI entry point: ``gunicorn matchwerk.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchwerk.settings")
application = get_wsgi_application()
