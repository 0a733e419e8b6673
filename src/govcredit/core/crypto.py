"""国密 primitives for personal data: SM3 hashing, HMAC-SM3, SM4-GCM field encryption.

Everything goes through the ``cryptography`` package; nothing here is hand-rolled.

Token format of :meth:`PiiCipher.encrypt`::

    "v1:" + base64url_nopad(nonce[12] + ciphertext + tag[16])
"""

from __future__ import annotations

import base64
import binascii
import functools
import hmac as _std_hmac
import os
import secrets
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

__all__ = [
    "sm3_hex",
    "hmac_sm3_hex",
    "PiiCipher",
    "get_pii_cipher",
    "random_token",
    "normalise_lookup_value",
]

_TOKEN_PREFIX = "v1:"
_NONCE_LEN = 12
_TAG_LEN = 16
_LOOKUP_LABEL = b"govcredit-lookup"


def _to_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def sm3_hex(data: bytes | str) -> str:
    """SM3 digest as lower-case hex (``str`` is encoded as UTF-8)."""
    h = hashes.Hash(hashes.SM3())
    h.update(_to_bytes(data))
    return h.finalize().hex()


def _hmac_sm3(key: bytes, data: bytes) -> bytes:
    h = crypto_hmac.HMAC(key, hashes.SM3())
    h.update(data)
    return h.finalize()


def hmac_sm3_hex(key: bytes, data: bytes | str) -> str:
    """HMAC-SM3 as lower-case hex."""
    return _hmac_sm3(bytes(key), _to_bytes(data)).hex()


def normalise_lookup_value(value: str) -> str:
    """Normalisation applied before lookup hashing: NFKC (full-width → half-width),
    strip surrounding whitespace, upper-case (ID ``x`` → ``X``)."""
    return unicodedata.normalize("NFKC", value).strip().upper()


class PiiCipher:
    """SM4-GCM encryption and deterministic HMAC-SM3 lookup hashes for PII fields."""

    def __init__(self, key_hex: str):
        if not isinstance(key_hex, str):
            raise ValueError("PII 密钥应为32位十六进制字符串（16字节 SM4 密钥）")
        key_hex = key_hex.strip()
        if len(key_hex) != 32:
            raise ValueError(f"PII 密钥应为32位十六进制字符串（16字节 SM4 密钥），当前为{len(key_hex)}位")
        try:
            key = bytes.fromhex(key_hex)
        except ValueError:
            raise ValueError("PII 密钥含有非十六进制字符，应为32位十六进制字符串") from None
        self._key = key
        self._lookup_key = _hmac_sm3(key, _LOOKUP_LABEL)

    def __repr__(self) -> str:  # never show the key
        return "<PiiCipher SM4-GCM>"

    def encrypt(self, plaintext: str) -> str:
        """Encrypt with SM4-GCM and a fresh random 12-byte nonce; returns an ASCII token."""
        nonce = os.urandom(_NONCE_LEN)
        enc = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        ct = enc.update(plaintext.encode("utf-8")) + enc.finalize()
        raw = nonce + ct + enc.tag
        return _TOKEN_PREFIX + base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def decrypt(self, token: str) -> str:
        """Decrypt a token from :meth:`encrypt`; ``ValueError`` if malformed, tampered
        with, or encrypted under another key."""
        if not isinstance(token, str) or not token.startswith(_TOKEN_PREFIX):
            raise ValueError("密文格式无法识别（应以 v1: 开头）")
        body = token[len(_TOKEN_PREFIX) :]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError):
            raise ValueError("密文不是合法的 base64") from None
        if len(raw) < _NONCE_LEN + _TAG_LEN:
            raise ValueError("密文过短")
        nonce, ct, tag = raw[:_NONCE_LEN], raw[_NONCE_LEN:-_TAG_LEN], raw[-_TAG_LEN:]
        dec = Cipher(algorithms.SM4(self._key), modes.GCM(nonce, tag)).decryptor()
        try:
            pt = dec.update(ct) + dec.finalize()
        except InvalidTag:
            raise ValueError("密文校验失败（已被篡改或密钥不符）") from None
        return pt.decode("utf-8")

    def lookup_hash(self, value: str) -> str:
        """Deterministic keyed hash of the normalised value, for exact-match search on
        encrypted columns.  Lookup key = HMAC-SM3(PII key, b"govcredit-lookup")."""
        return _hmac_sm3(self._lookup_key, normalise_lookup_value(value).encode("utf-8")).hex()

    def lookup_matches(self, value: str, digest: str) -> bool:
        """Constant-time comparison of ``lookup_hash(value)`` with a stored digest."""
        return _std_hmac.compare_digest(self.lookup_hash(value), digest)


@functools.lru_cache(maxsize=8)
def _cipher_for(key_hex: str) -> PiiCipher:
    return PiiCipher(key_hex)


def get_pii_cipher() -> PiiCipher:
    """The cipher for ``settings.GOVCREDIT_PII_KEY`` (cached per key value)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    key_hex = getattr(settings, "GOVCREDIT_PII_KEY", None)
    if not key_hex:
        raise ImproperlyConfigured("未配置 GOVCREDIT_PII_KEY（32位十六进制 SM4 密钥）")
    try:
        return _cipher_for(key_hex)
    except ValueError as exc:
        raise ImproperlyConfigured(f"GOVCREDIT_PII_KEY 无效：{exc}") from exc


def random_token(nbytes: int = 32) -> str:
    """URL-safe random token (``secrets.token_urlsafe``)."""
    return secrets.token_urlsafe(nbytes)
