"""The server's log (its stderr, JSON lines) after a laptop pushed a new person and case whose name, personnummer
and texts are marker strings, a push the server rejected, a request with a marker in its URL and in a body it
refuses, and a pull: not one marker in any line. Run as ``python -m sync.server``, as deployed (docs/sync.md)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
from sync_support import Device, Env, ProcessServer, creation_ops, new_case_document, new_config, new_person_document

from sync.server.dev import DEMO_USER, seed_demo
from sync.server.logs import SAFE_KEYS

NUMBER = "201701012393"  # a test personnummer from the domain notes


def test_a_push_of_a_marked_person_writes_no_marker_to_the_server_log(database_url: str, tmp_path: Path) -> None:
    marker = f"Markörsson{uuid.uuid4().hex[:8]}"
    log = tmp_path / "server.log"
    config = new_config(database_url)
    server = ProcessServer(config, log_file=log).start()
    base_url = f"http://127.0.0.1:{config.port}"
    try:
        env = Env(database_url, config, seed_demo(database_url), base_url=base_url)
        device = Device(base_url, "laptop-leak").enroll(env.new_code(DEMO_USER))
        person_id, case_id = uuid.uuid4().hex, uuid.uuid4().hex
        person = new_person_document(person_id, given_name="Läcktest", family_name=marker, personal_number=NUMBER)
        batch = creation_ops(device, "person", person)
        batch += creation_ops(device, "case", new_case_document(person_id, case_id, origin_note=f"{marker} ringde"))
        assert {r["status"] for r in device.push(batch).json()["results"]} == {"applied"}
        # Rejected: a field a device may not write, its value the marker.
        rejected = device.push([device.change(case_id, "person_id", f"{marker}", 1)]).json()["results"]
        assert rejected[0]["status"] == "rejected"
        # Refused before any handler: a marker in the URL and a body that is not a push.
        answer = httpx.get(f"{base_url}/v1/records/person/{marker}{NUMBER}", headers=device.headers())
        assert 400 <= answer.status_code < 500
        assert device.post("/v1/push", {"changes": [{"path": marker, "value": NUMBER}]}).status_code == 422
        assert device.post("/v1/pull", {"cursor": 0, "limit": 200}).status_code == 200
    finally:
        server.stop()
    written = log.read_text("utf-8")
    entries = [json.loads(line) for line in written.splitlines()]
    assert {"push", "request"} <= {entry.get("event") for entry in entries}  # the log was written
    for entry in entries:
        assert set(entry) <= SAFE_KEYS | {"at", "level"}, entry
    for text in (marker, "Läcktest", NUMBER, NUMBER[2:], "20170101-2393"):
        assert text not in written
