"""The Celery application: Redis as broker, JSON only, tasks found in <app>/tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("womenfed")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
