"""The server's log (its stderr, JSON lines) after a laptop pushed a new person and case whose name, personnummer
and texts are marker strings, a push the server rejected, a request with a marker in its URL and in a body it
refuses, and a pull: not one marker in any line. Run as ``python -m sync.server``, as deployed (docs/sync.md)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
import pytest
import sync_support
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


# python -m sync.server, one worker in this process, with a library that warns quoting the request's path as
# pydantic's serializer warnings quote a value ("input_value=...").
_WARNING_SERVER = (
    "import runpy, warnings, sync.server.app as served\n"
    "passed = served.RequestLog.__call__\n"
    "async def warned(self, scope, receive, send):\n"
    "    if scope['type'] == 'http':\n"
    "        warnings.warn('serialized value may not be as expected [input_value=' + repr(scope['path']) + ']')\n"
    "    await passed(self, scope, receive, send)\n"
    "served.RequestLog.__call__ = warned\n"
    "runpy.run_module('sync.server', run_name='__main__', alter_sys=True)\n"
)


def test_a_python_warning_is_a_json_line_without_its_text(database_url: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's own ``showwarning`` wrote the warning's text to stderr, the server's log: a plain line among the JSON
    ones, quoting the value (s34-leak: fails on main)."""
    marker = f"Markörsson{uuid.uuid4().hex[:8]}"
    log = tmp_path / "server.log"
    monkeypatch.setattr(sync_support, "_WITHOUT_HTTPTOOLS", _WARNING_SERVER)  # ProcessServer's other command
    config = new_config(database_url)
    server = ProcessServer(config, without_httptools=True, log_file=log).start()
    try:
        answer = httpx.get(f"http://127.0.0.1:{config.port}/v1/records/person/{marker}{NUMBER}")
        assert answer.status_code == 401
    finally:
        server.stop()
    written = log.read_text("utf-8")
    entries = [json.loads(line) for line in written.splitlines()]  # each line one JSON object
    assert {"event": "python_warning", "error": "UserWarning"}.items() <= next(
        entry for entry in entries if entry.get("event") == "python_warning").items()
    assert marker not in written and NUMBER not in written
