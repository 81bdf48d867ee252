"""Structured JSON logs that can only carry allow-listed keys: no names, personnummer or field values."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

SAFE_KEYS = frozenset({
    "event", "method", "route", "status", "ms", "device", "ops", "applied", "duplicates", "conflicts", "rejected",
    "changes", "entries", "error", "incident", "migrations", "host", "port", "bytes", "integration", "fields",
    "report", "unit", "cases", "records", "settings",
})
LOGGER_NAME = "hembesok.sync"


class JsonFormatter(logging.Formatter):
    """One JSON object per line; unknown keys are dropped rather than risk personal data in a log."""

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = getattr(record, "fields", {})
        line = {"at": datetime.now(UTC).isoformat(timespec="milliseconds"), "level": record.levelname}
        line.update({k: v for k, v in fields.items() if k in SAFE_KEYS})
        return json.dumps(line, separators=(",", ":"))


def setup_logging(level: str = "INFO") -> None:
    """Route the server's logger to stderr as JSON lines."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def log(level: int, **fields: Any) -> None:
    """Log allow-listed fields."""
    logging.getLogger(LOGGER_NAME).log(level, fields.get("event", ""), extra={"fields": fields})
