import base64
import types

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from govcredit.core import crypto
from govcredit.core.crypto import PiiCipher, hmac_sm3_hex, random_token, sm3_hex

KEY = "0123456789abcdeffedcba9876543210"
OTHER_KEY = "00112233445566778899aabbccddeeff"


def test_sm3_vectors():
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3_hex("abc") == sm3_hex(b"abc")
    assert sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    assert sm3_hex(b"") == "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
    assert sm3_hex("周村区") == sm3_hex("周村区".encode())


def test_sm4_ecb_standard_vector():
    # GB/T 32907 example 1, checks the backend the cipher relies on
    k = bytes.fromhex(KEY)
    enc = Cipher(algorithms.SM4(k), modes.ECB()).encryptor()
    assert (enc.update(k) + enc.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


def _manual_hmac_sm3(key: bytes, data: bytes) -> str:
    block = 64
    if len(key) > block:
        h = hashes.Hash(hashes.SM3())
        h.update(key)
        key = h.finalize()
    key = key.ljust(block, b"\0")
    inner = hashes.Hash(hashes.SM3())
    inner.update(bytes(b ^ 0x36 for b in key) + data)
    outer = hashes.Hash(hashes.SM3())
    outer.update(bytes(b ^ 0x5C for b in key) + inner.finalize())
    return outer.finalize().hex()


@pytest.mark.parametrize("key", [b"k", b"secret-key" * 3, b"x" * 100])
def test_hmac_sm3_matches_rfc2104_construction(key):
    data = b"govcredit"
    assert hmac_sm3_hex(key, data) == _manual_hmac_sm3(key, data)
    assert len(hmac_sm3_hex(key, data)) == 64


@pytest.mark.parametrize("text", ["", "张三", "370306199001011234", "x" * 10_000, "混合 text 🙂"])
def test_round_trip(text):
    c = PiiCipher(KEY)
    token = c.encrypt(text)
    assert token.startswith("v1:")
    assert token.isascii()
    assert text not in token or text == ""
    assert c.decrypt(token) == text


def test_token_layout_and_random_nonce():
    c = PiiCipher(KEY)
    t1, t2 = c.encrypt("张三"), c.encrypt("张三")
    assert t1 != t2
    body = t1[3:]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert len(raw) == 12 + len("张三".encode()) + 16


def test_decrypt_rejects_tampering_and_wrong_key():
    c = PiiCipher(KEY)
    token = c.encrypt("370306199001011234")
    body = bytearray(base64.urlsafe_b64decode(token[3:] + "=" * (-len(token[3:]) % 4)))
    body[14] ^= 1
    tampered = "v1:" + base64.urlsafe_b64encode(bytes(body)).rstrip(b"=").decode()
    with pytest.raises(ValueError):
        c.decrypt(tampered)
    with pytest.raises(ValueError):
        PiiCipher(OTHER_KEY).decrypt(token)
    for bad in ("", "v2:abc", "v1:", "v1:!!!!", "v1:AAAA", token[:-4]):
        with pytest.raises(ValueError):
            c.decrypt(bad)


@pytest.mark.parametrize("key", ["", "0123", KEY + "00", "zz" * 16, None, b"0" * 32])
def test_bad_key_raises_value_error(key):
    with pytest.raises(ValueError):
        PiiCipher(key)


def test_key_upper_case_and_whitespace_accepted():
    token = PiiCipher(KEY).encrypt("a")
    assert PiiCipher(" " + KEY.upper() + "\n").decrypt(token) == "a"


def test_repr_hides_key():
    assert KEY not in repr(PiiCipher(KEY))


def test_lookup_hash_deterministic_and_normalised():
    c = PiiCipher(KEY)
    h = c.lookup_hash("11010519491231002X")
    assert h == c.lookup_hash("11010519491231002X")
    assert h == c.lookup_hash(" 11010519491231002x ")
    assert h == c.lookup_hash("１１０１０５１９４９１２３１００２Ｘ")  # full-width
    assert len(h) == 64 and int(h, 16) >= 0
    assert h != c.lookup_hash("440524188001010014")
    assert h != PiiCipher(OTHER_KEY).lookup_hash("11010519491231002X")
    assert h != sm3_hex("11010519491231002X")
    lookup_key = bytes.fromhex(hmac_sm3_hex(bytes.fromhex(KEY), b"govcredit-lookup"))
    assert h == hmac_sm3_hex(lookup_key, b"11010519491231002X")
    assert c.lookup_matches("11010519491231002x", h)
    assert not c.lookup_matches("440524188001010014", h)


def test_get_pii_cipher_reads_settings_and_caches(monkeypatch):
    import django.conf

    fake = types.SimpleNamespace(GOVCREDIT_PII_KEY=KEY)
    monkeypatch.setattr(django.conf, "settings", fake)
    c1 = crypto.get_pii_cipher()
    assert crypto.get_pii_cipher() is c1
    fake.GOVCREDIT_PII_KEY = OTHER_KEY
    c2 = crypto.get_pii_cipher()
    assert c2 is not c1
    assert c2.decrypt(PiiCipher(OTHER_KEY).encrypt("x")) == "x"


def test_get_pii_cipher_misconfigured(monkeypatch):
    import django.conf
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setattr(django.conf, "settings", types.SimpleNamespace())
    with pytest.raises(ImproperlyConfigured):
        crypto.get_pii_cipher()
    monkeypatch.setattr(django.conf, "settings", types.SimpleNamespace(GOVCREDIT_PII_KEY="abc"))
    with pytest.raises(ImproperlyConfigured):
        crypto.get_pii_cipher()


def test_random_token():
    t = random_token()
    assert len(t) >= 43
    assert set(t) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert random_token() != t
    assert len(random_token(8)) == 11
