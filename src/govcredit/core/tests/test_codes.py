import datetime

import pytest
from django.core.exceptions import ValidationError

from govcredit.core.codes import (
    USCC_CHARSET,
    USCC_WEIGHTS,
    id_check_digit,
    is_valid_id_number,
    is_valid_uscc,
    looks_like_id_number,
    looks_like_uscc,
    make_id_number,
    make_uscc,
    mask_id_number,
    mask_name,
    org_code_check_char,
    uscc_check_char,
    validate_id_number,
    validate_uscc,
)

USCC_VECTORS = [
    "11140800558745220K",  # 晋中市文化和旅游局
    "11410182005291054B",  # 荥阳市司法局
    "12100000470095016Q",  # 浙江大学
    "12100000425006117P",  # 复旦大学
    "12220000X05293527B",  # 吉林铁道职业技术大学
]
GB_EXAMPLE = "91350100M000100Y4Z"  # the standard's own example; its check should be 3
ID_VECTORS = ["11010519491231002X", "440524188001010014", "34052419800101001X"]


def _message(exc_info):
    return exc_info.value.messages[0]


# ------------------------------------------------------------------- USCC


def test_charset_and_weights():
    assert len(USCC_CHARSET) == 31
    assert not set("IOZSV") & set(USCC_CHARSET)
    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", USCC_VECTORS)
def test_uscc_vectors_valid(code):
    assert is_valid_uscc(code)
    assert validate_uscc(code) == code
    assert uscc_check_char(code[:17]) == code[17]
    assert org_code_check_char(code[8:16]) == code[16]


def test_uscc_normalised():
    assert validate_uscc("  12220000x05293527b \n") == "12220000X05293527B"


def test_gb_example_fails_with_check_3():
    assert not is_valid_uscc(GB_EXAMPLE)
    with pytest.raises(ValidationError) as ei:
        validate_uscc(GB_EXAMPLE)
    assert _message(ei) == "统一社会信用代码校验位应为 3，当前为 Z"
    assert uscc_check_char(GB_EXAMPLE[:17]) == "3"
    # the organisation-code part of the example is itself consistent
    assert org_code_check_char("M000100Y") == "4"


def test_gb_example_with_corrected_check_is_valid():
    assert is_valid_uscc(GB_EXAMPLE[:17] + "3")


@pytest.mark.parametrize("code", USCC_VECTORS)
def test_every_single_substitution_detected(code):
    alphabet = USCC_CHARSET + "IOZSV"
    for i in range(18):
        for ch in alphabet:
            if ch == code[i]:
                continue
            mutated = code[:i] + ch + code[i + 1 :]
            assert not is_valid_uscc(mutated), mutated


def test_uscc_length_message():
    with pytest.raises(ValidationError) as ei:
        validate_uscc("1114080055874522")
    assert _message(ei) == "统一社会信用代码应为18位，当前为16位"
    with pytest.raises(ValidationError) as ei:
        validate_uscc("")
    assert _message(ei) == "统一社会信用代码应为18位，当前为0位"


def test_uscc_illegal_char_message():
    with pytest.raises(ValidationError) as ei:
        validate_uscc("1114080055874O220K")
    assert _message(ei) == "统一社会信用代码第14位「O」不是合法字符（不含I、O、Z、S、V）"


def test_uscc_area_must_be_digits():
    code = "11A40800558745220K"
    with pytest.raises(ValidationError) as ei:
        validate_uscc(code)
    assert "第3位「A」应为数字" in _message(ei)


def test_uscc_check_message():
    bad = "11140800558745220A"
    with pytest.raises(ValidationError) as ei:
        validate_uscc(bad)
    assert _message(ei) == "统一社会信用代码校验位应为 K，当前为 A"


def test_uscc_org_check_message():
    # wrong position 17 but position 18 recomputed, so only the GB 11714 check fails
    first17 = "1114080055874522" + "1"  # correct position 17 is "0"
    code = first17 + uscc_check_char(first17)
    with pytest.raises(ValidationError) as ei:
        validate_uscc(code)
    assert _message(ei) == "统一社会信用代码第17位（组织机构代码校验位）应为 0，当前为 1"


def test_org_code_check_x_and_zero():
    # find bodies producing both special cases to exercise the 10→X and 11→0 mapping
    checks = {org_code_check_char(f"{n:08d}") for n in range(200)}
    assert "X" in checks and "0" in checks
    assert org_code_check_char("X0529352") == "7"


def test_is_valid_uscc_non_str():
    assert not is_valid_uscc(None)
    assert not is_valid_uscc(12345678901234567)


def test_make_uscc_always_valid():
    seen = set()
    for serial in range(5001):
        code = make_uscc("11370306", serial)
        assert validate_uscc(code) == code
        assert code.startswith("11370306")
        assert code[8:16] == f"{serial:08d}"
        seen.add(code)
    assert len(seen) == 5001


def test_make_uscc_other_prefix_and_errors():
    assert is_valid_uscc(make_uscc("12370306", 99_999_999))
    assert is_valid_uscc(make_uscc("y1370306", 7))
    for prefix in ("1137030", "I1370306", "11A70306"):
        with pytest.raises(ValueError):
            make_uscc(prefix, 1)
    with pytest.raises(ValueError):
        make_uscc("11370306", -1)
    with pytest.raises(ValueError):
        make_uscc("11370306", 100_000_000)


# ------------------------------------------------------------------- 身份证


@pytest.mark.parametrize("value", ID_VECTORS)
def test_id_vectors_valid(value):
    assert is_valid_id_number(value)
    assert validate_id_number(value) == value
    assert id_check_digit(value[:17]) == value[17]


def test_id_normalised_lower_x():
    assert validate_id_number(" 11010519491231002x ") == "11010519491231002X"


def test_id_messages():
    cases = {
        "1101051949123100": "居民身份证号码应为18位，当前为16位",
        "11010519491231A02X": "居民身份证号码前17位应为数字",
        "110105194902300025": "居民身份证号码中的出生日期 19490230 无效",
        "110105194913310025": "居民身份证号码中的出生日期 19491331 无效",
        "110105194912310025": "居民身份证号码校验位应为 X，当前为 5",
    }
    for value, message in cases.items():
        with pytest.raises(ValidationError) as ei:
            validate_id_number(value)
        assert _message(ei) == message, value


def test_id_future_birth_rejected():
    value = make_id_number("370306", datetime.date(2999, 1, 1), 1)
    with pytest.raises(ValidationError) as ei:
        validate_id_number(value)
    assert "29990101" in _message(ei)


@pytest.mark.parametrize("value", ID_VECTORS)
def test_id_single_substitution_detected(value):
    for i in range(18):
        for ch in "0123456789X":
            if ch != value[i]:
                assert not is_valid_id_number(value[:i] + ch + value[i + 1 :])


def test_make_id_number():
    for seq in range(0, 1000, 7):
        value = make_id_number("370306", datetime.date(1990, 2, 28), seq)
        assert validate_id_number(value) == value
        assert value[6:14] == "19900228"
        assert value[14:17] == f"{seq:03d}"
    assert make_id_number("110105", datetime.date(1949, 12, 31), 2) == "11010519491231002X"
    with pytest.raises(ValueError):
        make_id_number("37030", datetime.date(1990, 1, 1), 1)
    with pytest.raises(ValueError):
        make_id_number("370306", datetime.date(1990, 1, 1), 1000)


def test_is_valid_id_number_non_str():
    assert not is_valid_id_number(None)
    assert not is_valid_id_number(440524188001010014)


# ------------------------------------------------------------------- display helpers


def test_mask_id_number():
    assert mask_id_number("370306199001011234") == "370306********1234"
    assert mask_id_number("11010519491231002x") == "110105********002X"
    assert mask_id_number("123") == "***"
    assert mask_id_number("") == ""


def test_mask_name():
    assert mask_name("张三明") == "张*明"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name("张三") == "张*"
    assert mask_name("张") == "张"
    assert mask_name("") == ""


def test_looks_like():
    assert looks_like_id_number("11010519491231002X")
    assert looks_like_id_number("11010519491231002x")
    assert not looks_like_id_number("11010519491231002Y")
    assert not looks_like_id_number("1101051949123100")
    assert not looks_like_id_number(None)
    assert looks_like_uscc("12220000X05293527B")
    assert looks_like_uscc("12220000x05293527b")
    assert not looks_like_uscc("12220000X05293527")
    assert not looks_like_uscc("1222000OX05293527B")
    assert not looks_like_uscc(None)
    for code in USCC_VECTORS:
        assert not looks_like_id_number(code)
