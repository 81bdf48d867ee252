"""Apply a pushed batch in ONE transaction: duplicates by op id, conflicts by version, never by clock."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from pydantic_core import to_json

from ibic import document_paths, status_paths
from ibic.changes import FieldChange
from ibic.errors import DomainError
from ibic.field_ownership import CENTRAL_IDENTITY
from sync.protocol import OpResult
from sync.server import assessment_rows, person_relink, push_checks, reopen_check, withdrawals
from sync.server.access import Actor, Conn, may_access_person, names_actor
from sync.server.errors import AccessDenied, OpIdReused
from sync.server.ordering import LOCKED
from sync.server.push_screen import UNSTORABLE_REASON, hash_and_screen

# Fields the central system owns once set: a device may fill them in on a record it created, never change them.
# A 5xx would be retried by the laptop for ever; a rejected op is recorded there and the rest of its work flows.
WITHDRAWN_REASON = "case_withdrawn: made after the case was reassigned away"
WITHDRAWN_CONFLICT_REASON = "case_withdrawn: the field was changed after the case was reassigned away"
RETRYABLE = (psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected, psycopg.errors.UniqueViolation)


def _jsonb(rows: Any) -> Jsonb:
    """Inputs travel as ONE jsonb parameter each instead of arrays psycopg dumps element by element, encoded by
    pydantic's serializer (Rust): ``json.dumps`` took 3-4× as long, ~15 ms of a 500-op batch's parameters. Texts
    PostgreSQL cannot store (U+0000, lone surrogates) never get here: such ops are refused first (``push_screen``)."""
    return Jsonb(rows, dumps=to_json)


@dataclass
class LockedRecord:
    """A record row held FOR UPDATE for the whole batch, with the field versions newer than the oldest base.

    ``document`` holds only the top-level entries the batch touches: every rule reads and writes inside the
    top-level entry a path lives in, and the rest of the document never crosses the wire. ``tops`` are the entries
    read from the database; an entry an op only replaces whole (``_replaced_whole``) is not read. ``loaded`` are the
    entries whose current value ``document`` holds (read, or set by an applied op): only those are written back.
    """

    record_type: str
    record_id: str
    version: int
    document: dict[str, Any]
    is_new: bool
    tops: set[str] = field(default_factory=set)
    loaded: set[str] = field(default_factory=set)
    field_versions: dict[str, tuple[int, str]] = field(default_factory=dict)
    changed_paths: set[str] = field(default_factory=set)
    dirty: bool = False
    relinked: bool = False  # a case's person_id moved to another record on the same personnummer (person_relink)
    areas: assessment_rows.AreaState | None = None  # a case whose ops touch ``investigation`` (its rows apart)
    oldest_base: int = 0  # the lowest base version of the batch's ops on the record (field versions above it matter)


@dataclass
class LogRow:
    record_type: str
    record_id: str
    path: str
    op: str
    value: Any
    version: int
    op_id: str
    device_id: str
    # A pushed op's: its duplicates are found by op id in the change log (a row the server wrote itself has none).
    content_hash: str | None = None
    user_id: str | None = None
    hlc: str | None = None


class AppliedBefore(Exception):
    """An op of the batch was applied before, found on an attempt that did not look them up: look them up."""


class NotAllApplied(Exception):
    """An all-or-nothing batch had an op that did not apply: the transaction was rolled back, nothing is stored."""

    def __init__(self, results: list[OpResult]) -> None:
        super().__init__("not every operation applied")
        self.results = results


def push_batch(
    conn: Conn, actor: Actor, changes: list[FieldChange], *, all_or_nothing: bool = False,
    first: Callable[[], None] | None = None,
) -> list[OpResult]:
    """Apply ``changes`` atomically and answer per operation; retried on a lost race with another batch.

    A device's batch keeps what applied (each op is answered on its own). The central system's writes are
    ``all_or_nothing`` (NotAllApplied, nothing stored), with ``first`` run in the same transaction before them.

    The first attempt looks up only the op ids based on a version older than their record's: applying an op
    moves its record past the op's base, so an op based on its record's current version (nearly every op: the
    lookup, an index probe per op, was ~1 ms of PostgreSQL's ~29 a batch of 500) cannot have been applied before,
    while a resent batch (or one that lost a race to the same op ids) is looked up and answered ``duplicate`` at
    once. An op applied before that escapes this (its base above the version it met) is either applied again, and
    the change log's unique op id index refuses its second row (UniqueViolation), or answered otherwise (a conflict,
    a refusal), and those few op ids are looked up (``_applied_before``); either way the attempt is rolled back
    whole and the batch applied again with every op id looked up.
    """
    blind = True  # a life area's text merged into its row unread; off once one such area was not in one row
    for attempt in range(5):
        try:
            with conn.transaction():
                if first is not None:
                    first()
                results = _push_in_transaction(conn, actor, changes, look_up_applied=attempt > 0,
                                               checked_whole=all_or_nothing, blind=blind)
                if all_or_nothing and any(r.status not in ("applied", "duplicate") for r in results):
                    raise NotAllApplied(results)
                return results
        except assessment_rows.NotInOneRow:
            blind = False  # answered as the general path does: the rows read (missing or held twice)
            if attempt == 4:
                raise
        except (*RETRYABLE, AppliedBefore):
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _push_in_transaction(
    conn: Conn, actor: Actor, changes: list[FieldChange], *, look_up_applied: bool, checked_whole: bool = False,
    blind: bool = True,
) -> list[OpResult]:
    """``checked_whole``: the central system's write, its documents checked as whole models before
    (``document_checks.checked``) and sent as leaves in chunks that may split a record, so a record it creates is
    not checked again here."""
    hashes, unstorable = hash_and_screen(changes)
    storable = [c for i, c in enumerate(changes) if i not in unstorable] if unstorable else changes
    records = _lock_records(conn, actor, storable, blind=blind)
    units, seen = _read_locked_state(conn, records, storable, look_up_applied=look_up_applied)
    late = _authorise(conn, actor, records, units)
    held = _held_with_status(changes, unstorable, records, actor)
    held_ids = {changes[i].op_id for i in held}
    # The central system neither closes nor reopens (its writes of the status are refused as not its field). A status
    # change made not knowing the status it replaces is a conflict, not a reopening: the rule looks past it.
    refused = {} if checked_whole else reopen_check.refused_reopenings(
        [c for c in storable if c.op_id not in held_ids] if held else storable, actor.user_id, date.today(),
        lambda key, top: _current(conn, records[key], top))
    if refused and held:  # the indexes of what the rule was given, as ``storable`` numbers them
        given = [i for i, c in enumerate(storable) if c.op_id not in held_ids]
        refused = {given[i]: why for i, why in refused.items()}
    if refused and unstorable:  # the indexes of ``storable``, as ``changes`` numbers them
        kept = [i for i in range(len(changes)) if i not in unstorable]
        refused = {kept[i]: why for i, why in refused.items()}
    try:
        results, log = _apply_all(conn, actor, changes, hashes, unstorable, records, seen, late, refused, held)
    except AccessDenied:
        # An op applied before is never refused now (it is a duplicate), whatever changed since.
        if not look_up_applied and _applied_before(conn, [c for i, c in enumerate(changes) if i not in unstorable]):
            raise AppliedBefore from None
        raise
    if not checked_whole:
        _drop_empty(conn, push_checks.refuse_broken_creations(changes, records, results, log))
    if not look_up_applied and _applied_before(conn, [
            changes[i] for i, r in enumerate(results) if r.status in ("conflict", "rejected") and i not in unstorable]):
        raise AppliedBefore
    _write(conn, actor, records, log)
    return results


def _applied_before(conn: Conn, changes: list[FieldChange]) -> bool:
    """Whether any of ``changes`` was applied before (for the few ops not applied now; none: no statement)."""
    if not changes:
        return False
    row = conn.execute("SELECT EXISTS (SELECT 1 FROM change_log WHERE op_id IN"
                       " (SELECT jsonb_array_elements_text(%s))) AS found",
                       (_jsonb(sorted({c.op_id for c in changes})),)).fetchone()
    return bool(row and row["found"])


def _apply_all(
    conn: Conn, actor: Actor, changes: list[FieldChange], hashes: dict[str, str], unstorable: set[int],
    records: dict[tuple[str, str], LockedRecord], seen: dict[str, tuple[str, int]],
    late: dict[tuple[str, str], withdrawals.LateWindow], refused: dict[int, str], held: set[int],
) -> tuple[list[OpResult], list[LogRow]]:
    """Answer each op in order, applying it to its record in memory; the change log's rows (one per applied op).
    ``refused``: the ops refused before any applied (``reopen_check``), by index, with why; ``held``: the status
    writes answered as a conflict (``_held_with_status``)."""
    results: list[OpResult] = []
    known: dict[str, bool] = {}  # names_actor's answers for this batch
    log: list[LogRow] = []
    for index, change in enumerate(changes):
        if index in unstorable:
            results.append(OpResult(op_id=change.op_id, status="rejected", reason=UNSTORABLE_REASON))
            continue
        key = (change.record_type, change.record_id)
        earlier = seen.get(change.op_id)
        if earlier is not None:
            if earlier[0] != hashes[change.op_id]:
                raise OpIdReused("an operation id was reused with different content")
            results.append(OpResult(op_id=change.op_id, status="duplicate", new_version=earlier[1]))
            continue
        window = late.get(key)
        if window is not None and not window.admits(change.hlc, change.base_version):
            results.append(OpResult(op_id=change.op_id, status="rejected", reason=WITHDRAWN_REASON))
            continue
        if index in refused:
            results.append(OpResult(op_id=change.op_id, status="rejected", reason=refused[index]))
            continue
        result = _apply_one(conn, actor, records[key], change, known, held=index in held)
        if window is not None and result.status == "conflict":
            # The record is no longer the caller's to read: refuse without the other unit's value or version.
            result = OpResult(op_id=change.op_id, status="rejected", reason=WITHDRAWN_CONFLICT_REASON)
        results.append(result)
        if result.status == "applied":
            assert result.new_version is not None
            seen[change.op_id] = (hashes[change.op_id], result.new_version)
            log.append(LogRow(change.record_type, change.record_id, change.path, change.op,
                              change.value if change.op == "set" else None, result.new_version,
                              change.op_id, actor.device_id, hashes[change.op_id], actor.user_id, change.hlc))
    return results, log


def _lock_records(
    conn: Conn, actor: Actor, changes: list[FieldChange], *, blind: bool = True
) -> dict[tuple[str, str], LockedRecord]:
    scanned = _scan(changes)
    keys = sorted(scanned)
    if not keys:
        return {}
    # Sorted locking order: two batches touching the same records cannot deadlock. The usual batch touches only
    # records the server holds, so they are locked first and the creating INSERT runs only for those it lacks
    # (10 ms of a 500-op batch when every key went through it).
    rows = _lock_existing(conn, keys)
    missing = sorted(set(keys) - {(r["record_type"], r["record_id"]) for r in rows})
    if missing:
        conn.execute(
            "INSERT INTO records (record_type, record_id, created_by_unit)"
            " SELECT t, i, %s FROM jsonb_to_recordset(%s) AS k(t text, i text) ORDER BY t, i"
            " ON CONFLICT DO NOTHING",
            (actor.unit_id, _key_param(missing)),
        )
        # Created now, or by a batch that committed meanwhile: locked (and read) like the others.
        rows += _lock_existing(conn, missing)
    records: dict[tuple[str, str], LockedRecord] = {}
    for r in rows:
        key, version = (r["record_type"], r["record_id"]), int(r["version"])
        tops, oldest_base = scanned[key]
        records[key] = LockedRecord(key[0], key[1], version, {}, is_new=version == 0, tops=tops,
                                    oldest_base=oldest_base)
    for key, areas in assessment_rows.plan(changes, {k for k, r in records.items() if r.is_new},
                                           {k: r.version for k, r in records.items()}, blind=blind).items():
        records[key].areas = areas
    return records


def _drop_empty(conn: Conn, keys: list[tuple[str, str]]) -> None:
    """Remove the rows ``_lock_records`` created for records refused whole: an empty row at version 0 made a person
    id "known" to the access checks (``may_access_person``) and was listed as a record with no document."""
    if keys:
        conn.execute("DELETE FROM records WHERE version = 0 AND (record_type, record_id) IN"
                     " (SELECT t, i FROM jsonb_to_recordset(%s) AS k(t text, i text))", (_key_param(keys),))


def _key_param(keys: Sequence[tuple[str, str]]) -> Jsonb:
    return _jsonb([{"t": t, "i": i} for t, i in keys])


def _lock_existing(conn: Conn, keys: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT r.record_type, r.record_id, r.version FROM records r"
        " JOIN jsonb_to_recordset(%s) AS k(t text, i text) ON r.record_type = k.t AND r.record_id = k.i"
        " ORDER BY r.record_type, r.record_id FOR UPDATE OF r",
        (_key_param(keys),),
    ).fetchall()


def _read_locked_state(
    conn: Conn, records: dict[tuple[str, str], LockedRecord], changes: list[FieldChange], *, look_up_applied: bool
) -> tuple[dict[str, str], dict[str, tuple[str, int]]]:
    """Fill the records' touched entries and field versions; return case units and already applied op ids.

    One statement, one JSON answer (parsed once, no per-row work in psycopg). It runs AFTER the locking
    statement on purpose: under READ COMMITTED each statement takes a new snapshot, so it sees everything
    committed by a batch we waited for; reading in the locking statement itself would see the old snapshot.
    """
    if not records:
        return {}, {}
    row = conn.execute(_READ_STATE, {
        "tops": _jsonb([{"t": k[0], "i": k[1], "tops": sorted(tops)}
                       for k, tops in assessment_rows.tops_read(records).items()]),
        # A field's version is at most its record's: a record not changed since the oldest base (the usual push,
        # made on what the laptop last pulled) has no field version that could conflict, so none is read.
        # n: how many pushed ops moved the record past b, one change-log row each (see _READ_STATE).
        "bases": _jsonb([{"t": k[0], "i": k[1], "b": r.oldest_base, "n": r.version - r.oldest_base}
                         for k, r in records.items() if r.version > r.oldest_base]),
        # Applying an op moved its record past the op's base: an op based on its record's current version (the
        # usual push) was not applied before, the others are looked up (a resent batch: no retry, no error logged).
        "ops": _jsonb(sorted({c.op_id for c in changes
                              if look_up_applied or c.base_version < records[(c.record_type, c.record_id)].version})),
        "cases": _jsonb([k[1] for k in records if k[0] == "case"]),
        "areas": _jsonb(assessment_rows.read_request({
            k: r.areas for k, r in records.items() if r.areas is not None and assessment_rows.TOP in r.tops})),
    }).fetchone()
    assert row is not None
    state = json.loads(row["state"])
    for record in records.values():
        record.loaded = set(record.tops)  # read: present, or known to be absent
    for t, i, top, value in state["tops"] or ():
        records[(t, i)].document[top] = value
    assessment_rows.fold_all(conn, records, assessment_rows.by_record(state["areas"]))
    for t, i, path, version, device in state["fv"] or ():
        records[(t, i)].field_versions[path] = (int(version), device)
    units = {case_id: unit_id for case_id, unit_id in state["units"] or ()}
    seen = {op_id: (content_hash, int(version)) for op_id, content_hash, version in state["ops"] or ()}
    return units, seen


# Present and null are told apart by the ? operator: -> gives SQL NULL for both a missing key and JSON null.
# Each stored document is decompressed ONCE (|| '{}' in a subquery kept by OFFSET 0 yields a plain in-memory value);
# ? and -> on the stored value would decompress it again for every top-level entry asked (8.8-10.4 -> 5.7-5.8 ms
# for 500 cases with two entries each).
# Field versions: the version at which each path last changed, and by which device, is its newest change-log row of
# a pushed op (a row the server wrote itself, without a content hash, changed no field). Only paths changed after the
# base matter: the rows of versions b+1..v, one per op since each applied op moved its locked record one version on,
# so a backward scan of the record's index (change_log_record) stops after those n rows (LIMIT n; were there fewer,
# it would read on to the record's first row: slower, never wrong): ~6 buffers a record one version back. LATERAL,
# one scan per record: a plain join let the planner merge-join against the whole table, sorted on disk.
_READ_STATE = (
    "SELECT json_build_object("
    " 'tops', (SELECT json_agg(json_build_array(s.t, s.i, top, s.doc -> top))"
    "   FROM (SELECT k.t, k.i, k.tops, r.document_rest || '{}'::jsonb AS doc"
    "   FROM jsonb_to_recordset(%(tops)s) AS k(t text, i text, tops text[])"
    "   JOIN records r ON r.record_type = k.t AND r.record_id = k.i OFFSET 0) AS s"
    "   CROSS JOIN LATERAL unnest(s.tops) AS top WHERE s.doc ? top),"
    " 'fv', (SELECT json_agg(json_build_array(k.t, k.i, f.path, f.version, f.device_id))"
    "   FROM jsonb_to_recordset(%(bases)s) AS k(t text, i text, b bigint, n bigint)"
    "   CROSS JOIN LATERAL (SELECT DISTINCT ON (x.path) x.path, x.version, x.device_id"
    "   FROM (SELECT y.path, y.version, y.device_id, y.seq FROM change_log y"
    "   WHERE y.record_type = k.t AND y.record_id = k.i AND y.version > k.b AND y.content_hash IS NOT NULL"
    "   ORDER BY y.seq DESC LIMIT k.n) AS x ORDER BY x.path, x.seq DESC) AS f),"
    " 'units', (SELECT json_agg(json_build_array(a.case_id, a.unit_id)) FROM case_access a"
    "   WHERE a.case_id IN (SELECT jsonb_array_elements_text(%(cases)s))),"
    " 'ops', (SELECT json_agg(json_build_array(o.op_id, o.content_hash, o.version)) FROM change_log o"
    "   WHERE o.op_id IN (SELECT jsonb_array_elements_text(%(ops)s))),"
    f" 'areas', {assessment_rows.READ}"
    ")::text AS state"
)


def _scan(changes: list[FieldChange]) -> dict[tuple[str, str], tuple[set[str], int]]:
    """One pass over the ops, per record: the top-level entries its ops need to read (all they live in but those
    only replaced whole) and their oldest base version."""
    scanned: dict[tuple[str, str], tuple[set[str], int]] = {}
    for change in changes:
        key = (change.record_type, change.record_id)
        found = scanned.get(key)
        if found is None or change.base_version < found[1]:
            found = scanned[key] = (found[0] if found else set(), change.base_version)
        if not _replaced_whole(change):
            found[0].add(change.path.split(document_paths.SEPARATOR, 1)[0])
    return scanned


def _replaced_whole(change: FieldChange) -> bool:
    """A top-level entry set whole needs no current value: no append-only guard, no write-once rule, no parent.

    (A conflict's answer reads the current value then: ``_current``.)"""
    return (change.op == "set" and document_paths.SEPARATOR not in change.path
            and change.path not in document_paths.APPEND_ONLY_LISTS
            and change.path not in CENTRAL_IDENTITY.get(change.record_type, ()))


def _current(conn: Conn, record: LockedRecord, path: str) -> Any:
    """The current value at ``path``; its top-level entry is read now if the batch did not read it (a conflict)."""
    top = path.split(document_paths.SEPARATOR, 1)[0]
    if top not in record.loaded:
        # Never a blind record's investigation (assessment_rows): its ops cannot conflict (on the current version),
        # and set_alone never lets a record go blind where a write-once or cross-field rule reads investigation.
        if top == assessment_rows.TOP and record.areas is not None:
            record.areas.whole = True  # read whole, so written whole if an op changes it
        row = conn.execute(
            "SELECT document ? %(top)s AS present, (document -> %(top)s)::text AS value FROM record_documents"
            " WHERE record_type = %(t)s AND record_id = %(i)s",
            {"top": top, "t": record.record_type, "i": record.record_id},
        ).fetchone()
        if row is not None and row["present"]:
            record.document[top] = json.loads(str(row["value"]))
        record.loaded.add(top)
    return document_paths.get(record.document, path)


def _authorise(
    conn: Conn, actor: Actor, records: dict[tuple[str, str], LockedRecord], units: dict[str, str]
) -> dict[tuple[str, str], withdrawals.LateWindow]:
    """Refuse the batch for a record the user may not write; return the records open only for late delivery.

    A case moved away from the user, or its person, still takes what their laptop did before the move
    (``withdrawals.late_window``), so typed work is not lost on the way out.
    """
    late: dict[tuple[str, str], withdrawals.LateWindow] = {}
    for (record_type, record_id), record in records.items():
        if record_type == "case":
            unit = units.get(record_id)
            if unit is None and not record.is_new:
                raise AccessDenied("the case is not assigned to your unit")
            allowed = unit is None or unit == actor.unit_id
            denial = "the case is not assigned to your unit"
        else:
            allowed = record.is_new or may_access_person(conn, actor, record_id)
            denial = "the person is not reachable through a case of your unit"
        if not allowed:
            window = withdrawals.late_window(conn, record_type, record_id, actor.user_id)
            if window is None:
                raise AccessDenied(denial)
            late[(record_type, record_id)] = window
    return late


def _held_with_status(changes: list[FieldChange], unstorable: set[int], records: dict[tuple[str, str], LockedRecord],
                      actor: Actor) -> set[int]:
    """The indexes of the case status writes (``status`` and its history's entries, ``ibic.status_conflict``) made on
    a version before another writer's change of the case's status, as stored before the batch: answered as a
    conflict on the status, the history's entries with it (a list append meets no other path and would apply alone).
    Decided before any op applies, so the reopening rule and the answers look at the same ops."""
    held: set[int] = set()
    for index, change in enumerate(changes):
        path = change.path
        if not path.startswith(status_paths.STATUS):  # nearly every op: one test (a batch of 500: ~0.21 -> 0.07 ms)
            continue
        if index in unstorable or not (status_paths.is_status(change.record_type, path)
                                       or status_paths.goes_with_status(change.record_type, path)):
            continue
        version, device = records[(change.record_type, change.record_id)].field_versions.get(
            status_paths.STATUS, (0, actor.device_id))
        if version > change.base_version and device != actor.device_id:
            held.add(index)
    return held


def _overlaps(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def _apply_one(conn: Conn, actor: Actor, record: LockedRecord, change: FieldChange,
               known: dict[str, bool], *, held: bool = False) -> OpResult:
    # The user id in any case: a profile's entries from before its enrollment carry the name as typed ("Anna.Berg"),
    # IT's id may be "anna.berg" (``names_actor``); the log rows name ``actor.user_id``.
    if change.device_id != actor.device_id or not names_actor(conn, actor, change.user_id, known):
        return OpResult(op_id=change.op_id, status="rejected", reason="operation names another device or user")
    # A conflict is a change to an overlapping path by another device after the version this edit was based on.
    # The device's own later edits of a field it already pushed are not conflicts with itself.
    # ``held``: a status write made before another writer's change of the status (``_held_with_status``).
    if held or any(version > change.base_version and device != actor.device_id and _overlaps(path, change.path)
                   for path, (version, device) in record.field_versions.items()):
        current = _current(conn, record, change.path)
        return OpResult(
            op_id=change.op_id,
            status="conflict",
            # A copy: later ops of the batch edit the document in place and must not change this answer.
            server_value=None if current is document_paths.MISSING else copy.deepcopy(current),
            server_version=record.version,
        )
    reason = _write_once_violation(conn, actor, record, change)
    if reason:
        return OpResult(op_id=change.op_id, status="rejected", reason=reason)
    top = change.path.split(document_paths.SEPARATOR, 1)[0]
    if top == assessment_rows.TOP and record.areas is not None and record.areas.blind:
        # Checked alone before anything was read (assessment_rows.set_alone), its area's row there once: merged
        # into that row when written.
        record.areas.patch(change.path, change.value)
        return _applied(actor, record, change)
    try:
        # record.document holds only this batch's top-level entries, fresh from the database; the op is applied to
        # a copy of the containers on its path, checked, and only then put in, so a rejected op leaves no trace.
        edit = document_paths.FieldEdit(change.path, change.op, change.value)
        scratch, on_the_way = push_checks.scratch_after(record.document, edit)
    except DomainError as exc:
        return OpResult(op_id=change.op_id, status="rejected", reason=type(exc).__name__)
    problem = push_checks.id_problem(record.record_id, top, scratch) or push_checks.op_problem(
        record.record_type, edit, scratch, on_the_way) or push_checks.consistency_problem(
        record.record_type, top, lambda names: _entries(conn, record, names, top, scratch),
        lambda names: _entries(conn, record, names, "", {}))
    if problem:
        if top == assessment_rows.TOP:  # a partial list's place named by the whole list's position
            problem = assessment_rows.in_whole_list(conn, record, scratch, problem)
        return OpResult(op_id=change.op_id, status="rejected",
                        reason=f"{change.path}: the value does not match the domain model ({problem})")
    if top in scratch:
        record.document[top] = scratch[top]
    else:
        record.document.pop(top, None)
    record.loaded.add(top)
    return _applied(actor, record, change)


def _applied(actor: Actor, record: LockedRecord, change: FieldChange) -> OpResult:
    record.version += 1
    record.dirty = True
    record.field_versions[change.path] = (record.version, actor.device_id)
    record.changed_paths.add(change.path)
    return OpResult(op_id=change.op_id, status="applied", new_version=record.version)


def _entries(
    conn: Conn, record: LockedRecord, names: frozenset[str], top: str, scratch: dict[str, Any]
) -> dict[str, Any]:
    """The named top-level entries as they would be after the op on ``top`` whose result ``scratch`` holds (those
    absent left out); an entry the batch did not read is read now (``_current``)."""
    values = {name: scratch.get(name, document_paths.MISSING) if name == top else _current(conn, record, name)
              for name in names}
    return {name: value for name, value in values.items() if value is not document_paths.MISSING}


def _write_once_violation(conn: Conn, actor: Actor, record: LockedRecord, change: FieldChange) -> str:
    if change.path not in CENTRAL_IDENTITY[record.record_type]:
        return ""
    current = document_paths.get(record.document, change.path)
    person_link = record.record_type == "case" and change.path == "person_id" and isinstance(change.value, str)
    if current not in (document_paths.MISSING, None, "") and current != change.value:
        if not (person_link and person_relink.same_personal_number(conn, current, change.value)):
            return "field owned by the central system"
        record.relinked = True
    if person_link and not may_access_person(conn, actor, str(change.value)):
        raise AccessDenied("the person is not reachable through a case of your unit")
    return ""


def _write(
    conn: Conn,
    actor: Actor,
    records: dict[tuple[str, str], LockedRecord],
    log: list[LogRow],
) -> None:
    dirty = [r for r in records.values() if r.dirty]
    if not dirty:
        return
    # Each table's rows go as ONE jsonb parameter (jsonb_to_recordset): psycopg dumps arrays element by element
    # in Python (~50 ms of a 500-op batch); one json.dumps is a few ms. The two writes are one statement (data-
    # modifying CTEs on different tables, so neither needs to see the other's rows): one round trip instead of two.
    # The field versions and the op ids are the change log's rows (append_log), written under its lock.
    # Only the touched top-level entries are sent: set (||) those still present, delete (-) those now gone.
    # case_access: a case created by this device gets its row; a case whose person_id was just set fills a NULL
    # person link. Any other case already has its row (an unknown, existing case was refused in _authorise).
    linked = [r for r in dirty if r.record_type == "case" and (r.is_new or "person_id" in r.changed_paths)]
    areas = assessment_rows.Writes()
    written = conn.execute(_WRITE, {
        "t": _jsonb([r.record_type for r in dirty]), "i": _jsonb([r.record_id for r in dirty]),
        "d": _jsonb([assessment_rows.entries_to_write(r.record_type, r.record_id, r.document, r.loaded, r.areas,
                                                      r.changed_paths, areas) for r in dirty]),
        "g": _jsonb([sorted(r.loaded.difference(r.document)) or None for r in dirty]),
        "v": _jsonb([r.version for r in dirty]),
        "au": _jsonb(areas.updated), "am": _jsonb(areas.merges), "ad": _jsonb(areas.deleted),
        "ai": _jsonb(areas.inserted),
        "cases": _jsonb([{"c": r.record_id, "p": _person_of(r.document)} for r in linked]),
        "relinked": _jsonb([r.record_id for r in linked if r.relinked]),
        "unit": actor.unit_id,
        "user": actor.user_id,
    }).fetchone()
    areas.check_merged(written["merged"] if written else None)
    append_log(conn, log)


_WRITE = (
    "WITH upd AS ("
    # g (entries now gone) is null unless an op removed a whole top-level entry: the subquery unpacking it, run for
    # every row, was ~1.2 ms of PostgreSQL's ~25 a batch of 500 (in-process A/B, bench/README.md s17-pgpush).
    # Nothing to set (an edit of a life area's row only): the stored value is kept, not rebuilt and recompressed.
    " UPDATE records r SET document_rest = CASE WHEN k.g = 'null' AND k.d = '{}' THEN r.document_rest"
    " WHEN k.g = 'null' THEN r.document_rest || k.d"
    " ELSE (r.document_rest || k.d) - ARRAY(SELECT jsonb_array_elements_text(k.g)) END,"
    " version = k.v::bigint, updated_at = now()"
    " FROM ROWS FROM (jsonb_array_elements_text(%(t)s), jsonb_array_elements_text(%(i)s), jsonb_array_elements(%(d)s),"
    " jsonb_array_elements(%(g)s), jsonb_array_elements_text(%(v)s)) AS k(t, i, d, g, v)"
    " WHERE r.record_type = k.t AND r.record_id = k.i),"
    " acc AS ("
    " INSERT INTO case_access (case_id, unit_id, assigned_user_id, person_id)"
    " SELECT c, %(unit)s, %(user)s, p FROM jsonb_to_recordset(%(cases)s) AS k(c text, p text)"
    " ON CONFLICT (case_id) DO UPDATE SET person_id = EXCLUDED.person_id WHERE case_access.person_id IS NULL"
    " OR case_access.case_id IN (SELECT jsonb_array_elements_text(%(relinked)s))),"
    f" {assessment_rows.WRITE}"
    # Data-modifying CTEs run once and to completion whether or not the main query reads them.
    f" SELECT {assessment_rows.MERGED} AS merged"
)


def _person_of(document: dict[str, Any]) -> str | None:
    value = document.get("person_id")
    return value if isinstance(value, str) and value else None


def append_log(conn: Conn, rows: list[LogRow]) -> None:
    """Append to the change log under its ordering lock, shared (``ordering``): seqs may commit out of order, and a
    reader passes the lock's barrier (``ordering.settled_top``) so it never skips one committed late."""
    if not rows:
        return
    # One JSON array per column, zipped by ROWS FROM, instead of an array of objects: no key written and looked up
    # per field, so less to build here and to unpack there (a batch of 500: PostgreSQL 7.4 -> 5.8 ms, this
    # thread 1.3 -> 0.7 ms; bench/README.md, s18-pushsrv). ORDER BY ordinality keeps the batch's order in the seqs.
    # A value is stored only for a set (JSON null stays a value); a remove stores SQL NULL. The ordering lock is taken
    # by the statement itself (ordering.LOCKED): a round trip less a batch.
    conn.execute(_APPEND_LOG, {
        "t": _jsonb([r.record_type for r in rows]), "i": _jsonb([r.record_id for r in rows]),
        "p": _jsonb([r.path for r in rows]), "o": _jsonb([r.op for r in rows]),
        "w": _jsonb([r.value for r in rows]), "n": _jsonb([r.version for r in rows]),
        "x": _jsonb([r.op_id for r in rows]), "d": _jsonb([r.device_id for r in rows]),
        "h": _jsonb([r.content_hash for r in rows]), "u": _jsonb([r.user_id for r in rows]),
        "c": _jsonb([r.hlc for r in rows]),
    })


_APPEND_LOG = (
    f"{LOCKED} INSERT INTO change_log (record_type, record_id, path, op, value, version, op_id, device_id,"
    " content_hash, user_id, hlc)"
    " SELECT t, i, p, o, CASE WHEN o = 'set' THEN w END, n::bigint, x, d, h, u, c FROM ordering, ROWS FROM ("
    " jsonb_array_elements_text(%(t)s), jsonb_array_elements_text(%(i)s), jsonb_array_elements_text(%(p)s),"
    " jsonb_array_elements_text(%(o)s), jsonb_array_elements(%(w)s), jsonb_array_elements_text(%(n)s),"
    " jsonb_array_elements_text(%(x)s), jsonb_array_elements_text(%(d)s), jsonb_array_elements_text(%(h)s),"
    " jsonb_array_elements_text(%(u)s), jsonb_array_elements_text(%(c)s))"
    " WITH ORDINALITY AS k(t, i, p, o, w, n, x, d, h, u, c, ord) ORDER BY ord"
)
