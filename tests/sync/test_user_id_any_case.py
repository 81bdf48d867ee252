"""User ids are AD accounts, which ignore case (s26-probesrv): where IT or the central system names a user, a spelling
differing only in case names the user as the server stores it, as ``revoke-device`` already took a device id in any
case. Before, the central system's assignment to "Demo-User" for IT's "demo-user" was 422 ("the user is unknown"),
and so were IT's ``enrollment-code``, ``set-role`` and ``assign-case --user``. Two users from before ``create-user``
refused case variants are each named exactly, and a third spelling names neither. Fails on main (422, exit 1)."""

from __future__ import annotations

import pytest
from sync_support import Env, assigned_cases
from test_integration_api import _call, _key, _new_case, _register

from sync.server import admin
from sync.server.dev import DEMO_UNIT, DEMO_USER, OTHER_UNIT


def test_the_central_system_names_a_handlaggare_in_another_case(env: Env) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person, user="Demo-User").status_code == 201
    assert env.sql("SELECT assigned_user_id FROM case_access WHERE case_id = %s", (case["id"],)) == [
        {"assigned_user_id": DEMO_USER}]
    unassigned, its_person, _ = _new_case()
    assert _register(env, key, unassigned, its_person, user=None).status_code == 201
    moved = unassigned["id"]
    answer = _call(env, key, "PUT", f"/cases/{moved}/assignment", {"unit_id": DEMO_UNIT, "user_id": "DEMO-USER"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"protocol": 1, "unit_id": DEMO_UNIT, "user_id": DEMO_USER}  # as stored
    assert env.sql("SELECT assigned_user_id FROM case_access WHERE case_id = %s", (moved,)) == [
        {"assigned_user_id": DEMO_USER}]
    logged = env.stored_counts()
    again = _call(env, key, "PUT", f"/cases/{moved}/assignment", {"unit_id": DEMO_UNIT, "user_id": "demo-USER"})
    assert again.status_code == 200  # the assignment the case has: nothing logged again
    assert env.stored_counts() == logged
    refused = _call(env, key, "PUT", f"/cases/{moved}/assignment", {"unit_id": OTHER_UNIT, "user_id": "DEMO-USER"})
    assert refused.status_code == 422 and refused.json()["error"] == "invalid_assignee"  # still in its own unit


def test_it_names_a_user_in_another_case_in_its_commands(env: Env, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", env.database_url)
    capsys.readouterr()
    assert admin.main(["enrollment-code", "DEMO-USER"]) == 0
    code = capsys.readouterr().out.strip()
    assert env.sql("SELECT count(*) AS n FROM enrollment_codes WHERE user_id = %s AND used_at IS NULL",
                   (DEMO_USER,)) == [{"n": 2}]  # the demo's and this one
    assert env.enroll(DEMO_USER, "laptop-cli").user_id == DEMO_USER and code
    assert admin.main(["set-role", "Demo-User", "unit_reports"]) == 0
    assert env.sql("SELECT role FROM users WHERE id = %s", (DEMO_USER,)) == [{"role": "unit_reports"}]
    case, person, _ = _new_case()
    assert _register(env, _key(env), case, person, user=None).status_code == 201
    case_id = case["id"]
    assert admin.main(["assign-case", case_id, DEMO_UNIT, "--user", "DEMO-user"]) == 0
    assert case_id in {c["case_id"] for c in assigned_cases(env, DEMO_USER)}


def test_two_users_from_before_the_case_rule_are_each_named_exactly_and_a_third_spelling_names_neither(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.sql("INSERT INTO users (id, unit_id) VALUES ('Demo-User', %s)", (DEMO_UNIT,))
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", env.database_url)
    capsys.readouterr()
    assert admin.main(["set-role", "Demo-User", "municipal_reports"]) == 0
    assert admin.main(["set-role", "DEMO-USER", "unit_reports"]) == 1
    assert capsys.readouterr().err == "error: unknown user\n"
    assert env.sql("SELECT id, role FROM users WHERE lower(id) = 'demo-user' ORDER BY id") == [
        {"id": "Demo-User", "role": "municipal_reports"}, {"id": DEMO_USER, "role": "handlaggare"}]
