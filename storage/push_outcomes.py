"""Recording a push's answers: the journal entries the server settled, and the record versions they moved.

One transaction an answer (or two answers that came together), with few statements whatever its size: the op ids,
the acknowledgements and the new versions go to SQLite as one JSON array each, read by ``json_each`` (one
statement, looked up by the journal's op id and the versions' primary key), instead of one statement a row through
``executemany`` and ``IN (...)`` lists of bound parameters. Only what a settled entry needs is read (its record and
state); a conflict, rare, reads its entry's values by itself. Only the versions an answer moves are written. The
usual answer (every op applied or duplicate, each once; the push's last one is on its critical path) reads no entry
before it acknowledges them: ``_record_settled``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ibic.status_paths import STATUS, goes_with_status
from storage.journal import encode, put_conflict
from storage.repositories.sync_rows import KINDS, advance, kind_of


@dataclass(frozen=True)
class PushOutcome:
    op_id: str
    status: Literal["applied", "duplicate", "conflict", "rejected"]
    new_version: int | None = None
    server_value: Any = None
    server_version: int | None = None
    reason: str = ""


class Outcome(Protocol):
    """What the recording reads of a push outcome: a ``PushOutcome``, or the sync protocol's ``OpResult`` as the
    client parsed it (not copied into a PushOutcome first)."""

    @property
    def op_id(self) -> str: ...
    @property
    def status(self) -> Literal["applied", "duplicate", "conflict", "rejected"]: ...
    @property
    def new_version(self) -> int | None: ...
    @property
    def server_value(self) -> Any: ...
    @property
    def server_version(self) -> int | None: ...
    @property
    def reason(self) -> str: ...


class RebaseNotDurable(Exception):
    """The recording, in a transaction committed without an fsync, would move the base of an entry still pending.

    Such an entry is later sent on its moved base (this push's next batch, or the next sync's) and the server keeps
    its op id with that content: a power cut that lost the recording would leave it on its old base, and every
    push after it refused as an op id reused with other content (409). So that recording is committed durably."""


def record_outcomes(connection: Any, outcomes: Sequence[Outcome], *, durable: bool = True) -> None:
    """Record ``outcomes`` inside the caller's transaction (``SyncState.record_push_outcomes``). ``durable`` False:
    the transaction commits without an fsync, and ``RebaseNotDurable`` is raised (nothing is to be committed) if
    an entry still pending would be rebased."""
    if _record_settled(connection, outcomes, durable):
        return
    entries, versions = _journal_states(connection, [o.op_id for o in outcomes])
    acks: dict[str, int | None] = {}
    rejects: list[tuple[str, str]] = []
    held: list[tuple[Outcome, str, str, str | None, str, str, str | None]] = []
    steps: list[tuple[str, str, int, int]] = []  # (type, id, from, to): each version step, in order
    moved: dict[tuple[str, str], int] = {}
    for outcome in outcomes:
        entry = entries.get(outcome.op_id)
        if entry is None:
            continue
        record_type, record_id, state = entry
        if outcome.status in ("applied", "duplicate"):
            acks[outcome.op_id] = outcome.new_version
            entry[2] = "acknowledged" if state == "pending" else state
            key = (record_type, record_id)
            # The version moves only when this answer is exactly the next version (see storage.sync_state).
            if outcome.new_version is not None and key in versions and versions[key] + 1 == outcome.new_version:
                steps.append((record_type, record_id, versions[key], outcome.new_version))
                versions[key] = moved[key] = outcome.new_version
        elif outcome.status == "conflict" and state == "pending":
            connection.execute("UPDATE journal SET state = 'conflict' WHERE op_id = ?", (outcome.op_id,))
            entry[2] = "conflict"
            case_id, path, value, base_value = connection.execute(
                "SELECT case_id, path, value, base_value FROM journal WHERE op_id = ?", (outcome.op_id,)
            ).fetchone()
            if goes_with_status(record_type, path):
                held.append((outcome, record_type, record_id, case_id, path, value, base_value))
                continue
            put_conflict(connection, record_type=record_type, record_id=record_id, case_id=case_id, path=path,
                         base_value=base_value, local_value=value, server_value=encode(outcome.server_value),
                         server_version=outcome.server_version or 0, op_id=outcome.op_id)
        elif outcome.status == "rejected":
            rejects.append((outcome.reason[:200], outcome.op_id))
            entry[2] = "rejected"
    _hold_with_status(connection, held)
    # Written after the loop: the CASE keeps a conflict or rejection that came first, and a rejection after an ack
    # (the same op twice) still ends rejected, as with one statement per outcome.
    if acks:
        connection.execute(
            "UPDATE journal SET state = CASE state WHEN 'pending' THEN 'acknowledged' ELSE state END,"
            " server_version = a.value ->> 1 FROM json_each(?) AS a WHERE journal.op_id = a.value ->> 0",
            (json.dumps(list(acks.items())),),
        )
    connection.executemany("UPDATE journal SET state = 'rejected', reason = ? WHERE op_id = ?", rejects)
    _rebase(connection, steps, durable)
    for record_type in KINDS:
        moved_here = [[key[1], version] for key, version in moved.items() if key[0] == record_type]
        if moved_here:
            connection.execute(
                f"UPDATE {kind_of(record_type).versions_table} AS v SET version = m.value ->> 1"
                " FROM json_each(?) AS m WHERE v.id = m.value ->> 0",
                (json.dumps(moved_here),),
            )


def _hold_with_status(connection: Any, held: list[tuple[Outcome, str, str, str | None, str, str, str | None]]) -> None:
    """A case's history entries answered as a conflict went with a status change made before another writer's
    (``ibic.status_conflict``): they wait, in state 'conflict', for the choice on the case's status, whose conflict
    this answer brought too (``SyncState.resolve_conflict`` keeps or drops them), or that the status's pending entry
    meets at its push or at the pull (the status changed again while its entry was on the wire: that entry, replaced,
    is not recorded; s34-rrace: the history's entry was then a conflict of its own, "Statushistorik", left out of the
    status's choice). One without either (a server that answers otherwise) is a conflict of its own, shown as any
    other."""
    for outcome, record_type, record_id, case_id, path, value, base_value in held:
        if connection.execute(
                "SELECT 1 FROM conflicts WHERE record_type = ? AND record_id = ? AND path = ? UNION ALL"
                " SELECT 1 FROM journal WHERE record_type = ? AND record_id = ? AND path = ? AND state = 'pending'",
                (record_type, record_id, STATUS) * 2).fetchone() is None:
            put_conflict(connection, record_type=record_type, record_id=record_id, case_id=case_id, path=path,
                         base_value=base_value, local_value=value, server_value=encode(outcome.server_value),
                         server_version=outcome.server_version or 0, op_id=outcome.op_id)


_SETTLED = ("applied", "duplicate")
# Each settled entry acknowledged (a superseded, parked or rejected one keeps its state) with its version, and the
# entries the journal holds given back with their record: one statement instead of a read of every entry's record,
# state and version before the write.
# The acknowledgements go as one JSON object, op id to version: each row of ``json_each`` is then a key and a value
# as they are, not an array parsed again for each of its elements (``->> 0``, ``->> 1``).
_ACKNOWLEDGE = (
    "UPDATE journal SET state = CASE state WHEN 'pending' THEN 'acknowledged' ELSE state END,"
    " server_version = a.value FROM json_each(?) AS a WHERE journal.op_id = a.key"
    " RETURNING op_id, record_type, record_id"
)
# The versions that move, one JSON object of record id to version each: a record's one entry moves it only to the
# next version (see storage.sync_state, ``_MOVE_NEXT``); a record of several (``_MOVE_TO``, rare) comes with the
# version its steps lead to from the stored one.
_MOVE_NEXT = ("UPDATE {table} AS v SET version = m.value FROM json_each(?) AS m WHERE v.id = m.key"
              " AND v.version + 1 = m.value")
_MOVE_TO = "UPDATE {table} AS v SET version = m.value FROM json_each(?) AS m WHERE v.id = m.key"


def _record_settled(connection: Any, outcomes: Sequence[Outcome], durable: bool) -> bool:
    """``record_outcomes`` of an answer that settles every entry, each op id once (the usual answer): the same
    writes, fewer statements and less Python (~1 ms less an answer of 500, on the push's critical path). False,
    nothing written, for any other answer."""
    acks = {outcome.op_id: outcome.new_version for outcome in outcomes}
    if len(acks) != len(outcomes) or any(outcome.status not in _SETTLED for outcome in outcomes):
        return False
    by_record: dict[tuple[str, str], list[str]] = {}
    for op_id, record_type, record_id in connection.execute(_ACKNOWLEDGE, (json.dumps(acks),)):
        by_record.setdefault((record_type, record_id), []).append(op_id)  # in any order
    # Records with entries still pending are rebased along their steps: usually none (the last answer of a push),
    # so the steps of the others are not worked out (their versions move in SQL).
    pending = _still_pending(connection, by_record)
    stepped = {key for key, op_ids in by_record.items() if len(op_ids) > 1 or key in pending}
    to_next: dict[str, dict[str, int]] = {record_type: {} for record_type in KINDS}
    to_step: dict[str, dict[str, int]] = {record_type: {} for record_type in KINDS}
    for key, op_ids in by_record.items():
        new_version = acks[op_ids[0]]
        if key not in stepped and new_version is not None:
            to_next[key[0]][key[1]] = new_version
    steps: list[tuple[str, str, int, int]] = []
    if stepped:  # a record's entries stepped through in the answer's order, as ``record_outcomes`` does
        order = {op_id: n for n, op_id in enumerate(acks)}
        for key, version in _versions(connection, stepped).items():
            answered = [acks[op_id] for op_id in sorted(by_record[key], key=order.__getitem__)]
            moved = _stepped(key, version, answered, steps)
            if moved != version:
                to_step[key[0]][key[1]] = moved
    _advance_pending(connection, steps, pending, durable)
    for statement, moves in ((_MOVE_NEXT, to_next), (_MOVE_TO, to_step)):
        for record_type, moved_here in moves.items():
            if moved_here:
                table = kind_of(record_type).versions_table
                connection.execute(statement.format(table=table), (json.dumps(moved_here),))
    return True


def _still_pending(connection: Any, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Those of these records that have entries still pending."""
    if connection.execute("SELECT 1 FROM journal WHERE state = 'pending' LIMIT 1").fetchone() is None:
        return set()  # the last answer of a push: nothing is left pending
    wanted = set(keys)
    return {tuple(row) for row in connection.execute(
        "SELECT DISTINCT journal.record_type, journal.record_id FROM json_each(?) AS j CROSS JOIN journal"
        " ON journal.state = 'pending' AND journal.record_id = j.value",
        (json.dumps(sorted({record_id for _, record_id in wanted})),),
    ) if tuple(row) in wanted}


def _versions(connection: Any, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The stored version of each of these records that exists."""
    found: dict[tuple[str, str], int] = {}
    for record_type in KINDS:
        ids = [record_id for kind, record_id in keys if kind == record_type]
        if ids:
            found.update(((record_type, record_id), int(version)) for record_id, version in connection.execute(
                f"SELECT v.id, v.version FROM json_each(?) AS j CROSS JOIN {kind_of(record_type).versions_table}"
                " AS v ON v.id = j.value", (json.dumps(ids),)))
    return found


def _stepped(key: tuple[str, str], version: int, answered: list[int | None],
             steps: list[tuple[str, str, int, int]]) -> int:
    """The record's version after the answers for its entries, in order (each moves it only to the next one)."""
    for new_version in answered:
        if new_version is not None and new_version == version + 1:
            steps.append((key[0], key[1], version, new_version))
            version = new_version
    return version


def _journal_states(connection: Any, op_ids: list[str]) -> tuple[dict[str, list[Any]], dict[tuple[str, str], int]]:
    """Journal rows by op id, [record_type, record_id, state] (state kept current by the caller), and the stored
    version of each existing record among them, in one statement."""
    joins = " ".join(f"LEFT JOIN {kind.versions_table} AS v{n} ON journal.record_type = '{name}'"
                     f" AND v{n}.id = journal.record_id" for n, (name, kind) in enumerate(KINDS.items()))
    found = ", ".join(f"v{n}.version" for n in range(len(KINDS)))
    entries: dict[str, list[Any]] = {}
    versions: dict[tuple[str, str], int] = {}
    for op_id, record_type, record_id, state, version in connection.execute(
        f"SELECT j.value, journal.record_type, journal.record_id, journal.state, coalesce({found}) FROM json_each(?)"
        f" AS j CROSS JOIN journal ON journal.op_id = j.value {joins}",
        (json.dumps(op_ids),),
    ):
        entries[op_id] = [record_type, record_id, state]
        if version is not None:
            versions[(record_type, record_id)] = int(version)
    return entries, versions


def _rebase(connection: Any, steps: list[tuple[str, str, int, int]], durable: bool) -> None:
    """Move entries still pending from each old version to the next, step by step, as ``advance`` does.

    Only records that still have pending entries are touched (usually none: a push acknowledges them all). An
    entry settled later in the same answer is no longer rebased; nothing reads the base of a settled entry.
    """
    if steps:
        _advance_pending(connection, steps, _still_pending(connection, {step[:2] for step in steps}), durable)


def _advance_pending(connection: Any, steps: list[tuple[str, str, int, int]], pending: set[tuple[str, str]],
                     durable: bool) -> None:
    """The steps of the records with entries still pending (``pending``) rebase them, as ``advance`` does; with
    ``durable`` False, if any would, none does and ``RebaseNotDurable`` is raised (the caller rolls back)."""
    if not durable and any(step[:2] in pending for step in steps):
        raise RebaseNotDurable()
    for record_type, record_id, current, new_version in steps:
        if (record_type, record_id) in pending:
            advance(connection, record_type, record_id, current, new_version)
