"""Every endpoint refuses another unit's case (403); tokens are checked on every request; revocation answers 410."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from sync_support import Device, Env, assigned_cases, version_of

from storage.audit import GENESIS_HASH, entry_hash
from sync.server import tokens
from sync.server.dev import DEMO_USER, OTHER_USER
from sync.server.openapi import openapi_text

# Endpoints that name no case, with the reason they cannot leak one.
UNSCOPED = {
    ("get", "/health"): "no data",
    ("post", "/v1/enroll"): "spends a one-time code; returns only the caller's own ids",
    ("post", "/v1/token"): "device credential only; returns a token",
    ("get", "/v1/audit/head"): "the calling device's own audit chain head (seq and hash); names no case",
}
# The case-management system's door: an integration key only; a device's valid token is refused there with 401
# (tests/sync/test_integration_api.py, every route).
UNSCOPED.update({
    (method, f"/v1/integration{path}"): "integration key only, never a device token"
    for method, path in (("get", "/changes"), ("get", "/records/{record_type}/{record_id}"), ("post", "/cases"),
                         ("post", "/cases/{case_id}/decisions"), ("put", "/cases/{case_id}/assignment"),
                         ("patch", "/records/{record_type}/{record_id}"))
})
# Reports: scoped by the user's role to a unit or the municipality, never to a case; a handläggare and another
# unit's samordnare get 403 (tests/sync/test_server_reports.py).
UNSCOPED.update({("get", f"/v1/reports{path}"): "role-scoped to a unit or the municipality"
                 for path in ("/units/{unit_id}/{report}", "/municipality/{report}")})


def _audit_entry(device: Device, case_id: str) -> dict[str, object]:
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    digest = entry_hash(GENESIS_HASH, 1, "e1", at, device.user_id, device.device_id, "view", case_id, "")
    return {"seq": 1, "entry_id": "e1", "at": at, "user_id": device.user_id, "device_id": device.device_id,
            "action": "view", "case_id": case_id, "detail": "", "prev_hash": GENESIS_HASH, "hash": digest}


Calls = dict[tuple[str, str], list[Callable[[], httpx.Response]]]


def _requests(device: Device, case_id: str, person_id: str) -> Calls:
    base, headers = device.base_url, device.headers()
    return {
        ("post", "/v1/push"): [
            lambda: device.push([device.change(case_id, "origin_note", "intrång", 0)]),
            lambda: device.push([device.change(person_id, "phone", "000", 0, record_type="person")]),
        ],
        ("post", "/v1/pull"): [lambda: device.post("/v1/pull", {"cursor": 0, "case_id": case_id})],
        ("post", "/v1/audit"): [lambda: device.post("/v1/audit", {"entries": [_audit_entry(device, case_id)]})],
        ("get", "/v1/records/{record_type}/{record_id}"): [
            lambda: httpx.get(f"{base}/v1/records/case/{case_id}", headers=headers),
            lambda: httpx.get(f"{base}/v1/records/person/{person_id}", headers=headers),
        ],
    }


def _openapi_operations() -> set[tuple[str, str]]:
    import json

    paths = json.loads(openapi_text())["paths"]
    return {(method, path) for path, item in paths.items() for method in item}


def test_every_endpoint_is_either_case_scoped_or_explicitly_unscoped(env: Env) -> None:
    outsider = env.enroll(OTHER_USER, "laptop-other")
    case = assigned_cases(env, DEMO_USER)[0]
    scoped = set(_requests(outsider, case["case_id"], case["person_id"]))
    assert scoped | set(UNSCOPED) == _openapi_operations()


@pytest.mark.parametrize(
    "operation",
    sorted(op for op in _openapi_operations() if op not in UNSCOPED),
)
def test_another_units_user_gets_403_and_nothing_is_stored(env: Env, operation: tuple[str, str]) -> None:
    outsider = env.enroll(OTHER_USER, "laptop-other")
    case = assigned_cases(env, DEMO_USER)[0]
    before = env.stored_counts()
    for call in _requests(outsider, case["case_id"], case["person_id"])[operation]:
        answer = call()
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"] == "forbidden"
    assert env.stored_counts() == before


def test_the_owning_units_user_is_allowed_on_the_same_requests(env: Env) -> None:
    insider = env.enroll(DEMO_USER, "laptop-a")
    case = assigned_cases(env, DEMO_USER)[0]
    for calls in _requests(insider, case["case_id"], case["person_id"]).values():
        for call in calls:
            assert call().status_code == 200


def test_reassigning_a_case_moves_access_on_the_next_request(env: Env) -> None:
    from sync.server import central
    from sync.server.db import connect

    insider = env.enroll(DEMO_USER, "laptop-a")
    outsider = env.enroll(OTHER_USER, "laptop-other")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    assert httpx.get(f"{env.base_url}/v1/records/case/{case_id}", headers=insider.headers()).status_code == 200
    with connect(env.database_url) as conn:
        central.assign_case(conn, case_id, "other-unit", OTHER_USER)
    # The same (still valid) token is refused now: authorisation is checked on every request.
    assert httpx.get(f"{env.base_url}/v1/records/case/{case_id}", headers=insider.headers()).status_code == 403
    pulled = {c["record_id"] for c in outsider.pull_all()[0]}
    assert case_id in pulled


AUTHENTICATED = [("post", "/v1/push", {"changes": []}), ("post", "/v1/pull", {"cursor": 0}),
                 ("post", "/v1/audit", {"entries": []}), ("get", "/v1/audit/head", None),
                 ("get", "/v1/records/case/x", None)]


@pytest.mark.parametrize(("method", "path", "body"), AUTHENTICATED)
def test_forged_missing_and_expired_tokens_are_refused(env: Env, method: str, path: str, body: object) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    forged = tokens.issue_token("not-the-secret", device.device_id, DEMO_USER, 600)
    expired = tokens.issue_token(env.config.token_secret, device.device_id, DEMO_USER, 600, now=1_000_000)
    other_user = tokens.issue_token(env.config.token_secret, device.device_id, OTHER_USER, 600)
    for header in ({"Authorization": f"Bearer {forged}"}, {}, {"Authorization": f"Bearer {expired}"},
                   {"Authorization": f"Bearer {other_user}"}, {"Authorization": "Bearer v1.e30.AAAA"}):
        answer = httpx.request(method, f"{env.base_url}{path}", json=body, headers=header)
        assert answer.status_code == 401, answer.text
        assert answer.json()["error"] == "not_authenticated"


def test_an_expired_token_is_refreshed_with_the_device_credential(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    device.token = tokens.issue_token(env.config.token_secret, device.device_id, DEMO_USER, 600, now=1_000_000)
    assert device.post("/v1/pull", {"cursor": 0}).status_code == 401
    answer = httpx.post(f"{env.base_url}/v1/token",
                        json={"device_id": device.device_id, "device_credential": device.credential})
    assert answer.status_code == 200
    device.token = answer.json()["access_token"]
    assert device.post("/v1/pull", {"cursor": 0}).status_code == 200
    wrong = httpx.post(f"{env.base_url}/v1/token", json={"device_id": device.device_id, "device_credential": "x" * 43})
    assert wrong.status_code == 401


def _revoke(env: Env, device: Device, kind: str) -> None:
    from sync.server import central
    from sync.server.db import connect

    with connect(env.database_url) as conn:
        central.revoke_device(conn, device.device_id, kind)


def test_a_lost_device_gets_a_wipe_instruction_everywhere_and_nothing_is_accepted(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    _revoke(env, device, "lost")
    before = env.stored_counts()
    answers = [
        device.push([device.change(case_id, "origin_note", "efter förlust", 0)]),
        device.post("/v1/pull", {"cursor": 0}),
        device.post("/v1/audit", {"entries": []}),
        httpx.get(f"{env.base_url}/v1/audit/head", headers=device.headers()),
        httpx.post(f"{env.base_url}/v1/token", json={"device_id": device.device_id,
                                                     "device_credential": device.credential}),
    ]
    for answer in answers:
        assert answer.status_code == 410
        assert answer.json()["kind"] == "lost" and answer.json()["may_push"] is False
    assert env.stored_counts() == before


def test_a_retired_device_may_push_its_pending_work_once_then_is_told_to_wipe(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    _revoke(env, device, "retire")
    pull = device.post("/v1/pull", {"cursor": 0})
    assert pull.status_code == 410 and pull.json() == {**pull.json(), "kind": "retire", "may_push": True}
    change = device.change(case_id, "origin_note", "sista", version_of(env, "case", case_id))
    pushed = device.push([change]).json()
    assert pushed["results"][0]["status"] == "applied"
    assert pushed["revocation"]["kind"] == "retire" and pushed["revocation"]["may_push"] is True
    closing = device.push([], closing=True).json()
    assert closing["revocation"]["may_push"] is False
    after = device.push([device.change(case_id, "origin_note", "för sent", 99)])
    assert after.status_code == 410 and after.json()["may_push"] is False
