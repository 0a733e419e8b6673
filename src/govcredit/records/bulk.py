"""The bulk write path for records: file imports (intake's CLI and upload page, through
``upsert_rows``) and the API's batch call (``upsert_batch``). One service, beside the single-record
ones in ``records.services`` it shares its rules with (``clean_record``, ``snapshot``'s keys,
``upsert_cleaned`` for changed rows).

Per-row ``records.services.upsert_record`` (several INSERTs and an audit-chain append each) is
far too slow for a million rows, so new records take this path instead:

1. every row is validated by the shared ``records.validation.clean_record`` (one set of rules;
   the whole catalog is loaded once, so validation needs no database); for a file, reading and
   validating run in a second thread (``BulkImporter.run(threaded=True)``), which also builds each
   new row's COPY text and snapshot JSON;
2. rows are gathered into chunks; each chunk is ONE transaction (a killed run leaves whole
   chunks only, and the natural-key upsert makes the next run complete the file);
3. each chunk is first *planned* (``_plan``: reads and sequence calls only) — subjects resolved in
   bulk (unknown ones built with their ids, flagged ``needs_confirmation``, ID numbers SM4-encrypted
   with a keyed lookup hash exactly as ``subjects.services.create_subject`` does), existing
   (source unit, document_no) keys fetched in one query and compared, ids taken for the new
   records, and on PostgreSQL their COPY text built — then *applied* (``_apply``): new subjects,
   new records with their first ``RecordVersion`` and ``StatusChange`` rows (COPY on PostgreSQL,
   foreign keys checked set-based when the role may, see ``_set_based_references``;
   ``executemany`` on SQLite), and existing records whose content changed through
   ``records.services.upsert_cleaned`` row by row with the row as already validated (rare, and
   it applies every rule: drafts and rejected records are updated, submitted or published ones
   refused with 409); identical content changes nothing, so re-sending a file or batch is harmless;
   on PostgreSQL, outside a caller's transaction, the reading thread plans chunk n+1 on its own
   connection while this one applies chunk n (``_can_plan_ahead``); a conflict with another
   writer makes the chunk be planned again here, and planning ahead stops;
4. one audit-ledger entry per chunk summarises the counts, the lines and the file's SM3 digest.

Where the time goes (1,000,000 GBK rows, 2 cores; ``benchmarks/import_bench.py``): ~29 s of
Python CPU (reading, validation, planning, building the COPY text) and ~23 s of PostgreSQL backend
CPU, overlapped to ~45 s. The benchmark also prints the floor: COPYing the rows the import wrote,
already as COPY text, into empty tables with the same indexes costs the server ~21 s by itself,
~11–14× a raw COPY of the file into an unindexed text table. A city's first load (one new subject
per ten rows) used to cost ~4.5× the floor: profiled (py-spy), the time went to pypinyin (~300 µs
a new subject's initials, now cached word by word in ``subjects.services``), the ORM's
``bulk_create`` of subjects and name history (now COPY text built while planning) and the ORM's
``__in`` lookups (now one JSON parameter); its Python CPU per row is now that of a routine file.

``record_changed`` is not sent for records created here: they are drafts or submitted records,
and no receiver (sanctions, outbox) reacts before publication, which still goes through
``records.services.approve_record`` and its signal. Updates via ``upsert_record`` do send it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import re
import threading
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from govcredit.catalog.models import CatalogItem
from govcredit.core.codes import mask_id_number, mask_name
from govcredit.core.crypto import get_pii_cipher
from govcredit.core.errors import CreditError
from govcredit.core.ledger import log_action, register_action
from govcredit.core.text import UNSTORABLE as _UNSTORABLE
from govcredit.subjects.models import PEOPLE_KINDS, Subject, SubjectKind, SubjectName
from govcredit.subjects.services import initials

from . import events, services
from .models import (
    EDITABLE_STATUSES,
    CreditRecord,
    NameMismatch,
    RecordVersion,
    Status,
    StatusChange,
)
from .validation import (
    FIELD_LABELS,
    check_subject_name,
    clean_record,
    former_names,
    may_keep_name_mismatch,
    names_of,
)

register_action("govcredit.intake.batch_imported", "批量导入信用记录")

CHUNK_ROWS = 10_000
CACHE_LIMIT = 200_000  # subject codes remembered across chunks before the caches are cleared
KNOWN_LIMIT = 500_000  # a unit's existing document numbers hashed in memory at most, see _known_keys
# COPY text format: backslash, tab, newline and carriage return are escaped (NUL never gets here).
_COPY_SPECIAL = re.compile("[\\\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_json_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses for strings
UNSTORABLE_PROBLEM = "含有无法保存的字符（NUL 控制字符或不成对的代理字符），请检查文件编码"
ENCODING_PROBLEM = (
    "该行的编码与文件其余部分不一致（文件混用了多种编码），请将整个文件另存为 UTF-8 或 GBK 后重新导入"
)


@dataclass
class Problem:
    """One problem of a rejected row: ``key`` is the exchange key ("" for the whole row)."""

    line: int
    key: str
    reason: str
    raw: str = ""

    @property
    def column(self) -> str:
        return FIELD_LABELS.get(self.key, self.key)


@dataclass
class Outcome:
    index: int  # the file line, or the batch index
    record_id: int | None = None
    record_status: str = ""
    result: str = ""  # created / updated / unchanged / rejected
    errors: dict[str, list[str]] = field(default_factory=dict)
    conflict: bool = False
    data: dict | None = field(default=None, repr=False)  # the row as given, for the problem report


@dataclass
class Summary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    submitted: int = 0
    rejected: int = 0
    problems: int = 0
    subjects_created: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def changed_nothing(self) -> bool:
        return self.created == self.updated == self.submitted == self.subjects_created == 0

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "accepted": self.accepted,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "submitted": self.submitted,
            "rejected": self.rejected,
            "problems": self.problems,
            "subjects_created": self.subjects_created,
        }


@dataclass
class _Pending:
    index: int
    data: dict
    clean: object
    # What the new record's COPY line (PostgreSQL) and snapshot JSON hold that depends on the row
    # only, not on ids or the time: built by the reading thread, see BulkImporter._prepare.
    line: str = ""
    snapshot: str = ""


@dataclass
class _Plan:
    """What one chunk writes, decided by ``BulkImporter._plan`` from the database as it was read."""

    outcomes: list[Outcome] = field(default_factory=list)  # rejected / unchanged rows, so far
    counts: dict = field(
        default_factory=lambda: dict.fromkeys(
            ("created", "updated", "unchanged", "submitted", "subjects_created"), 0
        )
    )
    subjects: list = field(default_factory=list)  # new subjects' SUBJECT_COLUMNS rows; organisations first
    fresh: list[tuple[str, str]] = field(default_factory=list)  # their cache keys ("o"/"p", code)
    updates: list[tuple] = field(default_factory=list)  # (pending, outcome, same) via the services
    inserts: list[tuple] = field(default_factory=list)  # (pending, subject info) of new records
    record_ids: list[int] = field(default_factory=list)
    version_ids: list[int] = field(default_factory=list)
    copies: list | None = None  # PostgreSQL: [(model, columns, COPY text)] for the new rows
    subject_copies: list | None = None  # PostgreSQL: the same for the new subjects
    now: dt.datetime | None = None
    today: dt.date | None = None
    lines: tuple[int, int] = (0, 0)  # the chunk's first and last file line, for the audit entry


class _FirstSeen:
    """hash → the first index it was seen at, for duplicate document numbers in one file.

    A dict of Python ints costs ~100 bytes a row (a 2M-row file: 200 MB); this open-addressing
    table over two arrays costs 12 bytes a slot, 18–36 a row. Equal 64-bit string hashes of
    different numbers would count as duplicates: the chance is ~n²/2⁶⁵, 1 in 10⁷ at 2M rows."""

    def __init__(self, capacity: int = 1 << 14):
        self._keys = array("q", bytes(8 * capacity))
        self._firsts = array("L", bytes(array("L").itemsize * capacity))
        self._mask = capacity - 1
        self._count = 0

    def first(self, key: int, index: int) -> int | None:
        """The index ``key`` was first seen at, or ``None`` after remembering it at ``index``."""
        key = key or 1  # 0 marks an empty slot
        keys, mask = self._keys, self._mask
        slot = key & mask
        while (found := keys[slot]) != 0:
            if found == key:
                return self._firsts[slot]
            slot = (slot + 1) & mask
        keys[slot] = key
        self._firsts[slot] = index
        self._count += 1
        if self._count * 3 > (mask + 1) * 2:
            self._grow()
        return None

    def _grow(self) -> None:
        # Re-inserted straight from the old arrays: a list of (key, index) tuples would cost ~100
        # bytes an entry for a moment (at 2M rows a 150 MB spike in the peak RSS).
        old_keys, old_firsts = self._keys, self._firsts
        self.__init__((self._mask + 1) * 2)
        for key, index in zip(old_keys, old_firsts, strict=True):
            if key:
                self.first(key, index)


class _DryRunRollback(Exception):
    pass


class _Units(list):
    """An item's source units, with membership by primary key (a set lookup, not a scan of ``==``)."""

    def __init__(self, units):
        super().__init__(units)
        self._pks = frozenset(u.pk for u in self)

    def __contains__(self, unit) -> bool:
        return getattr(unit, "pk", None) in self._pks


class BulkImporter:
    """Validate and write records for one source unit. Feed rows, then ``finish()``.

    ``on_outcome(outcome)`` is called for every row once its chunk is committed (or validated, in a
    dry run); ``on_progress(rows_seen)`` after each chunk.
    """

    def __init__(
        self,
        *,
        source_unit,
        access=None,
        submit: bool = False,
        dry_run: bool = False,
        chunk_rows: int = CHUNK_ROWS,
        label: str = "",
        digest: str = "",
        describe_index: Callable[[int], str] = lambda i: f"第{i}行",
        on_outcome: Callable[[Outcome], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
        report_accepted: bool = True,
    ):
        self.source_unit = source_unit
        self.access = access
        self.user = getattr(access, "user", None)
        self.submit = submit
        self.dry_run = dry_run
        self.chunk_rows = chunk_rows
        self.label = label
        self.digest = digest
        self.describe_index = describe_index
        self.on_outcome = on_outcome
        self.on_progress = on_progress
        self.report_accepted = report_accepted  # False: on_outcome hears of rejected rows only
        self.summary = Summary()
        self._chunk: list[_Pending] = []
        self._seen = _FirstSeen()  # hash(document_no) → first index, for duplicates in one file
        # hash(document_no) of the unit's records before the import: None until the second chunk,
        # False when not used (see _known_keys).
        self._known: _FirstSeen | bool | None = None
        self._planned_chunks = 0
        self._catalog: tuple[dict, dict] | None = None  # (by code, by name), see _load_catalog
        self._set_based: bool | None = None  # see _set_based_references
        self._units: dict[int, list] = {}
        self._today = timezone.localdate()
        self._orgs: dict[str, tuple] = {}  # uscc → (id, kind, display_name, code_display, names, aliases)
        self._people: dict[str, tuple] = {}  # id hash → same
        self._hashes: dict[str, str] = {}  # id number → keyed hash
        self._cipher = get_pii_cipher()
        self._vendor = connection.vendor
        self._subject_json: dict[int, str] = {}  # subject id → the snapshot's subject keys, encoded
        self._item_parts: dict[int, tuple[str, str, str]] = {}  # item id → encoded parts, see _prepare
        self._ahead = False  # planning chunks in the reading thread, see run()
        self._planning = threading.Lock()  # held while a plan (and the subject caches) is made
        self._may_keep_names = may_keep_name_mismatch(access)  # a differing name flagged, not refused

    # -- feeding ------------------------------------------------------------------------------

    def _load_catalog(self) -> None:
        """The whole catalog (dozens of items) with its source units, once: validation then needs no
        database at all, so it can run in the reading thread. Same answer as ``catalog.services.
        find_item``: by code first, then by name, the first in the catalog's order."""
        if self._catalog is not None:
            return
        by_code: dict[str, CatalogItem] = {}
        by_name: dict[str, CatalogItem] = {}
        for item in CatalogItem.objects.prefetch_related("source_units").order_by(
            *CatalogItem._meta.ordering, "pk"
        ):
            by_code.setdefault(item.code, item)
            by_name.setdefault(item.name, item)
            self._units[item.pk] = _Units(item.source_units.all())
        self._catalog = (by_code, by_name)

    def _find_item(self, text: str):
        if self._catalog is None:
            self._load_catalog()
        text = (text or "").strip()
        by_code, by_name = self._catalog
        return by_code.get(text) or by_name.get(text)

    def _allowed_units(self, item: CatalogItem) -> list:
        units = self._units.get(item.pk)
        if units is None:
            units = self._units[item.pk] = _Units(item.source_units.all())
        return units

    def _check(self, index: int, data: dict, encoding_error: bool):
        """Validate one row without touching the database (once the catalog is loaded):
        a ``_Pending`` for an accepted row, or ``(errors, data)`` for a rejected one."""
        if encoding_error:
            return {"": [ENCODING_PROBLEM]}, {}
        # One search over the whole row (str() of a number or a date never holds NUL or a surrogate).
        if _UNSTORABLE.search("".join(map(str, data.values()))):
            unstorable = {
                k: [UNSTORABLE_PROBLEM]
                for k, v in data.items()
                if isinstance(v, str) and _UNSTORABLE.search(v)
            }
            return unstorable, data
        clean, errors = clean_record(
            data,
            source_unit=self.source_unit,
            find_item=self._find_item,
            allowed_units=self._allowed_units,
            today=self._today,
        )
        if errors:
            return errors, data
        first = self._seen.first(hash(clean.document_no), index)
        if first is not None:
            return {
                "document_no": [
                    f"决定文书号「{clean.document_no}」与{self.describe_index(first)}重复："
                    f"同一批次中每个文书号只能出现一次，已按{self.describe_index(first)}处理"
                ]
            }, data
        return self._prepare(_Pending(index, data, clean))

    def _take(self, index: int, checked) -> None:
        self.summary.rows += 1
        if checked.__class__ is _Pending:
            self._chunk.append(checked)
            if len(self._chunk) >= self.chunk_rows:
                self.flush()
        else:
            self._reject(index, *checked)

    def feed(self, index: int, data: dict, *, encoding_error: bool = False) -> None:
        self._take(index, self._check(index, data, encoding_error))

    def run(self, rows: Iterable[tuple[int, dict, bool]], *, threaded: bool = False) -> Summary:
        """Feed every row, then finish. ``threaded``: read and validate in a second thread while
        this one writes the previous chunk (the database's work overlaps Python's); the rows are
        taken in the same order and with the same results as without it.

        On PostgreSQL, outside any open transaction and not in a dry run, the second thread also
        *plans* each chunk (``_plan``: subject and existing-record lookups, ids, the COPY text) on
        its own connection, so this thread only writes: see ``_can_plan_ahead``."""
        if not threaded:
            for index, data, encoding_error in rows:
                self.feed(index, data, encoding_error=encoding_error)
            return self.finish()
        self._load_catalog()
        self._ahead = self._can_plan_ahead()
        reader_connects = self._ahead  # planning ahead opens the reading thread's own connection
        # At most three chunks in memory: one queued, one being read (or planned), one being written.
        batches: queue.Queue = queue.Queue(maxsize=1)
        stop = threading.Event()

        def put(item) -> None:
            while not stop.is_set():
                try:
                    batches.put(item, timeout=0.5)
                    return
                except queue.Full:
                    continue

        def produce() -> None:
            try:
                rejected: list = []
                accepted: list[_Pending] = []
                for index, data, encoding_error in rows:
                    checked = self._check(index, data, encoding_error)
                    if checked.__class__ is _Pending:
                        accepted.append(checked)
                        if len(accepted) >= self.chunk_rows:
                            put((rejected, accepted, self._plan_ahead(accepted)))
                            rejected, accepted = [], []
                    else:
                        rejected.append((index, checked))
                    if stop.is_set():
                        return
                put((rejected, accepted, self._plan_ahead(accepted)))
                put(None)
            except BaseException as exc:  # noqa: BLE001 - handed to the writing thread, raised there
                put(exc)
            finally:
                if reader_connects:
                    connection.close()

        reader = threading.Thread(target=produce, name="intake-reader", daemon=True)
        reader.start()
        try:
            while (batch := batches.get()) is not None:
                if isinstance(batch, BaseException):
                    raise batch
                rejected, accepted, plan = batch
                for index, checked in rejected:
                    self.summary.rows += 1
                    self._reject(index, *checked)
                self.summary.rows += len(accepted)
                self._write(accepted, plan)
        finally:
            stop.set()
            reader.join()
        return self.finish()

    def finish(self) -> Summary:
        self.flush()
        return self.summary

    def _reject(self, index: int, errors: dict[str, list[str]], data: dict, *, conflict=False) -> None:
        self.summary.rejected += 1
        self.summary.problems += sum(len(v) for v in errors.values())
        if self.on_outcome:
            self.on_outcome(
                Outcome(index=index, result="rejected", errors=errors, conflict=conflict, data=data)
            )

    # -- planning ahead -----------------------------------------------------------------------

    def _can_plan_ahead(self) -> bool:
        """Plan chunks in the reading thread, on its own connection? Only on PostgreSQL (sequences
        hand out ids to any connection; SQLite's ids are ``max + 1`` under the write lock), not in a
        dry run (its chunks roll back, so the next chunk may not count on their new subjects), and
        not inside a transaction the caller holds open (the second connection could not see what
        it holds: subjects, catalog items)."""
        return self._vendor == "postgresql" and not self.dry_run and not connection.in_atomic_block

    def _plan_ahead(self, chunk: list[_Pending]):
        """In the reading thread: the chunk's plan, or ``None`` (planning ahead is off, or was
        stopped by a conflict: the writer plans the chunk itself then)."""
        if not chunk or not self._ahead:
            return None
        with self._planning:
            if not self._ahead:
                return None
            return self._plan(chunk)

    def _stop_planning_ahead(self) -> None:
        """A planned chunk hit a conflict (another writer created one of its subjects or records
        meanwhile): forget every cached subject, drop plans made so far, plan in this thread from now."""
        with self._planning:
            self._ahead = False
            self._known = False  # another writer added keys: look every key up from now on
            self._orgs.clear()
            self._people.clear()
            self._subject_json.clear()

    # -- writing ------------------------------------------------------------------------------

    def flush(self) -> None:
        chunk, self._chunk = self._chunk, []
        self._write(chunk, None)

    def _write(self, chunk: list[_Pending], plan: _Plan | None) -> None:
        if chunk:
            if plan is not None and not self._ahead:
                plan = None  # planned before a conflict cleared the caches it relied on
            for attempt in range(2):
                try:
                    outcomes, counts = self._write_chunk_atomically(chunk, plan)
                    break
                except IntegrityError:
                    # Another writer created (or removed) one of these keys or subjects meanwhile:
                    # forget what was cached and read again.
                    if attempt:
                        raise
                    self._stop_planning_ahead()
                    plan = None
            for name, value in counts.items():
                setattr(self.summary, name, getattr(self.summary, name) + value)
            for outcome in outcomes:
                if outcome.result == "rejected":
                    self._reject(outcome.index, outcome.errors, outcome.data or {}, conflict=outcome.conflict)
                elif self.on_outcome and self.report_accepted:
                    self.on_outcome(outcome)
        if self.on_progress:
            self.on_progress(self.summary.rows)

    def _write_chunk_atomically(self, chunk: list[_Pending], plan: _Plan | None):
        """Plan the chunk here unless the reading thread did, and write it: one transaction.
        Returns (outcomes, counts)."""
        planned_here = plan is None
        committed = False
        try:
            with transaction.atomic():
                if planned_here:
                    plan = self._plan(chunk)
                result = self._apply(plan)
                if self.dry_run:
                    raise _DryRunRollback
            committed = True
        except _DryRunRollback:
            pass
        finally:
            # The plan cached the subjects it creates; they exist only if its chunk committed.
            # (A plan made ahead that fails is handled by _stop_planning_ahead.)
            if not committed and planned_here and plan is not None:
                for kind, code in plan.fresh:
                    (self._people if kind == "p" else self._orgs).pop(code, None)
        return result

    def _id_hash(self, id_number: str) -> str:
        digest = self._hashes.get(id_number)
        if digest is None:
            if len(self._hashes) > CACHE_LIMIT:
                self._hashes.clear()
            digest = self._hashes[id_number] = self._cipher.lookup_hash(id_number)
        return digest

    def _load_subjects(self, chunk: list[_Pending]) -> None:
        if len(self._orgs) > CACHE_LIMIT:
            self._orgs.clear()
        if len(self._people) > CACHE_LIMIT:
            self._people.clear()
        org_codes, person_hashes = set(), set()
        for pending in chunk:
            clean = pending.clean
            if clean.subject_kind in PEOPLE_KINDS:
                person_hashes.add(self._id_hash(clean.id_number))
                if clean.unit_uscc:
                    org_codes.add(clean.unit_uscc)
            else:
                org_codes.add(clean.uscc)
        for column, codes, cache in (
            ("uscc", org_codes, self._orgs),
            ("id_hash", person_hashes, self._people),
        ):
            missing = [c for c in codes if c not in cache]
            if missing:
                key = 3 if column == "uscc" else 5
                for row in _subjects_by(column, missing):
                    cache[row[key]] = _subject_info(row)

    def _plan(self, chunk: list[_Pending]) -> _Plan:
        """Decide what the chunk writes, from the database as it is now: subjects resolved (new ones
        built with their ids and cached), existing records compared, ids taken for the new records,
        and on PostgreSQL their COPY text built. Reads and sequence calls only, so it may run on
        the reading thread's own connection while the writer commits the previous chunk."""
        plan = _Plan()
        outcomes, counts = plan.outcomes, plan.counts
        self._load_subjects(chunk)
        today = timezone.localdate()
        plan.now = timezone.now()

        # 1. subjects: resolve, and build the unknown ones (organisations first: people's units).
        new_orgs: dict[str, list] = {}  # code → [kind, name, uscc, cipher, id_hash, id_masked, parent]
        new_people: dict[str, list] = {}
        resolved: list[tuple[_Pending, object]] = []
        for pending in chunk:
            clean = pending.clean
            is_person = clean.subject_kind in PEOPLE_KINDS
            code_key = self._id_hash(clean.id_number) if is_person else clean.uscc
            info = (self._people if is_person else self._orgs).get(code_key)
            if info is not None:
                if info[1] != clean.subject_kind:
                    key = "id_number" if is_person else "uscc"
                    outcomes.append(
                        Outcome(
                            index=pending.index,
                            data=pending.data,
                            result="rejected",
                            errors={
                                "subject_kind": [
                                    f"该代码已登记为「{SubjectKind(info[1]).label}」，与填写的「{SubjectKind(clean.subject_kind).label}」不符"
                                ],
                                key: [],
                            },
                        )
                    )
                    continue
                if clean.subject_name not in info[4]:  # not verbatim a registered name: the rule
                    flagged, errors = check_subject_name(
                        clean.subject_name,
                        names=info[4],
                        former_names=lambda pk=info[0]: former_names([pk]).get(pk, ()),
                        registered=info[2],
                        aliases=info[5],
                        is_person=is_person,
                        code_key="id_number" if is_person else "uscc",
                        code=info[3],
                        may_keep=self._may_keep_names,
                    )
                    if errors:
                        outcomes.append(
                            Outcome(index=pending.index, data=pending.data, result="rejected", errors=errors)
                        )
                        continue
                    if flagged:  # kept for the reviewer to confirm: the records service files it
                        plan.updates.append((pending, Outcome(index=pending.index), False))
                        continue
                resolved.append((pending, info))
                continue
            if is_person:
                parent = self._orgs.get(clean.unit_uscc) if clean.unit_uscc else None
                if clean.unit_uscc and parent is None and clean.unit_uscc not in new_orgs:
                    outcomes.append(
                        Outcome(
                            index=pending.index,
                            data=pending.data,
                            result="rejected",
                            errors={"unit_uscc": [f"所属单位代码 {clean.unit_uscc} 尚未登记"]},
                        )
                    )
                    continue
                if code_key not in new_people:
                    new_people[code_key] = [
                        clean.subject_kind,
                        clean.subject_name,
                        None,  # uscc
                        self._cipher.encrypt(clean.id_number),
                        code_key,
                        mask_id_number(clean.id_number),
                        parent[0] if parent else clean.unit_uscc or None,  # a unit of this chunk: its code
                    ]
            elif code_key not in new_orgs:
                new_orgs[code_key] = [clean.subject_kind, clean.subject_name, clean.uscc, "", None, "", None]
            resolved.append((pending, ("p" if is_person else "o", code_key)))
        # One allocation for both kinds (on SQLite ids are max + 1 until the rows exist).
        count = len(new_orgs) + len(new_people)
        ids = iter(_allocate_ids(Subject, count) if count else ())
        public_ids = os.urandom(8 * count).hex().upper()  # as subjects.models.new_public_id, at once
        for n, (code, row) in enumerate((*new_orgs.items(), *new_people.items())):
            pk = next(ids)
            parent = row[6]
            if isinstance(parent, str):  # the unit was registered earlier in this chunk
                parent = self._orgs[parent][0]
            kind, name, uscc, cipher, id_hash, id_masked = row[:6]
            plan.subjects.append(
                (
                    pk,
                    kind,
                    name,
                    initials(name),
                    uscc,
                    cipher,
                    id_hash,
                    id_masked,
                    "P" + public_ids[16 * n : 16 * n + 16],
                    parent,
                )
            )
            if uscc is None:
                self._people[code] = _subject_info((pk, kind, name, None, id_masked, code, ""))
                plan.fresh.append(("p", code))
            else:
                self._orgs[code] = _subject_info((pk, kind, name, uscc, "", None, ""))
                plan.fresh.append(("o", code))
        plan.today = today
        if plan.subjects and self._vendor == "postgresql":
            plan.subject_copies = self._subject_copy_text(plan)

        # 2. existing keys of this chunk, in one query.
        documents = [p.clean.document_no for p, _ in resolved]
        known = self._known_keys()
        if known:  # only the numbers the unit may already have; the others cannot exist (see there)
            documents = [d for d in documents if known.first(hash(d), 0) is not None]
        existing = self._existing(documents)

        # 3. decide per row.
        people, orgs = self._people, self._orgs
        report = self.report_accepted
        flagged_ids: set[int] | None = None  # records with a name still to confirm, see below
        for pending, info in resolved:
            clean = pending.clean
            if info[0] == "p":
                info = people[info[1]]
            elif info[0] == "o":
                info = orgs[info[1]]
            current = existing.get(clean.document_no) if existing else None
            if current is None:
                plan.inserts.append((pending, info))
                continue
            same = services.same_content(current[2:], clean, info[0])
            record_id, record_status = current[0], current[1]
            if same and record_status in EDITABLE_STATUSES:
                # A draft filed with a differing name (NameMismatch) re-sent with its content
                # unchanged: the service remembers or forgets the name as now submitted.
                if flagged_ids is None:
                    flagged_ids = self._flagged_records()
                if record_id in flagged_ids:
                    plan.updates.append(
                        (
                            pending,
                            Outcome(index=pending.index, record_id=record_id, record_status=record_status),
                            False,
                        )
                    )
                    continue
            if same:  # identical content changes nothing, whatever the status (submit included)
                counts["unchanged"] += 1
                if report:
                    outcomes.append(
                        Outcome(
                            index=pending.index,
                            record_id=record_id,
                            record_status=record_status,
                            result="unchanged",
                        )
                    )
                continue
            if not same and record_status not in EDITABLE_STATUSES:
                label = Status(record_status).label
                outcomes.append(
                    Outcome(
                        index=pending.index,
                        data=pending.data,
                        record_id=record_id,
                        record_status=record_status,
                        result="rejected",
                        conflict=True,
                        errors={
                            "document_no": [
                                f"文书号「{clean.document_no}」的记录{label}，内容不能直接修改；已公示记录的更正须经审核"
                            ]
                        },
                    )
                )
                continue
            outcome = Outcome(index=pending.index, record_id=record_id, record_status=record_status)
            plan.updates.append((pending, outcome, same))

        # 4. ids for the new records and their first versions; on PostgreSQL their COPY text.
        if plan.inserts:
            plan.record_ids = _allocate_ids(CreditRecord, len(plan.inserts))
            plan.version_ids = _allocate_ids(RecordVersion, len(plan.inserts))
            if self._vendor == "postgresql":
                plan.copies = self._copy_text(plan)
        plan.lines = (chunk[0].index, chunk[-1].index)
        return plan

    def _apply(self, plan: _Plan):
        """Write a plan (in the caller's transaction). Returns (outcomes, counts)."""
        outcomes, counts = plan.outcomes, plan.counts
        if plan.subjects:
            self._insert_subjects(plan)
            counts["subjects_created"] = len(plan.subjects)
        for pending, outcome, same in plan.updates:
            outcomes.append(self._update_one(pending, outcome, same, counts))
        if plan.inserts:
            self._insert(plan)

        # One audit entry for the chunk.
        if counts["created"] or counts["updated"] or counts["submitted"] or counts["subjects_created"]:
            first, last = plan.lines
            log_action(
                "govcredit.intake.batch_imported",
                actor=self.user,
                object_type="accounts.organisation",
                object_id=self.source_unit.pk,
                summary=(
                    f"{self.source_unit} 批量导入{('「' + self.label + '」') if self.label else ''}"
                    f"{self.describe_index(first)}至{self.describe_index(last)}：新增 {counts['created']:,} 条，"
                    f"更新 {counts['updated']:,} 条，提交审核 {counts['submitted']:,} 条，"
                    f"新登记主体 {counts['subjects_created']:,} 个（待信用办确认）"
                ),
                after={
                    **counts,
                    "lines": [first, last],
                    "source_unit": self.source_unit.name,
                    "file_sm3": self.digest,
                },
            )
        outcomes.sort(key=lambda o: o.index)
        return outcomes, counts

    def _flagged_records(self) -> set[int]:
        """Ids of this unit's records whose submitted name the reviewer has still to confirm (few)."""
        return set(
            NameMismatch.objects.filter(record__source_unit=self.source_unit, confirmed_at=None).values_list(
                "record_id", flat=True
            )
        )

    def _known_keys(self) -> _FirstSeen | bool:
        """From a file's second chunk on: the hashes of the document numbers the unit's records had
        when that chunk was planned (one streamed query, 12–24 bytes a record), so each chunk looks
        up only the rows that may already exist — none, in a unit's first load — instead of every
        row (a lookup of 10,000 keys costs the server ~50 ms a chunk, ~15 % of its extra work).

        No existing record is missed: a number not in the set had no record then; one this import
        created earlier is a duplicate row of the file, refused before planning (``_seen``); one
        another writer adds meanwhile makes our insert violate ``record_natural_key``, the chunk an
        IntegrityError, and ``_stop_planning_ahead`` turns the set off before the chunk is planned
        again with every key looked up. Off for one-chunk batches and files (the first chunk looks
        every key up as before) and for units with more than ``KNOWN_LIMIT`` records."""
        self._planned_chunks += 1
        if self._known is None and self._planned_chunks >= 2:
            self._known = False
            table = connection.ops.quote_name(CreditRecord._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT count(*) FROM {table} WHERE source_unit_id = %s",  # noqa: S608
                    [self.source_unit.pk],
                )
                count = cursor.fetchone()[0]
                if count <= KNOWN_LIMIT:
                    known = _FirstSeen(max(1 << 14, 1 << (count * 3 // 2).bit_length()))
                    if count:
                        cursor.execute(
                            f"SELECT document_no FROM {table} WHERE source_unit_id = %s",  # noqa: S608
                            [self.source_unit.pk],
                        )
                        while block := cursor.fetchmany(10_000):
                            for (document_no,) in block:
                                known.first(hash(document_no), 0)
                    self._known = known
        return self._known or False

    def _existing(self, documents: list[str]) -> dict[str, tuple]:
        """(id, status, *services.CONTENT_FIELDS) of this unit's records with these document numbers.

        Raw SQL with the list as ONE JSON text parameter (the ORM's ``__in``, or even a text[]
        parameter, costs microseconds per value to build in Python; ``json.dumps`` is C)."""
        if not documents:
            return {}
        columns = ", ".join(
            connection.ops.quote_name(CreditRecord._meta.get_field(f).column)
            for f in ("id", "status", *services.CONTENT_FIELDS)
        )
        table = connection.ops.quote_name(CreditRecord._meta.db_table)
        if self._vendor == "postgresql":
            match = "= ANY(ARRAY(SELECT json_array_elements_text(%s::json)))"
        else:
            match = "IN (SELECT value FROM json_each(%s))"
        param = json.dumps(documents, ensure_ascii=False)
        found: dict[str, tuple] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT document_no, {columns} FROM {table} "  # noqa: S608 - model table and columns
                f"WHERE source_unit_id = %s AND document_no {match}",
                [self.source_unit.pk, param],
            )
            decided_on = 2 + services.CONTENT_FIELDS.index("decided_on")
            for row in cursor.fetchall():
                values = row[1:]
                if isinstance(values[decided_on], str):  # SQLite answers dates as text
                    values = (
                        *values[:decided_on],
                        dt.date.fromisoformat(values[decided_on]),
                        *values[decided_on + 1 :],
                    )
                found[row[0]] = values
        return found

    def _update_one(self, pending: _Pending, outcome: Outcome, same: bool, counts: dict) -> Outcome:
        """Changed content of a draft/rejected record, or a submit: through the services, row by row."""
        try:
            with transaction.atomic():
                if same:
                    record = services.get_record(outcome.record_id)
                    services.submit_record(record, access=self.access)
                    counts["unchanged"] += 1
                    counts["submitted"] += 1
                    outcome.result = "unchanged"
                else:
                    was = outcome.record_status
                    record, created, changed = services.upsert_cleaned(
                        pending.clean, source_unit=self.source_unit, access=self.access, submit=self.submit
                    )
                    # A row whose name is kept as a mismatch may create the record (or change nothing).
                    result = "created" if created else "updated" if changed else "unchanged"
                    counts[result] += 1
                    if record.status == Status.SUBMITTED and was != Status.SUBMITTED:
                        counts["submitted"] += 1
                    outcome.result = result
                    outcome.record_id = record.pk
        except CreditError as exc:
            errors = exc.field_errors or {"": [exc.message]}
            return Outcome(
                index=pending.index,
                data=pending.data,
                record_id=outcome.record_id,
                result="rejected",
                errors=errors,
                conflict=exc.status_code == 409,
            )
        outcome.record_status = record.status
        return outcome

    def _subject_part(self, info: tuple) -> str:
        """The snapshot's subject keys, JSON-encoded once per subject."""
        subject = self._subject_json.get(info[0])
        if subject is None:
            if len(self._subject_json) > CACHE_LIMIT:
                self._subject_json.clear()
            subject = self._subject_json[info[0]] = (
                f'{{"subject_id": {int(info[0])}, "subject_name": {_json_str(info[2])}, '
                f'"subject_kind": {_json_str(info[1])}, "subject_code": {_json_str(info[3])}, '
            )
        return subject

    def _prepare(self, pending: _Pending) -> _Pending:
        """Build what the row's inserts need that does not depend on ids or the time (in the reading
        thread, while the main thread waits for the database):

        - ``snapshot``: the first version's snapshot JSON after the subject keys. With the subject
          part it is exactly what ``json.dumps(snapshot, ensure_ascii=False)`` writes (same keys,
          order and separators); the item's keys are encoded once per item.
        - ``line`` (PostgreSQL): the record's COPY text from ``item_id`` to ``proposed_by``, escaped.
        """
        clean = pending.clean
        item = clean.item
        parts = self._item_parts.get(item.id)
        if parts is None:
            status = str(Status.SUBMITTED if self.submit else Status.DRAFT)
            parts = self._item_parts[item.id] = (
                f'"item": {_json_str(item.code)}, "item_name": {_json_str(item.name)}, ',
                f'"source_unit": {_json_str(self.source_unit.name)}, "disclosure": {_json_str(item.disclosure)}, '
                f'"status": {_json_str(status)}, "catalog_version": null, "publish_until": null, '
                '"repairable_from": null}',
                f"{self.source_unit.pk}\t{item.disclosure!s}\t{status}\t1\t\t",
            )
        pending.snapshot = (
            f"{parts[0]}"
            f'"severity": {_json_str(clean.severity)}, "facts": {_json_str(clean.facts)}, '
            f'"document_no": {_json_str(clean.document_no)}, "decided_on": "{clean.decided_on.isoformat()}", '
            f'"decided_by": {_json_str(clean.decided_by)}, "outcome": {_json_str(clean.outcome)}, '
            f'"legal_basis": {_json_str(clean.legal_basis)}, {parts[1]}'
        )
        if self._vendor == "postgresql":
            special, escapes = _COPY_SPECIAL.search, _COPY_ESCAPES
            facts, document_no, decided_by = clean.facts, clean.document_no, clean.decided_by
            outcome, legal_basis = clean.outcome, clean.legal_basis
            if special(facts):
                facts = facts.translate(escapes)
            if special(document_no):
                document_no = document_no.translate(escapes)
            if special(decided_by):
                decided_by = decided_by.translate(escapes)
            if special(outcome):
                outcome = outcome.translate(escapes)
            if special(legal_basis):
                legal_basis = legal_basis.translate(escapes)
            pending.line = (
                f"{item.id}\t{clean.severity!s}\t{facts}\t{document_no}\t{clean.decided_on.isoformat()}\t"
                f"{decided_by}\t{outcome}\t{legal_basis}\t{parts[2]}"
            )
        return pending

    def _snapshot_json(self, info: tuple, pending: _Pending) -> str:
        """The first version's snapshot as JSON text (see ``_prepare``)."""
        return self._subject_part(info) + pending.snapshot

    def _subject_copy_text(self, plan: _Plan) -> list[tuple[type, tuple[str, ...], bytes]]:
        """PostgreSQL: the new subjects and their first name-history rows as COPY text (built while
        planning, in the reading thread)."""
        null, esc = "\\N", _copy_field
        at, today = plan.now.isoformat(), plan.today.isoformat()
        subjects = "".join(
            [
                f"{pk}\t{kind}\t{esc(name)}\t{esc(letters)}\t{uscc or null}\t{cipher}\t{id_hash or null}\t"
                f"{id_masked}\t{public_id}\t{null if parent is None else parent}\t\t\tf\tt\t{at}\t{at}\n"
                for pk, kind, name, letters, uscc, cipher, id_hash, id_masked, public_id, parent in plan.subjects
            ]
        )
        names = "".join(
            [f"{row[0]}\t{esc(row[2])}\t{today}\t{at}\t{SUBJECT_REASON}\n" for row in plan.subjects]
        )
        return [
            (Subject, SUBJECT_COLUMNS, subjects.encode()),
            (SubjectName, SUBJECT_NAME_COLUMNS, names.encode()),
        ]

    def _insert_subjects(self, plan: _Plan) -> None:
        """New subjects (flagged for confirmation, as ``subjects.services.create_subject`` would
        register them) and their first name-history row: COPY on PostgreSQL, executemany on SQLite."""
        if plan.subject_copies is not None:
            for model, fields, text in plan.subject_copies:
                _copy(model, fields, text)
            return
        at = connection.ops.adapt_datetimefield_value(plan.now)
        today = plan.today.isoformat()
        _bulk_insert(Subject, SUBJECT_COLUMNS, [(*row, "", "", False, True, at, at) for row in plan.subjects])
        _bulk_insert(
            SubjectName,
            SUBJECT_NAME_COLUMNS,
            [(row[0], row[2], today, at, SUBJECT_REASON) for row in plan.subjects],
        )

    def _insert(self, plan: _Plan) -> None:
        status = str(Status.SUBMITTED if self.submit else Status.DRAFT)
        inserts, record_ids = plan.inserts, plan.record_ids
        if plan.copies is not None:
            self._insert_copy(plan)
        else:
            self._insert_rows(inserts, record_ids, plan.version_ids, plan.now, status)
        if self.report_accepted:
            plan.outcomes.extend(
                Outcome(index=pending.index, record_id=record_id, record_status=status, result="created")
                for (pending, _info), record_id in zip(inserts, record_ids, strict=True)
            )
        plan.counts["created"] += len(inserts)
        if self.submit:
            plan.counts["submitted"] += len(inserts)

    def _copy_text(self, plan: _Plan) -> list[tuple[type, tuple[str, ...], bytes]]:
        """PostgreSQL: the three tables' new rows as COPY text, from the parts ``_prepare`` built,
        with the ids and the time added here."""
        status = str(Status.SUBMITTED if self.submit else Status.DRAFT)
        user = str(self.user.pk) if getattr(self.user, "pk", None) else "\\N"
        at = plan.now.isoformat()
        rows = list(zip(plan.inserts, plan.record_ids, plan.version_ids, strict=True))
        for pending, _info in plan.inserts:
            if not pending.snapshot:  # a retry: the first plan's text was freed once built
                self._prepare(pending)

        submitted = f"{user}\t{at}" if self.submit else "\\N\t\\N"
        tail = f"{user}\t{at}\t{at}\t{submitted}\t\t\n"
        records = "".join(
            [f"{record_id}\t{info[0]}\t{pending.line}{tail}" for (pending, info), record_id, _v in rows]
        )

        head = f"\t1\t{events.CREATE!s}\t{status}\t"
        tail = f"\t批量导入\t{user}\t{at}\n"
        subject_part = self._subject_part
        versions = []
        for (pending, info), record_id, version_id in rows:
            snapshot = subject_part(info) + pending.snapshot
            if "\\" in snapshot:
                snapshot = snapshot.replace("\\", "\\\\")
            versions.append(f"{version_id}\t{record_id}{head}{snapshot}{tail}")
            pending.line = pending.snapshot = ""  # in the COPY text now; chunks wait in memory

        draft = str(Status.DRAFT)
        created = f"\t{events.CREATE!s}\t\t{draft}\t{user}\t批量导入\t{at}\n"
        if self.submit:
            submit = f"\t{events.SUBMIT!s}\t{draft}\t{status}\t{user}\t\t{at}\n"
            changes = "".join([f"{rid}{created}{rid}{submit}" for _i, rid, _v in rows])
        else:
            changes = "".join([f"{rid}{created}" for _i, rid, _v in rows])
        return [
            (CreditRecord, RECORD_COLUMNS, records.encode()),
            (RecordVersion, VERSION_COLUMNS, "".join(versions).encode()),
            (StatusChange, CHANGE_COLUMNS, changes.encode()),
        ]

    def _insert_copy(self, plan: _Plan) -> None:
        """PostgreSQL: COPY the text the plan built, foreign keys checked set-based when allowed."""
        set_based = self._set_based_references()
        if set_based:
            self._lock_references(plan.inserts)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        for model, fields, text in plan.copies:
            _copy(model, fields, text)
        if set_based:  # (a failed COPY rolls the transaction back, and the SET LOCAL with it)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")

    def _set_based_references(self) -> bool:
        """May the COPYs check their foreign keys set-based instead of by per-row triggers?

        PostgreSQL checks each foreign key of each COPYed row with a trigger query (five per new
        record: subject, item, source unit, and the version's and status change's record), about 40 %
        of the server's work in a bulk import. Instead, ``_lock_references`` takes the same
        ``FOR KEY SHARE`` locks the triggers would take, on every referenced row at once, and the
        COPYs run with ``session_replication_role = replica`` (``SET LOCAL``, reset right after), which
        skips trigger firing for this session only. Used only when the role may set that parameter
        (superuser, or PostgreSQL 15's ``GRANT SET ON PARAMETER``), the session is in the normal
        ``origin`` mode, and the three tables have no user-defined triggers that would be skipped too;
        otherwise the triggers do the checks as usual. Unique and check constraints are never skipped.

        Why a concurrent delete of a referenced subject, item, unit or user cannot slip through
        (tested with a second session in ``records/tests/test_bulk.py``): a DELETE takes the row's
        FOR UPDATE lock, which conflicts with FOR KEY SHARE. If the delete came first and is not yet
        committed, our lock waits for it; once it commits, the locking SELECT no longer returns the
        row (READ COMMITTED re-checks the row it waited for), the count is short, and the chunk is
        an IntegrityError: it is planned again, the subject registered anew. If our lock came
        first, the delete waits for our commit; by then our records exist, and the deleting
        session's own foreign-key trigger (``replica`` is only ours, and only for the COPYs) sees
        them and refuses the delete. Rows we point at that this transaction created (new subjects,
        the versions' records) are invisible to others until we commit.
        """
        if self._set_based is None:
            allowed = False
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('is_superuser'), current_setting('session_replication_role'), "
                    "current_setting('server_version_num')::int"
                )
                superuser, role, version = cursor.fetchone()
                allowed = superuser == "on"
                if not allowed and version >= 150000:
                    cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
                    allowed = bool(cursor.fetchone()[0])
                cursor.execute(
                    "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal "
                    "AND tgrelid IN (SELECT to_regclass(t) FROM unnest(%s::text[]) AS t)",
                    [[m._meta.db_table for m in (CreditRecord, RecordVersion, StatusChange)]],
                )
                user_triggers = cursor.fetchone()[0]
            self._set_based = allowed and role == "origin" and user_triggers == 0
        return self._set_based

    def _lock_references(self, inserts) -> None:
        """Lock (``FOR KEY SHARE``, as the foreign-key triggers would) every row the new records
        point at — subjects, catalog items, the source unit, the acting user — one statement per
        table; a missing one is an IntegrityError, as the trigger would raise. The versions and
        status changes point at records inserted in this same transaction."""
        referenced = [
            (Subject, {info[0] for _pending, info in inserts}),
            (CatalogItem, {pending.clean.item.id for pending, _info in inserts}),
            (type(self.source_unit), {self.source_unit.pk}),
        ]
        if getattr(self.user, "pk", None):
            referenced.append((type(self.user), {self.user.pk}))
        with connection.cursor() as cursor:
            for model, ids in referenced:
                table = connection.ops.quote_name(model._meta.db_table)
                pk = connection.ops.quote_name(model._meta.pk.column)
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {pk} = ANY(%s) FOR KEY SHARE) AS locked",  # noqa: S608
                    [list(ids)],
                )
                if cursor.fetchone()[0] != len(ids):
                    raise IntegrityError(f"{model._meta.verbose_name}已被删除，请重新导入")

    def _insert_rows(self, inserts, record_ids, version_ids, now, status: str) -> None:
        """SQLite: parameter tuples through ``executemany``."""
        ops = connection.ops
        user_id = getattr(self.user, "pk", None)
        unit_id = self.source_unit.pk
        now_db = ops.adapt_datetimefield_value(now)
        record_rows, version_rows, change_rows = [], [], []
        for (pending, info), record_id, version_id in zip(inserts, record_ids, version_ids, strict=True):
            clean = pending.clean
            item = clean.item
            record_rows.append(
                (
                    record_id,
                    info[0],
                    item.pk,
                    clean.severity,
                    clean.facts,
                    clean.document_no,
                    clean.decided_on.isoformat(),
                    clean.decided_by,
                    clean.outcome,
                    clean.legal_basis,
                    unit_id,
                    item.disclosure,
                    status,
                    1,
                    "",
                    user_id,
                    now_db,
                    now_db,
                    user_id if self.submit else None,
                    now_db if self.submit else None,
                    "",
                    "",
                )
            )
            version_rows.append(
                (
                    version_id,
                    record_id,
                    1,
                    events.CREATE,
                    status,
                    self._snapshot_json(info, pending),
                    "批量导入",
                    user_id,
                    now_db,
                )
            )
            change_rows.append((record_id, events.CREATE, "", Status.DRAFT, user_id, "批量导入", now_db))
            if self.submit:
                change_rows.append((record_id, events.SUBMIT, Status.DRAFT, status, user_id, "", now_db))
        _bulk_insert(CreditRecord, RECORD_COLUMNS, record_rows)
        _bulk_insert(RecordVersion, VERSION_COLUMNS, version_rows)
        _bulk_insert(StatusChange, CHANGE_COLUMNS, change_rows)


@dataclass
class BatchResult:
    summary: Summary
    outcomes: list[Outcome]  # one per item, in index order


def upsert_batch(
    items: Iterable[dict],
    *,
    source_unit,
    access,
    submit: bool = True,
    label: str = "接口批量报送",
    describe_index: Callable[[int], str] = lambda i: f"第{i + 1}条（index {i}）",
    chunk_rows: int = CHUNK_ROWS,
) -> BatchResult:
    """Create or update records for one source unit from exchange-format dicts (the API's batch
    call): every item's outcome — created / updated / unchanged with the record's id and status,
    or rejected with its reasons per field. Accepted items are saved even when others are
    rejected; re-sending the same items changes nothing."""
    services.check_source_unit(access, source_unit)
    outcomes: list[Outcome] = []
    importer = BulkImporter(
        source_unit=source_unit,
        access=access,
        submit=submit,
        chunk_rows=chunk_rows,
        label=label,
        describe_index=describe_index,
        on_outcome=outcomes.append,
    )
    for index, data in enumerate(items):
        importer.feed(index, data)
    summary = importer.finish()
    outcomes.sort(key=lambda o: o.index)
    return BatchResult(summary, outcomes)


def upsert_rows(
    rows: Iterable[tuple[int, dict, bool]],
    *,
    source_unit,
    access=None,
    submit: bool = False,
    dry_run: bool = False,
    label: str = "",
    digest: str = "",
    on_rejected: Callable[[Outcome], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Summary:
    """Create or update records for one source unit from a file's rows — ``(line, data,
    encoding_error)`` — read and validated in a second thread while chunks are written (intake's
    CLI and upload page). ``on_rejected`` hears of every rejected row (for the problem report),
    ``on_progress`` of the rows done after each chunk. Re-importing the same file changes nothing."""
    services.check_source_unit(access, source_unit)
    importer = BulkImporter(
        source_unit=source_unit,
        access=access,
        submit=submit,
        dry_run=dry_run,
        chunk_rows=chunk_rows,
        label=label,
        digest=digest,
        on_outcome=on_rejected,
        on_progress=on_progress,
        report_accepted=False,
    )
    return importer.run(rows, threaded=True)


RECORD_COLUMNS = (
    "id",
    "subject_id",
    "item_id",
    "severity",
    "facts",
    "document_no",
    "decided_on",
    "decided_by",
    "outcome",
    "legal_basis",
    "source_unit_id",
    "disclosure",
    "status",
    "version",
    "proposed_by",
    "created_by_id",
    "created_at",
    "updated_at",
    "submitted_by_id",
    "submitted_at",
    "review_note",
    "end_reason",
)
VERSION_COLUMNS = (
    "id",
    "record_id",
    "number",
    "change",
    "status",
    "snapshot",
    "reason",
    "created_by_id",
    "created_at",
)
SUBJECT_COLUMNS = (  # the first ten are a plan's subject row, see _plan
    "id",
    "kind",
    "name",
    "name_initials",
    "uscc",
    "id_cipher",
    "id_hash",
    "id_masked",
    "public_id",
    "parent_id",
    "aliases",
    "division_code",
    "placeholder_code",
    "needs_confirmation",
    "created_at",
    "updated_at",
)
SUBJECT_NAME_COLUMNS = ("subject_id", "name", "valid_from", "changed_at", "reason")
SUBJECT_REASON = "批量导入时登记"
CHANGE_COLUMNS = ("record_id", "event", "old_status", "new_status", "actor_id", "reason", "at")


def _subject_info(row) -> tuple:
    """(id, kind, display name, display code, accepted names, aliases) from
    (id, kind, name, uscc, id_masked, id_hash, aliases); accepted names as
    ``validation.names_of`` (the raw name too, so a verbatim name is found without normalising)."""
    pk, kind, name, uscc, id_masked, _hash, aliases = row
    names = names_of(name, aliases) | {name}
    if kind in PEOPLE_KINDS:
        return (pk, kind, mask_name(name), id_masked, names, aliases or "")
    return (pk, kind, name, uscc or "", names, aliases or "")


def _copy_field(text: str) -> str:
    """A text value escaped for COPY's text format."""
    return text.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(text) else text


def _subjects_by(column: str, codes: list[str]) -> list[tuple]:
    """(id, kind, name, uscc, id_masked, id_hash, aliases) of the subjects whose ``column`` (uscc or
    id_hash) is one of ``codes``: one query, the list as one JSON parameter (as ``_existing``)."""
    table = connection.ops.quote_name(Subject._meta.db_table)
    if connection.vendor == "postgresql":
        match = "= ANY(ARRAY(SELECT json_array_elements_text(%s::json)))"
    else:
        match = "IN (SELECT value FROM json_each(%s))"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, kind, name, uscc, id_masked, id_hash, aliases FROM {table} WHERE {column} {match}",  # noqa: S608
            [json.dumps(codes, ensure_ascii=False)],
        )
        return cursor.fetchall()


def _allocate_ids(model, count: int) -> list[int]:
    """Primary keys for rows about to be bulk-inserted with explicit ids (inside the transaction)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence's name once (pg_get_serial_sequence per row costs 10× the nextval), and
            # the ids as one text value, not `count` result rows.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute(
                "SELECT string_agg(nextval(%s::regclass)::text, ',') FROM generate_series(1, %s)",
                [sequence, count],
            )
            return list(map(int, cursor.fetchone()[0].split(",")))
        # SQLite: the transaction holds the write lock (BEGIN IMMEDIATE), so max + 1 … is ours.
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608 - model table name
        start = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(start, row[0] if row else 0) + 1
        return list(range(start, start + count))


def _columns(model, fields: tuple[str, ...]) -> tuple[str, str]:
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    return connection.ops.quote_name(meta.db_table), columns


def _copy(model, fields: tuple[str, ...], text: bytes, block: int = 1 << 20) -> None:
    """PostgreSQL COPY of ready-made text-format rows, sent in blocks of ``block`` bytes."""
    table, columns = _columns(model, fields)
    view = memoryview(text)
    # (Django wraps execute()'s errors, not copy()'s: a duplicate key must be its IntegrityError.)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for start in range(0, len(view), block):
                copy.write(view[start : start + block])


def _bulk_insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
