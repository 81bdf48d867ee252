"""Development mode: ``python -m sync.server.dev`` — throwaway PostgreSQL, migrations, demo data, 127.0.0.1.

Prints an enrollment code for the demo handläggare; everything is deleted on exit (Ctrl+C).
"""

from __future__ import annotations

import argparse
import secrets
import signal
import sys
from datetime import date

import uvicorn

from ibic.demo import demo_cases
from sync.server import central, integrations
from sync.server.app import create_app
from sync.server.config import ServerConfig
from sync.server.db import connect, migrate
from sync.server.http_protocol import PROTOCOL
from sync.server.logs import setup_logging
from sync.server.pgcluster import PgCluster, missing_postgresql

DEMO_UNIT = "demo-unit"
DEMO_USER = "demo-user"
OTHER_UNIT = "other-unit"
OTHER_USER = "other-user"


def seed_demo(url: str, today: date | None = None) -> dict[str, str]:
    """Two units with one handläggare each; the demo cases assigned to the first. Returns enrollment codes."""
    people, cases = demo_cases(today or date.today())
    by_id = {p.id: p for p in people}
    with connect(url) as conn:
        central.create_unit(conn, DEMO_UNIT, "Biståndsenheten Demo")
        central.create_unit(conn, OTHER_UNIT, "Biståndsenheten Annan")
        central.create_user(conn, DEMO_USER, DEMO_UNIT)
        central.create_user(conn, OTHER_USER, OTHER_UNIT)
        pairs = [(c.model_dump(mode="json"), by_id[c.person_id].model_dump(mode="json")) for c in cases]
        central.register_cases(conn, pairs, DEMO_UNIT, DEMO_USER)
        return {
            DEMO_USER: central.issue_enrollment_code(conn, DEMO_USER),
            OTHER_USER: central.issue_enrollment_code(conn, OTHER_USER),
        }


def main(argv: list[str] | None = None) -> int:
    """Start the throwaway cluster and the server; stop and delete both on exit."""
    parser = argparse.ArgumentParser(
        prog="python -m sync.server.dev",
        description="A throwaway sync server for trying Hembesök out: starts its own PostgreSQL cluster in a"
        " temporary folder (needs the postgresql package: bash installer/system-deps.sh server), applies the"
        " migrations, seeds the fictitious demo cases, prints enrollment codes and serves plain HTTP on 127.0.0.1."
        " Everything is deleted on exit (Ctrl+C). Never for real data: use python -m sync.server.",
    )
    parser.add_argument("--port", type=int, default=8765, metavar="PORT",
                        help="TCP port on 127.0.0.1 to serve on (default: %(default)s)")
    args = parser.parse_args(argv)
    problem = missing_postgresql()
    if problem:
        print(f"python -m sync.server.dev: error: {problem}", file=sys.stderr)
        return 2
    # SIGTERM (a service manager, `timeout`, a closed terminal) must delete the cluster like Ctrl+C does: uvicorn
    # re-raises the signal after its shutdown, and Python's default for SIGTERM ends the process before `finally`.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    cluster = PgCluster()
    try:
        cluster.start()
        url = cluster.create_database("hembesok_sync")
        migrate(url)
        codes = seed_demo(url)
        config = ServerConfig(database_url=url, host="127.0.0.1", port=args.port, token_secret=secrets.token_hex(32))
        setup_logging("INFO")
        print(f"Sync server (dev) on http://127.0.0.1:{args.port}  database {url}")
        for user, code in codes.items():
            print(f"  enrollment code for {user}: {code}")
        with connect(url) as conn:
            print(f"  integration key (/v1/integration): {integrations.create_integration(conn, 'demo', 'Demo')}")
        sys.stdout.flush()  # the codes are what the person waits for, also when the output is a pipe or a log
        uvicorn.run(create_app(config), host=config.host, port=config.port, log_config=None, access_log=False,
                    http=PROTOCOL)
    finally:
        cluster.stop()
    return 0


def _exit_on_sigterm(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    sys.exit(main())
