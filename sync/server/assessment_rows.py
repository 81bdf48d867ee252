"""A case's life-area assessments in rows of their own (migration 0011): which a push reads, and what it writes.

``investigation.assessments`` is most of a case's document; a handläggare's usual edit changes one life area's
text. The push reads the record's ``investigation`` from ``records.document_rest`` (there its list is ``[]``) and
only the rows of the life areas its ops name, so ``investigation`` in the locked record holds a partial list: the
loaded elements in their stored order. Checks and edits see them as the list (a path names an element by its key,
and an element appended by an op goes last, as in the whole list). When every op is inside an element (the usual
edit), the rest of ``investigation`` is not read either: the named rows are all the ops and their check need. An
op on ``investigation``, its whole list or an element's key field, a value read whole for a conflict's answer,
or a list holding one area twice makes the record's list whole (every row read, or none needed): then all its rows
are replaced. Readers get the assembled document from the ``record_documents`` view.

When every op of a case inside ``investigation`` sets a field of one life area that its type checks alone (a life
area's text: ``push_checks.set_checked_alone``), on the case's current version (no field version to compare), its
rows are not read at all ("blind"): the write merges the fields set into the row of each area named
(``value || patch``, found by its key) in PostgreSQL and counts the rows it merged into. Each area must be there
once (as the read rows would have shown); when one is not (missing, or held twice) the write says so
(``NotInOneRow``) and the push runs its batch again with every record read (push_service.push_batch), so its
answers are those of the general path. The usual IBIC edit then neither sends ~0.5 KB a case out of the database
nor decodes, rebuilds and sends it back, nor reads where its rows are (a statement's part of ~3.5 ms a batch of
500: bench/README.md, s26-ibicpush).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from psycopg.types.json import Jsonb

from ibic import document_paths
from ibic.changes import FieldChange
from ibic.field_ownership import CENTRAL_IDENTITY
from sync.server import push_checks
from sync.server.access import Conn

TOP = "investigation"
LIST = "assessments"


class NotInOneRow(Exception):
    """A blind record's life area was not in exactly one row (missing, or held twice): nothing of the attempt is
    kept, and the batch is applied again with its rows read (push_service.push_batch)."""


@dataclass
class AreaState:
    """A locked case's assessments: ``whole`` when its list is held whole (rows all read, or replaced, or never
    split), else ``positions`` of the rows read by key (none for a blind record: not read); ``base_read`` is
    ``investigation`` as read from ``document_rest`` (None: not read), so an unchanged rest is not written again."""

    keys: set[str] = field(default_factory=set)
    whole: bool = True
    rest_needed: bool = False  # an op outside every element (the usual edit is inside one: its rest is not read)
    positions: dict[str | None, list[int]] = field(default_factory=dict)
    base_read: Any = None
    blind: bool = False  # every op sets a field of one area, checked alone: the rows are not read (above)
    patches: dict[str, dict[str, Any]] = field(default_factory=dict)  # blind: an area's key -> the fields set

    def patch(self, path: str, value: Any) -> None:
        """A blind op's field set, on the one row of its area (found by its key when written)."""
        segments = path.split(document_paths.SEPARATOR)
        self.patches.setdefault(segments[2], {})[segments[3]] = value


def needs(change: FieldChange) -> tuple[str | None, bool] | None:
    """For an op inside a case's ``investigation``: the life-area key its path names (or None), and whether it
    needs the whole list; None for any other op."""
    segments = change.path.split(document_paths.SEPARATOR)
    if change.record_type != "case" or segments[0] != TOP:
        return None
    if len(segments) == 1 or (segments[1] == LIST and len(segments) == 2):
        return None, True
    if segments[1] == LIST:
        # An op on the field an element is named by (its area_id) may change its key: read whole, the list keeps
        # the element where it was (matched by key, its row would go and the element be appended as a new one).
        return segments[2], len(segments) == 4 and segments[3] in document_paths.KEY_FIELDS
    return None, False


class Locked(Protocol):
    """What of push_service's LockedRecord the reading here uses."""

    record_type: str
    record_id: str
    document: dict[str, Any]
    tops: set[str]
    loaded: set[str]
    areas: AreaState | None


def set_alone(change: FieldChange, version: int) -> bool:
    """Whether ``change`` sets a field of one life area that its type checks alone, on its record's current
    ``version`` or later (so no field version can conflict): it may be applied blind (module docstring).

    Never where a cross-field rule reads ``investigation`` or the path is written once: those read the entry's
    current value (``push_service._current``), which a blind record does not hold (its sets wait in the patches)."""
    segments = change.path.split(document_paths.SEPARATOR)
    return (change.op == "set" and change.base_version >= version and len(segments) == 4 and segments[1] == LIST
            and segments[3] not in document_paths.KEY_FIELDS
            and TOP not in push_checks.CROSS_FIELD.get(change.record_type, ())
            and change.path not in CENTRAL_IDENTITY.get(change.record_type, ())
            and push_checks.set_checked_alone(change.record_type, segments, change.value))


def plan(changes: list[FieldChange], new: set[tuple[str, str]],
         versions: Mapping[tuple[str, str], int], *, blind: bool = True) -> dict[tuple[str, str], AreaState]:
    """Which life areas' rows each case's ops need; a record created now has none to read (its list is whole).
    ``versions``: each record's current version (``set_alone``); ``blind`` False: none is blind (NotInOneRow)."""
    states: dict[tuple[str, str], AreaState] = {}
    removed: set[tuple[str, str, str]] = set()
    for change in changes:
        need = needs(change)
        if need is None:
            continue
        key = (change.record_type, change.record_id)
        state = states.get(key)
        if state is None:
            state = states[key] = AreaState(whole=key in new, blind=blind and key not in new)
        state.blind = state.blind and set_alone(change, versions[key])
        state.whole = state.whole or need[1]
        state.rest_needed = state.rest_needed or need[0] is None
        if need[0] is not None:
            # A life area removed and named again in one batch (set anew: appended last) is not matched to its old
            # row by key, which would keep it in its old place: read and replaced whole.
            state.whole = state.whole or (*key, need[0]) in removed
            state.keys.add(need[0])
            if change.op == "remove" and change.path.count(document_paths.SEPARATOR) == 2:
                removed.add((*key, need[0]))
    return states


def rows_alone(state: AreaState) -> bool:
    """Whether the rows alone may serve: every op is inside an element (no op reads or changes the rest)."""
    return not (state.whole or state.rest_needed)


def fold_rows_alone(document: dict[str, Any], state: AreaState, rows: list[tuple[int, Any]]) -> bool:
    """``investigation`` as the elements read, when each key named has a row (so the list is in rows, below an
    empty list in ``document_rest``); False, with nothing done, when one has none: its rest must be read (an op on an
    element not there, or a list never split)."""
    positions: dict[str | None, list[int]] = {}
    for position, value in rows:
        positions.setdefault(document_paths.element_key(value), []).append(position)
    if not state.keys <= positions.keys():
        return False
    document[TOP] = {LIST: [value for _, value in rows]}
    state.positions, state.base_read = positions, {LIST: []}
    return True


# The rows a batch's ops name (all of a record's when w), in order: ~0.5 KB an edited life area, not the list; a
# blind record's are not read.
READ = (
    "(SELECT json_agg(json_build_array(x.record_type, x.record_id, x.position, x.value)"
    " ORDER BY x.record_type, x.record_id, x.position)"
    " FROM jsonb_to_recordset(%(areas)s) AS k(t text, i text, a text[], w boolean)"
    " JOIN record_assessments x ON x.record_type = k.t AND x.record_id = k.i AND (k.w OR x.area_key = ANY(k.a)))"
)

# Data-modifying CTEs of the push's write (Writes): each touches other rows (updated and deleted: read by
# position, or all of a record's when its list is replaced whole; inserted: after the record's highest position as
# the statement's snapshot sees it, so never a position deleted in the same statement).
# A blind record's rows (amrg, by area key) get the fields set merged in: their values never leave the database;
# MERGED counts the rows and the areas merged into: one of each a patch, or the area was not in one row
# (NotInOneRow).
WRITE = (
    "aup AS (UPDATE record_assessments x SET value = k.v"
    " FROM jsonb_to_recordset(%(au)s) AS k(t text, i text, p bigint, v jsonb)"
    " WHERE x.record_type = k.t AND x.record_id = k.i AND x.position = k.p),"
    " amrg AS (UPDATE record_assessments x SET value = x.value || k.v"
    " FROM jsonb_to_recordset(%(am)s) AS k(t text, i text, a text, v jsonb)"
    " WHERE x.record_type = k.t AND x.record_id = k.i AND x.area_key = k.a"
    " RETURNING x.record_type, x.record_id, x.area_key),"
    " adel AS (DELETE FROM record_assessments x USING jsonb_to_recordset(%(ad)s) AS k(t text, i text, p bigint)"
    " WHERE x.record_type = k.t AND x.record_id = k.i AND (k.p IS NULL OR x.position = k.p)),"
    " ains AS (INSERT INTO record_assessments (record_type, record_id, position, area_key, value)"
    " SELECT k.t, k.i, coalesce((SELECT max(y.position) FROM record_assessments y"
    " WHERE y.record_type = k.t AND y.record_id = k.i), 0) + k.n, k.a, k.v"
    " FROM jsonb_to_recordset(%(ai)s) AS k(t text, i text, n bigint, a text, v jsonb))"
)
MERGED = "(SELECT json_build_array(count(*), count(DISTINCT (record_type, record_id, area_key))) FROM amrg)"


def read_request(states: dict[tuple[str, str], AreaState]) -> list[dict[str, Any]]:
    """The rows to read, per record whose ``investigation`` the batch reads: all, or those of its keys (a blind
    record's none)."""
    return [{"t": t, "i": i, "a": sorted(s.keys), "w": s.whole} for (t, i), s in states.items() if not s.blind]


def tops_read(records: Mapping[tuple[str, str], Locked]) -> dict[tuple[str, str], set[str]]:
    """The entries to read from ``document_rest``: a case's ``investigation`` not when its rows alone serve."""
    found: dict[tuple[str, str], set[str]] = {}
    for key, record in records.items():
        tops = record.tops
        if record.areas is not None and rows_alone(record.areas):
            tops = tops - {TOP}
        if tops:
            found[key] = tops
    return found


def fold_all(
    conn: Conn, records: Mapping[tuple[str, str], Locked], rows: dict[tuple[str, str], list[tuple[int, Any]]]
) -> None:
    """Put the life areas read into each locked case's ``investigation``; read its rest where the rows alone did
    not serve (one statement for those: a life area the batch adds has no row yet). A blind record gets nothing:
    its document holds no investigation, so nothing of it is written whole."""
    rest: list[Locked] = []
    for key, record in records.items():
        if record.areas is None or TOP not in record.tops:
            continue
        if record.areas.blind:
            record.loaded.discard(TOP)
            continue
        if not (rows_alone(record.areas) and fold_rows_alone(record.document, record.areas, rows.get(key, []))):
            rest.append(record)
    unread = [r for r in rest if r.areas is not None and rows_alone(r.areas)]
    if unread:
        found = conn.execute(
            "SELECT json_agg(json_build_array(k.t, k.i, r.document_rest -> %(top)s))::text AS found"
            " FROM jsonb_to_recordset(%(keys)s) AS k(t text, i text)"
            " JOIN records r ON r.record_type = k.t AND r.record_id = k.i WHERE r.document_rest ? %(top)s",
            {"top": TOP, "keys": Jsonb([{"t": r.record_type, "i": r.record_id} for r in unread])},
        ).fetchone()
        by_key = {(r.record_type, r.record_id): r for r in unread}
        for t, i, value in json.loads(found["found"] or "[]") if found else ():
            by_key[(t, i)].document[TOP] = value
    for record in rest:
        assert record.areas is not None
        fold_in(record.document, record.areas, rows.get((record.record_type, record.record_id), []))
    _all_rows_where_held_twice(conn, records)


def _all_rows_where_held_twice(conn: Conn, records: Mapping[tuple[str, str], Locked]) -> None:
    """A list holding one area twice (the model allows it) is read whole: a path names the first, and removing it
    from a partial list would leave the second where the first was, before the areas between them."""
    twice = {key: r for key, r in records.items() if r.areas is not None and not r.areas.whole
             and TOP in r.tops and any(len(p) > 1 for p in r.areas.positions.values())}
    if not twice:
        return
    found = conn.execute(f"SELECT {READ}::text AS found", {"areas": Jsonb(read_request(
        {key: AreaState(whole=True) for key in twice}))}).fetchone()
    rows = by_record(json.loads(found["found"]) if found and found["found"] is not None else None)
    for key, record in twice.items():
        assert record.areas is not None
        record.document[TOP] = {**record.document[TOP], LIST: [value for _, value in rows.get(key, [])]}
        record.areas.whole = True


# A place the model's check names in the list, at the start of each problem (``where_it_breaks`` joins them by "; ").
_PLACE = re.compile(r"(^|; )investigation/assessments/(\d+)(?=[/:])")


def in_whole_list(conn: Conn, record: Locked, scratch: dict[str, Any], problem: str) -> str:
    """``problem`` with each place in a partial list named by its position in the whole stored one (as a reader of
    the document counts). Only a refusal (rare) pays this read of the record's row keys, never an accepted push.

    The partial list holds the rows read, in stored order, less those the batch removed, then the elements it
    appended; an element there is behind every unread row stored before it (all of them, for an appended one)."""
    state = record.areas
    elements = scratch.get(TOP, {}).get(LIST) if isinstance(scratch.get(TOP), dict) else None
    if state is None or state.whole or not isinstance(elements, list) or not _PLACE.search(problem):
        return problem
    unread = [int(r["position"]) for r in conn.execute(
        "SELECT position FROM record_assessments WHERE record_type = %s AND record_id = %s"
        " AND NOT coalesce(area_key = ANY(%s), false)", (record.record_type, record.record_id,
                                        [k for k in state.positions if k is not None])).fetchall()]

    def whole(match: re.Match[str]) -> str:
        index = int(match.group(2))
        if index >= len(elements):
            return match.group(0)
        read_at = state.positions.get(document_paths.element_key(elements[index]))
        offset = sum(1 for p in unread if not read_at or p < read_at[0])
        return f"{match.group(1)}{TOP}/{LIST}/{index + offset}"

    return _PLACE.sub(whole, problem)


def by_record(rows: Iterable[list[Any]] | None) -> dict[tuple[str, str], list[tuple[int, Any]]]:
    """The rows READ returned (type, id, position, value), by record, in position order."""
    found: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    for t, i, position, value in rows or ():
        found.setdefault((t, i), []).append((int(position), value))
    return found


def fold_in(document: dict[str, Any], state: AreaState, rows: list[tuple[int, Any]]) -> None:
    """Put the rows read (position, value; in position order) into the record's ``investigation`` as read."""
    investigation = document.get(TOP, document_paths.MISSING)
    state.base_read = None if investigation is document_paths.MISSING else investigation
    if not isinstance(investigation, dict) or investigation.get(LIST) != []:
        state.whole = True  # never split (rows exist only under an empty list): the list as stored is all of it
        return
    document[TOP] = {**investigation, LIST: [value for _, value in rows]}
    for position, value in rows:
        state.positions.setdefault(document_paths.element_key(value), []).append(position)


def entries_to_write(
    record_type: str, record_id: str, document: dict[str, Any], loaded: set[str], state: AreaState | None,
    changed_paths: set[str], writes: Writes,
) -> dict[str, Any]:
    """A locked record's top-level entries to set in ``document_rest``: those loaded, but ``investigation`` only if
    an op changed it, its life areas going to ``writes`` as rows, its rest only if that changed."""
    entries = {top: document[top] for top in loaded if top in document and top != TOP}
    if state is not None and state.blind:
        writes.merged(record_type, record_id, state)
        return entries
    if state is None or not any(p == TOP or p.startswith(TOP + document_paths.SEPARATOR) for p in changed_paths):
        return entries
    if TOP not in document:
        writes.removed(record_type, record_id)
        return entries
    rest = writes.investigation_rest(record_type, record_id, state, document[TOP])
    if rest is not document_paths.MISSING:
        entries[TOP] = rest
    return entries


@dataclass
class Writes:
    """The rows of one batch's write: rows replaced (by position), merged into (a blind record's, by area key),
    deleted, or inserted after a record's last."""

    updated: list[dict[str, Any]] = field(default_factory=list)
    merges: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[dict[str, Any]] = field(default_factory=list)
    inserted: list[dict[str, Any]] = field(default_factory=list)

    def investigation_rest(self, t: str, i: str, state: AreaState, investigation: Any) -> Any:
        """Record the rows of ``investigation`` after the batch; its rest to write in ``document_rest`` (the list as
        ``[]`` when its elements are in rows), or MISSING when the rest is as read."""
        if not isinstance(investigation, dict) or not isinstance(investigation.get(LIST), list):
            self.deleted.append({"t": t, "i": i, "p": None})  # no list to split: no rows
            return investigation
        elements: list[Any] = investigation[LIST]
        if state.whole:
            self.deleted.append({"t": t, "i": i, "p": None})
            self._insert(t, i, elements)
        else:
            self._by_key(t, i, state, elements)
        rest = {**investigation, LIST: []}
        return document_paths.MISSING if rest == state.base_read else rest

    def merged(self, t: str, i: str, state: AreaState) -> None:
        """A blind record's fields set, merged into its areas' rows (WRITE's ``amrg``)."""
        for key, fields in state.patches.items():
            self.merges.append({"t": t, "i": i, "a": key, "v": fields})

    def check_merged(self, counts: list[int] | None) -> None:
        """MERGED's counts (rows, areas): each patch merged into one row of its own, or NotInOneRow."""
        if self.merges and counts != [len(self.merges), len(self.merges)]:
            raise NotInOneRow

    def removed(self, t: str, i: str) -> None:
        self.deleted.append({"t": t, "i": i, "p": None})

    def _by_key(self, t: str, i: str, state: AreaState, elements: list[Any]) -> None:
        """Each key's elements after the batch take that key's rows read, in order; extra rows go, extra elements
        are appended (an op edits, removes or appends; it never moves an element)."""
        after: dict[str | None, list[Any]] = {}
        for element in elements:
            after.setdefault(document_paths.element_key(element), []).append(element)
        # Plain loops, no generator or set per record: this runs for every case a batch edits (the usual edit: one
        # key, one row, one element; ~2.8 -> ~1.9 µs a case, fastest of timeit's repeats, twice that when loaded).
        for key, positions in state.positions.items():
            values = after.get(key, [])
            for position, value in zip(positions, values, strict=False):  # the shorter decides
                self.updated.append({"t": t, "i": i, "p": position, "v": value})
            for position in positions[len(values):]:
                self.deleted.append({"t": t, "i": i, "p": position})
        new = [id(value) for key, values in after.items() for value in values[len(state.positions.get(key, ())):]]
        if new:
            self._insert(t, i, [e for e in elements if id(e) in new])

    def _insert(self, t: str, i: str, elements: list[Any]) -> None:
        self.inserted.extend({"t": t, "i": i, "n": n, "a": document_paths.element_key(e), "v": e}
                             for n, e in enumerate(elements, start=1))
