"""Test settings: throw-away keys, fast hashing; real PostgreSQL/Redis only when their URLs are set."""

import os
import tempfile

# Throw-away values for the test run only; the real ones come from the environment.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("PSEUDONYM_KEYS", "1:dGVzdC1vbmx5LXBzZXVkb255bS1rZXktMzItYnl0ZXMhIQ")
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "1:dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5LTMyYg")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("DEMO_MODE", "false")
os.environ["KETENREGIE_ENV_FILE"] = "/nonexistent"  # never read a developer's .env in tests
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # The test database is flushed between transactional tests; the append-only trigger allows
    # that only with this setting. Tests of the trigger switch it off in their transaction.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c ketenregie.audit_purge=on"  # noqa: F405
# SQLite has no roles: the flush between transactional tests passes its append-only triggers
# with this flag (tests of the triggers switch it off).
AUDIT_SQLITE_ALLOW_FLUSH = True
# Tests seal explicitly (audit.sealing.seal_all), on SQLite and PostgreSQL alike.
AUDIT_SEAL_ON_COMMIT = False
# Checkpoints of this test run: a throw-away key and a directory of its own.
os.environ.setdefault("AUDIT_SIGNING_KEY", "dGVzdC1vbmx5LWF1ZGl0LXNpZ25pbmcta2V5LTMyYiE")
AUDIT_SIGNING_KEY = os.environ["AUDIT_SIGNING_KEY"]
AUDIT_CHECKPOINT_DIR = os.environ.setdefault(
    "AUDIT_CHECKPOINT_DIR", tempfile.mkdtemp(prefix="ketenregie-checkpoints-")
)
# Unit tests run tasks eagerly; the real-worker tests start their own worker on REDIS_URL (the
# fault tests start worker processes with KETENREGIE_REAL_WORKER=1 and hand jobs to them).
CELERY_TASK_ALWAYS_EAGER = os.environ.get("KETENREGIE_REAL_WORKER") != "1"
