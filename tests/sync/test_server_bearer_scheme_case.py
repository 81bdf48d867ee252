"""The "Bearer" scheme's name is matched without regard to case (RFC 9110, section 11.1; s25-probesrv): a valid
device token or integration key sent as "bearer <token>" or "BEARER <token>", as some HTTP libraries write it, was
answered 401 "a bearer access token is required". Fails on main for each route kind: the laptop's, the reports' and
the integration API's."""

from __future__ import annotations

import httpx
import pytest
from sync_support import Env
from test_integration_api import _key

from sync.server import roles
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER

SCHEMES = ["bearer", "BEARER", "bEaReR"]


def _token(env: Env) -> str:
    return env.enroll(DEMO_USER, "laptop-1").headers()["Authorization"].partition(" ")[2]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_device_token_under_any_case_of_the_scheme_pulls(env: Env, scheme: str) -> None:
    token = _token(env)
    answer = httpx.post(f"{env.base_url}/v1/pull", json={"limit": 1}, headers={"Authorization": f"{scheme} {token}"},
                        timeout=30)
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["changes"]) == 1


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_report_reader_under_any_case_of_the_scheme_reads_the_report(env: Env, scheme: str) -> None:
    with connect(env.database_url) as conn:
        roles.set_role(conn, DEMO_USER, roles.UNIT_REPORTS)
    token = _token(env)
    answer = httpx.get(f"{env.base_url}/v1/reports/units/{DEMO_UNIT}/internal-control", timeout=60,
                       params={"from": "2026-01-01", "to": "2026-12-31", "format": "json"},
                       headers={"Authorization": f"{scheme} {token}"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["unit_id"] == DEMO_UNIT


@pytest.mark.parametrize("scheme", SCHEMES)
def test_an_integration_key_under_any_case_of_the_scheme_reads_the_feed(env: Env, scheme: str) -> None:
    key = _key(env)
    answer = httpx.get(f"{env.base_url}/v1/integration/changes", params={"limit": 1}, timeout=30,
                       headers={"Authorization": f"{scheme} {key}"})
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["changes"]) == 1


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearertoken", "Token abc"])
def test_no_bearer_credential_is_still_a_401(env: Env, header: str) -> None:
    for method, path in (("POST", "/v1/pull"), ("GET", "/v1/integration/changes")):
        answer = httpx.request(method, f"{env.base_url}{path}", json={} if method == "POST" else None,
                               headers={"Authorization": header}, timeout=30)
        assert (answer.status_code, answer.json()["error"]) == (401, "not_authenticated"), (path, answer.text)
