"""Subject search for source units' systems (by code, name or pinyin initials); people masked."""

from __future__ import annotations

from ninja import Query, Router, Schema

from govcredit.core.errors import PermissionDenied, ValidationFailed
from govcredit.subjects.models import Subject
from govcredit.subjects.services import search_subjects

from .auth import TokenAuth, access_of
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
    if page < 1:
        raise ValidationFailed("页码有误", field_errors={"page": ["页码应为不小于 1 的整数"]})
    from .records_api import check_text

    check_text(q=q)
    if q and len(q) > 100:
        raise ValidationFailed("查询条件过长", field_errors={"q": ["查询条件不能超过100个字符"]})
    qs = search_subjects(q or "", Subject.objects.all()).order_by("name", "id")
    count = qs.count()
    offset = (page - 1) * PAGE_SIZE
    rows = list(qs[offset : offset + PAGE_SIZE]) if offset < count else []
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
