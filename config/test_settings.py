"""Test settings: the project's settings with fast hashers and in-memory e-mail.

The suite needs no environment: unless the environment says otherwise (bench/run.py runs
production-shaped), tests run with DJANGO_DEBUG=true defaults (plain HTTP, localhost hosts) and a
throw-away key. DATABASE_URL still applies, so the suite runs on SQLite by default and on
PostgreSQL in CI.
"""

import os
import tempfile

# Before the settings are read, and before a .env file could be: these win over it.
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret-" + "0123456789" * 4)

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The walks and fuzzers call the API hundreds of times with one token; the rate limit's own test
# sets a small rate (tests/api/test_polling_and_limits.py).
TEICHAKU_API_RATE = "100000/min"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Hand-over documents go to a throw-away folder, never the project's private_media.
TEICHAKU_PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="teichaku-private-")
LOGGING["loggers"]["teichaku.audit"]["handlers"] = []  # noqa: F405

# A file, not memory, for the SQLite test database: the real-worker tests start a Celery worker in
# another process, which must see the same data.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-teichaku.sqlite3")}  # noqa: F405
# On PostgreSQL the test database is NAME_test: it keeps the prefix of the database named in
# DATABASE_URL (several checkouts share one server, each with its own prefix).
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"{DATABASES['default']['NAME']}_test"}  # noqa: F405
