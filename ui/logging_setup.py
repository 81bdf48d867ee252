"""Logging that cannot leak personal data.

Log records carry a message template and a few extra fields; only allowlisted extra keys are written, and
message arguments are dropped: a programmer who writes ``log.info("saved %s", case.person)`` gets the template
only. Exceptions are logged by type and incident id, never by their text.
"""

from __future__ import annotations

import logging
from pathlib import Path

SAFE_KEYS = frozenset(
    {"incident", "case_id", "area_id", "step", "action", "count", "duration_ms", "error_type", "version", "status",
     "frames", "server"}
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


LOG_FILE_BYTES = 1_000_000  # the file is renamed to hembesok.log.1 (and so on) before it would pass this size
LOG_FILE_BACKUPS = 3


class SizeRotatingFileHandler(logging.FileHandler):
    """``logging.handlers.RotatingFileHandler``'s rotation by size, without that module: it imports pickle for its
    socket handler (~0.4 MiB resident kept for the day in the unlocked window, issue 14's memory row)."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes, self.backups = max_bytes, backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._rotate()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, 2)  # the end: another handle may have written meanwhile
        return bool(self.stream.tell()) and self.stream.tell() + len(self.format(record)) + 1 >= self.max_bytes

    def _rotate(self) -> None:
        """hembesok.log.2 → .3, .1 → .2, hembesok.log → .1 (the oldest dropped), then a new file."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = Path(self.baseFilename)
        for number in range(self.backups - 1, 0, -1):
            older = base.with_name(f"{base.name}.{number}")
            if older.exists():
                older.replace(base.with_name(f"{base.name}.{number + 1}"))
        if base.exists():
            base.replace(base.with_name(f"{base.name}.1"))
        self.stream = self._open()


def add_log_file(log_dir: Path) -> None:
    """A log file rotated by size; the app adds it once the first window is shown."""
    log_dir.mkdir(parents=True, exist_ok=True)
    file_handler = SizeRotatingFileHandler(log_dir / "hembesok.log", LOG_FILE_BYTES, LOG_FILE_BACKUPS)
    file_handler.setFormatter(AllowlistFormatter())
    logging.getLogger().addHandler(file_handler)


def new_incident_id() -> str:
    """A short id shown to the user and written to the log, so support can match the two."""
    import uuid  # here: uuid imports platform, which start-up does not need before the unlock page

    return uuid.uuid4().hex[:8].upper()


def frames_of(error: BaseException, most: int = 16) -> str:
    """Where ``error`` was raised, for support to find the fault: the frames it passed through, innermost first, as
    ``module:function:line``. Code's names only: no file path (it can name the user's home folder), no value, and
    not the exception's text (which can quote what was typed)."""
    frames = []
    trace = error.__traceback__
    while trace is not None:
        module = trace.tb_frame.f_globals.get("__name__")
        frames.append(f"{module if isinstance(module, str) else '?'}:{trace.tb_frame.f_code.co_name}:{trace.tb_lineno}")
        trace = trace.tb_next
    return "<".join(reversed(frames[-most:]))
