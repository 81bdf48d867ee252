"""The integration API (/v1/integration/*) on a real server and PostgreSQL: keys, central writes that reach the
laptop, ownership of fields, conflicts instead of overwrites, the change feed, and bad input refused whole."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sync_support import Env, ThreadServer, make_laptop, new_config, version_of

from ibic.demo import demo_cases
from sync.server import admin, central, integrations
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER, OTHER_UNIT, OTHER_USER, seed_demo
from sync.server.errors import CentralWriteRefused

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
    capsys.readouterr()
    for bad in ("Treserva", "tre serva", "x" * 41, "", "a:b"):  # it names the writer of its changes: central:<id>
        assert admin.main(["create-integration", bad, "Treserva"]) == 1, bad
        assert "integration id is 1-40 lower-case" in capsys.readouterr().err
    assert _call(env, key, "GET", "/changes").status_code == 200
    capsys.readouterr()
    assert admin.main(["list-integrations"]) == 0
    listed = capsys.readouterr().out
    assert '"id": "treserva"' in listed and key not in listed and '"revoked_at": null' in listed
    assert env.sql("SELECT count(*) AS n FROM integrations WHERE key_hash LIKE %s", (f"%{key}%",))[0]["n"] == 0
    assert admin.main(["revoke-integration", "treserva"]) == 0
    assert admin.main(["revoke-integration", "nobody"]) == 1
    assert _call(env, key, "GET", "/changes").status_code == 401


def test_a_refused_registration_stores_nothing_and_can_be_sent_again_corrected(env: Env) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    before = env.stored_counts()
    refused = {
        "U+0000 in a name": _register(env, key, case, {**person, "family_name": "Test\u0000"}),
        "U+0000 in the case id": _register(env, key, {**case, "id": "c\u0000"}, person),
        "case id of 65 characters": _register(env, key, {**case, "id": "c" * 65}, person),
    }
    for name, answer in refused.items():
        assert answer.status_code == 422, (name, answer.text)
        assert answer.json()["error"] == "invalid_document" and "Test" not in answer.text, name
    assert env.stored_counts() == before
    assert _register(env, key, case, person).status_code == 201


@pytest.mark.parametrize(("field", "blank", "problem"), [
    ("given_name", "", "must not be blank"), ("family_name", "   ", "must not be blank"),
    ("given_name", "\t\n", "must not be blank"), ("family_name", "\u200b", "must not be blank"),  # invisible only
    ("family_name", "\u0301\u200d", "must not be blank"),  # a combining accent alone (s19-probe)
    ("given_name", "Tol\x01van", "must not hold control characters"),  # was 201 (s19-pushcheck)
    ("family_name", "Tolvans\u2028son", "must not hold control characters"),  # printed on two lines (s34)
])
def test_a_person_with_a_blank_name_is_refused_as_the_new_case_dialog_refuses_it(
    env: Env, field: str, blank: str, problem: str
) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    before = env.stored_counts()

    registered = _register(env, key, case, {**person, field: blank})

    assert registered.status_code == 422, registered.text  # was 201: a case whose person has no name
    assert registered.json()["error"] == "invalid_document" and f"{field}: {problem}" in registered.text
    assert env.stored_counts() == before
    assert _register(env, key, case, person).status_code == 201
    patched = _call(env, key, "PATCH", f"/records/person/{person['id']}", {"values": {field: blank}})
    assert patched.status_code == 422 and f"{field}: {problem}" in patched.text
    assert _call(env, key, "GET", f"/records/person/{person['id']}").json()["document"][field] == person[field]


def test_a_second_case_for_a_known_person_keeps_what_the_registration_does_not_name(env: Env) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, {**person, "phone": "070-123 45 67"}).status_code == 201
    slim = {k: person[k] for k in ("id", "given_name", "family_name", "personal_number")}
    second = {**_new_case()[0], "person_id": person["id"]}
    assert _register(env, key, second, slim).status_code == 201
    stored = _call(env, key, "GET", f"/records/person/{person['id']}").json()["document"]
    assert stored["phone"] == "070-123 45 67"


def test_a_field_write_applies_all_of_its_fields_or_none(env: Env) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    version = version_of(env, "case", case["id"])
    mixed = _call(env, key, "PATCH", f"/records/case/{case['id']}",
                  {"values": {"caseworker": "Ny handläggare", "case_number": "SN-0000-2"}})
    assert mixed.status_code == 409 and mixed.json()["error"] == "write_refused", mixed.text
    unstorable = _call(env, key, "PATCH", f"/records/person/{person['id']}",
                       {"values": {"phone": "070", "interpreter_language": "x\u0000"}})
    assert unstorable.status_code == 422, unstorable.text
    keyed_wrong = _call(env, key, "PATCH", f"/records/case/{case['id']}", {"values": {
        "decision_statuses/s2": {"id": "s1", "decision_id": "d1", "status": "ended", "on": "2026-11-23"}}})
    assert keyed_wrong.status_code == 422, keyed_wrong.text
    assert version_of(env, "case", case["id"]) == version
    stored = _call(env, key, "GET", f"/records/case/{case['id']}").json()["document"]
    assert stored["caseworker"] == case["caseworker"] and stored["decision_statuses"] == []
    assert _call(env, key, "GET", f"/records/person/{person['id']}").json()["document"]["phone"] == person["phone"]


def test_odd_ids_and_paths_get_a_clear_4xx_never_a_500(env: Env) -> None:
    key = _key(env)
    for method, path, body, status in (
        ("GET", "/records/case/a%00b", None, 404),
        ("PATCH", "/records/case/a%00b", {"values": {"caseworker": "x"}}, 404),
        ("PUT", "/cases/a%00b/assignment", {"unit_id": DEMO_UNIT}, 404),
        ("GET", f"/records/person/{'p' * 65}", None, 404),
        ("PATCH", "/records/person/p1", {"values": {"representatives/" + "r" * 600: {}}}, 422),
        ("PATCH", "/records/person/p1", {"values": {}}, 422),
    ):
        answer = _call(env, key, method, path, body)
        assert answer.status_code == status, (method, path, answer.text)


def test_concurrent_identical_registrations_store_the_case_once(env: Env) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(lambda _: _register(env, key, case, person).status_code, range(6)))
    assert statuses == [201] + [409] * 5
    assert env.sql("SELECT count(*) AS n FROM case_access WHERE case_id = %s", (case["id"],))[0]["n"] == 1


def test_central_is_never_enrolled_and_an_integration_key_opens_no_device_route(env: Env) -> None:
    code = env.new_code(DEMO_USER)
    for reserved in ("central", "Central", "central:lifecare"):
        refused = httpx.post(f"{env.base_url}/v1/enroll", json={"code": code, "device_id": reserved})
        assert refused.status_code == 401 and "reserved" in refused.json()["message"], reserved
    assert env.enroll(DEMO_USER, "laptop-1").user_id == DEMO_USER  # the code was not spent on the refusal…
    assert httpx.post(f"{env.base_url}/v1/enroll", json={"code": code, "device_id": "laptop-2"}).status_code == 200
    key = _key(env)
    headers = {"Authorization": f"Bearer {key}"}
    case_id = env.sql("SELECT case_id FROM case_access LIMIT 1")[0]["case_id"]
    for method, path, body in (("POST", "/v1/push", {"changes": []}), ("POST", "/v1/pull", {"cursor": 0}),
                               ("POST", "/v1/audit", {"entries": []}), ("GET", f"/v1/records/case/{case_id}", None)):
        answer = httpx.request(method, f"{env.base_url}{path}", json=body, headers=headers)
        assert answer.status_code == 401, (path, answer.text)


def test_no_device_id_can_spend_an_integrations_request_allowance(database_url: str) -> None:
    seed_demo(database_url)
    server = ThreadServer(new_config(database_url, rate_per_second=0.01, rate_burst=3)).start()
    try:
        env = Env(database_url, server.config, {}, base_url=f"http://127.0.0.1:{server.config.port}")
        key = _key(env)
        for device_id in ("lifecare", "integration:lifecare"):
            for _ in range(5):
                httpx.post(f"{env.base_url}/v1/token", json={"device_id": device_id, "device_credential": "x" * 43})
        assert [_call(env, key, "GET", "/changes").status_code for _ in range(4)] == [200, 200, 200, 429]
    finally:
        server.stop()


def test_a_central_write_checked_against_an_older_version_never_overwrites_a_laptop_edit_made_since(env: Env) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    checked_at = version_of(env, "person", person["id"])
    device = env.enroll(DEMO_USER, "laptop-1")
    edit = device.push([device.change(person["id"], "phone", "070-333 33 33", checked_at, record_type="person")])
    assert edit.json()["results"][0]["status"] == "applied"
    with connect(env.database_url) as conn, pytest.raises(CentralWriteRefused):
        central.central_write(conn, DEMO_UNIT, "person", person["id"], {"phone": "070-444 44 44"}, base=checked_at)
    assert _call(env, key, "GET", f"/records/person/{person['id']}").json()["document"]["phone"] == "070-333 33 33"


def test_a_decision_status_must_name_a_decision_the_case_holds(env: Env, tmp_path: Path) -> None:
    key = _key(env)
    case, person, decision = _new_case(with_decision=True)
    assert decision is not None and _register(env, key, case, person).status_code == 201
    assert _call(env, key, "POST", f"/cases/{case['id']}/decisions", decision).status_code == 201
    version = version_of(env, "case", case["id"])
    status = {"id": "s1", "decision_id": uuid.uuid4().hex, "status": "ended", "on": TODAY.isoformat()}
    stray = _call(env, key, "PATCH", f"/records/case/{case['id']}", {"values": {"decision_statuses/s1": status}})
    assert stray.status_code == 422 and "decision status" in stray.json()["message"], stray.text
    assert version_of(env, "case", case["id"]) == version
    held = {**status, "decision_id": decision["id"]}
    assert _call(env, key, "PATCH", f"/records/case/{case['id']}",
                 {"values": {"decision_statuses/s1": held}}).status_code == 200
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    assert [s.decision_id for s in laptop.profile.cases.load(case["id"]).decision_statuses] == [decision["id"]]


def test_the_change_log_names_the_integration_that_wrote_each_change(env: Env) -> None:
    lifecare, treserva = _key(env, "lifecare"), _key(env, "treserva")
    case, person, _ = _new_case()
    cursor = env.sql("SELECT coalesce(max(seq), 0) AS top FROM change_log")[0]["top"]
    assert _register(env, lifecare, case, person).status_code == 201
    assert _call(env, treserva, "PATCH", f"/records/case/{case['id']}",
                 {"values": {"caseworker": "Ny handläggare"}}).status_code == 200
    # A move (to the unit, unassigned): the same assignment again logs nothing (test_integration_assignment_twice.py).
    assert _call(env, treserva, "PUT", f"/cases/{case['id']}/assignment",
                 {"unit_id": DEMO_UNIT, "user_id": None}).status_code == 200
    writers = env.sql("SELECT DISTINCT device_id FROM change_log WHERE record_id IN (%s, %s)",
                      (case["id"], person["id"]))
    assert {r["device_id"] for r in writers} == {"central:lifecare", "central:treserva"}
    feed = _call(env, lifecare, "GET", f"/changes?cursor={cursor}&limit=1000").json()["changes"]
    mine = [c for c in feed if c["record_id"] == case["id"] and c["path"] == "caseworker"]
    assert [c["device_id"] for c in mine] == ["central:lifecare", "central:treserva", "central:treserva"]
