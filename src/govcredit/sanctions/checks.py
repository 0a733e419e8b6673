"""Credit checks (信用核查): "may these subjects be used for PURPOSE?" — set-based, stored, signed.

Each input is a USCC or an ID number. People are found by the keyed lookup hash only (the ID
number itself is never queried nor stored: results keep the masked number). A well-formed code with
no records is ``clear`` (无记录), registered or not; a malformed one is ``error`` with the validator's
Chinese message. The stored results carry an SM3 digest over their canonical JSON, printed on the
PDF report and checked by the public 报告核验 page.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.catalog.models import CatalogItem
from govcredit.core.codes import mask_id_number, mask_name, validate_id_number, validate_uscc
from govcredit.core.crypto import get_pii_cipher, sm3_hex
from govcredit.core.errors import NotFound, PermissionDenied, ValidationFailed
from govcredit.core.hooks import app_modules
from govcredit.core.ledger import canonical_json, log_action, register_action, utc_iso
from govcredit.core.site import public_base_url
from govcredit.records.models import LIVE_STATUSES, CreditRecord, Status
from govcredit.subjects.models import PEOPLE_KINDS, Subject, SubjectKind

from .models import CheckConclusion, CheckResult, CreditCheck, Measure, Purpose, Sanction, SanctionStatus
from .services import can_run_checks

register_action("govcredit.check.run", "信用核查")
register_action("govcredit.check.denied", "信用核查被拒绝（无权限）")
register_action("govcredit.check.report", "打印信用审查报告")
register_action("govcredit.check.view_denied", "查看信用核查记录被拒绝（无权限）")

MAX_BATCH = 20_000
CHUNK = 5_000
SERIAL_CHARS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PURPOSE_ERROR = "核查用途无效，应为：" + "、".join(f"{p.value}（{p.label}）" for p in Purpose)


@dataclass
class ParsedCode:
    raw: str
    value: str = ""
    is_person: bool = False
    error: str = ""


def parse_code(raw) -> ParsedCode:
    """Validate one input: ID number (GB 11643) or USCC (GB 32100), with the validators' messages."""
    if not isinstance(raw, str):
        return ParsedCode(str(raw), error="应为字符串形式的统一社会信用代码或居民身份证号码")
    # NFKC turns full-width input (from Word or a Chinese IME) into ASCII; ASCII input needs none of it.
    value = (raw if raw.isascii() else unicodedata.normalize("NFKC", raw)).strip().upper().replace(" ", "")
    parsed = ParsedCode(raw, value=value)
    if not value:
        parsed.error = "代码为空"
        return parsed
    if len(value) != 18:
        parsed.error = f"应为18位统一社会信用代码或居民身份证号码，当前为{len(value)}位"
        return parsed
    if value[:17].isdigit() and (value[17].isdigit() or value[17] == "X"):
        try:
            parsed.value = validate_id_number(value)
            parsed.is_person = True
            return parsed
        except ValidationError as exc:
            id_error = exc  # its message is only read when the value is no USCC either
        try:  # an all-digit USCC is possible (common in some ranges): accept it when its check characters hold
            parsed.value = validate_uscc(value)
            return parsed
        except ValidationError:
            parsed.error = id_error.messages[0]
            return parsed
    try:
        parsed.value = validate_uscc(value)
    except ValidationError as exc:
        parsed.error = exc.messages[0]
    return parsed


def _display_code(parsed: ParsedCode) -> str:
    if parsed.error:  # mask what may be an ID number; show other bad input as typed
        digits = sum(c.isdigit() for c in parsed.value)
        return mask_id_number(parsed.value) if digits >= 14 else parsed.value[:40]
    return mask_id_number(parsed.value) if parsed.is_person else parsed.value


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _chunks(values: list, size: int = CHUNK):
    for i in range(0, len(values), size):
        yield values[i : i + size]


def new_serial(today: dt.date) -> str:
    return f"HC{today:%Y%m%d}-" + "".join(secrets.choice(SERIAL_CHARS) for _ in range(8))


#: one stored row's text: compact, sorted keys, Chinese as is — hashed and stored byte for byte
ROW_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _header(check: CreditCheck) -> str:
    """What a format-2 report states besides its rows: who asked, why, when, what it concluded."""
    return canonical_json(
        {
            "format": 2,
            "serial": check.serial,
            "purpose": check.purpose,
            "reason": check.reason,
            "issued_at": utc_iso(check.issued_at),
            "requested_by": check.requested_by_id,
            "organisation": check.organisation_id,
            "channel": check.channel,
            "counts": [
                check.total,
                check.clear_count,
                check.attention_count,
                check.blocked_count,
                check.error_count,
            ],
            "bases": check.bases,
        }
    )


def report_digest(check: CreditCheck, row_texts: list[str] | None = None) -> str:
    """SM3 over what the report states.

    Format 2: the header's canonical JSON, then each stored row text in batch order, joined by
    newlines — the very bytes stored, so issuing hashes what it writes and verifying hashes what it
    reads (no re-encoding). ``row_texts`` are the texts being stored; without them they are read
    back. Format 1 (older checks): the canonical JSON of serial, purpose, time, results and bases.
    """
    if check.format == 1:
        payload = {
            "serial": check.serial,
            "purpose": check.purpose,
            "issued_at": utc_iso(check.issued_at),
            "results": check.results,
            "bases": check.bases,
        }
        return sm3_hex(canonical_json(payload))
    if row_texts is None:
        row_texts = list(check.rows.order_by("position").values_list("data", flat=True))
    return sm3_hex("\n".join([_header(check), *row_texts]))


def _store_rows(check: CreditCheck, statuses: list[str], texts: list[str]) -> None:
    """One row per subject: COPY on PostgreSQL (text format; JSON never holds a raw tab or newline,
    only backslashes need doubling), bulk INSERT on SQLite."""
    if _pg():
        table = CheckResult._meta.db_table
        pk = check.pk
        lines = [
            f"{pk}\t{i}\t{st}\t{text.replace(chr(92), chr(92) * 2)}\n"
            for i, (st, text) in enumerate(zip(statuses, texts, strict=True), start=1)
        ]
        with connection.cursor() as cur:
            with cur.copy(f"COPY {table} (credit_check_id, position, status, data) FROM STDIN") as copy:
                for chunk in _chunks(lines, 2000):
                    copy.write("".join(chunk))
        return
    CheckResult.objects.bulk_create(
        CheckResult(credit_check=check, position=i, status=st, data=text)
        for i, (st, text) in enumerate(zip(statuses, texts, strict=True), start=1)
    )


def _deny(access: Access, purpose: str, count: int) -> None:
    log_action(
        "govcredit.check.denied",
        actor=access.user,
        summary=f"无权限的信用核查请求（用途 {purpose}，{count} 个主体）"[:500],
        after={"purpose": purpose, "count": count},
    )
    raise PermissionDenied(
        "您没有信用核查权限（仅信用办、审核人、系统管理员及区委组织部、区人社局经办人可以核查）"
    )


def run_check(
    codes: list,
    purpose: str,
    *,
    access: Access,
    reason: str = "",
    channel: str = "web",
    today: dt.date | None = None,
) -> tuple[CreditCheck, list[dict]]:
    """Check every code for ``purpose``. Returns the stored check and the answer rows, where
    ``subject`` echoes the input as sent (the stored rows carry masked ID numbers instead)."""
    if not isinstance(codes, list):
        raise ValidationFailed("subjects 应为代码列表", field_errors={"subjects": ["应为代码列表"]})
    if access.user is None or not can_run_checks(access):
        if access.user is not None:
            _deny(access, str(purpose)[:30], len(codes))
        raise PermissionDenied("请先登录")
    if purpose not in Purpose.values:
        raise ValidationFailed(PURPOSE_ERROR, field_errors={"purpose": [PURPOSE_ERROR]})
    if not codes:
        raise ValidationFailed("请至少提供一个代码", field_errors={"subjects": ["请至少提供一个代码"]})
    if len(codes) > MAX_BATCH:
        message = f"一次最多核查 {MAX_BATCH:,} 个主体，当前为 {len(codes):,} 个"
        raise ValidationFailed(message, field_errors={"subjects": [message]})
    reason = (reason or "").strip()[:300]
    today = today or timezone.localdate()
    parsed = [parse_code(c) for c in codes]
    statuses, texts, answer, bases = evaluate(parsed, purpose, today=today)
    counts = {c: 0 for c in CheckConclusion.values}
    for st in statuses:
        counts[st] += 1
    primary = access.primary
    with transaction.atomic():
        check = CreditCheck(
            serial=new_serial(timezone.localdate()),
            purpose=purpose,
            reason=reason,
            requested_by=access.user,
            organisation=primary.organisation if primary else None,
            channel=channel,
            issued_at=timezone.now().replace(microsecond=0),
            total=len(texts),
            clear_count=counts["clear"],
            attention_count=counts["attention"],
            blocked_count=counts["blocked"],
            error_count=counts["error"],
            format=2,
            results=[],
            bases=bases,
        )
        check.digest = report_digest(check, texts)
        check.save()
        _store_rows(check, statuses, texts)
        log_action(
            "govcredit.check.run",
            actor=access.user,
            obj=check,
            summary=f"信用核查 {check.serial}（{check.get_purpose_display()}，{len(texts)} 个主体）"
            + (f"：{reason}" if reason else ""),
            after={"purpose": purpose, "counts": counts, "digest": check.digest},
        )
    return check, answer


def _in(column: str, values: list, cast: str = "") -> tuple[str, list]:
    """``column`` in ``values``: on PostgreSQL one text parameter split server-side (one cheap
    string to bind instead of an array adapted value by value); on SQLite ``IN (%s, …)``.
    Values are validated codes, hex hashes or integer keys: never a comma."""
    if _pg():
        return f"{column} = ANY(string_to_array(%s, ','){cast})", [",".join(map(str, values))]
    return f"{column} IN ({','.join(['%s'] * len(values))})", list(values)


class _Texts:
    """Shared texts (legal bases, measure and item names) stored once per check, by index."""

    def __init__(self):
        self.index: dict[str, int] = {}

    def __call__(self, text: str | None) -> int:
        text = text or ""
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found


def evaluate(
    parsed: list[ParsedCode], purpose: str, *, today: dt.date
) -> tuple[list[str], list[str], list[dict], list[str]]:
    """The set-based core: a handful of queries whatever the batch size.

    Returns, in input order, each row's conclusion, its stored text (masked subject, shared texts
    by index into the returned list of texts: compact JSON, byte-identical to ``ROW_ENCODER``) and
    the answer rows (the input echoed, texts in full)."""
    cipher = get_pii_cipher()
    hashes = {p.value: cipher.lookup_hash(p.value) for p in parsed if not p.error and p.is_person}
    usccs = list({p.value for p in parsed if not p.error and not p.is_person})
    by_code: dict[str, tuple] = {}
    by_hash: dict[str, tuple] = {}
    table = Subject._meta.db_table
    with connection.cursor() as cur:
        for column, values, target in (
            ("uscc", usccs, by_code),
            ("id_hash", list(set(hashes.values())), by_hash),
        ):
            for chunk in _chunks(values):
                where, params = _in(column, chunk)
                cur.execute(f"SELECT id, {column}, kind, name FROM {table} WHERE {where}", params)  # noqa: S608
                for pk, code, kind, name in cur.fetchall():
                    target[code] = (pk, kind, name)
    subject_ids = list({v[0] for v in by_code.values()} | {v[0] for v in by_hash.values()})

    records: dict[int, list[tuple]] = {}
    sanctions: dict[int, list[tuple]] = {}
    live = ", ".join(f"'{s}'" for s in LIVE_STATUSES)  # constants, not user input
    with connection.cursor() as cur:
        for chunk in _chunks(subject_ids):
            where, params = _in("subject_id", chunk, "::bigint[]")
            cur.execute(
                f"SELECT id, subject_id, status, item_id, legal_basis, document_no, severity "  # noqa: S608
                f"FROM {CreditRecord._meta.db_table} WHERE {where} AND status IN ({live})",
                params,
            )
            for row in cur.fetchall():
                records.setdefault(row[1], []).append(row)
            cur.execute(
                f'SELECT record_id, subject_id, measure_id, disputed, mitigated, "end" '  # noqa: S608
                f"FROM {Sanction._meta.db_table} WHERE {where} AND status = %s AND start <= %s "
                f'AND ("end" IS NULL OR "end" >= %s)',
                [*params, SanctionStatus.ACTIVE, today, today],
            )
            for row in cur.fetchall():
                if isinstance(row[5], str):
                    row = (*row[:5], dt.date.fromisoformat(row[5]))
                sanctions.setdefault(row[1], []).append(row)
    texts = _Texts()
    measures = {
        m.pk: (m.name, m.legal_basis, purpose in m.purposes, m.is_incentive)
        for m in Measure.objects.all().only("pk", "name", "legal_basis", "purposes", "kind")
    }
    items = {
        i.pk: (i.name, i.legal_basis, i.negative)
        for i in CatalogItem.objects.all().only("pk", "name", "legal_basis", "negative")
    }
    kinds = {k.value: k.label for k in SubjectKind}
    verdicts = app_verdicts(purpose, subject_ids, today)

    statuses, stored, answer = [], [], []
    for p in parsed:
        if p.error:
            statuses.append("error")
            stored.append(
                f'{{"detail":{_q(p.error)},"reasons":[],"status":"error","subject":{_q(_display_code(p))}}}'
            )
            answer.append({"subject": p.raw, "status": "error", "reasons": [], "detail": p.error})
            continue
        found = by_hash.get(hashes[p.value]) if p.is_person else by_code.get(p.value)
        if found is None:
            statuses.append("clear")
            stored.append(
                f'{{"detail":"无记录","reasons":[],"status":"clear","subject":{_q(_display_code(p))}}}'
            )
            answer.append({"subject": p.raw, "status": "clear", "reasons": [], "detail": "无记录"})
            continue
        pk, kind, name = found
        out = {"subject": p.raw, "status": "clear", "reasons": []}
        subject_records, subject_sanctions = records.get(pk, ()), sanctions.get(pk, ())
        verdict = verdicts.get(pk)
        if verdict and verdict.handled:  # records whose effect on this purpose another app's rule decides
            subject_records = [r for r in subject_records if r[0] not in verdict.handled]
            subject_sanctions = [s for s in subject_sanctions if s[0] not in verdict.handled]
        stored_reasons, stored_incentives = _judge(
            out, subject_records, subject_sanctions, measures, items, texts
        )
        if verdict:
            stored_reasons += _apply_verdict(out, verdict, texts)
        status, detail = out["status"], out.get("detail")
        statuses.append(status)
        stored.append(
            "{"
            + (f'"detail":{_q(detail)},' if detail else "")
            + (f'"incentives":[{",".join(stored_incentives)}],' if stored_incentives else "")
            + f'"kind":{_q(kinds[kind])},"name":{_q(mask_name(name) if kind in PEOPLE_KINDS else name)},'
            + f'"reasons":[{",".join(stored_reasons)}],"status":"{status}","subject":{_q(_display_code(p))}}}'
        )
        answer.append(out)
    return statuses, stored, answer, list(texts.index)


@dataclass
class AppVerdict:
    """What an app's ``check_inputs.consult`` adds for one subject: ``reasons`` (dicts with ``status``
    ``blocked``/``attention`` and the reason's fields: ``measure``, ``legal_basis``, optionally
    ``record_id``, ``item``, ``document_no``, ``until``, ``note``, ``source``), the record ids whose
    effect it decides itself (``handled``: left out of the sanctions' judgement) and a ``detail``
    shown when the subject stays ``clear``."""

    reasons: list[dict]
    handled: set[int]
    detail: str = ""


def app_verdicts(purpose: str, subject_ids: list[int], today: dt.date) -> dict[int, AppVerdict]:
    """Check inputs other apps keep (``<app>/check_inputs.py`` defines ``consult(purpose, subject_ids,
    today) -> {subject_id: AppVerdict}``), found the one hook way: the checks name no app above them."""
    merged: dict[int, AppVerdict] = {}
    if not subject_ids:
        return merged
    for _app, module in app_modules("check_inputs"):
        for pk, verdict in module.consult(purpose, subject_ids, today).items():
            if pk in merged:
                merged[pk].reasons.extend(verdict.reasons)
                merged[pk].handled |= verdict.handled
                merged[pk].detail = merged[pk].detail or verdict.detail
            else:
                merged[pk] = verdict
    return merged


def _apply_verdict(out: dict, verdict: AppVerdict, texts: _Texts) -> list[str]:
    stored = []
    for reason in verdict.reasons:
        reason = dict(reason)
        status = reason.pop("status")
        out["reasons"].append(reason)
        compact = {k: v for k, v in reason.items() if v not in (None, "")}
        for name, short in (("item", "ii"), ("measure", "mi"), ("legal_basis", "lb")):
            if name in compact:
                compact[short] = texts(compact.pop(name))
        stored.append(ROW_ENCODER.encode(compact))
        if status == "blocked":
            out["status"] = "blocked"
        elif status == "attention" and out["status"] == "clear":
            out["status"] = "attention"
    if out["status"] != "clear":
        if out.get("detail") in ("无记录", "无失信记录，有守信激励信息"):
            del out["detail"]
    elif verdict.detail:
        out["detail"] = verdict.detail
    return stored


#: JSON string literal exactly as ``ROW_ENCODER`` writes it (ensure_ascii=False)
_q = json.encoder.encode_basestring


def _reason(pk, ii, mi, lb, *, doc_no=None, severity=None, disputed=False, note=None, until=None) -> str:
    """A stored reason as compact JSON with sorted keys, without building and encoding a dict."""
    return (
        "{"
        + ('"disputed":true,' if disputed else "")
        + (f'"document_no":{_q(doc_no)},' if doc_no is not None else "")
        + (f'"ii":{ii},' if ii is not None else "")
        + f'"lb":{lb},"mi":{mi},'
        + (f'"note":{_q(note)},' if note else "")
        + f'"record_id":{pk}'
        + (f',"severity":{_q(severity)}' if severity is not None else "")
        + (f',"until":"{until}"' if until else "")
        + "}"
    )


def _judge(out: dict, records, sanctions, measures: dict, items: dict, texts: _Texts) -> tuple[list, list]:
    """Fill the answer row ``out`` (texts in full); return the stored reasons and incentives (texts
    by index, as JSON text)."""
    by_record: dict[int, list[tuple]] = {}
    for s in sanctions:
        by_record.setdefault(s[0], []).append(s)
    blocked = attention = False
    reasons = out["reasons"]
    stored_reasons: list[str] = []
    incentives: list[dict] = []
    stored_incentives: list[str] = []
    seen_records = set()
    for pk, _subject, status, item_id, basis, doc_no, severity in records:
        seen_records.add(pk)
        item_name, item_basis, negative = items[item_id]
        legal = basis or item_basis
        applicable = [s for s in by_record.get(pk, ()) if measures[s[2]][2]]
        if not negative:
            for s in applicable:
                name, m_basis, _, _ = measures[s[2]]
                incentives.append(
                    {"record_id": pk, "measure": name, "legal_basis": m_basis, "item": item_name}
                )
                stored_incentives.append(_reason(pk, texts(item_name), texts(name), texts(m_basis)))
            if not applicable:
                incentives.append(
                    {"record_id": pk, "measure": item_name, "legal_basis": legal, "item": item_name}
                )
                stored_incentives.append(_reason(pk, texts(item_name), texts(item_name), texts(legal)))
            continue
        ii = texts(item_name)
        if status == Status.UNDER_OBJECTION:
            attention = True
            names = "、".join(measures[s[2]][0] for s in applicable) or item_name
            note = "记录异议处理中，暂不作为限制依据"
            reasons.append(
                {
                    "record_id": pk,
                    "document_no": doc_no,
                    "severity": severity,
                    "item": item_name,
                    "measure": names,
                    "legal_basis": legal,
                    "disputed": True,
                    "note": note,
                }
            )
            stored_reasons.append(
                _reason(
                    pk,
                    ii,
                    texts(names),
                    texts(legal),
                    doc_no=doc_no,
                    severity=severity,
                    disputed=True,
                    note=note,
                )
            )
        elif applicable:
            blocked = True
            for s in applicable:
                name, m_basis, _, _ = measures[s[2]]
                reason = {
                    "record_id": pk,
                    "document_no": doc_no,
                    "severity": severity,
                    "item": item_name,
                    "measure": name,
                    "legal_basis": m_basis,
                }
                until = s[5].isoformat() if s[5] else None
                note = "信用修复后从轻实施" if s[4] else None
                if until:
                    reason["until"] = until
                if note:
                    reason["note"] = note
                reasons.append(reason)
                stored_reasons.append(
                    _reason(
                        pk,
                        ii,
                        texts(name),
                        texts(m_basis),
                        doc_no=doc_no,
                        severity=severity,
                        note=note,
                        until=until,
                    )
                )
        else:
            attention = True
            name = "存在失信记录（本用途未设限制措施）"
            reasons.append(
                {
                    "record_id": pk,
                    "document_no": doc_no,
                    "severity": severity,
                    "item": item_name,
                    "measure": name,
                    "legal_basis": legal,
                }
            )
            stored_reasons.append(
                _reason(pk, ii, texts(name), texts(legal), doc_no=doc_no, severity=severity)
            )
    # Mitigated measures may outlive a repaired record: they still count.
    for s in sanctions:
        if s[0] in seen_records or not measures[s[2]][2] or measures[s[2]][3]:
            continue
        name, m_basis, _, _ = measures[s[2]]
        blocked = True
        note = "记录已修复，措施从轻实施至期满"
        reasons.append({"record_id": s[0], "measure": name, "legal_basis": m_basis, "note": note})
        stored_reasons.append(_reason(s[0], None, texts(name), texts(m_basis), note=note))
    if incentives:
        out["incentives"] = incentives
    if blocked:
        out["status"] = "blocked"
    elif attention:
        out["status"] = "attention"
        if all(r.get("disputed") for r in reasons):
            out["detail"] = "失信记录异议处理中"
    else:
        out["detail"] = "无失信记录，有守信激励信息" if incentives else "无记录"
    return stored_reasons, stored_incentives


# -- batch input --------------------------------------------------------------------------------


def codes_from_text(text: str) -> list[str]:
    """One code per line (commas, tabs and semicolons also separate); blank lines ignored."""
    out = []
    for line in (text or "").splitlines():
        for part in line.replace("，", ",").replace("\t", ",").replace(";", ",").split(","):
            if part.strip():
                out.append(part.strip())
    return out


def codes_from_upload(name: str, content: bytes) -> list[str]:
    """CSV / TXT (UTF-8, BOM, GBK) or XLSX: every non-empty cell that is not a header word."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(content))
            rows = book.get_sheet_by_index(0).to_python()
        except Exception as exc:
            raise ValidationFailed(
                "文件无法读取", field_errors={"file": ["Excel 文件无法读取，请确认是 .xlsx 格式"]}
            ) from exc
        cells = [str(c).strip() for r in rows for c in r if str(c).strip()]
    elif suffix in (".csv", ".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationFailed("文件编码无法识别", field_errors={"file": ["请使用 UTF-8 或 GBK 编码"]})
        cells = [c.strip() for r in csv.reader(io.StringIO(text)) for c in r if c.strip()]
    else:
        raise ValidationFailed("文件类型不支持", field_errors={"file": ["仅支持 CSV、XLSX、TXT 文件"]})
    headers = {"代码", "统一社会信用代码", "身份证号", "居民身份证号码", "code", "subject", "subjects"}
    return [c for c in cells if c not in headers]


# -- reading checks ------------------------------------------------------------------------------


VIEW_DENIED = "您没有查看信用核查记录的权限（仅可核查的用户和审计员可以查看）"


def may_view_checks(access: Access) -> bool:
    """Stored checks hold other people's (masked) conclusions: only users who may run checks, and
    auditors (who audit who asked what), see them — not every logged-in user."""
    return access.user is not None and (can_run_checks(access) or access.sees_everything)


def deny_pages(access: Access) -> None:
    log_action(
        "govcredit.check.view_denied",
        actor=access.user,
        summary="无权限查看信用核查记录",
    )
    raise PermissionDenied(VIEW_DENIED)


def checks_for(access: Access) -> QuerySet[CreditCheck]:
    """Staff-wide roles see every check; a checking clerk sees their own and their checking unit's."""
    qs = CreditCheck.objects.select_related("requested_by", "organisation").defer("results", "bases")
    if not may_view_checks(access):
        return qs.none()
    if access.sees_everything:
        return qs
    units = {m.organisation_id for m in access.memberships if can_run_checks(Access(access.user, [m]))}
    return qs.filter(Q(requested_by=access.user) | Q(organisation_id__in=units))


def get_check(access: Access, serial: str) -> CreditCheck:
    check = checks_for(access).defer(None).filter(serial=serial).first()
    if check is None:
        raise NotFound("核查记录不存在或您无权查看")
    return check


class ResultPages:
    """A check's rows for a ``Paginator``: counted from the stored totals, one page read (and its
    shared texts restored) at a time, in the database for format 2."""

    def __init__(self, check: CreditCheck, status: str | None = None):
        self.check, self.status = check, status

    def count(self) -> int:
        return self.check.count_of(self.status)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        if self.check.format == 1:
            return self.check.expand(self.check.stored_rows(self.status)[start:stop])
        qs = self.check.rows.order_by("position")
        if self.status:
            qs = qs.filter(status=self.status)
        return self.check.expand([json.loads(d) for d in qs.values_list("data", flat=True)[start:stop]])


@dataclass
class Verification:
    found: bool
    check: CreditCheck | None = None
    intact: bool = False  # stored results still hash to the stored digest
    digest_given: bool = False
    digest_matches: bool = False

    @property
    def authentic(self) -> bool:
        return self.found and self.intact and (self.digest_matches or not self.digest_given)


def verify_report(serial: str, digest: str = "") -> Verification:
    serial = (serial or "").strip().upper()
    check = (
        CreditCheck.objects.select_related("organisation").filter(serial=serial).first() if serial else None
    )
    if check is None:
        return Verification(found=False)
    digest = "".join((digest or "").split()).lower()
    return Verification(
        found=True,
        check=check,
        intact=report_digest(check) == check.digest,
        digest_given=bool(digest),
        digest_matches=bool(digest) and secrets.compare_digest(digest, check.digest),
    )


# -- PDF report ------------------------------------------------------------------------------------


def verify_url(check: CreditCheck, request=None) -> str:
    """The public verify page of this server (``core.site``) for the check."""
    return f"{public_base_url(request)}/verify-report/?serial={check.serial}"


def qr_data_uri(text: str) -> str:
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=4, border=2, dark="#000")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _cn_datetime(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%Y-%m-%d %H:%M}"  # the platform's one format (core/formats), 北京时间


def render_report_pdf(check: CreditCheck, *, access: Access, request=None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "sanctions/check_report_pdf.html",
        {
            "check": check,
            "results": check.expanded_results(),
            "qr": qr_data_uri(verify_url(check, request)),
            "verify_url": verify_url(check, request),
            "issued": _cn_datetime(check.issued_at),
            "digest_groups": " ".join(check.digest[i : i + 8] for i in range(0, 64, 8)),
        },
    )
    pdf = HTML(
        string=html, base_url=str(settings.BASE_DIR) if hasattr(settings, "BASE_DIR") else None
    ).write_pdf()
    log_action(
        "govcredit.check.report",
        actor=access.user,
        obj=check,
        summary=f"打印信用审查报告 {check.serial}",
    )
    return pdf
