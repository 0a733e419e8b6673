"""The annual report statistics of 《政府信息公开条例》第五十条, drafted from the data (the unit edits the
draft before publishing it by 31 January, 第四十九条)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from govcredit.accounts.models import Organisation
from govcredit.core.calendar import office_calendar

from .models import Channel, InfoRequest, ProactiveItem, ReplyType, RequestStatus

HEADERS = ["部分", "指标", "数值", "说明"]


def annual_report(unit: Organisation, year: int) -> list[tuple[str, str, object, str]]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows: list[tuple[str, str, object, str]] = []
    part1 = "一、主动公开政府信息情况（第五十条第一项）"
    items = list(ProactiveItem.objects.filter(unit=unit, generated_on__range=(first, last)))
    published = [i for i in items if i.published_on and i.published_on <= last]
    cal = office_calendar()
    late = [i for i in published if i.published_on > i.due_on]
    unpublished_late = [i for i in items if not i.published_on and i.due_on < last]
    rows += [
        (part1, "本年生成的主动公开信息（条）", len(items), "按生成日期统计"),
        (part1, "其中年内已公开（条）", len(published), ""),
        (part1, "按时公开（条）", len(published) - len(late), "生成之日起20个工作日内（第二十六条）"),
        (part1, "逾期公开（条）", len(late), ""),
        (
            part1,
            "逾期公开累计（工作日）",
            sum(cal.working_days_between(i.due_on, i.published_on) for i in late),
            "",
        ),
        (part1, "年末逾期仍未公开（条）", len(unpublished_late), ""),
    ]
    part2 = "二、收到和处理政府信息公开申请情况（第五十条第二项）"
    reqs = InfoRequest.objects.filter(unit=unit)
    carried_in = (
        reqs.filter(received_on__lt=first)
        .exclude(replied_on__lt=first)
        .exclude(status=RequestStatus.WITHDRAWN)
    )
    received = list(reqs.filter(received_on__range=(first, last)))
    channels = Counter(r.channel for r in received)
    rows.append((part2, "上年结转申请（件）", carried_in.count(), ""))
    rows.append((part2, "本年新收申请（件）", len(received), "按收到申请之日（第三十一条）"))
    for code, label in Channel.choices:
        rows.append((part2, f"　其中{label}（件）", channels.get(code, 0), ""))
    replied = list(reqs.filter(replied_on__range=(first, last)))
    types = Counter(r.reply_type for r in replied)
    rows.append((part2, "本年答复（件）", len(replied), ""))
    for code, label in ReplyType.choices:
        rows.append((part2, f"　{label}（件）", types.get(code, 0), "第三十六条"))
    rows += [
        (
            part2,
            "逾期答复（件）",
            sum(1 for r in replied if r.due_on and r.replied_on > r.due_on),
            "超过答复期限（第三十三条）",
        ),
        (part2, "延长答复期限（件）", sum(1 for r in received if r.extension_days), ""),
        (part2, "要求补正（件）", sum(1 for r in received if r.clarify_on), "第三十条"),
        (part2, "征求第三方意见（件）", sum(1 for r in received if r.third_party_from), "第三十二条"),
        (
            part2,
            "结转下年度继续办理（件）",
            reqs.filter(received_on__lte=last)
            .exclude(replied_on__lte=last)
            .exclude(status=RequestStatus.WITHDRAWN)
            .count(),
            "",
        ),
    ]
    part3 = "三、因政府信息公开工作被申请行政复议、提起行政诉讼情况（第五十条第三项）"
    rows += [
        (part3, "行政复议（件）", "", "本平台未登记复议、诉讼，请人工填写"),
        (part3, "行政诉讼（件）", "", "本平台未登记复议、诉讼，请人工填写"),
    ]
    part4 = "四、存在的主要问题及改进情况（第五十条第四项）"
    rows.append((part4, "草稿说明", "", "由本单位根据上述数据撰写"))
    return rows
