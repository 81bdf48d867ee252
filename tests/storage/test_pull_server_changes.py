"""A pulled page applied as the client parses it (the protocol's ``ServerChange`` objects, not copied into
``RemoteChange``s first) leaves exactly the state the same page as ``RemoteChange``s leaves: on two real SQLCipher
profiles, a page holding a conflicting change, an already applied change, a new case, a record that must be set aside
and an ordinary change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storage_support import CHEAP_KDF, PASSPHRASE

from ibic.cases import Case
from ibic.document_paths import diff
from ibic.people import Person
from storage.profile import Profile, create_profile
from storage.repositories.cases import CASE_KIND
from storage.repositories.documents import folded_text
from storage.sync_state import RemoteChange
from sync.protocol import PROTOCOL_VERSION, PullResponse

FAR = "9999-12-31"


def _fields(case: Case, version: int, first_seq: int) -> list[RemoteChange]:
    """Every field of ``case`` as pulled changes (what a first pull brings)."""
    edits = diff({}, case.model_dump(mode="json"))
    return [RemoteChange("case", case.id, e.path, "set", e.value, version, first_seq + i, f"op-{case.id}-{i}")
            for i, e in enumerate(edits)]


def _as_parsed(changes: list[RemoteChange], cursor: int) -> list[Any]:
    """The page as the client receives it: a PullResponse parsed from JSON, its ServerChange objects."""
    body = {"protocol": PROTOCOL_VERSION, "next_cursor": cursor, "has_more": False,
            "changes": [{"protocol": PROTOCOL_VERSION, "seq": c.seq, "record_type": c.record_type,
                         "record_id": c.record_id, "path": c.path, "op": c.op, "value": c.value,
                         "version": c.version, "op_id": c.op_id} for c in changes]}
    return list(PullResponse.model_validate_json(json.dumps(body)).changes)


def _state(profile: Profile) -> dict[str, Any]:
    """What the page left: documents and versions, conflicts, pending work, the quarantine, applied ops, cursor."""
    with profile._db.reading() as connection:  # the rows themselves, as stored
        cases = connection.execute(  # the pulled entries kept in rows of their own folded in (migration 0008)
            f"SELECT c.id, v.version, c.valid, c.case_number, c.status, d.document, {CASE_KIND.pulled_entries('d')}"
            " FROM cases AS c JOIN case_versions AS v ON v.id = c.id JOIN case_documents AS d ON d.id = c.id"
            " ORDER BY c.id").fetchall()
        cases = [(*row[:5], folded_text(row[5], row[6])) for row in cases]
        applied = connection.execute("SELECT seq, op_id, applied FROM remote_applied ORDER BY seq").fetchall()
        held = connection.execute(
            "SELECT op_id, seq, record_type, record_id, change, reason FROM quarantine ORDER BY seq").fetchall()
        journal = connection.execute(
            "SELECT record_id, path, value, base_value, base_version, state FROM journal ORDER BY record_id, path"
        ).fetchall()
    conflicts = [(c.record_id, c.path, c.base_value, c.local_value, c.server_value, c.server_version)
                 for c in profile.sync.conflicts()]
    return {"cases": [tuple(r) for r in cases], "applied": [tuple(r) for r in applied],
            "held": [tuple(r) for r in held], "journal": [tuple(r) for r in journal], "conflicts": conflicts,
            "cursor": profile.sync.cursor(), "unsynced": profile.sync.unsynced_count()}


def _roles(cases: list[Case]) -> tuple[Case, Case, Case, Case]:
    """The edited, the new, the breaking and the plainly changed case (a fourth made from the third)."""
    new = cases[2].model_copy(update={"id": "4c0ffee0000000000000000000000004", "case_number": "DEMO-2026-0004"})
    return cases[0], new, cases[1], cases[2]


def _run(folder: Path, demo: tuple[list[Person], list[Case]], parsed: bool) -> tuple[int, dict[str, Any]]:
    people, cases = demo
    profile = create_profile(folder, PASSPHRASE, user_id="handlaggare1", device_id="device1", kdf=CHEAP_KDF)
    try:
        profile.people.save_many(people)
        edited, new, breaking, plain = _roles(cases)
        first = [*_fields(edited, 1, 1), *_fields(breaking, 1, 1_000), *_fields(plain, 1, 2_000)]
        profile.sync.apply_remote(first, 3_000)
        earlier = RemoteChange("case", plain.id, "origin_note", "set", "Tidigare sida", 2, 3_001, "op-earlier")
        profile.sync.apply_remote([earlier], 3_001)
        local = profile.cases.load(edited.id)
        local.caseworker = "Jag, lokalt"
        profile.cases.save(local)  # pending: the page's change of the same field must become a conflict
        page = [
            earlier,  # already applied: applied nothing twice
            RemoteChange("case", edited.id, "caseworker", "set", "Kollega centralt", 2, 3_002, "op-conflict"),
            *_fields(new, 1, 3_003),  # a case this laptop has not had
            RemoteChange("case", breaking.id, "application/received_on", "set", FAR, 2, 3_900, "op-far"),
            RemoteChange("case", plain.id, "origin_note", "set", "Ändrad centralt", 3, 3_901, "op-plain"),
        ]
        applied = profile.sync.apply_remote(_as_parsed(page, 3_901) if parsed else page, 3_901)
        return applied, _state(profile)
    finally:
        profile.close()


def test_a_page_of_parsed_server_changes_leaves_the_state_a_page_of_remote_changes_leaves(
    tmp_path: Path, demo: tuple[list[Person], list[Case]]
) -> None:
    applied, state = _run(tmp_path / "as-remote-changes", demo, parsed=False)
    applied_parsed, state_parsed = _run(tmp_path / "as-parsed", demo, parsed=True)
    assert (applied_parsed, state_parsed) == (applied, state)
    # And the state is what the rules say, not merely the same twice.
    _people, cases = demo
    edited, new, breaking, plain = _roles(cases)
    [conflict] = state["conflicts"]
    assert (conflict[0], conflict[1], conflict[3], conflict[4]) == (
        edited.id, "caseworker", "Jag, lokalt", "Kollega centralt")  # the local value kept, both shown
    documents = {row[0]: json.loads(row[5]) for row in state["cases"]}
    assert documents[edited.id]["caseworker"] == "Jag, lokalt"
    assert documents[new.id] == new.model_dump(mode="json")
    assert documents[plain.id]["origin_note"] == "Ändrad centralt"
    assert documents[breaking.id]["application"]["received_on"] != FAR
    assert [(h[3], h[5]) for h in state["held"]] == [(breaking.id, "date_out_of_range")]
    assert [op_id for _seq, op_id, _applied in state["applied"]].count("op-plain") == 1
    assert len(state["applied"]) == len({(seq, op_id) for seq, op_id, _ in state["applied"]})
    assert state["cursor"] == 3_901
