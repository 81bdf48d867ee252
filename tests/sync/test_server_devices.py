"""The per-request device check: one statement, last contact kept (at most once a minute), no rebinding."""

from __future__ import annotations

from datetime import datetime

from sync_support import Env

from sync.server import central
from sync.server.db import connect
from sync.server.dev import DEMO_USER, OTHER_USER
from sync.server.devices import LAST_SEEN_EVERY_SECONDS


def _seen(env: Env, device_id: str) -> datetime | None:
    value = env.sql("SELECT last_seen_at FROM devices WHERE id = %s", (device_id,))[0]["last_seen_at"]
    return value if value is None else datetime.fromisoformat(str(value))


def test_last_contact_is_written_once_then_again_after_a_minute(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-seen")
    assert _seen(env, device.device_id) is None
    assert device.post("/v1/pull", {"cursor": 0, "limit": 10}).status_code == 200
    first = _seen(env, device.device_id)
    assert first is not None
    assert device.post("/v1/pull", {"cursor": 0, "limit": 10}).status_code == 200
    assert device.push([]).status_code == 200
    assert _seen(env, device.device_id) == first  # within the minute: the row is not rewritten
    env.sql("UPDATE devices SET last_seen_at = last_seen_at - make_interval(secs => %s) WHERE id = %s",
            (LAST_SEEN_EVERY_SECONDS + 1, device.device_id))
    aged = _seen(env, device.device_id)
    assert device.post("/v1/pull", {"cursor": 0, "limit": 10}).status_code == 200
    again = _seen(env, device.device_id)
    assert aged is not None and again is not None and again > aged and again >= first


def test_a_lost_device_is_refused_and_its_contact_is_still_recorded(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-lost")
    with connect(env.database_url) as conn:
        central.revoke_device(conn, device.device_id, "lost")
    answer = device.post("/v1/pull", {"cursor": 0, "limit": 10})
    assert answer.status_code == 410 and answer.json()["kind"] == "lost"
    assert _seen(env, device.device_id) is not None


def test_a_token_for_a_device_now_bound_to_another_user_is_refused_and_not_recorded(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-moved")
    env.sql("UPDATE devices SET user_id = %s WHERE id = %s", (OTHER_USER, device.device_id))
    stored = env.stored_counts()
    answer = device.post("/v1/pull", {"cursor": 0, "limit": 10})
    assert answer.status_code == 401 and answer.json()["error"] == "not_authenticated"
    assert _seen(env, device.device_id) is None
    assert device.push([device.change("x", "origin_note", "y", 0)]).status_code == 401
    assert env.stored_counts() == stored
