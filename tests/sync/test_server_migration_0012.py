"""Migration 0012 (re-admission codes, s27-srv) on a database a server of the release before filled: devices in use
and revoked, codes unspent and spent, tokens already handed out. After the upgrade (the server's start applies it)
each keeps working as before, and the new command re-admits a device enrolled before it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sync_support import Env, ThreadServer, new_config
from test_server_migrations import database_below

from sync.server import admin, central, tokens
from sync.server.db import connect
from sync.server.dev import DEMO_USER, OTHER_USER, seed_demo
from sync.server.pgcluster import PgCluster

# Devices as a server at 0011 stored them: (id, status, its credential).
DEVICES = {"laptop-used": ("active", tokens.new_device_credential()),
           "laptop-lost": ("lost", tokens.new_device_credential())}


@pytest.fixture()
def url_at_0011(pg_cluster: PgCluster) -> Iterator[str]:
    """A database migrated up to 0011; dropped after the test."""
    with database_below(pg_cluster, 12) as url:
        yield url


def _filled(url: str) -> dict[str, str]:
    """What the release before left: the demo codes (unspent), the devices, and one code spent by laptop-used."""
    codes = seed_demo(url)
    with connect(url) as conn:
        for device_id, (status, credential) in DEVICES.items():
            conn.execute("INSERT INTO devices (id, user_id, name, credential_hash, status, last_seen_at)"
                         " VALUES (%s, %s, 'Bärbar', %s, %s, now())",
                         (device_id, DEMO_USER, tokens.secret_hash(credential), status))
        spent = central.issue_enrollment_code(conn, DEMO_USER)
        conn.execute("UPDATE enrollment_codes SET used_at = now() WHERE code_hash = %s",
                     (tokens.secret_hash(tokens.normalise_code(spent)),))
        conn.commit()
    return {**codes, "spent": spent}


def test_a_filled_database_upgraded_to_0012_serves_its_devices_and_codes_and_re_admits_a_device_of_before(
    url_at_0011: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = _filled(url_at_0011)
    config = new_config(url_at_0011)
    used_hash = tokens.secret_hash(DEVICES["laptop-used"][1])
    handed_out = tokens.issue_token(config.token_secret, "laptop-used", DEMO_USER, 600,
                                    tag=tokens.credential_tag(used_hash))
    server = ThreadServer(config).start()  # its start applies 0012
    env = Env(url_at_0011, config, codes, base_url=f"http://127.0.0.1:{config.port}", servers=[server])
    try:
        assert env.sql("SELECT count(*) AS n FROM schema_migrations WHERE version = 12") == [{"n": 1}]  # and later
        assert env.sql("SELECT count(*) AS n FROM enrollment_codes WHERE device_id IS NOT NULL") == [{"n": 0}]

        def enroll(code: str, device_id: str) -> httpx.Response:
            return httpx.post(f"{env.base_url}/v1/enroll", json={"code": code, "device_id": device_id})

        def refresh(device_id: str) -> httpx.Response:
            return httpx.post(f"{env.base_url}/v1/token", json={"device_id": device_id,
                                                                "device_credential": DEVICES[device_id][1]})

        pulled = httpx.post(f"{env.base_url}/v1/pull", json={}, headers={"Authorization": f"Bearer {handed_out}"})
        assert pulled.status_code == 200 and refresh("laptop-used").status_code == 200
        assert refresh("laptop-lost").status_code == 410
        assert enroll(codes[OTHER_USER], "laptop-new").status_code == 200  # a code issued before: unspent, ordinary
        assert enroll(codes["spent"], "laptop-newer").status_code == 401
        assert enroll(codes[DEMO_USER], "laptop-used").status_code == 409  # known: not by an ordinary code

        monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", url_at_0011)
        capsys.readouterr()
        assert admin.main(["readmit-device", "laptop-lost"]) == 0
        again = enroll(capsys.readouterr().out.strip(), "laptop-lost")
        assert again.status_code == 200, again.text
        assert refresh("laptop-lost").status_code == 401  # its credential of before
        assert env.sql("SELECT id, status FROM devices ORDER BY id") == [
            {"id": "laptop-lost", "status": "active"}, {"id": "laptop-new", "status": "active"},
            {"id": "laptop-used", "status": "active"}]
        assert enroll(codes[DEMO_USER], "laptop-later").status_code == 200  # the code 409 left unspent
    finally:
        server.stop()
