"""Enrollment is the one request without a credential: guessing codes is slowed per address, and spends nothing."""

from __future__ import annotations

import httpx
from sync_support import ThreadServer, new_config

from sync.server.db import connect
from sync.server.dev import DEMO_USER, seed_demo


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
