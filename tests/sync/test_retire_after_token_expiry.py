"""A laptop retired by IT while its access token had expired (it was offline, or every sync starts a new child
process with no token) still pushes its pending work and then wipes (s23-probesrv).

Before, ``POST /v1/token`` answered a retiring device 410 like a pull: the laptop could not get the token its
allowed push needs, every sync ended "retired, not wiped" with the work pending, and only IT could save it. Fails
on main."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sync_support import Env, assigned_cases, make_laptop, server_documents

from storage.profile import profile_exists
from sync.errors import DeviceRevoked
from sync.server import central
from sync.server.db import connect
from sync.server.dev import DEMO_USER


def test_a_retired_laptop_without_a_valid_token_pushes_its_pending_work_then_wipes(env: Env, tmp_path: Path) -> None:
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    case = laptop.profile.cases.load(case_id)
    case.origin_note = "sista ändringen"
    laptop.profile.cases.save(case)
    with connect(env.database_url) as conn:
        central.revoke_device(conn, laptop.profile.device_id, "retire")
    laptop.session._token = None  # as a sync child starts, or after the token's ten minutes
    with pytest.raises(DeviceRevoked) as raised:
        laptop.sync()
    assert (raised.value.kind, raised.value.wiped) == ("retire", True)
    assert not profile_exists(laptop.directory)
    assert server_documents(env, DEMO_USER)[("case", case_id)]["origin_note"] == "sista ändringen"
    assert env.sql("SELECT status FROM devices WHERE id = %s", (laptop.session.credentials.device_id,)) == [
        {"status": "retired"}]


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
    assert device.push([]).json()["revocation"]["may_push"] is True
    device.push([], closing=True)
    retired = httpx.post(f"{env.base_url}/v1/token",
                         json={"device_id": "laptop-r", "device_credential": device.credential})
    assert (retired.status_code, retired.json()["may_push"]) == (410, False)
