"""What ``/healthz`` checks: the services the app cannot work without, each in about a second."""

import logging

from django.db import connection

logger = logging.getLogger(__name__)


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: the database does not answer")
        return False
    return True


def broker_ok():
    """True when no broker is configured (tasks run in-process) or the broker answers."""
    from config.celery_app import app

    if app.conf.task_always_eager:
        return True
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception:
        logger.exception("health check: the broker does not answer")
        return False
    return True


def failing_services():
    """Names of the services that do not answer: "database", "broker"."""
    checks = {"database": database_ok, "broker": broker_ok}
    return [name for name, check in checks.items() if not check()]
