"""The authentication backend: Django's ``ModelBackend`` whose ``get_user`` (the session's user,
loaded on every request) also reads, in the same query, what every request asks of that user:

- whether the user has a confirmed two-factor device (``offices.two_factor``: the
  ``SecondFactorMiddleware`` check), never stale, so a device confirmed in another session counts
  from this session's next request;
- whether the user is office staff, and a manager (``offices.scoping.session_user_facts``: the
  navigation bar).

A request of a user who did not enrol thus costs no query for the second factor, and no page
asks the navigation's membership questions separately.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from offices.scoping import session_user_facts
from offices.two_factor import ENROLLED_ATTRIBUTE, confirmed_devices


class SessionUserBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            **{ENROLLED_ATTRIBUTE: Exists(confirmed_devices(OuterRef("pk")))},
            **session_user_facts(),
        )
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
