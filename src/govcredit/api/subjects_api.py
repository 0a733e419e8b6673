"""Subject search for source units' systems (by code, name or pinyin initials); people masked."""

from __future__ import annotations

from ninja import Query, Router, Schema

from govcredit.core.errors import PermissionDenied
from govcredit.subjects.models import Subject
from govcredit.subjects.services import search_subjects

from .auth import TokenAuth, access_of
from .common import check_text, page_of
from .schemas import ERROR_CODES, Error

router = Router(auth=TokenAuth(), tags=["主体"])
PAGE_SIZE = 20


class SubjectOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    needs_confirmation: bool


class SubjectList(Schema):
    count: int
    items: list[SubjectOut]


@router.get("", response={200: SubjectList, ERROR_CODES: Error}, summary="查找主体（代码、名称或拼音首字母）")
def subjects(
    request,
    q: str | None = Query(
        None, max_length=100, description="名称片段、拼音首字母、统一社会信用代码或身份证号"
    ),
    page: int = Query(1, ge=1, description="页码，从 1 开始；每页 20 条"),
):
    """个人的身份证号与姓名脱敏显示；完整身份证号可作查询条件（按密钥散列精确匹配）。"""
    access = access_of(request)
    if not (access.can_submit_records() or access.sees_everything):
        raise PermissionDenied("只有报送单位经办人和信用办人员可以查询主体")
    check_text(q=q)
    qs = search_subjects(q or "", Subject.objects.all()).order_by("name", "id")
    count, rows = page_of(qs, page, PAGE_SIZE)
    return {
        "count": count,
        "items": [
            {
                "id": s.pk,
                "code": s.code_display,
                "name": s.display_name,
                "kind": s.kind,
                "needs_confirmation": s.needs_confirmation,
            }
            for s in rows
        ],
    }
