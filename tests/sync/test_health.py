"""The server starts on a migrated database and reports health."""

from __future__ import annotations

import httpx
from sync_support import Env


def test_health_reports_the_database(env: Env) -> None:
    answer = httpx.get(f"{env.base_url}/health")
    assert answer.status_code == 200
    assert answer.json() == {"protocol": 1, "status": "ok", "database": True}
