"""User ids are AD accounts, which ignore case (s26-probesrv): where IT or the central system names a user, a spelling
differing only in case names the user as the server stores it, as ``revoke-device`` already took a device id in any
case. Before, the central system's assignment to "Demo-User" for IT's "demo-user" was 422 ("the user is unknown"),
and so were IT's ``enrollment-code``, ``set-role`` and ``assign-case --user``. Two users from before ``create-user``
refused case variants are each named exactly, and a third spelling names neither. Fails on main (422, exit 1)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sync_support import Device, Env, assigned_cases, version_of
from test_integration_api import _call, _key, _new_case, _register

from storage.audit import GENESIS_HASH, entry_hash
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


def test_a_device_cannot_write_audit_entries_or_ops_naming_a_user_from_before_the_case_rule(env: Env) -> None:
    """Audit entries are stored as sent (their hash covers the user id): ``same_user_id`` alone let a device of
    "demo-user" upload entries naming "Demo-User", another account from before the case rule, which the server's
    audit then showed as that user's views (s26-rprobesrv). Only a spelling that names the device's user
    (``stored_user_id``) is taken; no enrollment gives a profile such a name, so only a forged upload meets this."""
    env.sql("INSERT INTO users (id, unit_id) VALUES ('Demo-User', %s)", (DEMO_UNIT,))
    device = env.enroll(DEMO_USER, "laptop-beside-legacy")
    before = env.stored_counts()
    for named in ("Demo-User", "DEMO-USER"):  # the other account exactly; a spelling of both, which names neither
        entry = _audit_entry(device, named)
        answer = device.post("/v1/audit", {"entries": [entry]})
        assert answer.status_code == 403, answer.text
        case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
        change = device.change(case_id, "origin_note", "Skrivet.", version_of(env, "case", case_id))
        pushed = device.push([change.model_copy(update={"user_id": named})])
        assert pushed.json()["results"][0]["status"] == "rejected", pushed.text
    assert env.stored_counts() == before
    assert device.post("/v1/audit", {"entries": [_audit_entry(device, DEMO_USER)]}).status_code == 200


def _audit_entry(device: Device, user_id: str) -> dict[str, object]:
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    digest = entry_hash(GENESIS_HASH, 1, "e1", at, user_id, device.device_id, "view", None, "")
    return {"seq": 1, "entry_id": "e1", "at": at, "user_id": user_id, "device_id": device.device_id, "action": "view",
            "case_id": None, "detail": "", "prev_hash": GENESIS_HASH, "hash": digest}
