"""The annex of 周政发〔2018〕26号 as data: 加强政务诚信建设重点任务分工及进度安排 (18 tasks).

``leads`` are the short names the policy uses (the Organisation ``short_name`` of the reference
data); ``responsibility`` and ``schedule`` keep the annex's own words; a task has a ``deadline``
only where the annex gives one (tasks 4, 10 and 13: 2018年12月底前完成)."""

from __future__ import annotations

import datetime as dt

POLICY_DATE = dt.date(2018, 5, 16)  # 周村区人民政府 2018年5月16日
DUE_2018 = dt.date(2018, 12, 31)
DEPTS = "区有关部门"
TOWNS = "各镇、街道、经济开发区"
ONGOING = "持续实施"
BY_2018 = "2018年12月底前完成"

_CN = "一二三四五六七八九十"


def section(n: int) -> str:
    """The policy's section of task ``n``: the annex follows （四）…（二十一） in order."""
    k = n + 3
    if k <= 10:
        text = _CN[k - 1]
    elif k < 20:
        text = "十" + _CN[k - 11]
    else:
        text = _CN[k // 10 - 1] + "十" + (_CN[k % 10 - 1] if k % 10 else "")
    return f"（{text}）"


TASKS: list[dict] = [
    {
        "number": 1,
        "title": "深入推进依法行政",
        "leads": ["区政府法制办"],
        "cooperating": [DEPTS, TOWNS],
        "responsibility": "区政府法制办牵头，区有关部门，各镇、街道、经济开发区配合",
    },
    {
        "number": 2,
        "title": "加大政务信息公开力度",
        "leads": ["区政府办公室"],
        "cooperating": [DEPTS],
        "responsibility": "区政府办公室牵头，区有关部门配合",
    },
    {
        "number": 3,
        "title": "深化行政审批制度改革",
        "leads": ["区编办", "区政务服务中心管理办公室"],
        "cooperating": [DEPTS],
        "responsibility": "区编办、区政务服务中心管理办公室牵头，区有关部门配合",
    },
    {
        "number": 4,
        "title": "加强公务员诚信教育",
        "leads": ["区委组织部", "区人社局"],
        "cooperating": [DEPTS],
        "responsibility": "区委组织部、区人社局牵头，区有关部门配合",
        "schedule": BY_2018,
        "deadline": DUE_2018,
    },
    {
        "number": 5,
        "title": "建立健全政务失信记录",
        "leads": ["区法院", "区检察院", "区委组织部", "区政府办公室", "区发改局", "区人社局"],
        "cooperating": [],
        "lead_mode": "separate",
        "responsibility": "区法院、区检察院、区委组织部、区政府办公室、区发改局、区人社局分别负责",
    },
    {
        "number": 6,
        "title": "健全守信激励与失信惩戒机制",
        "leads": ["区委组织部", "区发改局", "区人社局"],
        "cooperating": [DEPTS],
        "responsibility": "区委组织部、区发改局、区人社局牵头，区有关部门配合",
    },
    {
        "number": 7,
        "title": "健全信用权益保护和信用修复机制",
        "leads": ["区发改局", "区委组织部", "区人社局", "区政府法制办"],
        "cooperating": [DEPTS],
        "responsibility": "区发改局、区委组织部、区人社局、区政府法制办牵头，区有关部门配合",
    },
    {
        "number": 8,
        "title": "加强政府采购领域政务诚信建设",
        "leads": ["区财政局", "市公共资源交易中心周村分中心"],
        "cooperating": [DEPTS],
        "responsibility": "区财政局、市公共资源交易中心周村分中心牵头，区有关部门配合",
    },
    {
        "number": 9,
        "title": "加强政府和社会资本合作领域政务诚信建设",
        "leads": ["区财政局", "区发改局"],
        "cooperating": [DEPTS],
        "responsibility": "区财政局、区发改局牵头，区有关部门配合",
    },
    {
        "number": 10,
        "title": "加强招标投标领域政务诚信建设",
        "leads": ["区发改局", "区住建局", "市公共资源交易中心周村分中心"],
        "cooperating": [DEPTS],
        "responsibility": "区发改局、区住建局、市公共资源交易中心周村分中心牵头，区有关部门配合",
        "schedule": BY_2018,
        "deadline": DUE_2018,
    },
    {
        "number": 11,
        "title": "加强招商引资领域政务诚信建设",
        "leads": ["区商务局", "区招商局"],
        "cooperating": [DEPTS],
        "responsibility": "区商务局、区招商局牵头，区有关部门配合",
    },
    {
        "number": 12,
        "title": "加强环境保护领域政务诚信建设",
        "leads": ["区环保分局"],
        "cooperating": [DEPTS],
        "responsibility": "区环保分局牵头，区有关部门配合",
    },
    {
        "number": 13,
        "title": "加强地方政府债务领域政务诚信建设",
        "leads": ["区财政局"],
        "cooperating": [DEPTS],
        "responsibility": "区财政局牵头，区有关部门配合",
        "schedule": BY_2018,
        "deadline": DUE_2018,
    },
    {
        "number": 14,
        "title": "加强街道和镇政务诚信建设",
        "leads": ["区人社局", "区计生局", "区民政局", "区扶贫办", "区文明办"],
        "cooperating": [TOWNS],
        "responsibility": "区人社局、区计生局、区民政局、区扶贫办、区文明办牵头，各镇、街道、经济开发区配合",
    },
    {
        "number": 15,
        "title": "加强组织领导和工作协调",
        "leads": ["区发改局"],
        "cooperating": [DEPTS],
        "responsibility": "区发改局牵头，区有关部门配合",
    },
    {
        "number": 16,
        "title": "加快政务诚信制度建设",
        "leads": ["区政府办公室", "区委组织部", "区编办", "区发改局", "区人社局"],
        "cooperating": [DEPTS],
        "responsibility": "区政府办公室、区委组织部、区编办、区发改局、区人社局牵头，区有关部门配合",
        "schedule": "持续实施(涉及法律、行政法规的,按照立法程序推进)",
        "note": "涉及法律、行政法规的,按照立法程序推进",
    },
    {
        "number": 17,
        "title": "构建多方参与的政务诚信监督体系",
        "leads": ["区政府办公室"],
        "cooperating": [DEPTS, TOWNS],
        "responsibility": "区政府办公室牵头，区有关部门，各镇、街道、经济开发区配合",
    },
    {
        "number": 18,
        "title": "加强政务诚信舆论宣传",
        "leads": ["区委宣传部", "区发改局"],
        "cooperating": [DEPTS, TOWNS],
        "responsibility": "区委宣传部、区发改局牵头，区有关部门，各镇、街道、经济开发区配合",
    },
]
