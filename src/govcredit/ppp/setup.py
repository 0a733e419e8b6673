"""PPP regime templates on every ``govcredit setup``."""

from __future__ import annotations

from .defaults import load_regimes


def load_defaults() -> str:
    return f"PPP制度模板 {load_regimes()} 套新增"


def load_demo() -> str:
    """Two 周村区 PPP projects through the services: one in 执行 (gate passed, deferred items due), one in 采购."""
    import datetime as dt

    from django.utils import timezone

    from govcredit.accounts.models import User
    from govcredit.accounts.permissions import Access
    from govcredit.core.codes import make_id_number
    from govcredit.subjects.models import SubjectKind
    from govcredit.subjects.services import SubjectData, create_subject, find_by_code

    from . import services
    from .models import Project

    if Project.objects.exists():
        return "已有PPP项目，跳过"
    user = User.objects.filter(username="czj").first()
    if user is None:
        return "缺少演示用户 czj，跳过"
    access = Access.for_user(user)
    today = timezone.localdate()
    people = []
    for n, name in enumerate(["张建华", "李明远", "王晓东", "赵文静", "孙立强"]):
        code = make_id_number("370306", dt.date(1975 + n, 3, 1), 101 + 2 * n)
        people.append(
            find_by_code(code)
            or create_subject(SubjectData(kind=SubjectKind.CIVIL_SERVANT, name=name, id_number=code))
        )

    def project(code, name, start_days_ago):
        return services.create_project(
            {
                "code": code,
                "name": name,
                "sector": "市政工程",
                "investment": "186000000",
                "term_years": 25,
                "operation_mode": "ROT",
                "payment_mechanism": "viability_gap",
                "agency": "区住建局",
                "investor_representative": "周村区城市建设投资有限公司",
                "entered_on": (today - dt.timedelta(days=start_days_ago)).isoformat(),
            },
            access=access,
        )

    def staff(p, start):
        roles = {
            "identification": [("implementing_head", 0), ("finance_review", 1)],
            "preparation": [("implementing_head", 0), ("finance_review", 1)],
            "procurement": [("implementing_head", 0), ("procurement_lead", 2)],
            "execution": [
                ("implementing_head", 3),
                ("performance_supervision", 4),
                ("investor_representative", 2),
            ],
        }
        for stage, pairs in roles.items():
            for role, who in pairs:
                services.add_responsibility(
                    p,
                    {"stage": stage, "role": role, "person_id": people[who].pk, "start": start},
                    access=access,
                )

    def provide(p, stage, on):
        for item in p.items.filter(stage=stage, required=True):
            services.provide_item(item, {"document_title": item.name, "provided_on": on}, access=access)

    def day(n):
        return today - dt.timedelta(days=n)

    a = project("ZC-PPP-2024-01", "周村区城市污水处理厂提标改造PPP项目", 700)
    staff(a, day(700).isoformat())
    provide(a, "identification", day(650).isoformat())
    a = services.advance_stage(a, to="preparation", on=day(600), access=access)
    provide(a, "preparation", day(560).isoformat())
    a = services.advance_stage(a, to="procurement", on=day(500), access=access)
    provide(a, "procurement", day(420).isoformat())
    a = services.advance_stage(a, to="execution", on=day(150), access=access)
    services.set_fiscal(
        a,
        {"year": today.year, "responsibility": "6200000", "budgeted": "6200000", "paid": "3100000"},
        access=access,
    )

    b = project("ZC-PPP-2026-02", "周村古商城片区停车设施PPP项目", 300)
    staff(b, day(300).isoformat())
    provide(b, "identification", day(280).isoformat())
    b = services.advance_stage(b, to="preparation", on=day(250), access=access)
    provide(b, "preparation", day(200).isoformat())
    services.advance_stage(b, to="procurement", on=day(120), access=access)
    return "演示PPP项目 2 个"
