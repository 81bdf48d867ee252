"""Write the committed OpenAPI contract: ``python -m sync.server.openapi [docs/sync-openapi.json]``."""

from __future__ import annotations

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


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    target.write_text(openapi_text(), encoding="utf-8")
