"""公务员信用档案 API (policy （七）（九）): the files (masked) and the yearly training deficits.
Thin: the rules live in ``govcredit.personnel.services``."""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router, Schema

from govcredit.core.errors import PermissionDenied
from govcredit.personnel import services

from .auth import TokenAuth, access_of
from .common import page_of
from .schemas import ERROR_CODES, Error, ObjectId

router = Router(tags=["公务员信用档案"], auth=TokenAuth())
PAGE_SIZE = 50


class PersonnelFileOut(Schema):
    id: int
    name: str
    id_number: str
    unit: str
    rank_level: str
    rank_level_label: str
    rank: str
    flags: list[str]


class PersonnelFilePage(Schema):
    count: int
    items: list[PersonnelFileOut]


class TrainingDeficitOut(Schema):
    file_id: int
    name: str
    id_number: str
    unit: str
    hours: str
    days: str
    reminded: bool


class TrainingDeficitPage(Schema):
    year: int
    rule: str
    legal_basis: str
    legal_status: str
    required_hours: str
    required_days: str
    count: int
    items: list[TrainingDeficitOut]


def _need_view(access) -> None:
    if not services.may_view(access):
        raise PermissionDenied("只有区委组织部、区人社局、信用办和审计人员可以查看公务员信用档案")


def _file_out(p, flags: list[str]) -> dict:
    return {
        "id": p.pk,
        "name": p.subject.display_name,
        "id_number": p.subject.id_masked,
        "unit": p.subject.parent.name if p.subject.parent else "",
        "rank_level": p.rank_level,
        "rank_level_label": p.get_rank_level_display(),
        "rank": p.rank,
        "flags": flags,
    }


@router.get(
    "/files", response={200: PersonnelFilePage, ERROR_CODES: Error}, summary="公务员信用档案（分页，脱敏）"
)
def list_files(
    request,
    page: int = Query(1, ge=1, le=100_000),
    q: str = Query("", max_length=50, description="姓名或身份证号"),
    rank_level: str = Query("", max_length=10, description="township 乡科级及以下 / county 县处级及以上"),
    flag: str = Query(
        "",
        max_length=12,
        description="discipline 处分期内 / review 上年度考核基本称职或不称职 / deficit 上年度培训学时不足",
    ),
):
    access = access_of(request)
    _need_view(access)
    today = timezone.localdate()
    qs = services.filter_files(services.files_for(access), q=q, rank_level=rank_level, flag=flag, today=today)
    count, rows = page_of(qs.order_by("subject__name", "pk"), page, PAGE_SIZE)
    rows = list(rows)
    flags = services.flags_for(rows, today)
    return {"count": count, "items": [_file_out(p, flags[p.pk]) for p in rows]}


@router.get(
    "/files/{file_id}",
    response={200: PersonnelFileOut, ERROR_CODES: Error},
    summary="公务员信用档案详情（脱敏）",
)
def get_file(request, file_id: ObjectId):
    access = access_of(request)
    _need_view(access)
    p = services.get_file(access, file_id)
    return _file_out(p, services.flags_for([p], timezone.localdate())[p.pk])


@router.get(
    "/training-deficits",
    response={200: TrainingDeficitPage, ERROR_CODES: Error},
    summary="年度培训学时不足人员",
    description="乡科级及以下每年不少于90学时或12天（规则可配置，返回其依据和法律状态）；学时和天数均未达到的列入。",
)
def training_deficits(
    request,
    year: int = Query(..., ge=1990, le=2100),
    page: int = Query(1, ge=1, le=100_000),
):
    access = access_of(request)
    _need_view(access)
    qs, rule = services.training_deficits(access, year)
    count, rows = page_of(qs, page, PAGE_SIZE)
    rows = list(rows)
    reminded = set(
        services.TrainingReminder.objects.filter(year=year, file__in=[p.pk for p in rows]).values_list(
            "file_id", flat=True
        )
    )
    return {
        "year": year,
        "rule": rule.name if rule else "",
        "legal_basis": rule.legal_basis if rule else "",
        "legal_status": rule.legal_status if rule else "",
        "required_hours": str(rule.hours) if rule else "",
        "required_days": str(rule.days) if rule else "",
        "count": count,
        "items": [
            {
                "file_id": p.pk,
                "name": p.subject.display_name,
                "id_number": p.subject.id_masked,
                "unit": p.subject.parent.name if p.subject.parent else "",
                "hours": f"{p.year_hours:.1f}",
                "days": f"{p.year_days:.1f}",
                "reminded": p.pk in reminded,
            }
            for p in rows
        ],
    }
