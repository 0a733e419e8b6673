"""The disclosure catalog per unit (基层政务公开标准目录 columns, versioned) and proactive items with the
objective lateness of 条例第二十六条: 20 working days from the 生成日期, measured with its explanation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.accounts.permissions import Access
from govcredit.contracts.services import Problems, _text, parse_choice
from govcredit.core import public_version
from govcredit.core.calendar import office_calendar
from govcredit.core.errors import Conflict, NotFound
from govcredit.core.ledger import log_action, register_action
from govcredit.core.workdays import format_cn_date
from govcredit.duties import services as duty_services
from govcredit.duties.clock import due_date
from govcredit.duties.disclosure import disclose

from .models import Audience, CatalogEntry, Level, Manner, ProactiveItem
from .services import MODULE, _pdate, can_handle, sees_all

PROACTIVE_WORKING_DAYS = 20  # 条例第二十六条 ✅

for _key, _label in {
    "govcredit.openinfo.catalog_entry": "登记政务公开标准目录事项",
    "govcredit.openinfo.catalog_revised": "修订政务公开标准目录事项",
    "govcredit.openinfo.item": "登记主动公开信息",
    "govcredit.openinfo.item_published": "公开主动公开信息",
}.items():
    register_action(_key, _label)


class _Probe:
    def __init__(self, unit: Organisation) -> None:
        self.unit_id = unit.pk


def _require_unit(access: Access, unit: Organisation) -> None:
    access.require(can_handle(access, _Probe(unit)), "您只能维护本单位的政务公开目录和公开信息")


def _unit(value, problems: Problems) -> Organisation | None:
    text = str(value or "").strip()
    org = (
        Organisation.objects.filter(short_name=text).first() or Organisation.objects.filter(name=text).first()
    )
    if org is None:
        problems.add("unit", f"单位「{text}」不存在（可填简称，如 区住建局）")
    return org


def catalog_for(access: Access) -> QuerySet[CatalogEntry]:
    qs = CatalogEntry.objects.select_related("unit")
    if not access.roles:
        return qs.none()
    return qs if sees_all(access) else qs.filter(unit_id__in=access.organisation_ids)


def items_for(access: Access) -> QuerySet[ProactiveItem]:
    qs = ProactiveItem.objects.select_related("unit", "catalog_entry")
    if not access.roles:
        return qs.none()
    return qs if sees_all(access) else qs.filter(unit_id__in=access.organisation_ids)


COLUMNS = ("level1", "level2", "content", "basis", "time_limit", "channels", "audience", "manner", "level")


def _clean_entry(data: dict, problems: Problems) -> dict:
    return {
        "level1": _text(
            data.get("level1"), "level1", "公开事项（一级）", problems, max_len=100, required=True
        ),
        "level2": _text(data.get("level2"), "level2", "公开事项（二级）", problems, max_len=100),
        "content": _text(
            data.get("content"), "content", "公开内容（要素）", problems, max_len=5000, required=True
        ),
        "basis": _text(data.get("basis"), "basis", "公开依据", problems, max_len=5000, required=True),
        "time_limit": _text(data.get("time_limit"), "time_limit", "公开时限", problems, max_len=200)
        or "信息形成或者变更之日起20个工作日内",
        "channels": _text(data.get("channels"), "channels", "公开渠道和载体", problems, max_len=300)
        or "政府网站 信用周村",
        "audience": parse_choice(
            data.get("audience") or "public", "audience", "公开对象", Audience, problems
        ),
        "manner": parse_choice(data.get("manner") or "proactive", "manner", "公开方式", Manner, problems),
        "level": parse_choice(data.get("level") or "county", "level", "公开层级", Level, problems),
    }


def add_entry(data: dict, *, access: Access) -> CatalogEntry:
    problems = Problems()
    unit = _unit(data.get("unit"), problems)
    code = _text(data.get("code"), "code", "事项编码", problems, max_len=40, required=True)
    clean = _clean_entry(data, problems)
    if unit and code and CatalogEntry.objects.filter(unit=unit, code=code).exists():
        problems.add("code", f"本单位目录中已有事项编码「{code}」，修订请使用修订功能")
    problems.raise_if_any("目录事项有误，未保存")
    _require_unit(access, unit)
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry = CatalogEntry.objects.create(unit=unit, code=code, **clean)
        except IntegrityError as exc:
            raise Conflict("目录事项已被同时登记，请刷新后重试") from exc
        disclose("publish", object_type="openinfo.catalogentry", object_id=f"{unit.pk}:{code}", version=1)
        public_version.bump()
        log_action(
            "govcredit.openinfo.catalog_entry",
            actor=access.user,
            obj=entry,
            summary=f"{unit.name} 目录 {code}",
        )
    return entry


def revise_entry(entry: CatalogEntry, data: dict, *, access: Access) -> CatalogEntry:
    _require_unit(access, entry.unit)
    problems = Problems()
    merged = {f: data.get(f, getattr(entry, f)) for f in COLUMNS}
    clean = _clean_entry(merged, problems)
    reason = _text(
        data.get("change_reason"), "change_reason", "修订理由", problems, max_len=300, required=True
    )
    problems.raise_if_any("目录修订有误，未保存")
    with transaction.atomic():
        latest = (
            CatalogEntry.objects.select_for_update()
            .filter(unit=entry.unit, code=entry.code, current=True)
            .first()
        )
        if latest is None or latest.pk != entry.pk:
            raise Conflict("只能修订现行版本，请刷新后重试")
        if all(getattr(latest, f) == v for f, v in clean.items()):
            raise Conflict("修订内容与现行版本相同")
        CatalogEntry.objects.filter(pk=latest.pk).update(current=False)
        new = CatalogEntry.objects.create(
            unit=latest.unit, code=latest.code, version=latest.version + 1, change_reason=reason, **clean
        )
        disclose(
            "correct",
            object_type="openinfo.catalogentry",
            object_id=f"{new.unit_id}:{new.code}",
            version=new.version,
        )
        public_version.bump()
        log_action(
            "govcredit.openinfo.catalog_revised",
            actor=access.user,
            obj=new,
            summary=f"{new.unit.name} 目录 {new.code} 第{new.version}版：{reason}",
            before={f: getattr(latest, f) for f in COLUMNS},
            after=clean,
        )
    return new


@dataclass(frozen=True)
class Lateness:
    late: bool
    working_days: int
    explain: str


def lateness(item: ProactiveItem, today: dt.date | None = None) -> Lateness:
    """条例第二十六条: late when not published by the due date; counted in working days past it."""
    today = today or timezone.localdate()
    cal = office_calendar()
    end = item.published_on or today
    n = cal.working_days_between(item.due_on, end) if end > item.due_on else 0
    if item.published_on:
        text = f"{item.due_explain}{format_cn_date(item.published_on)}公开，" + (
            f"超过期限{n}个工作日。" if n else "在期限内。"
        )
    elif n:
        text = f"{item.due_explain}截至{format_cn_date(today)}尚未公开，已超过期限{n}个工作日。"
    else:
        text = f"{item.due_explain}尚未公开。"
    return Lateness(bool(n), n, text)


def add_item(data: dict, *, access: Access) -> ProactiveItem:
    problems = Problems()
    unit = _unit(data.get("unit"), problems)
    index_no = _text(data.get("index_no"), "index_no", "索引号", problems, max_len=60, required=True)
    name = _text(data.get("name"), "name", "名称", problems, max_len=200, required=True)
    summary = _text(data.get("summary"), "summary", "内容概述", problems, max_len=5000, required=True)
    generated = _pdate(data.get("generated_on"), "generated_on", "生成日期", problems, required=True)
    if generated and generated > timezone.localdate():
        problems.add("generated_on", "生成日期不能晚于今天")
    entry = None
    if data.get("catalog_code") and unit:
        entry = CatalogEntry.objects.filter(unit=unit, code=data["catalog_code"], current=True).first()
        if entry is None:
            problems.add("catalog_code", f"本单位目录中没有现行事项「{data['catalog_code']}」")
    if index_no and ProactiveItem.objects.filter(index_no=index_no).exists():
        problems.add("index_no", f"索引号「{index_no}」已登记")
    problems.raise_if_any("公开信息有误，未保存")
    _require_unit(access, unit)
    due = due_date(generated, mode="working", n=PROACTIVE_WORKING_DAYS)
    explain = f"生成日期{format_cn_date(generated)}，应自形成之日起20个工作日内公开（条例第二十六条）：{due.explain()}"
    with transaction.atomic():
        item = ProactiveItem.objects.create(
            unit=unit,
            catalog_entry=entry,
            index_no=index_no,
            name=name,
            summary=summary,
            generated_on=generated,
            due_on=due.due,
            due_explain=explain,
        )
        duty_services.register_duty(
            module=MODULE,
            kind="proactive",
            obj=item,
            due=due,
            title=f"主动公开「{name}」",
            unit=unit,
            subject=getattr(unit, "subject", None),
        )
        log_action(
            "govcredit.openinfo.item", actor=access.user, obj=item, summary=f"{unit.name} 登记 {index_no}"
        )
    return item


def publish_item(item: ProactiveItem, data: dict, *, access: Access) -> ProactiveItem:
    _require_unit(access, item.unit)
    problems = Problems()
    on = _pdate(data.get("published_on"), "published_on", "公开日期", problems) or timezone.localdate()
    url = _text(data.get("url"), "url", "公开网址", problems, max_len=300)
    if url and not url.startswith(("http://", "https://")):
        problems.add("url", "公开网址应以 http:// 或 https:// 开头")
    if on > timezone.localdate():
        problems.add("published_on", "公开日期不能晚于今天")
    if on < item.generated_on:
        problems.add("published_on", f"公开日期不能早于生成日期（{item.generated_on.isoformat()}）")
    problems.raise_if_any("公开信息有误，未保存")
    with transaction.atomic():
        item = ProactiveItem.objects.select_for_update().select_related("unit").get(pk=item.pk)
        if item.published_on:
            raise Conflict("该信息已经公开")
        item.published_on, item.url = on, url
        item.save(update_fields=["published_on", "url"])
        duty_services.fulfil_duty(item, on=on, kind="proactive")
        late = lateness(item)
        subject = getattr(item.unit, "subject", None)
        if subject is not None:
            duty_services.record_event(
                subject=subject,
                dimension="政务公开",
                indicator="proactive_item_late" if late.late else "proactive_item_on_time",
                polarity="-" if late.late else "+",
                value=late.working_days if late.late else 1,
                occurred_on=on,
                module=MODULE,
                obj=item,
            )
        disclose("publish", object_type="openinfo.proactiveitem", object_id=item.pk)
        public_version.bump()
        log_action(
            "govcredit.openinfo.item_published",
            actor=access.user,
            obj=item,
            summary=f"公开 {item.index_no}：{late.explain}",
        )
    return item


def late_items(qs: QuerySet[ProactiveItem], today: dt.date | None = None) -> QuerySet[ProactiveItem]:
    today = today or timezone.localdate()
    from django.db.models import F, Q

    return qs.filter(Q(published_on__isnull=True, due_on__lt=today) | Q(published_on__gt=F("due_on")))


def get_item(access: Access, pk) -> ProactiveItem:
    found = items_for(access).filter(pk=pk).first()
    if found is None:
        raise NotFound("公开信息不存在或不在您的查看范围内")
    return found


def get_entry(access: Access, pk) -> CatalogEntry:
    found = catalog_for(access).filter(pk=pk).first()
    if found is None:
        raise NotFound("目录事项不存在或不在您的查看范围内")
    return found


def entry_view(e: CatalogEntry) -> dict:
    return {
        "id": e.pk,
        "unit": e.unit.name,
        "code": e.code,
        "version": e.version,
        "current": e.current,
        **{f: getattr(e, f) for f in COLUMNS},
        "change_reason": e.change_reason,
    }


def item_view(i: ProactiveItem, today: dt.date | None = None) -> dict:
    late = lateness(i, today)
    return {
        "id": i.pk,
        "unit": i.unit.name,
        "index_no": i.index_no,
        "name": i.name,
        "summary": i.summary,
        "generated_on": i.generated_on.isoformat(),
        "due_on": i.due_on.isoformat(),
        "published_on": i.published_on.isoformat() if i.published_on else None,
        "url": i.url,
        "late": late.late,
        "late_working_days": late.working_days,
        "explain": late.explain,
        "catalog_code": i.catalog_entry.code if i.catalog_entry_id else None,
    }
