"""IT's commands (``python -m sync.server.admin``, ``python -m sync.server.reports``) apply missing migrations as the
server's start does, under the same lock: while a server applies them (its start after an upgrade) the command waits.
It waited without a word or an end, and IT could not tell why (s32-edges); now it says so on stderr once the wait is
noticeable and gives up at ``--migration-wait`` seconds."""

from __future__ import annotations

import argparse
import sys

from sync.server.db import MigrationLockBusy, holding, migrate
from sync.server.strict_json import written_as

# A server's start applies a release's migrations in seconds; a long one over a large database, a minute or two.
MIGRATION_WAIT_SECONDS = 120
MAX_MIGRATION_WAIT = 24 * 3600


def add_wait_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--migration-wait SECONDS`` option (whole seconds, 1 to a day)."""
    parser.add_argument("--migration-wait", type=_seconds, default=MIGRATION_WAIT_SECONDS, metavar="SECONDS",
                        help="how long to wait while another process (a sync server starting) applies the database's"
                        f" migrations before giving up (default {MIGRATION_WAIT_SECONDS})")


_whole = written_as(int, int)  # the notation every count of IT's commands takes (no "1_0", no "١٢")


def _seconds(text: str) -> int:
    seconds: int = _whole(text)
    if not 0 < seconds <= MAX_MIGRATION_WAIT:
        raise argparse.ArgumentTypeError(f"whole seconds from 1 to {MAX_MIGRATION_WAIT}")
    return seconds


def migrate_waiting(url: str, seconds: int, prog: str) -> None:
    """Apply missing migrations, waiting for their lock at most ``seconds`` and saying on stderr that it waits
    (``prog``: the command's name); raises MigrationLockBusy at the bound (``gave_up`` says it for a person)."""

    def say(holder: int | None) -> None:
        print(f"{prog}: waiting for another process (a sync server starting) to finish applying the database's"
              f" migrations ({holding(holder)}); giving up after {seconds} s (--migration-wait)", file=sys.stderr,
              flush=True)

    migrate(url, seconds, say)


def gave_up(exc: MigrationLockBusy) -> str:
    """The line for a wait given up: what was waited for, that nothing changed, and what to do."""
    return (f"{exc}; nothing was changed: run it again once the server has started (its log says migrations_applied),"
            " or give a longer --migration-wait")
