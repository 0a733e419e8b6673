from __future__ import annotations

import pytest

from govcredit.core.errors import ValidationFailed
from govcredit.core.text import required_reason


def test_a_reason_is_trimmed_and_kept():
    assert required_reason("  依法撤销  ") == "依法撤销"


@pytest.mark.parametrize("value", ["", "   ", None])
def test_an_empty_reason_is_refused_at_the_field(value):
    with pytest.raises(ValidationFailed) as exc:
        required_reason(value, what="撤销理由")
    assert exc.value.field_errors == {"reason": ["请填写撤销理由"]}


def test_a_reason_longer_than_the_limit_is_refused_naming_the_limit():
    assert required_reason("理" * 10, max_length=10) == "理" * 10
    with pytest.raises(ValidationFailed) as exc:
        required_reason("理" * 11, what="驳回理由", label="理由", max_length=10, field="note")
    assert exc.value.field_errors == {"note": ["理由不能超过10个字符"]}
