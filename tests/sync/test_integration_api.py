"""The integration API (/v1/integration/*) on a real server and PostgreSQL: keys, central writes that reach the
laptop, ownership of fields, conflicts instead of overwrites, the change feed, and bad input refused whole."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sync_support import Env, make_laptop, version_of

from ibic.demo import demo_cases
from sync.server import admin, integrations
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER, OTHER_UNIT, OTHER_USER

TODAY = date(2026, 11, 23)


def _key(env: Env, integration_id: str = "lifecare") -> str:
    with connect(env.database_url) as conn:
        return integrations.create_integration(conn, integration_id, "Verksamhetssystemet")


def _call(env: Env, key: str | None, method: str, path: str, body: Any = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    return httpx.request(method, f"{env.base_url}/v1/integration{path}", json=body, headers=headers, timeout=30)


def _new_case(with_decision: bool = False) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]:
    """A fictitious demo case and its person under fresh ids (and one of its decisions, taken off the case)."""
    people, cases = demo_cases(TODAY)
    case = next(c for c in cases if bool(c.decisions) == with_decision)
    person = next(p for p in people if p.id == case.person_id).model_dump(mode="json")
    document = case.model_dump(mode="json")
    decision = document["decisions"][0] if with_decision else None
    person["id"] = uuid.uuid4().hex
    document.update(id=uuid.uuid4().hex, person_id=person["id"], decisions=[], decision_statuses=[])
    return document, person, decision


def _register(env: Env, key: str, case: dict[str, Any], person: dict[str, Any], user: str | None = DEMO_USER,
              unit: str = DEMO_UNIT) -> httpx.Response:
    return _call(env, key, "POST", "/cases", {"case": case, "person": person, "unit_id": unit, "user_id": user})


ROUTES = [
    ("GET", "/changes", None),
    ("GET", "/records/case/{case}", None),
    ("POST", "/cases", "registration"),
    ("POST", "/cases/{case}/decisions", "decision"),
    ("PUT", "/cases/{case}/assignment", {"unit_id": DEMO_UNIT, "user_id": DEMO_USER}),
    ("PATCH", "/records/person/{person}", {"values": {"phone": "070-000 00 00"}}),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_every_route_refuses_a_missing_forged_or_revoked_key_or_a_device_token_and_stores_nothing(
    env: Env, method: str, path: str, body: Any
) -> None:
    key = _key(env)
    case, person, decision = _new_case(with_decision=True)
    assert _register(env, key, case, person).status_code == 201
    with connect(env.database_url) as conn:
        integrations.revoke_integration(conn, "lifecare")
    payloads = {"registration": {"case": _new_case()[0], "person": person, "unit_id": DEMO_UNIT},
                "decision": decision}
    device_token = env.enroll(DEMO_USER, "laptop-1").token  # valid for /v1/push and /v1/pull, not here
    before = env.stored_counts()
    for attempt in (None, "hbi_" + "x" * 43, key, device_token):
        answer = _call(env, attempt, method, path.format(case=case["id"], person=person["id"]),
                       payloads.get(body, body) if isinstance(body, str) else body)
        assert answer.status_code == 401, (attempt is None, answer.text)
        assert answer.json()["error"] == "not_authenticated"
    assert env.stored_counts() == before


def test_a_case_and_a_decision_registered_over_http_reach_the_laptop(env: Env, tmp_path: Path) -> None:
    key = _key(env)
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    case, person, decision = _new_case(with_decision=True)
    answer = _register(env, key, case, person)
    assert answer.status_code == 201, answer.text
    assert answer.json()["case"]["version"] == version_of(env, "case", case["id"])
    laptop.sync()
    assert laptop.profile.cases.load(case["id"]).person_id == person["id"]
    assert laptop.profile.people.load(person["id"]).personal_number == person["personal_number"]

    assert decision is not None
    answer = _call(env, key, "POST", f"/cases/{case['id']}/decisions", decision)
    assert answer.status_code == 201, answer.text
    assert answer.json()["version"] == version_of(env, "case", case["id"])
    laptop.sync()
    assert [d.id for d in laptop.profile.cases.load(case["id"]).decisions] == [decision["id"]]

    again = _call(env, key, "POST", f"/cases/{case['id']}/decisions", {**decision, "motivation": "Ändrad"})
    assert again.status_code == 409 and again.json()["error"] == "write_refused"
    snapshot = _call(env, key, "GET", f"/records/case/{case['id']}").json()
    assert snapshot["document"]["decisions"] == [decision] and snapshot["version"] == answer.json()["version"]


def test_bad_registrations_are_refused_with_where_not_what_and_nothing_is_stored(env: Env) -> None:
    key = _key(env)
    case, person, decision = _new_case(with_decision=True)
    before = env.stored_counts()
    bad_number = _register(env, key, case, {**person, "personal_number": "19121212-1213"})
    assert bad_number.status_code == 422 and bad_number.json()["error"] == "invalid_document"
    assert "personal_number" in bad_number.json()["message"] and "1213" not in bad_number.json()["message"]
    cases = {
        "other person": (_register(env, key, {**case, "person_id": uuid.uuid4().hex}, person), 400),
        "unknown field": (_register(env, key, {**case, "secret": "x"}, person), 422),
        "unknown unit": (_register(env, key, case, person, unit="no-such-unit"), 404),
        "user of another unit": (_register(env, key, case, person, user=OTHER_USER), 422),
        "no body": (_call(env, key, "POST", "/cases", None), 422),
        "extra key": (_call(env, key, "POST", "/cases", {"case": case, "person": person, "unit_id": DEMO_UNIT,
                                                          "x": 1}), 422),
    }
    for name, (answer, status) in cases.items():
        assert answer.status_code == status, (name, answer.text)
        assert answer.json()["message"], name
    assert env.stored_counts() == before
    assert _register(env, key, case, person).status_code == 201
    duplicate = _register(env, key, case, person)
    assert duplicate.status_code == 409 and duplicate.json()["error"] == "case_exists"
    assert decision is not None
    invalid = _call(env, key, "POST", f"/cases/{case['id']}/decisions", {**decision, "outcome": "kanske"})
    assert invalid.status_code == 422 and "outcome" in invalid.json()["message"]
    unknown = _call(env, key, "POST", f"/cases/{uuid.uuid4().hex}/decisions", decision)
    assert unknown.status_code == 404


def test_the_central_system_writes_only_its_own_fields_and_a_stale_laptop_edit_becomes_a_conflict(
    env: Env, tmp_path: Path
) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    device = env.enroll(DEMO_USER, "laptop-1")
    seen = version_of(env, "person", person["id"])
    for refused in ({"investigation/areas": {}}, {"decisions/x": {}}, {"phone": "1", "origin_note": "x"}):
        answer = _call(env, key, "PATCH", f"/records/case/{case['id']}", {"values": refused})
        assert answer.status_code == 403, (refused, answer.text)
    broken = _call(env, key, "PATCH", f"/records/person/{person['id']}", {"values": {"personal_number": "x"}})
    assert broken.status_code == 422
    assert version_of(env, "person", person["id"]) == seen

    written = _call(env, key, "PATCH", f"/records/person/{person['id']}", {"values": {"phone": "070-111 11 11"}})
    assert written.status_code == 200, written.text
    assert written.json()["version"] == version_of(env, "person", person["id"]) > seen
    stale = device.push([device.change(person["id"], "phone", "070-222 22 22", seen, record_type="person")])
    result = stale.json()["results"][0]
    assert result["status"] == "conflict" and result["server_value"] == "070-111 11 11"
    assert _call(env, key, "GET", f"/records/person/{person['id']}").json()["document"]["phone"] == "070-111 11 11"
    missing = _call(env, key, "PATCH", f"/records/case/{uuid.uuid4().hex}", {"values": {"caseworker": "x"}})
    assert missing.status_code == 404


def test_an_assignment_over_http_moves_the_case_between_laptops(env: Env, tmp_path: Path) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    old, new = make_laptop(env, tmp_path / "old", DEMO_USER), make_laptop(env, tmp_path / "new", OTHER_USER)
    old.sync()
    assert old.profile.cases.load(case["id"]).id == case["id"]
    wrong = _call(env, key, "PUT", f"/cases/{case['id']}/assignment", {"unit_id": DEMO_UNIT, "user_id": OTHER_USER})
    assert wrong.status_code == 422
    moved = _call(env, key, "PUT", f"/cases/{case['id']}/assignment", {"unit_id": OTHER_UNIT, "user_id": OTHER_USER})
    assert moved.status_code == 200, moved.text
    assert old.sync().withdrawn_removed == 1
    new.sync()
    assert new.profile.cases.load(case["id"]).person_id == person["id"]


def test_the_change_feed_pages_through_every_change_in_order(env: Env) -> None:
    key = _key(env)
    device = env.enroll(DEMO_USER, "laptop-1")
    case_id = env.sql("SELECT case_id FROM case_access WHERE assigned_user_id = %s LIMIT 1", (DEMO_USER,))[0]["case_id"]
    pushed = device.push([device.change(case_id, "origin_note", "Från laptopen", version_of(env, "case", case_id))])
    assert pushed.json()["results"][0]["status"] == "applied"
    cursor, seen = 0, []
    while True:
        page = _call(env, key, "GET", f"/changes?cursor={cursor}&limit=97").json()
        seen.extend(page["changes"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    total = env.sql("SELECT count(*) AS n, max(seq) AS top FROM change_log")[0]
    assert [c["seq"] for c in seen] == sorted({c["seq"] for c in seen}) and len(seen) == total["n"]
    assert cursor == total["top"]
    last = seen[-1]
    assert (last["record_id"], last["path"], last["value"], last["device_id"]) == (
        case_id, "origin_note", "Från laptopen", "laptop-1")
    assert _call(env, key, "GET", f"/changes?cursor={cursor}").json() == {
        "protocol": 1, "changes": [], "next_cursor": cursor, "has_more": False}
    for query in ("limit=0", "limit=1001", "cursor=-1", "cursor=x"):
        answer = _call(env, key, "GET", f"/changes?{query}")
        assert answer.status_code == 422 and answer.json()["error"] == "invalid_request", query


def test_admin_cli_creates_lists_and_revokes_an_integration(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", env.database_url)
    assert admin.main(["create-integration", "treserva", "Treserva"]) == 0
    key = capsys.readouterr().out.strip()
    assert key.startswith(integrations.KEY_PREFIX)
    assert admin.main(["create-integration", "treserva", "Treserva"]) == 1  # an id is never reused
    assert _call(env, key, "GET", "/changes").status_code == 200
    capsys.readouterr()
    assert admin.main(["list-integrations"]) == 0
    listed = capsys.readouterr().out
    assert '"id": "treserva"' in listed and key not in listed and '"revoked_at": null' in listed
    assert env.sql("SELECT count(*) AS n FROM integrations WHERE key_hash LIKE %s", (f"%{key}%",))[0]["n"] == 0
    assert admin.main(["revoke-integration", "treserva"]) == 0
    assert admin.main(["revoke-integration", "nobody"]) == 1
    assert _call(env, key, "GET", "/changes").status_code == 401
