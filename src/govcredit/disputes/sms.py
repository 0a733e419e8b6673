"""SMS gateway interface. ``settings.GOVCREDIT_SMS_GATEWAY`` (or the environment variable of the same
name) names the class; the default only logs the message (demo and tests)."""

from __future__ import annotations

import logging
import os
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("govcredit.sms")

DEFAULT_GATEWAY = "govcredit.disputes.sms.LoggingSmsGateway"


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Send one message; raise on failure (the caller records the error)."""


class LoggingSmsGateway:
    """Writes the message to the ``govcredit.sms`` log instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def get_gateway() -> SmsGateway:
    path = getattr(settings, "GOVCREDIT_SMS_GATEWAY", None) or os.environ.get(
        "GOVCREDIT_SMS_GATEWAY", DEFAULT_GATEWAY
    )
    return import_string(path)()
