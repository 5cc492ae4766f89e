"""The office's LINE secret and token at rest: encrypted with Fernet (AES-128-CBC + HMAC).

The key comes from ``TEICHAKU_SECRETS_KEY`` (a Fernet key: ``python -c "from
cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``). Without it, a
debugging install (``DJANGO_DEBUG=true``, ``TEICHAKU_SECRETS_KEY_DERIVED``) derives one
from ``DJANGO_SECRET_KEY``; production refuses to store or read a
channel (fails closed) rather than keep the token under a key that lives beside it.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class SecretUnreadable(Exception):
    """The stored value cannot be decrypted with the configured key (the key changed)."""


def _fernet():
    key = getattr(settings, "TEICHAKU_SECRETS_KEY", "")
    if not key:
        if not getattr(settings, "TEICHAKU_SECRETS_KEY_DERIVED", False):
            raise ImproperlyConfigured(
                "TEICHAKU_SECRETS_KEY must be set to store or use a LINE channel in production "
                "(docs/line.md)."
            )
        digest = hashlib.sha256(("teichaku-line:" + settings.SECRET_KEY).encode()).digest()
        key = base64.urlsafe_b64encode(digest)
    return Fernet(key)


def seal(text):
    return _fernet().encrypt(text.encode()).decode()


def open_sealed(token):
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable from exc
