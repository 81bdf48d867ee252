"""Bad requests get a clear 4xx English JSON body and store nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sync_support import Device, Env, ThreadServer, assigned_cases, new_config, version_of

from sync.protocol import MAX_PUSH_BATCH
from sync.server.dev import DEMO_USER, seed_demo


@pytest.fixture()
def device(env: Env) -> Device:
    return env.enroll(DEMO_USER, "laptop-a")


def _valid_change(env: Env, device: Device) -> dict[str, Any]:
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    return device.change(case_id, "origin_note", "x", version_of(env, "case", case_id)).model_dump(mode="json")


def _bad_bodies(env: Env, device: Device) -> dict[str, tuple[bytes, int, str]]:
    good = _valid_change(env, device)
    many = [{**good, "op_id": f"{i:032x}"} for i in range(MAX_PUSH_BATCH + 1)]
    return {
        "malformed json": (b'{"changes": [', 400, "malformed_json"),
        "not an object": (b"[1, 2]", 422, "invalid_request"),
        "wrong type": (json.dumps({"changes": [{**good, "base_version": "one"}]}).encode(), 422, "invalid_request"),
        "bad op": (json.dumps({"changes": [{**good, "op": "drop"}]}).encode(), 422, "invalid_request"),
        "unknown field in change": (json.dumps({"changes": [{**good, "extra": 1}]}).encode(), 422,
                                    "invalid_request"),
        "unknown field in request": (json.dumps({"changes": [good], "force": True}).encode(), 422,
                                     "invalid_request"),
        "oversized batch": (json.dumps({"changes": many}).encode(), 422, "invalid_request"),
        "future protocol": (json.dumps({"protocol": 2, "changes": [good], "new_thing": 1}).encode(), 400,
                            "unsupported_protocol"),
        "negative base version": (json.dumps({"changes": [{**good, "base_version": -1}]}).encode(), 422,
                                  "invalid_request"),
    }


@pytest.mark.parametrize(
    "case",
    ["malformed json", "not an object", "wrong type", "bad op", "unknown field in change", "unknown field in request",
     "oversized batch", "future protocol", "negative base version"],
)
def test_bad_push_bodies_get_4xx_and_store_nothing(env: Env, device: Device, case: str) -> None:
    body, status, code = _bad_bodies(env, device)[case]
    before = env.stored_counts()
    answer = httpx.post(f"{env.base_url}/v1/push", content=body,
                        headers={**device.headers(), "Content-Type": "application/json"})
    assert answer.status_code == status, answer.text
    payload = answer.json()
    assert payload["error"] == code
    assert payload["message"].isascii() and payload["message"].endswith(".")
    assert env.stored_counts() == before


def test_error_details_never_echo_the_submitted_values(env: Env, device: Device) -> None:
    good = _valid_change(env, device)
    answer = device.post("/v1/push", {"changes": [{**good, "base_version": "19121212-1212 Tolvan"}]})
    assert answer.status_code == 422
    assert "Tolvan" not in answer.text and "19121212" not in answer.text
    assert any("base_version" in d for d in answer.json()["details"])


def test_future_protocol_is_refused_on_pull_and_enroll_too(env: Env, device: Device) -> None:
    assert device.post("/v1/pull", {"protocol": 7, "cursor": 0}).json()["error"] == "unsupported_protocol"
    answer = httpx.post(f"{env.base_url}/v1/enroll", json={"protocol": 3, "code": "ABCD-EFGH-IJKL", "device_id": "d"})
    assert answer.status_code == 400


@pytest.fixture()
def small_server(database_url: str) -> Iterator[Env]:
    seed_demo(database_url)
    config = new_config(database_url, max_body_bytes=20_000, rate_burst=5, rate_per_second=0.01)
    server = ThreadServer(config).start()
    try:
        yield Env(database_url, config, {}, base_url=f"http://127.0.0.1:{config.port}", servers=[server])
    finally:
        server.stop()


def test_an_oversized_body_is_refused_before_parsing(small_server: Env) -> None:
    device = small_server.enroll(DEMO_USER, "laptop-a")
    before = small_server.stored_counts()
    big = _valid_change(small_server, device)
    big["value"] = "x" * 30_000
    answer = device.post("/v1/push", {"changes": [big]})
    assert answer.status_code == 413
    assert answer.json()["error"] == "request_too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must hold for streamed bodies too
        yield b'{"changes": [], "pad": "'
        for _ in range(30):
            yield b"y" * 1000
        yield b'"}'

    streamed = httpx.post(f"{small_server.base_url}/v1/push", content=chunks(),
                          headers={**device.headers(), "Content-Type": "application/json"})
    assert streamed.status_code == 413
    assert small_server.stored_counts() == before


def test_a_device_over_its_rate_gets_429(small_server: Env) -> None:
    device = small_server.enroll(DEMO_USER, "laptop-a")
    statuses = [device.post("/v1/pull", {"cursor": 0}).status_code for _ in range(8)]
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429] * 3
    assert device.post("/v1/pull", {"cursor": 0}).json()["error"] == "rate_limited"
