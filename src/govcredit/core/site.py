"""Site settings the operator fills in: the public address and the portal footer's identifiers.

The address the public reaches this server at is used for QR codes, verification links and open-data URLs.

``GOVCREDIT_PUBLIC_URL`` wins when it is set (behind a reverse proxy that rewrites the host, set it).
When it is unset, the address comes from the request that asked for the page or the report, so a report
printed on this server always points at this server's verify page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

FALLBACK = "http://127.0.0.1:8000"


def configured() -> str:
    return (getattr(settings, "GOVCREDIT_PUBLIC_URL", "") or "").strip().rstrip("/")


def public_base_url(request: HttpRequest | None = None) -> str:
    """``https://xy.zhoucun.gov.cn`` — no trailing slash."""
    url = configured()
    if url:
        return url
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return FALLBACK


# The portal footer (《政府网站发展指引》): each line is shown only when its setting is filled in.
FOOTER_SETTINGS: tuple[tuple[str, str], ...] = (
    ("GOVCREDIT_SITE_OWNER", "主办单位"),
    ("GOVCREDIT_SITE_OPERATOR", "承办单位"),
    ("GOVCREDIT_SITE_PHONE", "联系电话"),
    ("GOVCREDIT_SITE_ADDRESS", "通讯地址"),
    ("GOVCREDIT_SITE_IDENTIFIER", "网站标识码"),
    ("GOVCREDIT_ICP_NUMBER", "ICP备案号"),
)


IDENTIFIER_SETTINGS = ("GOVCREDIT_SITE_IDENTIFIER", "GOVCREDIT_ICP_NUMBER")


def footer() -> dict[str, list[tuple[str, str]]]:
    """The footer settings that are set, as ``(label, value)``: ``contacts`` (主办单位 … 通讯地址) and
    ``identifiers`` (网站标识码, ICP备案号, shown in the bottom line), in the order above."""
    rows: dict[str, list[tuple[str, str]]] = {"contacts": [], "identifiers": []}
    for name, label in FOOTER_SETTINGS:
        value = (getattr(settings, name, "") or "").strip()
        if value:
            rows["identifiers" if name in IDENTIFIER_SETTINGS else "contacts"].append((label, value))
    return rows


def empty_portal_settings() -> list[str]:
    """``GOVCREDIT_SITE_PHONE（联系电话）`` for each portal setting still empty."""
    names = [(n, label) for n, label in FOOTER_SETTINGS if not (getattr(settings, n, "") or "").strip()]
    if not configured():
        names.insert(0, ("GOVCREDIT_PUBLIC_URL", "公众访问地址"))
    return [f"{n}（{label}）" for n, label in names]


def setup_warnings() -> list[str]:
    """What ``govcredit setup`` tells the operator of a production install."""
    warnings = []
    if not configured():
        warnings.append(
            "未设置 GOVCREDIT_PUBLIC_URL：报告二维码和核验链接将使用访问者请求中的主机名。"
            "若经反向代理或内网地址访问，请设置为公众访问本站的地址，例如 https://xy.zhoucun.gov.cn"
        )
    empty = [e for e in empty_portal_settings() if not e.startswith("GOVCREDIT_PUBLIC_URL")]
    if empty:
        warnings.append("门户页脚尚未填写（填写后才在页脚显示）：" + "、".join(empty))
    return warnings
