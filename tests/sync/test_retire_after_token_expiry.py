"""A device retired by IT gets an access token for the push (and audit) it may still make, and only for those
(s23-probesrv; the laptop's side: test_client_sync.py's retired laptop without a token).

Before, ``POST /v1/token`` answered a retiring device 410 like a pull: the laptop could not get the token its
allowed push needs, every sync ended "retired, not wiped" with the work pending, and only IT could save it. Fails
on main."""

from __future__ import annotations

import httpx
from sync_support import Env

from sync.server import central
from sync.server.db import connect
from sync.server.dev import DEMO_USER


def test_a_retiring_device_gets_a_token_only_its_push_and_audit_take(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-r")
    with connect(env.database_url) as conn:
        central.revoke_device(conn, "laptop-r", "retire")
    answer = httpx.post(f"{env.base_url}/v1/token",
                        json={"device_id": "laptop-r", "device_credential": device.credential})
    assert answer.status_code == 200, answer.text
    device.token = answer.json()["access_token"]
    pull = device.post("/v1/pull", {"cursor": 0})
    assert (pull.status_code, pull.json()["kind"], pull.json()["may_push"]) == (410, "retire", True)
    record = httpx.get(f"{env.base_url}/v1/records/case/any-case", headers=device.headers())
    assert (record.status_code, record.json()["kind"]) == (410, "retire")
    report = httpx.get(f"{env.base_url}/v1/reports/units/demo-unit/continuity", headers=device.headers(),
                       params={"from": "2026-01-01", "to": "2026-01-31"})
    assert report.status_code == 410, report.text
    assert device.push([]).json()["revocation"]["may_push"] is True
    # A restored profile being retired pulls before its last push, saying it knows it is retiring (s29).
    assert device.post("/v1/pull?retiring=true", {"cursor": 0}).status_code == 200
    device.push([], closing=True)
    closed = device.post("/v1/pull?retiring=true", {"cursor": 0})
    assert (closed.status_code, closed.json()["may_push"]) == (410, False)  # retired: nothing more
    retired = httpx.post(f"{env.base_url}/v1/token",
                         json={"device_id": "laptop-r", "device_credential": device.credential})
    assert (retired.status_code, retired.json()["may_push"]) == (410, False)
