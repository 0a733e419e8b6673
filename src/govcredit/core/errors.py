"""Domain errors. Services raise these; views and API endpoints turn them into messages or 4xx."""

from __future__ import annotations


class CreditError(Exception):
    """A business rule refused the change. ``message`` is Chinese and shown to the user as is."""

    status_code = 400

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class ValidationFailed(CreditError):
    """Input failed validation; ``field_errors`` maps field names to Chinese messages."""

    status_code = 422


class PermissionDenied(CreditError):
    status_code = 403


class NotFound(CreditError):
    status_code = 404


class Conflict(CreditError):
    """The object changed under us (another reviewer got there first, a key exists with other content)."""

    status_code = 409
