"""Identifier codes: 统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999).

Pure functions, no database.  ``validate_*`` raise Django's ``ValidationError`` with a
Chinese message naming what is wrong; ``is_valid_*`` return a bool; ``make_*`` build
valid codes for placeholders, demo data and tests; ``mask_*`` prepare values for display.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from operator import mul
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

__all__ = [
    "USCC_CHARSET",
    "USCC_WEIGHTS",
    "ORG_CODE_WEIGHTS",
    "ID_WEIGHTS",
    "uscc_check_char",
    "org_code_check_char",
    "is_valid_uscc",
    "validate_uscc",
    "make_uscc",
    "id_check_digit",
    "is_valid_id_number",
    "validate_id_number",
    "make_id_number",
    "mask_id_number",
    "mask_name",
    "looks_like_id_number",
    "looks_like_uscc",
]

# --------------------------------------------------------------------------- USCC

#: The 31 characters of GB 32100 (no I, O, Z, S, V), valued 0–30 by position.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
#: W_i = 3^(i-1) mod 31 for positions 1–17.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
#: GB 11714 organisation-code weights for positions 9–16 of the USCC.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_DIGITS = frozenset("0123456789")


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100 check character (position 18) for the first 17 characters."""
    if len(first17) != 17:
        raise ValueError(f"需要17个字符，当前为{len(first17)}个")
    try:
        total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"非法字符 {exc.args[0]!r}") from None
    return USCC_CHARSET[(31 - total % 31) % 31]


def _org_char_value(c: str) -> int:
    # GB 11714: digits 0–9, letters A=10 … Z=35.
    if c in _DIGITS:
        return ord(c) - ord("0")
    if "A" <= c <= "Z":
        return ord(c) - ord("A") + 10
    raise ValueError(f"非法字符 {c!r}")


def org_code_check_char(body8: str) -> str:
    """Return the GB 11714 check character for the 8-character organisation-code body.

    Check = 11 − (Σ mod 11), with 10 → ``X`` and 11 → ``0``.
    """
    if len(body8) != 8:
        raise ValueError(f"需要8个字符，当前为{len(body8)}个")
    total = sum(_org_char_value(c) * w for c, w in zip(body8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def _normalise(value: object) -> str:
    return str(value).strip().upper()


#: Positions 1–17 of a well-formed USCC (1–2 and 9–17 from the charset, 3–8 ASCII digits).
_USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}[0-9A-Z]")
_USCC_VALUES = tuple(_USCC_VALUE.get(chr(i), 0) for i in range(128))
_ORG_VALUES = tuple((i - 48 if 48 <= i <= 57 else i - 55 if 65 <= i <= 90 else 0) for i in range(128))


@lru_cache(maxsize=65536)
def _valid_uscc(value: str) -> bool:
    """Fast test of an already normalised code: shape, then both check characters (no exceptions)."""
    if len(value) != 18 or _USCC_SHAPE.fullmatch(value) is None:
        return False
    codes = [ord(c) for c in value]
    total = sum(map(mul, map(_USCC_VALUES.__getitem__, codes[:17]), USCC_WEIGHTS))
    if USCC_CHARSET[(31 - total % 31) % 31] != value[17]:
        return False
    check = 11 - sum(map(mul, map(_ORG_VALUES.__getitem__, codes[8:16]), ORG_CODE_WEIGHTS)) % 11
    return value[16] == ("X" if check == 10 else "0" if check == 11 else str(check))


def validate_uscc(code: str) -> str:
    """Validate a 统一社会信用代码; return it stripped and upper-cased.

    Checks, in order: length; character set of positions 1–17; positions 3–8 are digits
    (行政区划码); the GB 32100 check at position 18 (an illegal character there is reported
    as a wrong check character); the GB 11714 check at position 17.
    """
    if code.__class__ is str:
        value = code.strip().upper()
        if _valid_uscc(value):
            return value
    return _validate_uscc_slow(code)


def _validate_uscc_slow(code: str) -> str:
    """The step-by-step checks, naming the first problem (the fast path's fallback)."""
    if code is None:
        raise ValidationError("统一社会信用代码应为18位，当前为0位", code="uscc_length")
    value = _normalise(code)
    if len(value) != 18:
        raise ValidationError(f"统一社会信用代码应为18位，当前为{len(value)}位", code="uscc_length")
    # Position 18 is reported by the check-character test below (which names the expected
    # character), so an illegal final character like the GB example's "Z" reads
    # "校验位应为 3，当前为 Z".
    for pos, ch in enumerate(value[:17], start=1):
        if ch not in _USCC_VALUE:
            raise ValidationError(
                f"统一社会信用代码第{pos}位「{ch}」不是合法字符（不含I、O、Z、S、V）",
                code="uscc_char",
            )
    for pos in range(3, 9):
        ch = value[pos - 1]
        if ch not in _DIGITS:
            raise ValidationError(
                f"统一社会信用代码第{pos}位「{ch}」应为数字（第3–8位为行政区划码）",
                code="uscc_area",
            )
    expected = uscc_check_char(value[:17])
    if expected != value[17]:
        raise ValidationError(f"统一社会信用代码校验位应为 {expected}，当前为 {value[17]}", code="uscc_check")
    expected_org = org_code_check_char(value[8:16])
    if expected_org != value[16]:
        raise ValidationError(
            f"统一社会信用代码第17位（组织机构代码校验位）应为 {expected_org}，当前为 {value[16]}",
            code="uscc_org_check",
        )
    return value


def is_valid_uscc(code: object) -> bool:
    """True if ``code`` (any type) is a valid 统一社会信用代码."""
    if not isinstance(code, str):
        return False
    try:
        validate_uscc(code)
    except ValidationError:
        return False
    return True


def make_uscc(prefix: str, serial: int) -> str:
    """Build a valid 统一社会信用代码 from an 8-character prefix and a serial number.

    ``prefix`` is positions 1–8 (e.g. ``"11370306"``: 机构编制/机关, 周村区); ``serial``
    (0 … 99 999 999) becomes positions 9–16 as zero-padded digits; position 17 is the
    GB 11714 check and position 18 the GB 32100 check.  Intended for placeholder codes of
    reference units whose real code is unknown.
    """
    prefix = _normalise(prefix)
    if len(prefix) != 8:
        raise ValueError(f"前缀应为8位，当前为{len(prefix)}位")
    if any(c not in _USCC_VALUE for c in prefix[:2]) or any(c not in _DIGITS for c in prefix[2:]):
        raise ValueError(f"前缀 {prefix!r} 不合法：第1–2位为代码字符，第3–8位为行政区划数字")
    if not 0 <= serial <= 99_999_999:
        raise ValueError(f"序号应在 0–99999999 之间，当前为 {serial}")
    body = f"{serial:08d}"
    first17 = prefix + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


# --------------------------------------------------------------------------- 身份证

#: ISO 7064 MOD 11-2 weights, 2^(17-i) mod 11.
ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"
_CHINA_TZ = ZoneInfo("Asia/Shanghai")


def id_check_digit(first17: str) -> str:
    """Return the check digit (``0``–``9`` or ``X``) for the first 17 digits of an ID number."""
    if len(first17) != 17 or any(c not in _DIGITS for c in first17):
        raise ValueError("需要17位数字")
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _parse_birth(yyyymmdd: str) -> datetime.date | None:
    try:
        return datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


@lru_cache(maxsize=65536)
def _valid_id_number(v: str) -> bool:
    """Fast test of an already normalised ID number. A cached True stays right (a birth date not
    after today stays so); a False only sends the value to the step-by-step checks, which decide."""
    if len(v) != 18 or _ID_SHAPE.fullmatch(v) is None:
        return False
    birth = _parse_birth(v[6:14])
    if birth is None or birth > datetime.datetime.now(_CHINA_TZ).date():
        return False
    return _ID_CHECK[sum(map(mul, map(int, v[:17]), ID_WEIGHTS)) % 11] == v[17]


def validate_id_number(value: str) -> str:
    """Validate an 18-digit 居民身份证号码; return it stripped with an upper-case ``X``.

    Checks: length; first 17 are digits; birth date (positions 7–14) is a real date not
    after today (China time); the MOD 11-2 check digit.
    """
    if value.__class__ is str:
        v = value.strip().upper()
        if _valid_id_number(v):
            return v
    return _validate_id_number_slow(value)


def _validate_id_number_slow(value: str) -> str:
    """The step-by-step checks, naming the first problem (the fast path's fallback)."""
    if value is None:
        raise ValidationError("居民身份证号码应为18位，当前为0位", code="id_length")
    v = _normalise(value)
    if len(v) != 18:
        raise ValidationError(f"居民身份证号码应为18位，当前为{len(v)}位", code="id_length")
    if any(c not in _DIGITS for c in v[:17]):
        raise ValidationError("居民身份证号码前17位应为数字", code="id_digits")
    birth = _parse_birth(v[6:14])
    if birth is None or birth > datetime.datetime.now(_CHINA_TZ).date():
        raise ValidationError(f"居民身份证号码中的出生日期 {v[6:14]} 无效", code="id_birth")
    expected = id_check_digit(v[:17])
    if expected != v[17]:
        raise ValidationError(f"居民身份证号码校验位应为 {expected}，当前为 {v[17]}", code="id_check")
    return v


def is_valid_id_number(value: object) -> bool:
    """True if ``value`` (any type) is a valid 18-digit 居民身份证号码."""
    if not isinstance(value, str):
        return False
    try:
        validate_id_number(value)
    except ValidationError:
        return False
    return True


def make_id_number(area: str, birth: datetime.date, seq: int) -> str:
    """Build a valid ID number from a 6-digit area code, a birth date and a 0–999 sequence
    number (odd = male).  For demo data and tests."""
    if len(area) != 6 or any(c not in _DIGITS for c in area):
        raise ValueError(f"地址码应为6位数字，当前为 {area!r}")
    if not 0 <= seq <= 999:
        raise ValueError(f"顺序码应在 0–999 之间，当前为 {seq}")
    if not 1000 <= birth.year <= 9999:
        raise ValueError(f"出生年份不合法：{birth.year}")
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


# --------------------------------------------------------------------------- display


def mask_id_number(value: str) -> str:
    """Mask an ID number for display: first 6 + ``********`` + last 4.

    For other lengths the first 6 and last 4 are kept and the rest starred; values of 10
    characters or fewer are starred completely.
    """
    v = _normalise(value) if value is not None else ""
    if len(v) <= 10:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_name(name: str) -> str:
    """Mask a personal name: ``张三明`` → ``张*明``, ``张三`` → ``张*``, ``张`` → ``张``.

    With 3 or more characters the first and last stay visible and each hidden character
    becomes one ``*`` (``欧阳小明`` → ``欧**明``).
    """
    n = (name or "").strip()
    if len(n) <= 1:
        return n
    if len(n) == 2:
        return n[0] + "*"
    return n[0] + "*" * (len(n) - 2) + n[-1]


def looks_like_id_number(s: object) -> bool:
    """Cheap shape test: 18 characters, 17 digits then a digit or ``X``/``x``.  No check
    digit or date validation."""
    if not isinstance(s, str):
        return False
    s = s.strip()
    return len(s) == 18 and s[:17].isascii() and s[:17].isdigit() and (s[17] in _DIGITS or s[17] in "Xx")


def looks_like_uscc(s: object) -> bool:
    """Cheap shape test: 18 characters from the USCC charset (case-insensitive) with
    digits in positions 3–8.  No check-character validation.

    Note: an 18-digit ID number also has this shape; use :func:`looks_like_id_number` /
    the ``is_valid_*`` functions to tell them apart.
    """
    if not isinstance(s, str):
        return False
    s = s.strip().upper()
    return len(s) == 18 and all(c in _USCC_VALUE for c in s) and all(c in _DIGITS for c in s[2:8])
