"""Structured JSON logs that can only carry allow-listed keys: no names, personnummer or field values."""

from __future__ import annotations

import json
import logging
import sys
import warnings
from datetime import UTC, datetime
from typing import Any

SAFE_KEYS = frozenset({
    "event", "method", "route", "status", "ms", "device", "ops", "applied", "duplicates", "conflicts", "rejected",
    "changes", "entries", "error", "incident", "migrations", "host", "port", "bytes", "integration", "fields",
    "report", "unit", "cases", "records", "settings", "holder_pid",
})
LOGGER_NAME = "hembesok.sync"


class JsonFormatter(logging.Formatter):
    """One JSON object per line; unknown keys are dropped rather than risk personal data in a log."""

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = getattr(record, "fields", {})
        line = {"at": datetime.now(UTC).isoformat(timespec="milliseconds"), "level": record.levelname}
        line.update({k: v for k, v in fields.items() if k in SAFE_KEYS})
        return json.dumps(line, separators=(",", ":"))


# uvicorn's records with a fixed text, as events. Its other texts may quote a request or carry a traceback, so they
# are logged by level only (and an exception by its type). The hint to install a WebSocket library is left out:
# the server takes no WebSocket, and a monitor's `curl --http2` (Upgrade: h2c) wrote it at every probe.
UVICORN_EVENTS = {
    "Invalid HTTP request received.": "malformed_request",
    "Unsupported upgrade request.": "upgrade_not_supported",
    "Exceeded concurrency limit.": "concurrency_limit",
}
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")


class UvicornFormatter(JsonFormatter):
    """uvicorn's own records (its parser's refusals, a worker's start or death) as the server's JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {"event": UVICORN_EVENTS.get(str(record.msg), "uvicorn")}
        if record.exc_info and record.exc_info[1] is not None:
            fields["error"] = type(record.exc_info[1]).__name__
        record.fields = fields
        return super().format(record)


def _not_websocket_advice(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("No supported WebSocket library")


def _warning(message: Warning | str, category: type[Warning], filename: str, lineno: int, file: Any = None,
             line: str | None = None) -> None:
    """A Python warning as a JSON line with its category only: Python's own printed its text to stderr, a line
    among the JSON ones that could quote a value (pydantic's serializer warnings end with ``input_value=…``)."""
    log(logging.WARNING, event="python_warning", error=category.__name__)


def setup_logging(level: str = "INFO") -> None:
    """Route the server's logger, and uvicorn's, and Python's warnings to stderr as JSON lines.

    Without a handler of their own, uvicorn's records went to Python's last-resort handler as plain text lines
    among the JSON ones (s28-routes). Its INFO records (the process started, the app is ready) stay unwritten, as
    there: uvicorn's loggers take WARNING and up, or ``level`` when that is higher."""
    _json_lines(logging.getLogger(LOGGER_NAME), JsonFormatter(), level)
    warnings.showwarning = _warning
    uvicorn_level = max(logging.WARNING, int(logging.getLevelName(level)))
    for name in UVICORN_LOGGERS:
        _json_lines(logging.getLogger(name), UvicornFormatter(), uvicorn_level).addFilter(_not_websocket_advice)


def _json_lines(logger: logging.Logger, formatter: logging.Formatter, level: int | str) -> logging.Handler:
    logger.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return handler


def log(level: int, **fields: Any) -> None:
    """Log allow-listed fields."""
    logging.getLogger(LOGGER_NAME).log(level, fields.get("event", ""), extra={"fields": fields})


def migrations_waiting(holder: int | None) -> None:
    """A server's start waiting for another process's migrations (``db.migrate``'s ``on_waiting``): said once, then
    it waits on, as long as it takes. Without it the journal showed nothing while a start hung (s32 read-back)."""
    log(logging.WARNING, event="migrations_waiting", holder_pid=holder)
