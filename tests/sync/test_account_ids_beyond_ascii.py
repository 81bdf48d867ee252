"""A user id IT may create holds more than the protocol's own ids: ``create-user`` takes 1-64 printable characters,
so "Åsa Öberg" (an AD display-style account) is a user, who enrolls as any other. But the audit upload held the user
id to the ASCII id pattern: once such a laptop had audited anything (a case opened), every sync stopped at its first
step with a validation error, so nothing it wrote ever reached the server. Fails on main (the laptop's sync raised a
ValidationError, its edit stayed pending)."""

from __future__ import annotations

from pathlib import Path

from sync_support import Env, assigned_cases, make_laptop

from sync.server import central
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER

USER = "Åsa Öberg"


def test_a_user_whose_id_is_not_ascii_syncs_audit_entries_and_edits(env: Env, tmp_path: Path) -> None:
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    with connect(env.database_url) as conn:
        central.create_user(conn, USER, DEMO_UNIT)
        central.assign_case(conn, case_id, DEMO_UNIT, USER)
    laptop = make_laptop(env, tmp_path / "asa", USER)
    laptop.sync()
    laptop.profile.audit.record("view", case_id=case_id)
    case = laptop.profile.cases.load(case_id)
    case.origin_note = "Ringde och bokade hembesök."
    laptop.profile.cases.save(case)
    report = laptop.sync()
    assert report.applied == 1 and report.rejected == 0
    assert laptop.profile.journal.pending_count() == 0
    audit = env.sql("SELECT user_id, case_id FROM audit_entries WHERE device_id = %s", (laptop.profile.device_id,))
    assert {"user_id": USER, "case_id": case_id} in audit
    assert env.sql("SELECT document->>'origin_note' AS note FROM record_documents WHERE record_type = 'case'"
                   " AND record_id = %s", (case_id,)) == [{"note": "Ringde och bokade hembesök."}]
    laptop.profile.lock()


def test_the_central_system_gives_cases_to_a_unit_and_user_whose_ids_are_not_ascii(env: Env, tmp_path: Path) -> None:
    # The integration API held unit_id and user_id to the protocol's id pattern: 422 for a unit and user IT created,
    # so the central system could give such a handläggare no case (fails on main).
    from test_integration_api import _call, _key, _new_case, _register

    unit = "Enhet Öst"
    with connect(env.database_url) as conn:
        central.create_unit(conn, unit, "Biståndsenhet Öst")
        central.create_user(conn, USER, unit)
    key = _key(env)
    case, person, _ = _new_case()
    answer = _register(env, key, case, person, user=USER, unit=unit)
    assert answer.status_code == 201, answer.text
    moved = assigned_cases(env, DEMO_USER)[0]["case_id"]
    answer = _call(env, key, "PUT", f"/cases/{moved}/assignment", {"unit_id": unit, "user_id": USER})
    assert answer.status_code == 200, answer.text
    assert {c["case_id"] for c in assigned_cases(env, USER)} == {case["id"], moved}
    laptop = make_laptop(env, tmp_path / "asa", USER)
    laptop.sync()
    assert {s.case_id for s in laptop.profile.cases.list_summaries()} == {case["id"], moved}
    laptop.profile.lock()
