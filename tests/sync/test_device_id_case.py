"""Device ids differing only in case are one device (docs/sync.md "Device ids"). Before, "Laptop-Case" and
"laptop-case" enrolled as two devices with two credentials, and IT's revoke-device, typed from a label or a phone
call, reported "unknown device" for the other spelling. Both tests fail on main."""

from __future__ import annotations

import httpx
import pytest
from sync_support import VERIFY, Env

from sync.server import admin
from sync.server.dev import DEMO_USER, OTHER_USER


def _enroll(env: Env, device_id: str, user_id: str = DEMO_USER) -> httpx.Response:
    return httpx.post(f"{env.base_url}/v1/enroll", json={"code": env.new_code(user_id), "device_id": device_id},
                      verify=VERIFY)


@pytest.mark.parametrize("variant", ["laptop-case", "LAPTOP-CASE", "lAPTOP-cASE"])
def test_an_id_differing_only_in_case_is_refused_and_its_code_stays_unspent(env: Env, variant: str) -> None:
    assert _enroll(env, "Laptop-Case").status_code == 200
    stored = env.stored_counts()
    code = env.new_code(OTHER_USER)
    answer = httpx.post(f"{env.base_url}/v1/enroll", json={"code": code, "device_id": variant}, verify=VERIFY)
    assert answer.status_code == 409, answer.text
    assert "already enrolled" in answer.json()["message"] and "case" in answer.json()["message"]
    assert env.stored_counts() == stored
    assert env.sql("SELECT id FROM devices WHERE lower(id) = 'laptop-case'") == [{"id": "Laptop-Case"}]
    # The refused enrollment left its code unspent: a new device id takes it.
    again = httpx.post(f"{env.base_url}/v1/enroll", json={"code": code, "device_id": "laptop-other"}, verify=VERIFY)
    assert again.status_code == 200 and again.json()["user_id"] == OTHER_USER


def test_revoke_device_typed_in_another_case_revokes_that_device(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", env.database_url)  # the admin CLI, as IT runs it
    device = env.enroll(DEMO_USER, "4F2A9C-Laptop")
    bystander = env.enroll(DEMO_USER, "4f2a9c-laptop-2")
    assert admin.main(["revoke-device", "4f2a9c-LAPTOP", "lost"]) == 0
    answer = device.post("/v1/pull", {"cursor": 0, "limit": 1})
    assert answer.status_code == 410 and answer.json()["kind"] == "lost"
    assert bystander.post("/v1/pull", {"cursor": 0, "limit": 1}).status_code == 200
    capsys.readouterr()
    assert admin.main(["revoke-device", "no-such-laptop", "lost"]) == 1
    assert "unknown device" in capsys.readouterr().err


def test_two_rows_enrolled_before_the_rule_are_revoked_only_by_their_exact_id(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", env.database_url)
    upper = env.enroll(DEMO_USER, "OLD-LAPTOP")
    env.sql("INSERT INTO devices (id, user_id, name, credential_hash) SELECT 'old-laptop', user_id, name,"
            " credential_hash FROM devices WHERE id = 'OLD-LAPTOP'")  # as a server before session 25 could hold
    capsys.readouterr()
    assert admin.main(["revoke-device", "Old-Laptop", "lost"]) == 1
    assert "differ only in case" in capsys.readouterr().err
    assert env.sql("SELECT id FROM devices WHERE status <> 'active' ORDER BY id") == []
    assert admin.main(["revoke-device", "OLD-LAPTOP", "retire"]) == 0
    assert env.sql("SELECT id, status FROM devices WHERE lower(id) = 'old-laptop' ORDER BY id") == [
        {"id": "OLD-LAPTOP", "status": "retire"}, {"id": "old-laptop", "status": "active"}]
    assert upper.post("/v1/pull", {"cursor": 0, "limit": 1}).status_code == 410
