"""The pull's bulk path (storage.repositories.pulled_bulk) writes what the general path writes. Random pages mix
records either path takes (pending local edits, conflicts, records held aside, hidden and withdrawn records,
persons, removes, summary entries, several changes to a record, changes applied before, this device's own changes
coming back, records not stored, values that do not validate); each page is applied once with the bulk path
switched off and rolled back, then with it on, and every table is compared row by row at the same point (before
the cursor is stored and the transaction commits). A real SQLCipher profile; the page goes in through
``apply_remote``."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from storage_support import CHEAP_KDF, PASSPHRASE, TODAY

from ibic.demo import demo_cases, fully_filled_case
from ibic.document_paths import MISSING, diff, get, leaves
from storage import quarantine
from storage.profile import Profile, create_profile
from storage.repositories import documents, pulled_bulk, sync_rows
from storage.sync_state import PushOutcome, RemoteChange, SyncState

_PEOPLE, _CASES = demo_cases(TODAY)
_FULL_PERSON, _FULL_CASE = fully_filled_case(TODAY)
_SOURCES: dict[str, list[dict[str, Any]]] = {
    "case": [c.model_dump(mode="json") for c in [*_CASES, _FULL_CASE]],
    "person": [p.model_dump(mode="json") for p in [*_PEOPLE, _FULL_PERSON]],
}
# Whole entries the bulk path may take (cases), and others that send a record the general way.
_ALONE = ("origin_note", "caseworker", "unit", "chosen_provider", "consents", "investigation", "proposals",
          "opened_on", "origin", "applicant", "status_history", "decision_notices", "provider_orders")
_ODD = st.sampled_from([None, {}, [], "", "\x00", "x" * 300, "å" * 3000, 2 ** 70, -1, True, {"okänd": 1}, "\ud800"])
# Columns that differ between two runs by construction (random ids, clocks, the audit chain's hashes).
_VARYING = {"conflict_id", "created_at", "entry_id", "at", "hash", "prev_hash", "since"}
_LOCAL_FIELD = {"case": "caseworker", "person": "language"}


def _dump(connection: Any) -> dict[str, list[tuple[Any, ...]]]:
    tables = [r[0] for r in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    dumped = {}
    for table in tables:
        columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})") if r[1] not in _VARYING]
        listed = ", ".join(f'"{c}"' for c in columns)
        dumped[table] = [tuple(row) for row in connection.execute(f"SELECT {listed} FROM {table} ORDER BY {listed}")]
    return dumped


class _RolledBack(Exception):
    """Ends the run with the bulk path off: its transaction is rolled back."""


@pytest.fixture
def switched(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """``bulk``: the bulk path on or off; ``rollback``: undo the page once dumped. The tables as ``_apply_records``
    left them land in ``dump``, its count in ``applied``; ``claimed`` counts the records the bulk path wrote. Every
    stamp is one per page (``stamp``), so versions rows compare whole."""
    state: dict[str, Any] = {"bulk": True, "rollback": False, "dump": None, "applied": None, "claimed": 0,
                             "stamp": "2026-11-23T08:00:00.000000+00:00"}
    apply_records = SyncState._apply_records
    claim = pulled_bulk.Bulk.claim
    settle = pulled_bulk.Bulk.settle

    def wrapped(self: SyncState, connection: Any, *args: Any) -> int:
        applied = apply_records(self, connection, *args)
        state["dump"], state["applied"] = _dump(connection), applied
        if state["rollback"]:
            raise _RolledBack()
        return applied

    def claim_switched(self: pulled_bulk.Bulk, *args: Any) -> bool:
        return bool(state["bulk"]) and claim(self, *args)

    def settle_counted(self: pulled_bulk.Bulk) -> pulled_bulk.Settled:
        settled = settle(self)
        state["claimed"] += len(settled.versions)
        return settled

    monkeypatch.setattr(SyncState, "_apply_records", wrapped)
    monkeypatch.setattr(pulled_bulk.Bulk, "claim", claim_switched)
    monkeypatch.setattr(pulled_bulk.Bulk, "settle", settle_counted)
    for module in (documents, sync_rows, pulled_bulk, quarantine):
        monkeypatch.setattr(module, "now_text", lambda: state["stamp"])
    return state


def _paths(record_type: str, document: dict[str, Any]) -> list[str]:
    extra = (*_ALONE, "decisions", "decision_statuses", "no_such_field", "origin_note/x",
             "investigation/assessments/d4/need") if record_type == "case" else ("no_such_field", "address/street")
    return sorted({*document, *leaves(document), *extra})


@st.composite
def _changes(draw: st.DrawFn, record_type: str, document: dict[str, Any]) -> list[tuple[str, str, Any, int]]:
    """(path, op, value, version) for one record: mostly sets of whole entries with good values (the bulk path's
    record), sometimes anything."""
    changes = []
    usual = record_type == "case" and draw(st.integers(0, 3)) > 0  # every change of the record such an edit
    for _ in range(draw(st.integers(1, 4))):
        common = usual or (record_type == "case" and draw(st.integers(0, 3)) > 0)
        path = draw(st.sampled_from(_ALONE if common else _paths(record_type, document)))
        op = "set" if common else draw(st.sampled_from(["set", "set", "remove"]))
        other = draw(st.sampled_from(_SOURCES[record_type]))
        good = [v for v in (get(document, path), get(other, path)) if v is not MISSING] or [None]
        value = draw(st.sampled_from(good)) if common and draw(st.integers(0, 4)) else draw(
            st.one_of(_ODD, st.sampled_from(good)))
        changes.append((path, op, value, draw(st.integers(1, 5))))
    return changes


# own: this device's edit, still pending, comes back; pushed: acknowledged first (nothing pending), then back.
_STATES = ("plain", "plain", "plain", "pending", "conflict", "held", "own", "pushed", "hidden", "withdrawn", "unknown")


def test_the_bulk_path_writes_what_the_general_path_writes(tmp_path: Path, switched: dict[str, Any]) -> None:
    directories = itertools.count(1)

    @settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        # A profile of its own each example: nothing of an earlier one changes what this one draws or meets.
        profile = create_profile(tmp_path / str(next(directories)), PASSPHRASE, user_id="handlaggare1",
                                 device_id="device1", kdf=CHEAP_KDF)
        try:
            _check(data, profile, switched)
        finally:
            profile.close()

    check()
    assert switched["claimed"] > 0  # the bulk path was taken


def _check(data: st.DataObject, profile: Profile, switched: dict[str, Any]) -> None:
    seqs = itertools.count(1)
    switched["stamp"] = "2026-11-23T08:00:00.000000+00:00"  # the records as they were before the page

    def apply(page: list[RemoteChange]) -> None:
        switched["bulk"], switched["rollback"] = True, False
        profile.sync.apply_remote(page, page[-1].seq)

    records = []
    states = data.draw(st.permutations(_STATES))  # each record another state: a page meets several at once
    kinds = data.draw(st.lists(st.sampled_from(["case", "case", "case", "person"]), min_size=1, max_size=6))
    for record_type, state in zip(kinds, states, strict=False):
        source = data.draw(st.sampled_from(_SOURCES[record_type]))
        local = state if record_type == "case" or state in _STATES[:-3] else "plain"
        record_id = uuid.uuid4().hex
        document = source | {"id": record_id}
        if local == "hidden":
            del document[data.draw(st.sampled_from(["origin_note", "chosen_provider", "consents"]))]
        changes = data.draw(_changes(record_type, document))
        if local in ("own", "pushed") and data.draw(st.booleans()):
            changes = []  # the own change alone
        records.append((record_type, record_id, document, local, changes))
    first = [RemoteChange(t, i, e.path, e.op, e.value, 1, next(seqs), uuid.uuid4().hex)  # type: ignore[arg-type]
             for t, i, d, local, _ in records if local != "unknown" for e in diff({}, d)]
    if first:
        apply(first)
    extra: list[RemoteChange] = []  # this device's own changes coming back
    for record_type, record_id, _document, local, _ in records:
        repository = profile.cases if record_type == "case" else profile.people
        if local in ("pending", "conflict", "own", "pushed"):
            loaded = repository.load(record_id)
            setattr(loaded, _LOCAL_FIELD[record_type], f"Lokalt {record_id[:4]}")
            repository.save(loaded)  # type: ignore[arg-type]
        if local == "conflict":
            apply([RemoteChange(record_type, record_id, _LOCAL_FIELD[record_type], "set",  # type: ignore[arg-type]
                                "Centralt", 2, next(seqs), uuid.uuid4().hex)])
        if local in ("own", "pushed"):
            [own] = [e for e in profile.journal.pending() if e.record_id == record_id]
            if local == "pushed":
                profile.sync.record_push_outcomes([PushOutcome(own.op_id, "applied", new_version=2)])
            extra.append(RemoteChange(record_type, record_id, own.path, own.op, own.value, 2,  # type: ignore[arg-type]
                                      0, own.op_id))
        if local == "held":
            kept = RemoteChange(record_type, record_id, "origin_note", "set",  # type: ignore[arg-type]
                                data.draw(st.sampled_from(["Hållen", 5])), 2, next(seqs), uuid.uuid4().hex)
            with profile._db.transaction() as connection:
                quarantine.put(connection, [asdict(kept)], "invalid_record")
        if local == "withdrawn":
            profile.withdrawals.withdraw([record_id])
    queues = [[(t, i, *change, uuid.uuid4().hex) for change in changes] for t, i, _, _, changes in records]
    queues.append([(c.record_type, c.record_id, c.path, c.op, c.value, c.version, c.op_id) for c in extra])
    mix = data.draw(st.randoms(use_true_random=False))  # records interleaved, each record's own order kept
    page: list[RemoteChange] = []
    while any(queues):
        t, i, path, op, value, version, op_id = mix.choice([q for q in queues if q]).pop(0)
        page.append(RemoteChange(t, i, path, op, value, version, next(seqs), op_id))  # type: ignore[arg-type]
    again = data.draw(st.sampled_from(["no", "first", "twice"]))
    # A change applied before (a whole entry in a record's first pull: the bulk path's kind), or one twice.
    sent = {"no": [], "first": [c for c in first if c.path in _ALONE], "twice": page}[again]
    if sent:
        page.insert(data.draw(st.integers(0, len(page))), data.draw(st.sampled_from(sent)))
    switched["stamp"] = "2026-11-23T09:00:00.000000+00:00"

    switched["bulk"], switched["rollback"] = False, True
    with pytest.raises(_RolledBack):
        profile.sync.apply_remote(page, page[-1].seq)
    general, general_applied = switched["dump"], switched["applied"]
    switched["bulk"], switched["rollback"] = True, False
    claimed = switched["claimed"]
    assert profile.sync.apply_remote(page, page[-1].seq) == general_applied
    event(f"records in bulk: {switched['claimed'] - claimed}")
    for _, _, _, local, _ in records:
        event(f"a record {local}")
    for table, rows in general.items():
        assert switched["dump"][table] == rows, table
