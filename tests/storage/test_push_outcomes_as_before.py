"""Recording a push's answers (``storage.push_outcomes``: JSON arrays read by ``json_each``, only moved versions
written) leaves the journal, the conflicts and the record versions exactly as the recording of 383e90d did (one
statement a row, every version written), for any mix of answers: applied, duplicate, conflict and rejected, the
same op answered twice or three times, op ids the journal does not hold, versions that are or are not the next
one, entries already settled, records with entries still pending (the rebase) and records deleted meanwhile.

The reference below is 383e90d's ``SyncState.record_push_outcomes`` and its helpers, as they were."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ibic.document_paths import diff
from storage import push_outcomes
from storage.journal import encode, put_conflict
from storage.profile import Profile
from storage.push_outcomes import PushOutcome, RebaseNotDurable, record_outcomes
from storage.repositories.sync_rows import KINDS, advance, kind_of
from storage.sync_state import RemoteChange

CHUNK = 500
TEXT = st.characters(exclude_categories=["Cs"])  # the server's answers are UTF-8: no lone surrogates


def _journal_entries(connection: Any, op_ids: list[str]) -> dict[str, list[Any]]:
    entries: dict[str, list[Any]] = {}
    for start in range(0, len(op_ids), CHUNK):
        chunk = op_ids[start:start + CHUNK]
        for row in connection.execute(
            "SELECT op_id, record_type, record_id, case_id, path, value, base_value, state FROM journal"
            f" WHERE op_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ).fetchall():
            entries[row[0]] = list(row[1:])
    return entries


def _record_versions(connection: Any, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    versions: dict[tuple[str, str], int] = {}
    for record_type in KINDS:
        ids = sorted(record_id for kind_name, record_id in keys if kind_name == record_type)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            for record_id, version in connection.execute(
                f"SELECT id, version FROM {kind_of(record_type).versions_table}"
                f" WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ).fetchall():
                versions[(record_type, record_id)] = int(version)
    return versions


def _rebase(connection: Any, steps: list[tuple[str, str, int, int]]) -> None:
    ids = sorted({record_id for _, record_id, _, _ in steps})
    pending: set[tuple[str, str]] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        pending.update(tuple(row) for row in connection.execute(
            "SELECT DISTINCT record_type, record_id FROM journal WHERE state = 'pending'"
            f" AND record_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ).fetchall())
    for record_type, record_id, current, new_version in steps:
        if (record_type, record_id) in pending:
            advance(connection, record_type, record_id, current, new_version)


def _recorded_before(connection: Any, outcomes: list[PushOutcome]) -> None:
    """383e90d's recording, inside the caller's transaction."""
    entries = _journal_entries(connection, [o.op_id for o in outcomes])
    versions = _record_versions(connection, {(e[0], e[1]) for e in entries.values()})
    acks: list[tuple[int | None, str]] = []
    rejects: list[tuple[str, str]] = []
    steps: list[tuple[str, str, int, int]] = []
    for outcome in outcomes:
        entry = entries.get(outcome.op_id)
        if entry is None:
            continue
        record_type, record_id, case_id, path, value, base_value, state = entry
        if outcome.status in ("applied", "duplicate"):
            acks.append((outcome.new_version, outcome.op_id))
            entry[6] = "acknowledged" if state == "pending" else state
            key = (record_type, record_id)
            if outcome.new_version is not None and key in versions and versions[key] + 1 == outcome.new_version:
                steps.append((record_type, record_id, versions[key], outcome.new_version))
                versions[key] = outcome.new_version
        elif outcome.status == "conflict" and state == "pending":
            connection.execute("UPDATE journal SET state = 'conflict' WHERE op_id = ?", (outcome.op_id,))
            put_conflict(connection, record_type=record_type, record_id=record_id, case_id=case_id, path=path,
                         base_value=base_value, local_value=value, server_value=encode(outcome.server_value),
                         server_version=outcome.server_version or 0, op_id=outcome.op_id)
            entry[6] = "conflict"
        elif outcome.status == "rejected":
            rejects.append((outcome.reason[:200], outcome.op_id))
            entry[6] = "rejected"
    connection.executemany(
        "UPDATE journal SET state = CASE state WHEN 'pending' THEN 'acknowledged' ELSE state END,"
        " server_version = ? WHERE op_id = ?",
        acks,
    )
    connection.executemany("UPDATE journal SET state = 'rejected', reason = ? WHERE op_id = ?", rejects)
    _rebase(connection, steps)
    for record_type in KINDS:
        connection.executemany(
            f"UPDATE {kind_of(record_type).versions_table} SET version = ? WHERE id = ?",
            [(version, key[1]) for key, version in versions.items() if key[0] == record_type],
        )


class _Undo(Exception):
    pass


def _after(profile: Profile, record: Any, outcomes: list[PushOutcome], deleted: str | None) -> Any:
    """The rows ``record`` leaves (journal, conflicts, versions), rolled back afterwards."""
    seen: list[Any] = []
    try:
        with profile._db.transaction() as connection:
            if deleted is not None:  # a record deleted meanwhile: its versions row is gone, its entries stay
                connection.execute(f"DELETE FROM {kind_of('case').versions_table} WHERE id = ?", (deleted,))
            record(connection, outcomes)
            seen.append(connection.execute(
                "SELECT op_id, record_type, record_id, case_id, path, op, value, base_value, base_version, state,"
                " server_version, typeof(server_version), reason FROM journal ORDER BY seq").fetchall())
            seen.append(connection.execute(
                "SELECT op_id, record_type, record_id, case_id, path, base_value, local_value, server_value,"
                " server_version FROM conflicts ORDER BY record_type, record_id, path").fetchall())
            for record_type in KINDS:
                seen.append(connection.execute(
                    f"SELECT id, version, typeof(version) FROM {kind_of(record_type).versions_table} ORDER BY id"
                ).fetchall())
            raise _Undo()
    except _Undo:
        pass
    return seen


def _answered_profile(profile: Profile, demo) -> tuple[list[str], list[str]]:
    """The demo's cases pulled, two entries on two fields of each pending, one of them already acknowledged:
    the op ids (and one the journal does not hold) and the case ids."""
    people, cases = demo
    profile.people.save_many(people)
    edits = [(case, edit) for case in cases for edit in diff({}, case.model_dump(mode="json"))]
    profile.sync.apply_remote([RemoteChange("case", case.id, edit.path, "set", edit.value, 1, seq, uuid.uuid4().hex)
                               for seq, (case, edit) in enumerate(edits, start=1)], new_cursor=len(edits))
    for round_number in range(2):  # two entries on each field: a record's versions move twice in one answer
        for case in cases:
            case.origin_note = f"Anteckning {round_number}"
            case.caseworker = f"Handläggare {round_number}"
            profile.cases.save(case)
    pending = profile.journal.pending(limit=1000)
    settled = pending[0].op_id  # an entry already acknowledged before this answer
    profile.sync.record_push_outcomes([PushOutcome(settled, "applied", new_version=2)])
    op_ids = [change.op_id for change in pending] + [uuid.uuid4().hex]  # the last one: not in the journal
    return op_ids, [case.id for case in cases]


def test_any_mix_of_answers_is_recorded_as_before(profile: Profile, demo) -> None:
    op_ids, case_ids = _answered_profile(profile, demo)

    outcome = st.builds(
        PushOutcome,
        op_id=st.sampled_from(op_ids),
        status=st.sampled_from(["applied", "duplicate", "conflict", "rejected"]),
        new_version=st.one_of(st.none(), st.integers(0, 6)),
        server_value=st.one_of(st.none(), st.text(TEXT, max_size=5), st.integers(), st.floats(allow_nan=False)),
        server_version=st.one_of(st.none(), st.integers(0, 6)),
        reason=st.text(TEXT, max_size=250),
    )

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(outcomes=st.lists(outcome, max_size=30), deleted=st.one_of(st.none(), st.sampled_from(case_ids)))
    def check(outcomes: list[PushOutcome], deleted: str | None) -> None:
        assert _after(profile, record_outcomes, outcomes, deleted) == _after(
            profile, _recorded_before, outcomes, deleted)

    check()


def test_answers_that_settle_every_entry_are_recorded_as_before(profile: Profile, demo, monkeypatch) -> None:
    """The usual answer (every op applied or duplicate, each once) takes its own shorter path
    (``push_outcomes._record_settled``): records answered for one entry or several, versions that are or are not
    the next one, in any order, entries pending on the record (the rebase) and records deleted meanwhile."""
    op_ids, case_ids = _answered_profile(profile, demo)
    general = []
    read_states = push_outcomes._journal_states
    monkeypatch.setattr(push_outcomes, "_journal_states", lambda *args: general.append(1) or read_states(*args))
    outcome = st.builds(PushOutcome, op_id=st.sampled_from(op_ids), status=st.sampled_from(["applied", "duplicate"]),
                        new_version=st.one_of(st.none(), st.integers(0, 6)))

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(outcomes=st.lists(outcome, max_size=40, unique_by=lambda o: o.op_id),
           deleted=st.one_of(st.none(), st.sampled_from(case_ids)))
    def check(outcomes: list[PushOutcome], deleted: str | None) -> None:
        assert _after(profile, record_outcomes, outcomes, deleted) == _after(
            profile, _recorded_before, outcomes, deleted)

    check()
    assert not general  # every answer took the shorter path


STATES = ["pending", "acknowledged", "conflict", "rejected", "superseded"]


def _prepared(record: Any, setup: dict[str, Any]) -> Any:
    """``record`` run on the journal and versions as ``setup`` leaves them first, and durably or not: what it
    raises (``RebaseNotDurable``) is part of what it leaves."""
    def prepared(connection: Any, outcomes: list[PushOutcome]) -> None:
        for (record_type, record_id), version in setup["versions"].items():  # e.g. another laptop's change pulled
            connection.execute(f"UPDATE {kind_of(record_type).versions_table} SET version = ? WHERE id = ?",
                               (version, record_id))
        for column, values in (("state", setup["states"]), ("base_version", setup["bases"])):
            connection.executemany(f"UPDATE journal SET {column} = ? WHERE op_id = ?",
                                   [(value, op_id) for op_id, value in values.items()])
        for record_type, record_id in setup["deleted"]:  # its versions row gone (its entries stay) ...
            connection.execute(f"DELETE FROM {kind_of(record_type).versions_table} WHERE id = ?", (record_id,))
        for record_type, record_id in setup["withdrawn"]:  # ... or withdrawn: it leaves with its history
            connection.execute(f"DELETE FROM {kind_of(record_type).versions_table} WHERE id = ?", (record_id,))
            connection.execute("DELETE FROM journal WHERE record_id = ?", (record_id,))
        connection.execute("SAVEPOINT recording")
        try:
            record(connection, outcomes, durable=setup["durable"])
        except RebaseNotDurable:  # the caller rolls the recording back: only that it was raised is compared
            connection.execute("ROLLBACK TO recording")
            connection.execute("UPDATE journal SET reason = 'RebaseNotDurable'")
        connection.execute("RELEASE recording")
    return prepared


def test_settled_answers_on_any_journal_are_recorded_as_the_general_path_does(profile: Profile, demo,
                                                                             monkeypatch) -> None:
    """The usual answer's own path against the general path (and 383e90d's recording, which is always durable) on
    journals the first profile does not reach: entries of people too, entries already parked, rejected or
    superseded, bases and record versions that moved meanwhile (another laptop's change pulled: the version the
    server answers is not the laptop's next one), records deleted or withdrawn with their entries, and a recording
    committed without an fsync (``RebaseNotDurable`` raised by both or neither)."""
    people, _ = demo
    _answered_profile(profile, demo)
    for number, person in enumerate(people[:2]):  # two entries each: a person's versions can move twice too
        person.given_name, person.family_name = f"Testperson{number}", f"Testsson{number}"
        profile.people.save(person)
    with profile._db.reading() as connection:
        rows = connection.execute("SELECT op_id, record_type, record_id FROM journal").fetchall()
    op_ids, records = [row[0] for row in rows], sorted({(row[1], row[2]) for row in rows})
    assert {record_type for record_type, _ in records} == set(KINDS)
    settled = push_outcomes._record_settled

    def general(connection: Any, outcomes: Sequence[PushOutcome], *, durable: bool = True) -> None:
        with monkeypatch.context() as patched:
            patched.setattr(push_outcomes, "_record_settled", lambda *args: False)
            record_outcomes(connection, outcomes, durable=durable)

    outcome = st.builds(PushOutcome, op_id=st.sampled_from([*op_ids, uuid.uuid4().hex]),
                        status=st.sampled_from(["applied", "duplicate"]), new_version=st.one_of(st.none(),
                                                                                              st.integers(0, 7)))
    setup = st.fixed_dictionaries({
        "versions": st.dictionaries(st.sampled_from(records), st.integers(0, 5), max_size=6),
        "states": st.dictionaries(st.sampled_from(op_ids), st.sampled_from(STATES), max_size=10),
        "bases": st.dictionaries(st.sampled_from(op_ids), st.integers(0, 5), max_size=10),
        "deleted": st.lists(st.sampled_from(records), max_size=2),
        "withdrawn": st.lists(st.sampled_from(records), max_size=1),
        "durable": st.booleans(),
    })

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(outcomes=st.lists(outcome, max_size=40, unique_by=lambda o: o.op_id), setup=setup)
    def check(outcomes: list[PushOutcome], setup: dict[str, Any]) -> None:
        assert push_outcomes._record_settled is settled
        left = _after(profile, _prepared(record_outcomes, setup), outcomes, None)
        assert left == _after(profile, _prepared(general, setup), outcomes, None)
        if setup["durable"]:
            before = _prepared(lambda connection, answers, durable: _recorded_before(connection, answers), setup)
            assert left == _after(profile, before, outcomes, None)

    check()
