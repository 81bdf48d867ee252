"""The server serves no page that loads code from elsewhere (lead, session 23).

FastAPI's interactive pages (``/docs``: Swagger UI, ``/redoc``) load their scripts and styles from a public CDN into
the browser of whoever opens them, on a server that holds personal data and whose IT may block the internet. The
contract stays at ``/openapi.json`` and in ``docs/sync-openapi.json``. Fails on 2d8187a (200 and a page naming the
CDN)."""

from __future__ import annotations

import httpx
import pytest
from sync_support import Env


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_no_page_loading_scripts_from_a_cdn_is_served(env: Env, path: str) -> None:
    answer = httpx.get(f"{env.base_url}{path}")
    assert answer.status_code == 404, answer.text[:200]
    assert answer.json()["error"] == "not_found"


def test_the_contract_is_still_served(env: Env) -> None:
    answer = httpx.get(f"{env.base_url}/openapi.json")
    assert answer.status_code == 200
    assert answer.json()["info"]["title"] == "Hembesök sync"
