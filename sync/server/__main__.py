"""Run the sync server: ``python -m sync.server [--config server.toml]``."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from sync.server.config import ConfigError, ServerConfig, env_name, load_config, require, serving_problem

DESCRIPTION = """\
The Hembesök central sync server: the laptops enroll, push and pull here, and the case-management system
writes through /v1/integration. It needs a PostgreSQL database (migrations are applied at start) and a
stable token secret; it serves HTTPS when tls_cert and tls_key are set, plain HTTP otherwise (only behind
a TLS reverse proxy). For a throwaway server with demo data use: python -m sync.server.dev"""


def _epilog() -> str:
    defaults = ServerConfig()
    lines = [
        "configuration:",
        "  A TOML file (--config, or the path in HEMBESOK_SYNC_CONFIG) with the keys under [server];",
        "  every key may be overridden by an environment variable. A sample: installer/server/sync.toml.",
        "  Required: database_url and token_secret (at least 32 characters, e.g. openssl rand -hex 32).",
        "",
        "  key                      variable                               default",
    ]
    for item in fields(ServerConfig):
        default = getattr(defaults, item.name)
        shown = "(required)" if item.name in ("database_url", "token_secret") else repr(default)
        lines.append(f"  {item.name:<24} {env_name(item.name):<38} {shown}")
    lines += ["", "exit status: 2 when the configuration is missing or wrong, 1 when the database cannot be reached.",
              "Admin commands for IT: python -m sync.server.admin --help. Details: docs/deployment.md, docs/sync.md."]
    return "\n".join(lines)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sync.server", description=DESCRIPTION, epilog=_epilog(),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="TOML configuration file; HEMBESOK_SYNC_* variables override its keys")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Load and check the configuration, then serve (TLS when a certificate and key are configured)."""
    args = parse_arguments(argv)
    try:
        config = require(load_config(args.config))
        problem = serving_problem(config)
        if problem:
            raise ConfigError(problem)
    except ConfigError as exc:
        # One line a service manager's journal shows whole; no traceback for a setting that is missing.
        print(f"python -m sync.server: error: {exc}", file=sys.stderr)
        return 2
    # Imported after the check so a missing setting is reported even where the server's packages are not installed.
    import uvicorn

    from sync.server.db import DatabaseUnreachable, check_connection, durability_off, migrate
    from sync.server.http_protocol import PROTOCOL
    from sync.server.logs import log, migrations_waiting, setup_logging

    try:
        check_connection(config.database_url)
    except DatabaseUnreachable as exc:
        print(f"python -m sync.server: error: {exc}", file=sys.stderr)
        return 1
    setup_logging(config.log_level)
    # Once, before any worker serves: the workers then start on the current schema.
    applied = migrate(config.database_url, on_waiting=migrations_waiting)  # logs a wait for another's lock
    log(logging.INFO, event="migrations_applied", migrations=applied)
    unsafe = durability_off(config.database_url)
    if unsafe:  # a throwaway cluster's choice (tests, benchmarks), never a deployment's: docs/deployment.md
        log(logging.WARNING, event="database_durability_off", settings=unsafe)
    if args.config is not None:  # the workers are fresh processes: they read the same file (and the same variables)
        os.environ[env_name("config")] = str(args.config.resolve())
    uvicorn.run(
        WORKER_APP, factory=True, workers=config.workers, host=config.host, port=config.port, log_config=None,
        access_log=False, ssl_certfile=config.tls_cert or None, ssl_keyfile=config.tls_key or None,
        http=PROTOCOL, **proxy_options(config),
    )
    return 0


# What uvicorn imports in each worker process (and in this one when workers = 1).
WORKER_APP = "sync.server.__main__:worker_app"


def worker_app() -> Any:
    """The app of one server process: the configuration read again from the file and variables main() checked."""
    from sync.server.app import create_app
    from sync.server.logs import setup_logging

    config = require(load_config())
    setup_logging(config.log_level)
    app = create_app(config, run_migrations=False)
    settle_collector()
    sys.setswitchinterval(SWITCH_INTERVAL)
    return app


# How long a thread holding the interpreter runs before one waiting for it is let in (Python's default: 5 ms). A
# push's request is parsed on the event loop and applied in a worker thread beside the other batch's: with 5 ms, a
# batch validated while the loop parsed the next body, or while the other batch's thread ran Python, waited up to
# 5 ms to start (median 1.1-3.1 ms, s18-pushsrv); with 1 ms, 0.6-0.7 ms. The extra switches cost microseconds.
SWITCH_INTERVAL = 0.001


# A young collection after this many more containers alive than at the last one (Python's default: 700). A
# request's objects are freed as it ends (reference counts), so what sets a collection off is a batch's working set
# while it is alive: with 700, ~24 young collections a 500-op push and, every few batches, a full one; with 10,000
# still ~1.8 a push of 1,000 IBIC edits, each walking the live batch (~1.5 ms: ~3 ms of CPU a push, s25-pushsrv);
# with 100,000, above two side-by-side batches' working set (~34,000 at the peak), none. The cycles left build
# up slowly and are collected when the count reaches it.
YOUNG_COLLECTION = 100_000


def settle_collector() -> None:
    """Keep the cyclic garbage collector off what a server process holds for its whole life.

    Everything alive once the app is built (modules, routes, models: ~150,000 objects) goes to the collector's
    permanent generation, which no collection walks; full collections walked it all, ~4.5 ms of a 500-op push's
    ~17 ms of Python on average. Only here, in a server process: a process that keeps building and dropping
    objects with cycles (the tests) must not freeze them.
    """
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])


def proxy_options(config: ServerConfig) -> dict[str, Any]:
    """uvicorn's proxy settings: X-Forwarded-For is believed only from the configured proxies, from none by default."""
    # uvicorn's own default trusts 127.0.0.1 (or $FORWARDED_ALLOW_IPS); the server's configuration decides instead.
    if not config.forwarded_allow_ips.strip():
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": config.forwarded_allow_ips.strip()}


if __name__ == "__main__":
    sys.exit(main())
