"""IT's report command: ``python -m sync.server.reports [--config server.toml] (--unit ID | --municipality)
--from YYYY-MM-DD --to YYYY-MM-DD --report NAME [--format csv|json|pdf] [--output FILE] [--migration-wait SECONDS]``.

The same configuration as the server (``config.py``: the TOML file and HEMBESOK_SYNC_* variables) and the same
computation as the report routes (``report_service.py``). Run on the server by IT, so no role is checked; the
output is written to the file (or stdout) only when the report succeeded. A bad argument is one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn, cast

import psycopg

from sync.server import roles
from sync.server.config import ConfigError, load_config, require
from sync.server.db import MigrationLockBusy, connect
from sync.server.errors import RecordMissing, ServiceError
from sync.server.migration_wait import add_wait_argument, gave_up, migrate_waiting
from sync.server.report_service import REPORT_NAMES, ReportFormat, ReportName, ReportRequest, run_report
from sync.server.strict_json import undecodable_argument, written_as


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line, not argparse's usage block: the command runs from scripts whose logs keep one line a run."""
        self.exit(2, f"error: {message}\n")


_day = written_as(date, date.fromisoformat)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m sync.server.reports", description="A caseload report as CSV or JSON.")
    parser.add_argument("--config", type=Path, default=None)
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--unit", help="the unit's id")
    scope.add_argument("--municipality", action="store_true", help="every unit")
    parser.add_argument("--from", dest="period_start", type=_day, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="period_end", type=_day, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--report", choices=REPORT_NAMES, required=True)
    parser.add_argument("--format", choices=("csv", "json", "pdf"), default="csv")
    parser.add_argument("--threshold-hours", type=written_as(float, float), default=None)
    parser.add_argument("--sample-size", type=written_as(int, int), default=None)
    parser.add_argument("--seed", type=written_as(int, int), default=0)
    parser.add_argument("--output", type=Path, default=None, help="a file (default: stdout)")
    add_wait_argument(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    unreadable = undecodable_argument(args)
    if unreadable:
        parser.error(f"argument {unreadable} is not UTF-8 text (the terminal's or the script's encoding)")
    try:
        request = ReportRequest(cast(ReportName, args.report), args.unit, args.period_start, args.period_end,
                                args.threshold_hours, args.sample_size, args.seed)
        config = require(load_config(args.config), token_secret=False)  # no URL: say so, not "cannot connect"
        migrate_waiting(config.database_url, args.migration_wait, "python -m sync.server.reports")
        with connect(config.database_url) as conn:
            if request.unit_id is not None and not roles.unit_exists(conn, request.unit_id):
                raise RecordMissing("unknown unit")
            body = run_report(conn, request).body(cast(ReportFormat, args.format))
        if args.output is not None:
            args.output.write_bytes(body)
    except ConfigError as exc:  # as the server and the admin commands answer it: exit status 2
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except MigrationLockBusy as exc:  # a server applying them for longer than the command waits
        print(f"error: {gave_up(exc)}", file=sys.stderr)
        return 1
    except psycopg.OperationalError:
        print("error: cannot connect to the database (database_url in the configuration)", file=sys.stderr)
        return 1
    except (ServiceError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.output is None:
        sys.stdout.buffer.write(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
