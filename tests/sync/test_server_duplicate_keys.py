"""A request body holding the same key twice in an object is refused (422) and nothing is stored. Before, Python's
json module kept the last value without a word: an integration's ``{"values": {"phone": A, "phone": B}}`` wrote B
as if that were the one meant, and ``{"cursor": 0, "cursor": 5}`` pulled from 5 (RFC 8259: unpredictable)."""

from __future__ import annotations

import json

import httpx
from sync_support import Env, version_of
from test_integration_api import _key, _new_case, _register

from sync.server.dev import DEMO_USER


def _raw(env: Env, method: str, path: str, body: str, token: str) -> httpx.Response:
    return httpx.request(method, f"{env.base_url}{path}", content=body.encode("utf-8"), timeout=30,
                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})


def test_a_central_write_naming_a_field_twice_is_refused_and_nothing_is_stored(env: Env) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    version = version_of(env, "person", person["id"])
    before = env.stored_counts()
    body = '{"values": {"phone": "070-111 11 11", "phone": "070-222 22 22"}}'
    answer = _raw(env, "PATCH", f"/v1/integration/records/person/{person['id']}", body, key)
    assert answer.status_code == 422, answer.text
    assert answer.json() == {"protocol": 1, "error": "invalid_request",
                             "message": "The request does not match the sync protocol.",
                             "details": ["body: an object holds the same key twice"]}
    assert version_of(env, "person", person["id"]) == version
    assert env.stored_counts() == before
    once = '{"values": {"phone": "070-222 22 22"}}'
    assert _raw(env, "PATCH", f"/v1/integration/records/person/{person['id']}", once, key).status_code == 200


def test_a_registration_with_a_key_twice_deep_in_the_case_is_refused(env: Env) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    before = env.stored_counts()
    registration = json.dumps({"case": case, "person": person, "unit_id": "demo-unit", "user_id": DEMO_USER})
    twice = registration.replace('"given_name": ', '"given_name": "Annan", "given_name": ', 1)
    assert twice != registration
    answer = _raw(env, "POST", "/v1/integration/cases", twice, key)
    assert answer.status_code == 422, answer.text
    assert "Annan" not in answer.text
    assert env.stored_counts() == before
    assert _raw(env, "POST", "/v1/integration/cases", registration, key).status_code == 201


def test_a_pull_naming_its_cursor_twice_is_refused(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-1")
    answer = _raw(env, "POST", "/v1/pull", '{"cursor": 0, "cursor": 5}', device.token)
    assert answer.status_code == 422, answer.text
    assert answer.json()["details"] == ["body: an object holds the same key twice"]
    assert _raw(env, "POST", "/v1/pull", '{"cursor": 0}', device.token).status_code == 200
