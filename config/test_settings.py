"""Test settings: the same as production-shaped settings, with fast hashers and in-memory e-mail.

DATABASE_URL still applies, so the suite runs on SQLite by default and on PostgreSQL in CI.
"""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
LOGGING["loggers"]["teichaku.audit"]["handlers"] = []  # noqa: F405

# A file, not memory, for the SQLite test database: the real-worker tests start a Celery worker in
# another process, which must see the same data.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-teichaku.sqlite3")}  # noqa: F405
