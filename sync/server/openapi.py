"""Write the committed OpenAPI contract: ``python -m sync.server.openapi [--check] [FILE]``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sync.server.app import create_app
from sync.server.config import ServerConfig

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "docs" / "sync-openapi.json"


def openapi_text() -> str:
    """The contract as stable, sorted JSON text."""
    schema = create_app(ServerConfig(token_secret="unused"), run_migrations=False).openapi()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check compare) the contract. Options are parsed, so ``--help`` is never taken for a file
    name (s32: a mistyped ``--help`` wrote the contract to a file of that name, and it was committed)."""
    parser = argparse.ArgumentParser(prog="python -m sync.server.openapi", description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_PATH, help="default: docs/sync-openapi.json")
    parser.add_argument("--check", action="store_true", help="exit 1 if FILE differs from the served contract")
    args = parser.parse_args(argv)
    text = openapi_text()
    if args.check:
        current = args.file.read_text(encoding="utf-8") if args.file.is_file() else None
        if current != text:
            print(f"{args.file} is not the served contract: run python -m sync.server.openapi", file=sys.stderr)
            return 1
        return 0
    args.file.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
