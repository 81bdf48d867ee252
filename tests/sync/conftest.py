"""Sync test fixtures: ONE throwaway PostgreSQL cluster per session (per worker in a parallel run), a fresh database and
server per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from databases_ahead import DatabasesAhead
from fault_proxy import FaultProxy
from sync_support import Env, ProcessServer, ThreadServer, new_config, self_signed_certificate

# A case opens at once once the workspace is imported (``ui.case_opening``: the first opening after the start waits
# for the models, imported on a worker): these tests drive their windows in one process, as every opening after the
# first. The first opening's wait is tested in fresh processes (tests/ui/test_first_opening.py).
import ui.workspace.workspace  # noqa: F401
from sync.server.dev import seed_demo
from sync.server.pgcluster import PgCluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    cluster = PgCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def _databases(pg_cluster: PgCluster) -> Iterator[DatabasesAhead]:
    databases = DatabasesAhead(pg_cluster)
    try:
        yield databases
    finally:
        databases.close()


@pytest.fixture()
def database_url(_databases: DatabasesAhead) -> Iterator[str]:
    """A fresh migrated database, dropped after the test: a run leaves ~300 databases otherwise (3 GB of files the
    kernel writes back while later tests fsync, and a minute of deleting them at the end)."""
    name, url = _databases.take()
    yield url
    _databases.drop(name)


@pytest.fixture()
def swedish_ui(qapp: Any) -> Iterator[None]:
    """The app's language for one test, and English again after it: the tests after it read the source strings (a
    test that left Swedish installed once made the window-sync tests after it read Swedish messages)."""
    from ui.i18n import install_language

    install_language("sv")
    yield
    install_language("en")


@pytest.fixture()
def ui_owner(qtbot: Any) -> Any:
    """A parent for a test's SyncController, deleted on the UI thread when the test ends.

    Without a parent, a controller was deleted by whichever thread dropped its last reference: often the worker of
    its last sync (the job holds the bound method it ran), and Qt cannot stop a timer from another thread ("QObject::
    ~QObject: Timers cannot be stopped from another thread", seen in loaded runs). Its retry or periodic timer stayed
    registered with the UI thread's event loop and would fire into freed memory minutes later, in another test."""
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    qtbot.addWidget(owner)
    return owner


@pytest.fixture()
def env(database_url: str) -> Iterator[Env]:
    """Demo data (two units), a running server in a thread, and the enrollment codes."""
    codes = seed_demo(database_url)
    config = new_config(database_url)
    server = ThreadServer(config).start()
    environment = Env(database_url, config, codes, base_url=f"http://127.0.0.1:{config.port}", servers=[server])
    try:
        yield environment
    finally:
        server.stop()


@pytest.fixture()
def tls_server(database_url: str, tmp_path: Path) -> Iterator[tuple[Env, Path]]:
    """Demo data and ``python -m sync.server`` over HTTPS with a self-signed certificate for 127.0.0.1: (env, the
    certificate, its own CA)."""
    cert, key = self_signed_certificate(tmp_path, "server")
    config = new_config(database_url, tls_cert=str(cert), tls_key=str(key))
    codes = seed_demo(database_url)
    server = ProcessServer(config, ca_file=cert).start()
    try:
        yield Env(database_url, config, codes, base_url=f"https://127.0.0.1:{config.port}"), cert
    finally:
        server.stop()


@pytest.fixture()
def proxy(env: Env) -> Iterator[FaultProxy]:
    """A fault-injecting proxy in front of the test's server (``fault_proxy``)."""
    running = FaultProxy(env.config.port).start()
    try:
        yield running
    finally:
        running.stop()
