import pytest

from govcredit.core.spreadsheets import formula_safe


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_like_text_is_neutralised(text):
    assert formula_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["周村区", "1-2", "", None, 12, 3.5])
def test_other_values_pass_unchanged(value):
    assert formula_safe(value) == value
