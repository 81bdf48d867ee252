"""HTTPS: the certificate is verified by default; a pinned municipal CA is accepted; a wrong one is refused."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sync_support import Env, self_signed_certificate

from sync.client.transport import RetryPolicy, Transport
from sync.errors import CertificateRejected
from sync.protocol import Health


def test_pinned_ca_is_accepted_and_an_unknown_certificate_refused_without_retrying(
    tls_server: tuple[Env, Path], tmp_path: Path
) -> None:
    env, cert = tls_server
    pinned = Transport(env.base_url, ca_file=cert)
    assert pinned.get("/health", Health).database is True
    sleeps: list[float] = []
    system_store = Transport(env.base_url, retry=RetryPolicy(attempts=5), sleep=sleeps.append)
    with pytest.raises(CertificateRejected):
        system_store.get("/health", Health)
    other_ca, _ = self_signed_certificate(tmp_path, "other")
    with pytest.raises(CertificateRejected):
        Transport(env.base_url, ca_file=other_ca, sleep=sleeps.append).get("/health", Health)
    assert sleeps == []  # a certificate problem is not a network problem: no retries
    pinned.close()
    system_store.close()


def test_a_plain_http_transport_loads_no_ca_store_and_would_refuse_any_certificate(
    tls_server: tuple[Env, Path]
) -> None:
    """Plain HTTP makes no TLS, so its transport loads no CA store (certifi's bundle was ~1.1 MiB resident); should
    its client ever be pointed at an HTTPS address, the certificate is still required and none is trusted."""
    env, _cert = tls_server
    plain = Transport("http://127.0.0.1:9", sleep=lambda _s: None)
    context = plain._verification  # the TLS context its httpx client is built with
    assert context.cert_store_stats()["x509_ca"] == 0
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        plain._client.get(f"{env.base_url}/health")
    plain.close()


def test_the_sync_client_leaves_httpx_command_line_unimported() -> None:
    """httpx's ``__init__`` imports its command line (click, rich, pygments: ~5 MiB) when they are installed; the
    sync client never runs it, so a fresh process that loads the client holds none of them, and httpx's own
    command-line module can still be imported on purpose afterwards."""
    code = ("import sys, sync.client.transport, httpx;"
            " print(sorted(m for m in ('click', 'rich', 'pygments', 'httpx._main') if m in sys.modules));"
            " import importlib.util; print(importlib.util.find_spec('httpx._main') is not None)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert result.stdout.split("\n")[:2] == ["[]", "True"]
