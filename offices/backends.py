"""The authentication backend: Django's ``ModelBackend`` whose ``get_user`` (the session's user,
loaded on every request) also reads, in the same query, what every request asks of that user:

- whether the user has a confirmed two-factor device (``offices.two_factor``: the
  ``SecondFactorMiddleware`` check), never stale, so a device confirmed in another session counts
  from this session's next request;
- whether the user is office staff, and a manager (``offices.scoping.session_user_facts``: the
  navigation bar);
- the user's date style (``core.models.session_user_facts``: pages showing dates);
- what the apps above list in the extension point ``SESSION_USER_FACTS`` (surveys: whether the
  user has survey pages, the navigation's entry).

A request of a user who did not enrol thus costs no query for the second factor, and no page
asks the navigation's questions separately.

The annotated queryset is built once per process (``session_users``): building those nested
subqueries against the user table cost about three times what running the query does, on every
request. Each request takes a copy filtered by the session's user id.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.signals import setting_changed
from django.db.models import Exists, OuterRef

from core.extensions import extensions
from core.models import session_user_facts as date_style_facts
from offices.scoping import session_user_facts
from offices.two_factor import ENROLLED_ATTRIBUTE, confirmed_devices


@cache
def session_users():
    """The users, each annotated with every fact read with the session's user (a queryset never
    evaluated itself: each request filters a copy)."""
    facts = {
        ENROLLED_ATTRIBUTE: Exists(confirmed_devices(OuterRef("pk"))),
        **session_user_facts(),
        **date_style_facts(),
    }
    for build in extensions("SESSION_USER_FACTS"):
        facts.update(build())
    return get_user_model()._default_manager.annotate(**facts)


def _forget(**kwargs):
    session_users.cache_clear()


setting_changed.connect(_forget)


class SessionUserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = session_users().get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
