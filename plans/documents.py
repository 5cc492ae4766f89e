"""Hand-over documents received from a referring office that does not use the system: what may be
uploaded (PDF, PNG or JPEG, recognised by their first bytes, at most
``TEICHAKU_HANDOVER_MAX_BYTES``), where it is kept (``TEICHAKU_PRIVATE_MEDIA_ROOT``, outside the web
root and never under ``MEDIA_URL``) and the name it is downloaded under.

The files are served only by ``plans.views.handovers.referral_document`` (scoped, audited, as an
attachment)."""

import re
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property

# (type code, first bytes, extension, content type)
_SIGNATURES = (
    ("pdf", b"%PDF-", "pdf", "application/pdf"),
    ("png", b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    ("jpeg", b"\xff\xd8\xff", "jpg", "image/jpeg"),
)
EXTENSIONS = {code: ext for code, _magic, ext, _ctype in _SIGNATURES}
CONTENT_TYPES = {code: ctype for code, _magic, _ext, ctype in _SIGNATURES}


def max_bytes():
    return settings.TEICHAKU_HANDOVER_MAX_BYTES


def sniff(head):
    """The type code (``pdf``, ``png``, ``jpeg``) of a file from its first bytes, or None."""
    for code, magic, _ext, _ctype in _SIGNATURES:
        if head.startswith(magic):
            return code
    return None


def check_upload(upload):
    """(type code, None) for an acceptable upload, or (None, reason) — size first, then type by
    content (the name and the browser's content type prove nothing)."""
    from django.utils.translation import gettext as _

    if upload.size > max_bytes():
        return None, _("The file is larger than %(mib)s MiB.") % {"mib": max_bytes() // 1048576}
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    code = sniff(head)
    if code is None:
        return None, _("Only PDF, PNG or JPEG files can be uploaded.")
    return code, None


def safe_filename(name, type_code):
    """A download name with no path, quotes or control characters, ending in the extension of the
    type the content was recognised as."""
    stem = re.sub(r"[\x00-\x1f\x7f/\\\\\"';:*?<>|]+", "_", (name or "").rsplit(".", 1)[0]).strip(
        " ._"
    )
    return f"{stem[:80] or 'handover'}.{EXTENSIONS[type_code]}"


def upload_to(_instance, _filename):
    """A random name: the uploader's file name never reaches the file system."""
    return f"handovers/{uuid.uuid4().hex}"


class PrivateStorage(FileSystemStorage):
    """File storage under ``TEICHAKU_PRIVATE_MEDIA_ROOT``, read when used (tests point it at a
    temporary folder), with no public URL."""

    def __init__(self):
        super().__init__()

    @cached_property
    def base_location(self):
        return settings.TEICHAKU_PRIVATE_MEDIA_ROOT

    @cached_property
    def location(self):
        import os

        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no URL; use the scoped download view")


def private_storage():
    return PrivateStorage()
