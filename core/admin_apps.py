"""The administration site's sections for the login lockout (django-axes) and two-factor login
(django-otp) in the office's language: neither package ships a Japanese catalogue, and
django-otp's model names are not translatable strings, so their app configs are given Japanese
names here (listed in ``INSTALLED_APPS`` in place of the packages' own). axes' own strings are
translated in the project's catalogue (``locale/ja``)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class LoginLockoutConfig(AxesAppConfig):
    verbose_name = _("Login lockouts")


class TwoFactorConfig(TOTPAppConfig):
    verbose_name = _("Two-factor login")

    def ready(self):
        super().ready()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice._meta.verbose_name = _("authenticator app")
        TOTPDevice._meta.verbose_name_plural = _("authenticator apps")
