"""The session middleware: sliding expiry without a write on every request, and a session that
cannot be saved never turns a saved change into an error page.

Django's ``SESSION_SAVE_EVERY_REQUEST`` writes the session row on every request, so with a
flapping database a request whose data was already saved could still fail at the very end
(``SessionInterrupted``, a 400, or a 500). Here:

- the session is saved when it changed, and otherwise only to push the inactivity expiry on,
  at most once every ``TEICHAKU_SESSION_RENEW_SECONDS`` (60): the expiry still slides with use,
  to within a minute;
- a save that fails on a lost connection is tried once more on a fresh connection
  (``core.resilience``); if it still fails, or the session was deleted meanwhile (a logout in
  another tab), the response goes out as the view made it, without refreshing the session cookie.
  What the view saved stays saved and is reported as saved; at worst the session is not renewed
  (or a login must be repeated).
"""

import logging
import time

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware

from core import resilience

logger = logging.getLogger(__name__)

RENEWED_KEY = "_teichaku_renewed"


def _renew_if_due(session):
    """Mark a session in use as changed when its expiry was last pushed on long enough ago."""
    try:
        if not session.accessed or session.modified or session.is_empty():
            return
        renewed = session.get(RENEWED_KEY, 0)
    except AttributeError:
        return
    now = int(time.time())
    if not isinstance(renewed, int) or now - renewed >= settings.TEICHAKU_SESSION_RENEW_SECONDS:
        session[RENEWED_KEY] = now


class ResilientSessionMiddleware(SessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None:
            _renew_if_due(session)
            if session.modified and not session.is_empty():
                session[RENEWED_KEY] = int(time.time())
        for last_try in (False, True):
            try:
                return super().process_response(request, response)
            except (SessionInterrupted, *resilience.LOST_CONNECTION_ERRORS) as exc:
                lost = isinstance(exc, resilience.LOST_CONNECTION_ERRORS) or isinstance(
                    exc.__context__, resilience.LOST_CONNECTION_ERRORS
                )
                if lost and not last_try:
                    resilience.reconnect()
                    continue
                logger.warning("session not saved; the response goes out without it: %s", exc)
                return response
        return response
