"""Run the sync server: ``python -m sync.server [--config server.toml]``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import uvicorn

from sync.server.app import create_app
from sync.server.config import ServerConfig, load_config
from sync.server.logs import setup_logging


def main(argv: list[str] | None = None) -> None:
    """Load the configuration and serve (TLS when a certificate and key are configured)."""
    parser = argparse.ArgumentParser(prog="python -m sync.server")
    parser.add_argument("--config", type=Path, default=None, help="TOML file; HEMBESOK_SYNC_* variables override it")
    args = parser.parse_args(argv)
    config = load_config(args.config)
    setup_logging(config.log_level)
    uvicorn.run(
        create_app(config), host=config.host, port=config.port, log_config=None, access_log=False,
        ssl_certfile=config.tls_cert or None, ssl_keyfile=config.tls_key or None, **proxy_options(config),
    )


def proxy_options(config: ServerConfig) -> dict[str, Any]:
    """uvicorn's proxy settings: X-Forwarded-For is believed only from the configured proxies, from none by default."""
    # uvicorn's own default trusts 127.0.0.1 (or $FORWARDED_ALLOW_IPS); the server's configuration decides instead.
    if not config.forwarded_allow_ips.strip():
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": config.forwarded_allow_ips}


if __name__ == "__main__":
    main()
