"""Personal API tokens: a named secret of one user, stored only as its SHA-256 digest."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, *, now=None):
        """Tokens that still open the API: not revoked, not expired, of an active account."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """A personal token. The secret itself is shown once, when it is made; only its SHA-256
    digest is kept (a token is 256 random bits, so a plain digest cannot be guessed back)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the secret, to tell tokens apart on the page (never enough to use).
    prefix = models.CharField(_("prefix"), max_length=16)
    secret_sha256 = models.CharField(_("secret digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, *, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now and self.user.is_active
