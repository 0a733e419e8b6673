"""What 信用周村 may show, and nothing more.

Every public read (pages, downloads, feed, public API) goes through this module so the rules live in
one place:

* records: ``records.selectors.public_records()`` — published or under objection, disclosure public;
  the display window is enforced by the expiry job;
* subjects: governments and departments are public bodies and always findable; enterprises and
  people appear only through a public record; people only masked (``Subject.display_name``) under
  their opaque ``public_id``, never an ID number; to stop probing of the hidden characters a person
  is found only by the full name or the public id, never by substring or pinyin initials;
* the transparency log: ``core.models.TransparencyEntry``; an entry whose record is no longer public
  shows no details.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from govcredit.catalog.models import CatalogItem, Disclosure
from govcredit.catalog.services import parse_severity
from govcredit.core.codes import looks_like_id_number, looks_like_uscc
from govcredit.core.errors import NotFound, ValidationFailed
from govcredit.core.models import TransparencyEntry
from govcredit.records.models import CreditRecord, Status
from govcredit.records.selectors import public_records
from govcredit.subjects.models import PEOPLE_KINDS, UNIT_KINDS, Subject, SubjectKind
from govcredit.subjects.services import search_subjects

PAGE_SIZE = 20
MAX_QUERY = 200
STATS_CACHE_SECONDS = 60

SORTS = {
    "-published": ("-published_at", "-id"),
    "published": ("published_at", "id"),
    "-decided": ("-decided_on", "-id"),
    "decided": ("decided_on", "id"),
    "subject": ("subject__name", "-id"),
}
SORT_LABELS = {
    "-published": "公示时间（新→旧）",
    "published": "公示时间（旧→新）",
    "-decided": "决定日期（新→旧）",
    "decided": "决定日期（旧→新）",
    "subject": "主体名称",
}


# -- search text ------------------------------------------------------------------------------------


def clean_query(raw: str | None) -> str:
    """Normalise search text; raise ValidationFailed (Chinese) when it is too long.

    NFKC folds full-width letters and digits (ＺＣＱ → ZCQ); control and format characters (zero-width
    spaces, bidi marks, NUL) are dropped so they never reach the database.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split())
    if len(text) > MAX_QUERY:
        raise ValidationFailed(
            f"搜索内容过长：最多 {MAX_QUERY} 个字符，当前 {len(text)} 个。请输入单位名称的一部分、拼音首字母或统一社会信用代码。",
            field_errors={"q": [f"最多 {MAX_QUERY} 个字符"]},
        )
    return text


def page_number(raw) -> int:
    """A page number ≥ 1 or ValidationFailed."""
    try:
        number = int(str(raw).strip()) if raw not in (None, "") else 1
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("页码应为正整数", field_errors={"page": ["页码应为正整数"]}) from exc
    if number < 1 or number > 10**9:
        raise ValidationFailed("页码应为正整数", field_errors={"page": ["页码应为正整数"]})
    return number


# -- subjects ---------------------------------------------------------------------------------------


def _has_public_record():
    return Exists(public_records().filter(subject_id=OuterRef("pk")))


def visible_subjects() -> QuerySet[Subject]:
    """Subjects the public may look up: public bodies always, others through a public record."""
    return Subject.objects.filter(Q(kind__in=UNIT_KINDS) | _has_public_record())


MAX_CANDIDATES = 1000


def _matching(q: str) -> QuerySet[Subject]:
    """Subjects whose name, alias, initials or code match, before the visibility rule.

    Written so PostgreSQL can use its indexes: CJK text goes to ``name LIKE`` (the pg_trgm GIN index)
    OR'ed with aliases of public bodies only (the ``kind`` index), never a bare OR over every alias.
    """
    organisations = Subject.objects.exclude(kind__in=PEOPLE_KINDS)
    upper = q.upper()
    if looks_like_id_number(upper) or looks_like_uscc(upper):
        # Never look a person up by ID number in public; an 18-digit USCC is still found by code.
        return organisations.filter(uscc=upper)
    if upper.startswith("P") and len(upper) == 17 and upper[1:].isalnum():
        return Subject.objects.filter(public_id=upper)
    if q.isascii() and q.replace(" ", "").isalpha():
        return search_subjects(q, organisations)
    # A UNION of three index-served branches; an OR of them makes PostgreSQL scan the whole table.
    by_name = organisations.filter(name__contains=q).order_by().values("pk")
    by_alias = Subject.objects.filter(kind__in=UNIT_KINDS, aliases__contains=q).order_by().values("pk")
    person = Subject.objects.filter(kind__in=PEOPLE_KINDS, name=q).order_by().values("pk")
    return Subject.objects.filter(pk__in=by_name.union(by_alias, person))


def search_public(q: str) -> tuple[QuerySet[Subject], bool]:
    """Public subject search: (visible matches ordered by name, whether the candidates were capped).

    Matching runs first on its own (index-friendly, at most MAX_CANDIDATES ids), and the visibility rule
    (public body, or a public record) is then checked for those ids only; one combined query makes the
    planner cost an EXISTS per subject and, on PostgreSQL, JIT-compile a 1 ms query for 400 ms.
    """
    q = (q or "").strip()
    if not q:
        return Subject.objects.filter(kind__in=UNIT_KINDS).order_by("name", "pk"), False
    ids = list(_matching(q).order_by().values_list("pk", flat=True)[: MAX_CANDIDATES + 1])
    truncated = len(ids) > MAX_CANDIDATES
    # The visibility rule runs once here; the page's count and slice then only read these ids.
    visible_ids = list(
        Subject.objects.filter(pk__in=ids[:MAX_CANDIDATES])
        .filter(Q(kind__in=UNIT_KINDS) | _has_public_record())
        .values_list("pk", flat=True)
    )
    return Subject.objects.filter(pk__in=visible_ids).select_related("parent").order_by(
        "name", "pk"
    ), truncated


def find_subjects(q: str) -> QuerySet[Subject]:
    """Public subject search. ``q`` must already be cleaned (see ``clean_query``)."""
    return search_public(q)[0]


@dataclass
class SubjectHit:
    subject: Subject
    negative: int = 0
    positive: int = 0
    under_objection: int = 0


def with_counts(subjects: list[Subject]) -> list[SubjectHit]:
    """Public record counts for a page of subjects, in one grouped query."""
    hits = {s.pk: SubjectHit(s) for s in subjects}
    if hits:
        rows = (
            public_records()
            .filter(subject_id__in=list(hits))
            .values("subject_id", "item__negative", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            hit = hits[row["subject_id"]]
            if row["item__negative"]:
                hit.negative += row["n"]
            else:
                hit.positive += row["n"]
            if row["status"] == Status.UNDER_OBJECTION:
                hit.under_objection += row["n"]
    return list(hits.values())


def get_public_subject(code: str) -> Subject:
    """A subject by its public code (USCC for organisations, public id for anyone); else NotFound.

    An ID number never resolves, and a person without public records does not exist to the public.
    """
    code = (code or "").strip().upper()
    if not code or len(code) > 40 or not code.isascii() or not code.isalnum():
        raise NotFound("未找到该主体")
    subject = None
    if looks_like_uscc(code):  # organisations only: an ID number never resolves (people have no uscc)
        subject = Subject.objects.filter(uscc=code).exclude(kind__in=PEOPLE_KINDS).first()
    if subject is None:
        subject = Subject.objects.filter(public_id=code).first()
    if subject is None:
        raise NotFound("未找到该主体")
    if subject.kind not in UNIT_KINDS and not public_records().filter(subject=subject).exists():
        raise NotFound("未找到该主体")
    return subject


def subject_records(subject: Subject) -> QuerySet[CreditRecord]:
    return public_records().filter(subject=subject).order_by("-decided_on", "-id")


# -- records ----------------------------------------------------------------------------------------


class NoLongerPublic(Exception):
    """The record was public once (it is in the transparency log) but is not any more."""

    def __init__(self, record: CreditRecord):
        super().__init__(record.pk)
        self.record = record


def parse_record_id(raw) -> int:
    try:
        pk = int(str(raw))
    except (TypeError, ValueError) as exc:
        raise NotFound("未找到该记录") from exc
    if pk < 1 or pk > 2**62:
        raise NotFound("未找到该记录")
    return pk


def get_public_record(raw_id) -> CreditRecord:
    """A public record; NoLongerPublic when it was withdrawn, expired or repaired; NotFound otherwise
    (drafts, records under review and non-public items are never revealed)."""
    pk = parse_record_id(raw_id)
    record = public_records().filter(pk=pk).first()
    if record is not None:
        return record
    gone = (
        CreditRecord.objects.filter(pk=pk, disclosure=Disclosure.PUBLIC, published_at__isnull=False)
        .only("id", "status", "ended_at")
        .first()
    )
    if gone is not None and TransparencyEntry.objects.filter(record_id=pk).exists():
        raise NoLongerPublic(gone)
    raise NotFound("未找到该记录")


@dataclass
class RecordFilters:
    """Filters of the public lists, parsed from a query string; bad values become Chinese errors."""

    negative: bool | None = True
    item: str = ""
    severity: str = ""
    kind: str = ""
    source_unit: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "-published"
    q: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, params, *, negative: bool | None = True) -> RecordFilters:
        f = cls(negative=negative)

        def get(name: str) -> str:
            value = params.get(name, "")
            if not isinstance(value, str):
                return ""
            return "".join(ch for ch in value if unicodedata.category(ch)[0] != "C").strip()[:300]

        f.item = get("item")
        if f.item and not public_items(negative).filter(code=f.item).exists():
            f.errors["item"] = "没有这个信息类别"
            f.item = ""
        severity = get("severity")
        if severity:
            f.severity = parse_severity(severity) or ""
            if not f.severity:
                f.errors["severity"] = "严重程度应为 一般、较重 或 严重"
        kind = get("kind")
        if kind:
            if kind in SubjectKind.values:
                f.kind = kind
            else:
                f.errors["kind"] = "没有这个主体类型"
        unit = get("unit")
        if unit:
            if unit.isdigit() and len(unit) < 12:
                f.source_unit = unit
            else:
                f.errors["unit"] = "没有这个报送单位"
        for name in ("date_from", "date_to"):
            value = get(name)
            if value:
                try:
                    setattr(f, name, dt.date.fromisoformat(value))
                except ValueError:
                    f.errors[name] = "日期格式应为 2026-03-05"
        if f.date_from and f.date_to and f.date_from > f.date_to:
            f.errors["date_to"] = "结束日期不能早于开始日期"
            f.date_to = None
        sort = get("sort")
        if sort:
            if sort in SORTS:
                f.sort = sort
            else:
                f.errors["sort"] = "不支持的排序方式"
        try:
            f.q = clean_query(get("q"))
        except ValidationFailed as exc:
            f.errors["q"] = exc.message
        return f

    def apply(self, qs: QuerySet[CreditRecord]) -> QuerySet[CreditRecord]:
        if self.negative is not None:
            qs = qs.filter(item__negative=self.negative)
        if self.item:
            qs = qs.filter(item__code=self.item)
        if self.severity:
            qs = qs.filter(severity=self.severity)
        if self.kind:
            qs = qs.filter(subject__kind=self.kind)
        if self.source_unit:
            qs = qs.filter(source_unit_id=int(self.source_unit))
        if self.date_from:
            qs = qs.filter(decided_on__gte=self.date_from)
        if self.date_to:
            qs = qs.filter(decided_on__lte=self.date_to)
        if self.q:
            subjects = find_subjects(self.q).values("pk")
            qs = qs.filter(Q(subject_id__in=subjects) | Q(document_no=self.q))
        return qs.order_by(*SORTS[self.sort])

    def as_params(self) -> dict[str, str]:
        params = {
            "item": self.item,
            "severity": self.severity,
            "kind": self.kind,
            "unit": self.source_unit,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "q": self.q,
            "sort": self.sort if self.sort != "-published" else "",
        }
        return {k: v for k, v in params.items() if v}


def filtered_records(filters: RecordFilters) -> QuerySet[CreditRecord]:
    return filters.apply(public_records())


def public_items(negative: bool | None = True) -> QuerySet[CatalogItem]:
    qs = CatalogItem.objects.filter(disclosure=Disclosure.PUBLIC)
    if negative is not None:
        qs = qs.filter(negative=negative)
    return qs.order_by("code")


def source_units():
    from govcredit.accounts.models import Organisation

    return Organisation.objects.filter(is_source_unit=True, active=True).order_by("name")


# -- home -------------------------------------------------------------------------------------------


def home_stats() -> dict[str, int]:
    """Counts for the home page. ``published`` counts what 失信记录公示 (/records/) lists: every public
    negative record in publication, those under objection included (``under_objection`` says how many
    of all public records are). Cached per public-data version, so a publication shows at once."""
    from govcredit.core import public_version

    key = f"portal:{public_version.current()}:home_stats"
    stats = cache.get(key)
    if stats is None:
        today = timezone.localdate()
        year_start = dt.datetime(today.year, 1, 1, tzinfo=timezone.get_current_timezone())
        live = public_records()
        stats = {
            "published": live.filter(item__negative=True).count(),
            "under_objection": live.filter(status=Status.UNDER_OBJECTION).count(),
            "honours": live.filter(item__negative=False).count(),
            "repaired_this_year": CreditRecord.objects.filter(
                status=Status.REPAIRED, disclosure=Disclosure.PUBLIC, ended_at__gte=year_start
            ).count(),
        }
        cache.set(key, stats, STATS_CACHE_SECONDS)
    return stats


def latest_publications(limit: int = 8) -> list[CreditRecord]:
    return list(public_records().order_by("-published_at", "-id")[:limit])


# -- transparency log -------------------------------------------------------------------------------


def ledger_entries(after: int = 0, limit: int = 100) -> list[TransparencyEntry]:
    return list(TransparencyEntry.objects.filter(sequence__gt=after).order_by("sequence")[:limit])


def ledger_page_entries(page: int, per_page: int = 50) -> tuple[list[TransparencyEntry], int]:
    """Newest first, for the page; with the total count."""
    total = TransparencyEntry.objects.count()
    start = (page - 1) * per_page
    entries = list(TransparencyEntry.objects.order_by("-sequence")[start : start + per_page])
    return entries, total


@dataclass
class FeedItem:
    entry: TransparencyEntry
    record: CreditRecord | None  # None when the record is no longer public: no details shown


def feed_items(limit: int = 50) -> list[FeedItem]:
    entries = list(TransparencyEntry.objects.order_by("-sequence")[:limit])
    ids = {e.record_id for e in entries}
    live = {r.pk: r for r in public_records().filter(pk__in=ids)}
    return [FeedItem(e, live.get(e.record_id) if e.event != "withdraw" else None) for e in entries]
