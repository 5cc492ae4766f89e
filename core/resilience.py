"""A database connection lost in the middle of a request (a restart, a failover, a network cut).

What the app promises (docs/architecture.md, "A flapping database"):

- **A write is retried once on a fresh connection where that is safe.** ``retry_once`` runs an
  attempt; when it fails on a lost connection outside any outer transaction, it closes the
  connection and first asks ``already_done`` whether the attempt was committed after all (the
  connection may drop during COMMIT), then runs it once more. A service passes a lookup by the
  row's natural key (``contacts.services.contact_create``), which makes the retry idempotent.
- **What this request saved is known.** ``core.audit`` notes every write event (create,
  update, delete, import) here when it is recorded (``note_write``) and again once its
  transaction has committed. Reads and refusals are not writes.
- **The answer.** A lost connection that reaches Django's error handling (``core.errors``)
  becomes, instead of a 500: a repeat of the same request (307, the browser sends it again) when
  the database answers again and nothing was written, since a repeat is then harmless; else a
  Japanese 503 page (``templates/503.html``) that says what was saved and what was not. The page
  is drawn without the database.
- **The session never turns a saved write into an error**: ``core.sessions``.
"""

import contextlib
import contextvars
import logging

from django.core.signals import request_started
from django.db import InterfaceError, OperationalError, connection, transaction
from django.dispatch import receiver

logger = logging.getLogger(__name__)

LOST_CONNECTION_ERRORS = (OperationalError, InterfaceError)

_writes = contextvars.ContextVar("teichaku_request_writes", default=None)


class _Writes:
    def __init__(self):
        self.started = []  # labels of writes recorded in a transaction
        self.saved = []  # labels of writes whose transaction committed


@receiver(request_started)
def _forget_writes(**kwargs):
    _writes.set(_Writes())


def _current():
    writes = _writes.get()
    if writes is None:
        writes = _Writes()
        _writes.set(writes)
    return writes


def note_write(label):
    """A write recorded in the current transaction (``label``: what was written, for the page
    that may have to say it). Counted as saved once the transaction commits."""
    writes = _current()
    writes.started.append(label)
    transaction.on_commit(lambda: writes.saved.append(label))


def writes_of_this_request():
    """(started, saved): the labels of writes begun and of writes committed so far."""
    writes = _current()
    return list(writes.started), list(writes.saved)


# PostgreSQL's SQLSTATEs of a connection that is gone: class 08 (connection exception), and the
# server shutting the session down (57P01 admin_shutdown: pg_terminate_backend, a restart;
# 57P02 crash_shutdown; 57P03 cannot_connect_now).
_LOST_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def is_lost_connection(exc):
    """Whether ``exc`` is the database connection failing (not a constraint, a lock timeout, a
    deadlock or bad SQL)."""
    if not isinstance(exc, LOST_CONNECTION_ERRORS):
        return False
    if isinstance(exc, InterfaceError):
        return True
    if connection.vendor == "postgresql":
        # psycopg's own error: a server error carries its SQLSTATE; a connection that failed on
        # the client's side (closed, "consuming input failed") carries none.
        sqlstate = getattr(exc.__cause__, "sqlstate", None)
        return sqlstate is None or sqlstate.startswith(_LOST_SQLSTATES)
    try:
        return connection.connection is None or not connection.is_usable()
    except Exception:  # the check itself fails on a dead connection
        return True


def reconnect():
    """Drop the broken connection; the next query opens a fresh one."""
    with contextlib.suppress(LOST_CONNECTION_ERRORS):
        connection.close()


def database_answers():
    """Whether a fresh connection to the database can be opened now."""
    reconnect()
    try:
        connection.ensure_connection()
        return True
    except LOST_CONNECTION_ERRORS:
        return False


def retry_once(attempt, *, already_done=None):
    """``attempt()``; on a lost connection (and only outside an outer transaction, which a retry
    could not complete), once more on a fresh connection, unless ``already_done()`` finds that the
    first attempt was committed and returns its result."""
    try:
        return attempt()
    except LOST_CONNECTION_ERRORS as exc:
        if connection.in_atomic_block or not is_lost_connection(exc):
            raise
        logger.warning("database connection lost during a write; retrying once: %s", exc)
        reconnect()
        if already_done is not None:
            done = already_done()
            if done is not None:
                return done
        return attempt()
