"""Answers that used to break the server's own contract (issue 11, finding 7), over real HTTP on 127.0.0.1.

Values beyond PostgreSQL's bigint, U+0000 in stored text, bodies that are no text, loose JSON types, and an error
nobody foresaw: each gets the documented ErrorBody with a documented status, and nothing from the request reaches
the answer or the log.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sync_support import Device, Env, assigned_cases, version_of
from test_integration_api import _new_case

from storage.audit import GENESIS_HASH, entry_hash
from sync.server import integrations
from sync.server.db import connect
from sync.server.dev import DEMO_USER
from sync.server.logs import LOGGER_NAME
from sync.server.openapi import openapi_text

MARKER = "Tolvan Tolvansson 19121212-1212"  # fictitious; must never appear in an answer or a log


class _Records(logging.Handler):
    """Every log record of the process (the server runs in a thread), formatted as a handler would print it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.formatter = logging.Formatter("%(name)s %(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        if not any(r is record for r in self.records):  # attached to two loggers: a propagated record once
            self.records.append(record)

    def texts(self) -> list[str]:
        return [self.format(r) + " " + json.dumps(getattr(r, "fields", {}), default=str) for r in self.records]

    def settle(self) -> None:
        """Wait until the server thread has finished the failed request: its request line (or, from a server that
        re-raises, the traceback uvicorn logs after the answer has left)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if any(r.exc_info or getattr(r, "fields", {}).get("status") == 500 for r in self.records):
                return
            time.sleep(0.01)


@pytest.fixture()
def logged() -> Iterator[_Records]:
    # The root (uvicorn's and Starlette's loggers) and the server's own, which may have stopped propagating.
    loggers, handler = [logging.getLogger(), logging.getLogger(LOGGER_NAME)], _Records()
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)  # the request lines too, not only warnings
    try:
        yield handler
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


@pytest.fixture()
def device(env: Env) -> Device:
    return env.enroll(DEMO_USER, "laptop-contract")


def _error_body(answer: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert set(body) == {"protocol", "error", "message", "details"}, body
    assert body["error"] == code and body["message"].isascii()
    return dict(body)


def _audit_entry(device: Device, detail: str, seq: int = 1, prev: str = GENESIS_HASH) -> dict[str, Any]:
    """An entry hashed by the laptop's own rule, so only its text can make the server refuse it."""
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    digest = entry_hash(prev, seq, f"e{seq}", at, device.user_id, device.device_id, "view", None, detail)
    return {"seq": seq, "entry_id": f"e{seq}", "at": at, "user_id": device.user_id, "device_id": device.device_id,
            "action": "view", "case_id": None, "detail": detail, "prev_hash": prev, "hash": digest}


@pytest.mark.parametrize("base_version", [2**63, 2**64, 10**30])
def test_a_base_version_beyond_bigint_is_a_422_naming_the_field_and_never_a_traceback(
    env: Env, device: Device, logged: _Records, base_version: int
) -> None:
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    change = device.change(case_id, "origin_note", "x", version_of(env, "case", case_id)).model_dump(mode="json")
    before = env.stored_counts()
    answer = device.post("/v1/push", {"changes": [{**change, "base_version": base_version}]})
    body = _error_body(answer, 422, "invalid_request")
    assert body["details"] == ["body/changes/0/base_version: Input should be less than or equal to "
                               "9223372036854775807"]
    assert str(base_version) not in answer.text
    assert env.stored_counts() == before
    assert not any(r.exc_info for r in logged.records)
    assert not any(str(base_version) in text for text in logged.texts())


def test_nul_in_the_device_name_at_enroll_is_a_422_and_the_code_is_not_spent(env: Env) -> None:
    code = env.new_code(DEMO_USER)
    answer = httpx.post(f"{env.base_url}/v1/enroll",
                        json={"code": code, "device_id": "laptop-nul-name", "device_name": "Bärbar\x00dator"})
    body = _error_body(answer, 422, "invalid_request")
    assert body["details"][0].startswith("body/device_name: ")
    assert "Bärbar" not in answer.text
    again = httpx.post(f"{env.base_url}/v1/enroll",
                       json={"code": code, "device_id": "laptop-nul-name", "device_name": "Bärbar dator"})
    assert again.status_code == 200, again.text


def test_nul_in_an_audit_detail_is_a_422_and_nothing_is_stored(env: Env, device: Device) -> None:
    before = env.stored_counts()
    answer = device.post("/v1/audit", {"entries": [_audit_entry(device, "opened\x00")]})
    body = _error_body(answer, 422, "invalid_request")
    assert body["details"][0].startswith("body/entries/0/detail: ")
    assert env.stored_counts() == before
    assert device.post("/v1/audit", {"entries": [_audit_entry(device, "opened")]}).json() == {
        "protocol": 1, "stored_through_seq": 1}


def test_an_audit_time_postgresql_cannot_store_is_a_422(env: Env, device: Device) -> None:
    for at in ("2026-13-01T00:00:00", "2026-01-01T00:00:00+23:00", "not a time at all"):
        entry = _audit_entry(device, "")
        entry["at"] = at
        entry["hash"] = entry_hash(GENESIS_HASH, 1, "e1", at, device.user_id, device.device_id, "view", None, "")
        body = _error_body(device.post("/v1/audit", {"entries": [entry]}), 422, "invalid_request")
        assert body["details"][0].startswith("body/entries/0/at: ")


@pytest.mark.parametrize("path", ["/v1/enroll", "/v1/token", "/v1/push", "/v1/pull", "/v1/audit",
                                  "/v1/integration/cases"])
def test_a_body_that_is_no_text_gets_the_error_body(env: Env, device: Device, path: str) -> None:
    answer = httpx.post(f"{env.base_url}{path}", content=b'{"cursor": "\xff\xfe"}',
                        headers={**device.headers(), "Content-Type": "application/json"})
    _error_body(answer, 400, "malformed_json")


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/v1/pull", {"cursor": True}, "cursor"),
    ("/v1/pull", {"cursor": "0"}, "cursor"),
    ("/v1/pull", {"limit": 5.0}, "limit"),
    ("/v1/pull", {"protocol": True}, "protocol"),
    ("/v1/push", {"changes": [], "closing": 0}, "closing"),
    ("/v1/push", {"changes": [], "closing": "false"}, "closing"),
    ("/v1/audit", {"entries": [{"seq": True}]}, "entries/0/seq"),
])
def test_loose_json_types_are_refused_as_the_contract_says(
    device: Device, path: str, body: dict[str, Any], field: str
) -> None:
    answer = device.post(path, body)
    details = _error_body(answer, 422, "invalid_request")["details"]
    assert any(d.startswith(f"body/{field}: ") for d in details), details


def test_a_pushed_change_with_loose_types_is_refused_whole(env: Env, device: Device) -> None:
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    change = device.change(case_id, "origin_note", "x", version_of(env, "case", case_id)).model_dump(mode="json")
    before = env.stored_counts()
    for field, loose in (("base_version", float(change["base_version"])), ("base_version", True),
                         ("record_id", 12345)):
        answer = device.post("/v1/push", {"changes": [{**change, field: loose}]})
        assert _error_body(answer, 422, "invalid_request")["details"][0].startswith(f"body/changes/0/{field}: ")
    assert env.stored_counts() == before


def test_unknown_paths_and_methods_get_the_error_body(env: Env) -> None:
    _error_body(httpx.get(f"{env.base_url}/v2/nowhere"), 404, "not_found")
    wrong_method = httpx.delete(f"{env.base_url}/v1/push")
    _error_body(wrong_method, 405, "method_not_allowed")
    assert wrong_method.headers["allow"] == "POST"


def test_the_404_of_an_unknown_central_record_is_documented(env: Env) -> None:
    with connect(env.database_url) as conn:
        key = integrations.create_integration(conn, "lifecare", "Verksamhetssystemet")
    answer = httpx.get(f"{env.base_url}/v1/integration/records/case/no-such-case",
                       headers={"Authorization": f"Bearer {key}"})
    _error_body(answer, 404, "not_found")
    operation = json.loads(openapi_text())["paths"]["/v1/integration/records/{record_type}/{record_id}"]["get"]
    assert operation["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"}


def test_an_unforeseen_error_answers_the_error_body_and_logs_only_its_type(
    env: Env, device: Device, logged: _Records
) -> None:
    env.sql("ALTER TABLE audit_entries RENAME TO audit_entries_gone")  # a fault no handler foresees
    answer = device.post("/v1/audit", {"entries": [_audit_entry(device, MARKER)]})
    body = _error_body(answer, 500, "internal_error")
    assert MARKER not in answer.text and "audit_entries" not in answer.text
    logged.settle()
    incident = body["message"].removeprefix("Unexpected server error (incident ").removesuffix(").")
    errors = [getattr(r, "fields", {}) for r in logged.records if getattr(r, "fields", {}).get("event")
              == "unexpected_error"]
    assert errors == [{"event": "unexpected_error", "error": "UndefinedTable", "incident": incident}]
    assert not any(r.exc_info for r in logged.records), "a traceback was logged"
    assert not any(MARKER in text or "audit_entries" in text for text in logged.texts())


def _integration(env: Env) -> dict[str, str]:
    with connect(env.database_url) as conn:
        key = integrations.create_integration(conn, "lifecare", "Verksamhetssystemet")
    return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def _push_body(env: Env, device: Device, value_json: str) -> bytes:
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    change = device.change(case_id, "origin_note", "VALUE", version_of(env, "case", case_id)).model_dump(mode="json")
    return json.dumps({"changes": [change]}).replace('"VALUE"', value_json).encode()


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_malformed_json_not_a_database_error(
    env: Env, device: Device, logged: _Records, constant: str
) -> None:
    before = env.stored_counts()
    pushed = httpx.post(f"{env.base_url}/v1/push", content=_push_body(env, device, f"[1, {constant}]"),
                        headers={**device.headers(), "Content-Type": "application/json"})
    _error_body(pushed, 400, "malformed_json")
    person = env.sql("SELECT person_id FROM case_access LIMIT 1")[0]["person_id"]
    written = httpx.patch(f"{env.base_url}/v1/integration/records/person/{person}",
                          content=f'{{"values": {{"phone": {constant}}}}}'.encode(), headers=_integration(env))
    _error_body(written, 400, "malformed_json")
    assert env.stored_counts() == before
    assert not any(getattr(r, "fields", {}).get("event") == "unexpected_error" for r in logged.records)


@pytest.mark.parametrize("depth", [65, 400, 900])
def test_json_nested_deeper_than_the_documents_ever_are_is_refused_whole(
    env: Env, device: Device, depth: int
) -> None:
    before = env.stored_counts()
    answer = httpx.post(f"{env.base_url}/v1/push", content=_push_body(env, device, "[" * depth + "]" * depth),
                        headers={**device.headers(), "Content-Type": "application/json"})
    assert _error_body(answer, 422, "invalid_request")["details"] == ["body: JSON nested deeper than 64 levels"]
    assert env.stored_counts() == before
    shallow = httpx.post(f"{env.base_url}/v1/push", content=_push_body(env, device, "[" * 60 + "]" * 60),
                         headers={**device.headers(), "Content-Type": "application/json"})
    # Taken and answered op by op: the domain model, not the parser, refuses a nested list as the case's note.
    answered = shallow.json()["results"]
    assert [(r["status"], r["reason"].split(":")[0]) for r in answered] == [("rejected", "origin_note")]


def test_a_case_id_holding_nul_in_the_decision_route_is_an_unknown_case(env: Env) -> None:
    # A sound decision: the body is judged before the case is looked up (a refused body is 422 wherever it is sent).
    _case, _person, decision = _new_case(with_decision=True)
    answer = httpx.post(f"{env.base_url}/v1/integration/cases/a%00b/decisions", json=decision,
                        headers=_integration(env))
    _error_body(answer, 404, "not_found")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_sent_as_anything_but_json_is_a_documented_415(
    env: Env, device: Device, content_type: str | None
) -> None:
    headers = {**device.headers(), **({"Content-Type": content_type} if content_type else {})}
    answer = httpx.post(f"{env.base_url}/v1/pull", content=b'{"cursor": 0}', headers=headers)
    _error_body(answer, 415, "unsupported_media_type")
    operation = json.loads(openapi_text())["paths"]["/v1/pull"]["post"]
    assert "415" in operation["responses"]


def test_a_refused_key_of_a_central_write_is_not_echoed_in_the_details(env: Env) -> None:
    person = env.sql("SELECT person_id FROM case_access LIMIT 1")[0]["person_id"]
    long_path = "phone/" + MARKER + "x" * 600  # over the 512 characters a document path may have
    answer = httpx.patch(f"{env.base_url}/v1/integration/records/person/{person}",
                         json={"values": {long_path: "070-000 00 00"}}, headers=_integration(env))
    body = _error_body(answer, 422, "invalid_request")
    assert body["details"] == ["body/values/…/[key]: String should have at most 512 characters"]
    assert MARKER not in answer.text
