"""IT re-admits a device the server knows (s27-srv): ``readmit-device`` prints a code bound to that device id.

Before, a device revoked under the advice before session 26 ("ask IT to revoke it first") could never be enrolled
again: its laptop's profile makes its device id once, every code met "already enrolled", and no command took a
revocation back. Now the device stays as it is until its laptop spends the re-admission code; then it has a new
credential and is active, its old credential and tokens are refused, and ``device_readmissions`` keeps the trace.
Every test here fails on main (no such command: argparse exits 2)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sync_support import Env, backends_waiting_for_a_lock

from sync.server import admin, central, tokens
from sync.server.db import connect
from sync.server.dev import DEMO_USER
from sync.server.devices import DEVICE_ID_LOCK


def _enroll(env: Env, code: str, device_id: str) -> httpx.Response:
    return httpx.post(f"{env.base_url}/v1/enroll", json={"code": code, "device_id": device_id, "user_id": DEMO_USER})


def _admin(env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
           *command: str) -> tuple[int, str, str]:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", env.database_url)
    capsys.readouterr()
    status = admin.main(list(command))
    seen = capsys.readouterr()
    return status, seen.out.strip(), seen.err.strip()


def _pull(env: Env, token: str) -> int:
    return httpx.post(f"{env.base_url}/v1/pull", json={}, headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_device_revoked_under_the_old_advice_is_readmitted_and_its_old_credential_and_token_stay_refused(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _enroll(env, env.new_code(DEMO_USER), "laptop-advised")  # the answer the laptop never read
    assert first.status_code == 200
    untagged = tokens.issue_token(env.config.token_secret, "laptop-advised", DEMO_USER, 600)  # an older server's
    assert _admin(env, monkeypatch, capsys, "revoke-device", "laptop-advised", "lost")[0] == 0  # the old advice
    refused = _enroll(env, env.new_code(DEMO_USER), "laptop-advised")
    assert refused.status_code == 409 and refused.json()["error"] == "device_already_enrolled", refused.text

    status, code, error = _admin(env, monkeypatch, capsys, "readmit-device", "LAPTOP-ADVISED")  # typed in any case
    assert (status, error) == (0, "") and len(code) == 14, (status, code, error)
    assert env.sql("SELECT status FROM devices WHERE id = 'laptop-advised'") == [{"status": "lost"}]  # until spent
    assert _pull(env, first.json()["access_token"]) == 401  # not 410: its laptop asks for the code (s27-rsrv)

    other = _enroll(env, code, "laptop-someone-else")  # bound to its device: no other id takes it
    assert other.status_code == 401 and "another device" in other.json()["message"], other.text
    again = _enroll(env, code, "laptop-advised")
    assert again.status_code == 200, again.text
    assert again.json()["user_id"] == DEMO_USER
    assert env.sql("SELECT status FROM devices WHERE id = 'laptop-advised'") == [{"status": "active"}]
    assert _pull(env, first.json()["access_token"]) == 401  # the old token: another credential's
    assert _pull(env, untagged) == 401  # a token naming no credential, from before tokens did: not this one's either
    old = httpx.post(f"{env.base_url}/v1/token", json={"device_id": "laptop-advised",
                                                       "device_credential": first.json()["device_credential"]})
    assert old.status_code == 401
    assert _pull(env, again.json()["access_token"]) == 200
    trace = env.sql("SELECT device_id, status_before, enrolled_at IS NOT NULL AS spent FROM device_readmissions")
    assert trace == [{"device_id": "laptop-advised", "status_before": "lost", "spent": True}]
    used = _enroll(env, code, "laptop-advised")  # the device has made a request since: the code is spent for good
    assert used.status_code == 409, used.text


def test_readmitting_twice_leaves_only_the_latest_code_and_a_revocation_after_it_voids_it(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _enroll(env, env.new_code(DEMO_USER), "laptop-twice").status_code == 200
    assert _admin(env, monkeypatch, capsys, "revoke-device", "laptop-twice", "retire")[0] == 0
    _, earlier, _ = _admin(env, monkeypatch, capsys, "readmit-device", "laptop-twice")
    status, later, note = _admin(env, monkeypatch, capsys, "readmit-device", "laptop-twice", "--hours", "2")
    assert status == 0 and "no longer serves" in note and later != earlier
    lapsed = _enroll(env, earlier, "laptop-twice")
    assert lapsed.status_code == 409, lapsed.text  # an ordinary refusal now: the device is known
    status, third, _ = _admin(env, monkeypatch, capsys, "readmit-device", "laptop-twice")
    assert _admin(env, monkeypatch, capsys, "revoke-device", "laptop-twice", "lost")[0] == 0  # IT's latest word
    for code in (later, third):
        assert _enroll(env, code, "laptop-twice").status_code == 409
    assert env.sql("SELECT status FROM devices WHERE id = 'laptop-twice'") == [{"status": "lost"}]
    assert env.sql("SELECT count(*) AS n FROM device_readmissions WHERE enrolled_at IS NULL"
                   " AND lapsed_at IS NOT NULL") == [{"n": 3}]


def test_readmit_device_with_odd_values_is_refused_in_one_line_and_stores_nothing(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _enroll(env, env.new_code(DEMO_USER), "laptop-odd").status_code == 200
    before = env.sql("SELECT count(*) AS n FROM enrollment_codes")
    for command in (["readmit-device", "no-such-laptop"], ["readmit-device", "x" * 10_000],
                    ["readmit-device", "laptop-odd\x00"], ["readmit-device", "laptop-odd", "--hours", "0"],
                    ["readmit-device", "laptop-odd", "--hours", "8761"], ["readmit-device", "låptop odd"]):
        status, out, error = _admin(env, monkeypatch, capsys, *command)
        assert status == 1 and out == "" and error.startswith("error: ") and "\n" not in error, (command, error)
    assert env.sql("SELECT count(*) AS n FROM enrollment_codes") == before
    assert env.sql("SELECT count(*) AS n FROM device_readmissions") == [{"n": 0}]


def test_a_revocation_while_the_readmission_code_is_being_spent_is_ordered_whole_before_it(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IT revokes the device while its laptop spends the re-admission code: both wait on the device id's lock, so
    the revocation is wholly first (the code lapsed, the enrollment 409, the device lost) and never half overridden
    by an enrollment that had read the code as valid. Driven by a test connection holding that lock."""
    device = env.enroll(DEMO_USER, "laptop-raced")
    assert device.post("/v1/pull", {}).status_code == 200  # used: only IT's code enrolls it again
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", env.database_url)
    with connect(env.database_url) as conn:
        code, _ = central.readmit_device(conn, "laptop-raced")
    with connect(env.database_url) as holder, ThreadPoolExecutor(max_workers=2) as pool:
        holder.execute("SELECT pg_advisory_xact_lock(%s, hashtext(lower(%s)))", (DEVICE_ID_LOCK, "laptop-raced"))
        revoked = pool.submit(admin.main, ["revoke-device", "laptop-raced", "lost"])
        backends_waiting_for_a_lock(env, 1)
        enrolled = pool.submit(_enroll, env, code, "laptop-raced")
        backends_waiting_for_a_lock(env, 2)
        holder.commit()  # let go: the waiters get the lock in the order they asked for it
        assert revoked.result() == 0
        answer = enrolled.result()
    assert answer.status_code == 409, answer.text
    assert env.sql("SELECT status FROM devices WHERE id = 'laptop-raced'") == [{"status": "lost"}]
    assert env.sql("SELECT enrolled_at IS NULL AS unspent, lapsed_at IS NOT NULL AS lapsed FROM device_readmissions"
                   ) == [{"unspent": True, "lapsed": True}]
