"""Celery application.

Without CELERY_BROKER_URL the settings make every task run eagerly in the calling process, so one
machine runs everything with no broker and no worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("teichaku")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
