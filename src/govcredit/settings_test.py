"""Test settings: fixed throwaway keys, fast hashing, immediate tasks unless a test asks otherwise."""

import os
import tempfile

os.environ.setdefault("GOVCREDIT_SECRET_KEY", "test-secret-key-" + "t" * 40)
os.environ.setdefault("GOVCREDIT_PII_KEY", "00112233445566778899aabbccddeeff")
os.environ.setdefault("GOVCREDIT_DATA_DIR", os.path.join(tempfile.gettempdir(), "govcredit-test"))

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 — whitenoise warns on a missing root
