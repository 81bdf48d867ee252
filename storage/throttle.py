"""A growing delay after wrong passphrases, kept in the profile folder so a restart does not reset it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from storage.errors import UnlockThrottled
from storage.files import write_atomically

FILE_NAME = "unlock-attempts.json"
# Typing mistakes happen: the first few failures cost nothing; after that the wait doubles up to a quarter hour.
FREE_FAILURES = 3
FIRST_DELAY_SECONDS = 5.0
MAX_DELAY_SECONDS = 15 * 60.0

Clock = Callable[[], float]


def delay_after(failures: int) -> float:
    """Seconds to wait before the next attempt after ``failures`` wrong passphrases in a row."""
    if failures < FREE_FAILURES:
        return 0.0
    return float(min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (failures - FREE_FAILURES)))


class UnlockThrottle:
    """Reads and updates the failure counter of one profile folder."""

    def __init__(self, directory: Path, clock: Clock = time.time) -> None:
        self._path = directory / FILE_NAME
        self._clock = clock

    def _read(self) -> tuple[int, float]:
        try:
            data = json.loads(self._path.read_text("ascii"))
            return int(data["failures"]), float(data["last_failure"])
        except FileNotFoundError:
            return 0, 0.0
        except (ValueError, KeyError, TypeError):
            # A garbled counter must neither reset to zero nor lock the user out for good: it is rewritten as the
            # threshold reached now, so one delay applies and then unlocking works again.
            now = self._clock()
            self._write(FREE_FAILURES, now)
            return FREE_FAILURES, now

    def _write(self, failures: int, last_failure: float) -> None:
        payload = {"failures": failures, "last_failure": last_failure}
        write_atomically(self._path, json.dumps(payload).encode("ascii"))

    def check(self) -> None:
        """Raise ``UnlockThrottled`` while the delay after the last failure has not passed."""
        failures, last = self._read()
        now = self._clock()
        # A clock set back must not turn into a wait of years: count from now at the latest.
        last = min(last, now)
        remaining = last + delay_after(failures) - now
        if remaining > 0:
            raise UnlockThrottled(remaining)

    def record_failure(self) -> None:
        """Count one wrong passphrase."""
        failures, _last = self._read()
        self._write(failures + 1, self._clock())

    def reset(self) -> None:
        """Forget the failures after a successful unlock."""
        self._path.unlink(missing_ok=True)

    def failures(self) -> int:
        """Wrong passphrases in a row so far."""
        return self._read()[0]
