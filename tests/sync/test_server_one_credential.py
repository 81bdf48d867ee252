"""A request that carries its credentials twice is refused, not read by its first one (lead, session 24).

``Authorization`` is not a list header; given twice, Starlette's ``Header`` read the first and a proxy in front may
read the last, so which caller a push counted as depended on who read it. Sent here over real HTTP to the server,
with a valid device token first and a second value after it: on 281bc10 the pull is answered (200, as the first
token's device) and the push applied; now both are 400 ``malformed_request`` saying which header, and the push
leaves the record as it was. One header, as every client sends, still works.
"""

from __future__ import annotations

import httpx
import pytest
from sync_support import VERIFY, Env

from sync.server.dev import DEMO_USER


def _twice(token: str, second: str) -> list[tuple[str, str]]:
    return [("Authorization", f"Bearer {token}"), ("Authorization", second)]


@pytest.mark.parametrize("second", ["Bearer someone-else", "Basic dXNlcjpwYXNz", "", "Bearer " + "x" * 8000],
                         ids=["another-token", "basic", "empty", "8000-characters"])
def test_a_pull_with_two_authorization_headers_is_refused(env: Env, second: str) -> None:
    device = env.enroll(DEMO_USER, "laptop-two-headers")
    headers = _twice(device.token, second)
    answer = httpx.post(f"{env.base_url}/v1/pull", json={"cursor": 0, "limit": 10}, headers=headers, verify=VERIFY)
    assert answer.status_code == 400, answer.text[:300]
    assert answer.json() == {"protocol": 1, "error": "malformed_request",
                             "message": "The Authorization header is given more than once.", "details": []}
    alone = httpx.post(f"{env.base_url}/v1/pull", json={"cursor": 0, "limit": 10}, headers=device.headers(),
                       verify=VERIFY)
    assert alone.status_code == 200  # the same token alone is the device's, as before


def test_a_push_with_two_authorization_headers_changes_nothing(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-two-headers")
    pulled, _cursor = device.pull_all()
    case_id = next(change["record_id"] for change in pulled if change["record_type"] == "case")
    version = _version(env, device.headers(), case_id)
    change = device.change(case_id, "origin_note", "Skrivet med två nycklar.", version)
    body = {"changes": [change.model_dump(mode="json")], "closing": False}
    answer = httpx.post(f"{env.base_url}/v1/push", json=body, headers=_twice(device.token, f"Bearer {device.token}"),
                        verify=VERIFY)
    assert answer.status_code == 400, answer.text[:300]
    assert answer.json()["error"] == "malformed_request"
    assert _version(env, device.headers(), case_id) == version  # nothing applied
    assert device.push([change]).status_code == 200  # one header: applied as before
    assert _version(env, device.headers(), case_id) == version + 1


def _version(env: Env, headers: dict[str, str], case_id: str) -> int:
    record = httpx.get(f"{env.base_url}/v1/records/case/{case_id}", headers=headers, verify=VERIFY)
    assert record.status_code == 200, record.text[:300]
    return int(record.json()["version"])


def test_the_health_check_with_two_authorization_headers_is_refused_as_documented(env: Env) -> None:
    answer = httpx.get(f"{env.base_url}/health", headers=[("Authorization", "a"), ("Authorization", "b")])
    assert answer.status_code == 400
    assert answer.json()["error"] == "malformed_request"
    documented = httpx.get(f"{env.base_url}/openapi.json").json()["paths"]["/health"]["get"]["responses"]
    assert "400" in documented
