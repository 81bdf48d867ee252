"""HTTPS: the certificate is verified by default; a pinned municipal CA is accepted; a wrong one is refused."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sync_support import Env, ProcessServer, new_config

from sync.client.transport import RetryPolicy, Transport
from sync.errors import CertificateRejected
from sync.protocol import Health
from sync.server.dev import seed_demo


def _certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (it is its own CA): (cert, key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture()
def tls_server(database_url: str, tmp_path: Path) -> Iterator[tuple[Env, Path]]:
    cert, key = _certificate(tmp_path, "server")
    config = new_config(database_url, tls_cert=str(cert), tls_key=str(key))
    codes = seed_demo(database_url)
    server = ProcessServer(config, ca_file=cert).start()
    try:
        yield Env(database_url, config, codes, base_url=f"https://127.0.0.1:{config.port}"), cert
    finally:
        server.stop()


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
    other_ca, _ = _certificate(tmp_path, "other")
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
