"""Password validators: Django's, with a Chinese message where its zh-Hans catalogue has none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLength
from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from .models import User


class MinimumLengthValidator(DjangoMinimumLength):
    def validate(self, password: str, user: User | None = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短：至少需要 {self.min_length} 个字符（当前 {len(password)} 个）。",
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符。"
