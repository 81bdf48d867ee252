"""The request log (plain ASGI middleware): one line per request with method, route template, status and ms."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sync_support import Env

from sync.server.logs import LOGGER_NAME


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        fields = getattr(record, "fields", {})
        if fields.get("event") == "request":
            self.lines.append(dict(fields))


@pytest.fixture()
def lines() -> Iterator[list[dict[str, Any]]]:
    logger = logging.getLogger(LOGGER_NAME)
    handler, level = _Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_each_request_is_logged_with_its_route_template_and_status(env: Env, lines: list[dict[str, Any]]) -> None:
    assert httpx.get(f"{env.base_url}/health").status_code == 200
    assert httpx.post(f"{env.base_url}/v1/pull", json={"cursor": 0}).status_code == 401
    assert httpx.get(f"{env.base_url}/v1/records/case/some-case").status_code == 401
    assert httpx.get(f"{env.base_url}/nowhere").status_code == 404
    too_big = httpx.post(f"{env.base_url}/v1/push", content=b"x" * (env.config.max_body_bytes + 1))
    assert too_big.status_code == 413
    deadline = time.monotonic() + 5  # the server thread writes its line just after the answer has left
    while len(lines) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [(line["method"], line["route"], line["status"]) for line in lines] == [
        ("GET", "/health", 200),
        ("POST", "/v1/pull", 401),
        ("GET", "/v1/records/{record_type}/{record_id}", 401),
        ("GET", "unmatched", 404),
        ("POST", "unmatched", 413),
    ]
    assert all(isinstance(line["ms"], float) and line["ms"] >= 0 for line in lines)
