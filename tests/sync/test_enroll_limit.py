"""Enrollment is the one request without a credential: guessing codes is slowed per address, and spends nothing."""

from __future__ import annotations

import uuid

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_support import ProcessServer, ThreadServer, new_config

from sync.server.access import Conn
from sync.server.db import connect
from sync.server.dev import DEMO_USER, seed_demo
from sync.server.errors import RateLimited
from sync.server.limits import RateLimiter


def test_guessing_enrollment_codes_is_slowed_per_address_and_spends_nothing(database_url: str) -> None:
    codes = seed_demo(database_url)
    config = new_config(database_url, enroll_burst=3, enroll_per_minute=0.01)
    server = ThreadServer(config).start()
    try:
        url = f"http://127.0.0.1:{config.port}/v1/enroll"
        guesses = [httpx.post(url, json={"code": f"GUESS-{n:04d}-XXXX", "device_id": f"d{n}"}) for n in range(3)]
        assert [g.status_code for g in guesses] == [401] * 3
        refused = httpx.post(url, json={"code": codes[DEMO_USER], "device_id": "laptop-a"})
        assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
        assert "address" in refused.json()["message"]
        with connect(database_url) as conn:
            row = conn.execute("SELECT count(*) AS n FROM enrollment_codes WHERE used_at IS NOT NULL").fetchone()
            devices = conn.execute("SELECT count(*) AS n FROM devices").fetchone()
        assert row is not None and row["n"] == 0 and devices is not None and devices["n"] == 0
    finally:
        server.stop()


def test_wrong_device_credentials_are_slowed_per_address_and_never_stop_the_device_they_name(
    database_url: str,
) -> None:
    codes = seed_demo(database_url)
    config = new_config(database_url, enroll_burst=4, enroll_per_minute=0.01, rate_burst=3, rate_per_second=0.01)
    server = ThreadServer(config).start()
    try:
        base = f"http://127.0.0.1:{config.port}"
        enrolled = httpx.post(f"{base}/v1/enroll", json={"code": codes[DEMO_USER], "device_id": "laptop-a"}).json()
        guesses = [httpx.post(f"{base}/v1/token", json={"device_id": "laptop-a", "device_credential": "x" * 43})
                   for _ in range(5)]
        assert [g.status_code for g in guesses] == [401, 401, 401, 429, 429]
        # The laptop named by every guess still refreshes and syncs: its allowance was never spent by them.
        fresh = httpx.post(f"{base}/v1/token",
                           json={"device_id": "laptop-a", "device_credential": enrolled["device_credential"]})
        assert fresh.status_code == 200, fresh.text
        pulled = httpx.post(f"{base}/v1/pull", json={"cursor": 0},
                            headers={"Authorization": f"Bearer {fresh.json()['access_token']}"})
        assert pulled.status_code == 200
    finally:
        server.stop()


class _Clock:
    """A hand-moved clock, so the limiter's refill is decided by the test, not by how fast the machine is."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _allowed(conn: Conn, limiter: RateLimiter, key: str) -> bool:
    try:
        limiter.check(conn, key)
    except RateLimited:
        return False
    return True


def _rows(conn: Conn, scope: str) -> int:
    row = conn.execute("SELECT count(*) AS n FROM rate_buckets WHERE scope = %s", (scope,)).fetchone()
    conn.commit()
    assert row is not None
    return int(row["n"])


def test_buckets_that_refilled_are_pruned_and_a_limited_address_stays_limited(database_url: str) -> None:
    clock = _Clock()
    limiter = RateLimiter(rate=1.0, burst=2, subject="address", prune_every=1.0, clock=clock)
    with connect(database_url) as conn:
        for key in ("a", "b", "c", "d"):
            assert _allowed(conn, limiter, key)
        assert _allowed(conn, limiter, "a") and not _allowed(conn, limiter, "a")  # "a" has spent its burst
        assert _rows(conn, "address") == 4
        clock.now += 1.5  # b, c, d are full again (1 + 1.5 >= 2); a holds 1.5 tokens; a prune is due
        assert _allowed(conn, limiter, "e")  # the full buckets go, "a" (still refilling) stays
        assert _rows(conn, "address") == 2
        assert _allowed(conn, limiter, "a") and not _allowed(conn, limiter, "a")  # pruning forgave nothing
        for key in ("f", "g"):
            assert _allowed(conn, limiter, key)
        assert _rows(conn, "address") == 4  # no prune before another second has passed


def test_while_every_bucket_is_still_refilling_nothing_is_pruned(database_url: str) -> None:
    clock = _Clock()
    limiter = RateLimiter(rate=0.001, burst=1, subject="address", prune_every=0.0, clock=clock)
    keys = [f"2001:db8::{n:x}" for n in range(10)]
    with connect(database_url) as conn:
        assert all(_allowed(conn, limiter, key) for key in keys)
        assert _rows(conn, "address") == 10
        assert not any(_allowed(conn, limiter, key) for key in keys)


def test_pruning_never_waits_for_a_bucket_another_request_is_taking(database_url: str) -> None:
    # Two workers each taking a token and pruning in the same transaction waited for each other's row: a deadlock.
    clock = _Clock()
    limiter = RateLimiter(rate=1.0, burst=2, subject="address", prune_every=1.0, clock=clock)
    with connect(database_url) as other, connect(database_url) as conn:
        assert _allowed(conn, limiter, "busy")
        clock.now += 100.0  # "busy" is full again by now: a prune would delete it
        other.execute(limiter.TAKE, limiter.parameters("busy")).fetchone()  # another worker, mid-request
        conn.execute("SET lock_timeout = '5s'")
        conn.commit()
        assert _allowed(conn, limiter, "fresh")  # its prune skips "busy" instead of waiting (or failing) on it
        other.commit()
        assert _rows(conn, "address") == 2
        assert _allowed(conn, limiter, "busy") and not _allowed(conn, limiter, "busy")  # its state was kept


# The database is the session cluster's, one per test function; each example uses scopes of its own.
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from("abcdefgh"), st.floats(min_value=0.0, max_value=3.0)), max_size=60))
def test_pruning_never_changes_a_decision(database_url: str, steps: list[tuple[str, float]]) -> None:
    clock = _Clock()
    example = uuid.uuid4().hex
    pruned = RateLimiter(rate=0.7, burst=3, scope=f"pruned-{example}", prune_every=0.0, clock=clock)
    unbounded = RateLimiter(rate=0.7, burst=3, scope=f"kept-{example}", prune_every=10.0**9, clock=clock)
    with connect(database_url) as conn:
        for key, pause in steps:
            clock.now += pause
            assert _allowed(conn, pruned, key) == _allowed(conn, unbounded, key)


def _guess(url: str, client: str, code: str = "GUESS-0000-XXXX", source: str = "127.0.0.1") -> int:
    """One enrollment attempt sent from ``source`` (a loopback address) naming ``client`` in X-Forwarded-For."""
    with httpx.Client(transport=httpx.HTTPTransport(local_address=source)) as http:
        answer = http.post(url, json={"code": code, "device_id": f"laptop-{uuid.uuid4().hex[:8]}"},
                           headers={"X-Forwarded-For": client})
    return answer.status_code


def test_behind_a_trusted_proxy_each_laptop_has_its_own_enrollment_bucket(
        database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    codes = seed_demo(database_url)
    # Started as in production (python -m sync.server), the proxy's address given as IT would: an environment
    # variable. The proxy is 127.0.0.2 (not uvicorn's default 127.0.0.1), so only the setting can make it trusted.
    monkeypatch.setenv("HEMBESOK_SYNC_FORWARDED_ALLOW_IPS", "127.0.0.2")
    config = new_config(database_url, enroll_burst=2, enroll_per_minute=0.01)
    server = ProcessServer(config).start()
    try:
        url = f"http://127.0.0.1:{config.port}/v1/enroll"
        assert [_guess(url, "203.0.113.7", source="127.0.0.2") for _ in range(3)] == [401, 401, 429]
        # Another laptop behind the same proxy has its own bucket.
        assert _guess(url, "203.0.113.8", codes[DEMO_USER], source="127.0.0.2") == 200
        # A client that is not the proxy cannot choose its bucket by writing the header itself.
        assert [_guess(url, f"198.51.100.{n}") for n in range(3)] == [401, 401, 429]
    finally:
        server.stop()


def test_without_a_configured_proxy_the_forwarded_header_is_ignored(database_url: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    seed_demo(database_url)
    monkeypatch.delenv("HEMBESOK_SYNC_FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")  # uvicorn's own setting must not open the door either
    config = new_config(database_url, enroll_burst=2, enroll_per_minute=0.01)
    server = ProcessServer(config).start()
    try:
        url = f"http://127.0.0.1:{config.port}/v1/enroll"
        # A forged header cannot buy a fresh bucket: the connecting address (127.0.0.1) decides.
        assert [_guess(url, f"198.51.100.{n}") for n in range(3)] == [401, 401, 429]
    finally:
        server.stop()
