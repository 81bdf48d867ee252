"""Logging that cannot leak personal data.

Log records carry a message template and a few extra fields; only allowlisted extra keys are written, and
message arguments are dropped: a programmer who writes ``log.info("saved %s", case.person)`` gets the template
only. Exceptions are logged by type and incident id, never by their text.
"""

from __future__ import annotations

import logging
from pathlib import Path

SAFE_KEYS = frozenset(
    {"incident", "case_id", "area_id", "step", "action", "count", "duration_ms", "error_type", "version", "status"}
)


class AllowlistFormatter(logging.Formatter):
    """Writes the template, the logger, and allowlisted extras; never the arguments or exception text."""

    def format(self, record: logging.LogRecord) -> str:
        extras = {k: v for k, v in record.__dict__.items() if k in SAFE_KEYS}
        extra_text = " ".join(f"{k}={v}" for k, v in sorted(extras.items()))
        error = f" error_type={record.exc_info[0].__name__}" if record.exc_info and record.exc_info[0] else ""
        stamp = self.formatTime(record, "%Y-%m-%dT%H:%M:%S")
        return f"{stamp} {record.levelname} {record.name}: {record.msg} {extra_text}{error}".rstrip()


def configure_logging(log_dir: Path | None, level: int = logging.INFO) -> None:
    """Log to stderr and, when given, a rotating file in ``log_dir`` (no personal data by construction)."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    stream = logging.StreamHandler()
    stream.setFormatter(AllowlistFormatter())
    root.addHandler(stream)
    if log_dir is not None:
        add_log_file(log_dir)


def add_log_file(log_dir: Path) -> None:
    """A rotating log file; the app adds it once the first window is shown (logging.handlers costs ~30 ms)."""
    import logging.handlers

    log_dir.mkdir(parents=True, exist_ok=True)
    file_handler = logging.handlers.RotatingFileHandler(
        log_dir / "hembesok.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    file_handler.setFormatter(AllowlistFormatter())
    logging.getLogger().addHandler(file_handler)


def new_incident_id() -> str:
    """A short id shown to the user and written to the log, so support can match the two."""
    import uuid  # here: uuid imports platform, which start-up does not need before the unlock page

    return uuid.uuid4().hex[:8].upper()
