"""``revoke-device`` only goes forward (s27-srv). Before, ``retire`` after ``lost`` made a lost laptop retiring (its
pushes accepted again) and ``retire`` after ``retired`` let a laptop that had made its closing push push again;
running a command twice changed nothing and said nothing. Now a lost device stays lost (one line, exit status 1),
a retired one stays retired, and the same word again says so and exits 0, as ``revoke-integration`` run twice
does. IT takes a revocation back only with ``readmit-device``. Fails on main (retire after lost: exit status 0,
status 'retire'; nothing said of a command run twice)."""

from __future__ import annotations

import pytest
from sync_support import Env

from sync.server import admin, devices
from sync.server.db import connect
from sync.server.dev import DEMO_USER


def _run(env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
         *command: str) -> tuple[int, str]:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", env.database_url)
    capsys.readouterr()
    status = admin.main(list(command))
    return status, capsys.readouterr().err.strip()


def _status(env: Env, device_id: str) -> str:
    return str(env.sql("SELECT status FROM devices WHERE id = %s", (device_id,))[0]["status"])


def test_a_lost_device_is_not_made_retiring(env: Env, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    env.enroll(DEMO_USER, "laptop-gone")
    assert _run(env, monkeypatch, capsys, "revoke-device", "laptop-gone", "lost") == (0, "")
    status, error = _run(env, monkeypatch, capsys, "revoke-device", "laptop-gone", "retire")
    assert status == 1 and error.startswith("error: ") and "lost" in error and "\n" not in error, error
    assert _status(env, "laptop-gone") == "lost"
    status, note = _run(env, monkeypatch, capsys, "revoke-device", "laptop-gone", "lost")  # run twice
    assert status == 0 and note.startswith("note: ") and "nothing changed" in note
    assert _status(env, "laptop-gone") == "lost"


def test_a_retired_device_is_not_made_retiring_again_but_may_be_reported_lost(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.enroll(DEMO_USER, "laptop-done")
    assert _run(env, monkeypatch, capsys, "revoke-device", "laptop-done", "retire") == (0, "")
    with connect(env.database_url) as conn:
        devices.finish_retirement(conn, "laptop-done")  # its closing push arrived
    status, note = _run(env, monkeypatch, capsys, "revoke-device", "laptop-done", "retire")
    assert status == 0 and "nothing changed" in note
    assert _status(env, "laptop-done") == "retired"
    assert _run(env, monkeypatch, capsys, "revoke-device", "laptop-done", "lost") == (0, "")
    assert _status(env, "laptop-done") == "lost"


def test_an_integration_revoked_twice_says_so_and_keeps_its_first_time(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(env, monkeypatch, capsys, "create-integration", "lifecare", "Lifecare")[0] == 0
    assert _run(env, monkeypatch, capsys, "revoke-integration", "lifecare") == (0, "")
    first = env.sql("SELECT revoked_at FROM integrations WHERE id = 'lifecare'")
    status, note = _run(env, monkeypatch, capsys, "revoke-integration", "lifecare")
    assert status == 0 and note.startswith("note: ") and "nothing changed" in note, note  # said nothing on main
    assert env.sql("SELECT revoked_at FROM integrations WHERE id = 'lifecare'") == first


def test_a_revocation_run_again_that_lapses_a_readmission_code_says_so(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On s29-server (and main) it said "nothing changed" while the code IT had handed out stopped serving."""
    env.enroll(DEMO_USER, "laptop-back")
    assert _run(env, monkeypatch, capsys, "revoke-device", "laptop-back", "lost") == (0, "")
    assert _run(env, monkeypatch, capsys, "readmit-device", "laptop-back")[0] == 0
    status, note = _run(env, monkeypatch, capsys, "revoke-device", "laptop-back", "lost")
    assert status == 0 and note.splitlines() == [
        "note: the code issued earlier for this device and not yet used no longer serves",
        "note: the device was revoked so already"], note
    assert env.sql("SELECT count(*) AS n FROM device_readmissions WHERE lapsed_at IS NOT NULL") == [{"n": 1}]
    recorded = env.sql("SELECT command, target FROM admin_actions ORDER BY id")
    assert [r["command"] for r in recorded] == ["revoke-device", "readmit-device", "revoke-device"]  # attempts too
