"""Helpers for the sync tests: a real server on 127.0.0.1 (in a thread or a subprocess) and raw API calls."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi import FastAPI

from ibic.changes import FieldChange
from sync.server import central
from sync.server.app import create_app
from sync.server.config import ServerConfig
from sync.server.db import connect
from sync.server.dev import DEMO_USER
from sync.server.http_protocol import PROTOCOL
from sync.server.ordering import CHANGE_LOG_LOCK
from sync.server.pgcluster import free_port

REPO = Path(__file__).resolve().parents[2]

# httpx's default verification (certifi's CA bundle), made once: ``httpx.post`` without ``verify`` builds it anew
# for every request (~33 ms of CPU, most of a loopback request's cost; a quarter of the assessment rows' differential
# went to it). The same context each time: the same checks, every request still on a connection of its own.
VERIFY = httpx.create_ssl_context()


class _PromptServer(uvicorn.Server):
    """uvicorn's server, which begins its shutdown as soon as it is told to: uvicorn's own main loop looks at
    ``should_exit`` every 0.1 s, a wait each of the suite's ~300 servers spent at its end."""

    _loop: asyncio.AbstractEventLoop | None = None

    async def main_loop(self) -> None:
        self._stopping = asyncio.Event()
        self._loop = asyncio.get_running_loop()  # after the event: ``exit_now`` that sees the loop sees the event
        ticks = 0
        while not await self.on_tick(ticks):  # uvicorn's tick as before: the Date header once a second, should_exit
            ticks = (ticks + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), 0.1)

    def exit_now(self) -> None:
        self.should_exit = True  # before the loop is read: a main loop not yet running sees this at its first tick
        if self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed already (the server ended on its own)
                self._loop.call_soon_threadsafe(self._stopping.set)


class ThreadServer:
    """uvicorn serving the real app in a background thread; stop() waits for it to finish."""

    def __init__(self, config: ServerConfig, app: FastAPI | None = None) -> None:
        """``app``: the real app built from ``config`` with a test's own routes added (default: as built)."""
        self.config = config
        # Bound at once, before the app is built and uvicorn starts: the port ``new_config`` found free is held from
        # here on. Bound by uvicorn, it stayed free for the ~0.1 s the app and the thread took to start (longer on a
        # loaded machine), and any process on the machine, or an outgoing connection's local port, could take it.
        self._socket = socket.create_server(("127.0.0.1", config.port))
        self._server = _PromptServer(
            # The product's protocol class (python -m sync.server passes it too): an unreadable request's 400 is
            # ErrorBody here as there.
            uvicorn.Config(app or create_app(config), host="127.0.0.1", port=config.port, log_config=None,
                           access_log=False, lifespan="on", http=PROTOCOL)
        )
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def start(self) -> ThreadServer:
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("server thread died at start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.exit_now()
        self._thread.join(timeout=30)
        self._socket.close()


# python -m sync.server with httptools unimportable (uvicorn's "auto" then takes h11); one worker, in this process.
_WITHOUT_HTTPTOOLS = ("import runpy, sys; sys.modules['httptools'] = None; "
                      "runpy.run_module('sync.server', run_name='__main__', alter_sys=True)")


class ProcessServer:
    """``python -m sync.server`` as a subprocess, so a test can SIGKILL it mid-sync and start it again."""

    def __init__(self, config: ServerConfig, ca_file: Path | None = None, *, without_httptools: bool = False,
                 log_file: Path | None = None) -> None:
        """``without_httptools``: as on a host where httptools is not installed, so uvicorn parses with h11;
        ``log_file``: where the server's stderr (its log lines) goes (default: nowhere)."""
        self.config = config
        self.ca_file = ca_file
        self.without_httptools = without_httptools
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ProcessServer:
        env = dict(os.environ)
        env.update({
            "HEMBESOK_SYNC_DATABASE_URL": self.config.database_url,
            "HEMBESOK_SYNC_PORT": str(self.config.port),
            "HEMBESOK_SYNC_TOKEN_SECRET": self.config.token_secret,
            "HEMBESOK_SYNC_RATE_BURST": str(self.config.rate_burst),
            "HEMBESOK_SYNC_RATE_PER_SECOND": str(self.config.rate_per_second),
            "HEMBESOK_SYNC_ENROLL_PER_MINUTE": str(self.config.enroll_per_minute),
            "HEMBESOK_SYNC_ENROLL_BURST": str(self.config.enroll_burst),
            "HEMBESOK_SYNC_TLS_CERT": self.config.tls_cert,
            "HEMBESOK_SYNC_TLS_KEY": self.config.tls_key,
            "HEMBESOK_SYNC_WORKERS": str(self.config.workers),
            "HEMBESOK_SYNC_POOL_SIZE": str(self.config.pool_size),
        })
        command = ["-c", _WITHOUT_HTTPTOOLS] if self.without_httptools else ["-m", "sync.server"]
        with contextlib.ExitStack() as files:
            stderr = files.enter_context(self.log_file.open("ab")) if self.log_file else subprocess.DEVNULL
            self.process = subprocess.Popen([sys.executable, *command], cwd=REPO, env=env,
                                            stdout=subprocess.DEVNULL, stderr=stderr)
        scheme = "https" if self.config.tls_cert else "http"
        verify = ssl.create_default_context(cafile=str(self.ca_file)) if self.ca_file else VERIFY
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                answer = httpx.get(f"{scheme}://127.0.0.1:{self.config.port}/health", timeout=1, verify=verify)
                if answer.status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server process did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # graceful shutdown waits for idle keep-alive connections
                self.process.kill()
                self.process.wait()


@dataclass
class Env:
    """One test's server: its database, configuration, base URL and the demo enrollment codes."""

    database_url: str
    config: ServerConfig
    codes: dict[str, str]
    base_url: str = ""
    servers: list[Any] = field(default_factory=list)
    held: Any = field(default=None, repr=False)  # the connection of ``one_connection``, while it lasts

    def sql(self, query: str, params: Any = None) -> list[dict[str, Any]]:
        """Run one query on the server's database (for assertions about what is stored), committed at once."""
        if self.held is None:
            with connect(self.database_url) as conn:
                return _committed(conn, query, params)
        try:
            return _committed(self.held, query, params)
        except BaseException:
            self.held.rollback()  # the next query starts clean, as on a connection of its own
            raise

    @contextlib.contextmanager
    def one_connection(self) -> Iterator[Env]:
        """``sql`` on one connection until the end (each query still committed at once), for a test that makes
        hundreds: a connection of its own is ~15 ms a query. Not for a test whose threads query at once (one
        waiting on a lock would hold up the others) or that counts the database's connections."""
        with connect(self.database_url) as self.held:
            try:
                yield self
            finally:
                self.held = None

    def new_code(self, user_id: str) -> str:
        """A fresh one-time enrollment code for ``user_id`` (as IT would issue)."""
        with connect(self.database_url) as conn:
            return central.issue_enrollment_code(conn, user_id)

    def enroll(self, user_id: str, device_id: str) -> Device:
        """A raw protocol device enrolled for ``user_id``."""
        return Device(self.base_url, device_id).enroll(self.new_code(user_id))

    def stored_counts(self) -> dict[str, int]:
        """How many rows each append-only table holds (to prove a refused request stored nothing)."""
        tables = {t: t for t in ("change_log", "audit_entries", "devices", "records", "case_access")}
        tables["applied_ops"] = "change_log WHERE content_hash IS NOT NULL"  # the change-log rows of pushed ops
        return {name: int(self.sql(f"SELECT count(*) AS n FROM {rows}")[0]["n"]) for name, rows in tables.items()}


def _committed(conn: Any, query: str, params: Any) -> list[dict[str, Any]]:
    rows = conn.execute(query, params).fetchall() if query.lstrip().upper().startswith("SELECT") else []
    if not rows and not query.lstrip().upper().startswith("SELECT"):
        conn.execute(query, params)
    conn.commit()
    return [dict(r) for r in rows]


def pushed_op_ids(message: Any) -> list[str]:
    """The op ids a push request carries, as it goes on the wire (the push sends the journal's own JSON)."""
    return [change["op_id"] for change in json.loads(message.model_dump_json())["changes"]]


def new_config(database_url: str, **overrides: Any) -> ServerConfig:
    """A server configuration on a free port."""
    # Tests enroll many laptops from 127.0.0.1; the enrollment limit has its own test.
    values: dict[str, Any] = {"database_url": database_url, "port": free_port(), "token_secret": uuid.uuid4().hex,
                              "pool_size": 8, "enroll_per_minute": 6000.0, "enroll_burst": 1000}
    values.update(overrides)
    return ServerConfig(**values)


@dataclass
class Device:
    """A raw protocol client (no local store): enough to drive the server directly."""

    base_url: str
    device_id: str
    user_id: str = ""
    credential: str = ""
    token: str = ""

    def enroll(self, code: str) -> Device:
        answer = httpx.post(f"{self.base_url}/v1/enroll", json={"code": code, "device_id": self.device_id},
                            verify=VERIFY)
        answer.raise_for_status()
        body = answer.json()
        self.user_id, self.credential, self.token = body["user_id"], body["device_credential"], body["access_token"]
        return self

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def post(self, path: str, body: Any) -> httpx.Response:
        return httpx.post(f"{self.base_url}{path}", json=body, headers=self.headers(), timeout=30, verify=VERIFY)

    def change(self, record_id: str, path: str, value: Any, base_version: int, record_type: str = "case",
               op: str = "set", op_id: str | None = None) -> FieldChange:
        return FieldChange(
            op_id=op_id or uuid.uuid4().hex, record_type=record_type,
            record_id=record_id, path=path, op=op, value=value,
            base_version=base_version, hlc=f"{int(time.time() * 1000):013d}-0000-{self.device_id}",
            device_id=self.device_id, user_id=self.user_id,
        )

    def push(self, changes: list[FieldChange], closing: bool = False) -> httpx.Response:
        return self.post("/v1/push", {"changes": [c.model_dump(mode="json") for c in changes], "closing": closing})

    def pull_all(self, cursor: int = 0) -> tuple[list[dict[str, Any]], int]:
        changes: list[dict[str, Any]] = []
        while True:
            answer = self.post("/v1/pull", {"cursor": cursor, "limit": 200})
            answer.raise_for_status()
            body = answer.json()
            changes.extend(body["changes"])
            cursor = body["next_cursor"]
            if not body["has_more"]:
                return changes, cursor

    def record(self, record_type: str, record_id: str) -> dict[str, Any]:
        answer = httpx.get(f"{self.base_url}/v1/records/{record_type}/{record_id}", headers=self.headers(),
                           verify=VERIFY)
        answer.raise_for_status()
        return dict(answer.json())


TEST_PERSONAL_NUMBER = "191212121212"  # Tolvan Tolvansson, Skatteverket's test personnummer


def new_person_document(person_id: str | None = None, **fields: Any) -> dict[str, Any]:
    """A whole fictitious person as a laptop's first save writes it (``fields`` set over it)."""
    from ibic.people import Person

    person = Person(given_name="Tolvan", family_name="Tolvansson", personal_number=TEST_PERSONAL_NUMBER,
                    fictitious=True, **({"id": person_id} if person_id else {}))
    return {**person.model_dump(mode="json"), **fields}


def new_case_document(person_id: str, case_id: str | None = None, **fields: Any) -> dict[str, Any]:
    """A whole new case of ``person_id`` as a laptop's first save writes it (``fields`` set over it)."""
    from datetime import date

    from ibic.cases import Case

    case = Case(person_id=person_id, opened_on=date(2026, 11, 2), **({"id": case_id} if case_id else {}))
    return {**case.model_dump(mode="json"), **fields}


def creation_ops(device: Any, record_type: str, document: dict[str, Any], *, left_out: tuple[str, ...] = (),
                 record_id: str | None = None) -> list[FieldChange]:
    """The ops a laptop's first save of ``document`` journals (one set per top-level field, base version 0),
    those of ``left_out`` missing; ``record_id`` another record's than the document's id."""
    return [device.change(record_id or document["id"], name, value, 0, record_type=record_type)
            for name, value in document.items() if name not in left_out]


def waiting_on_the_change_log(env: Env, count: int) -> list[int]:
    """The server backends waiting for the change log's ordering lock (a push's last step, its records locked and
    its rows written), once there are ``count`` of them."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        rows = env.sql("SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid"
                       " WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objid = %s"
                       " AND a.datname = current_database()", (CHANGE_LOG_LOCK,))
        if len(rows) >= count:
            return [int(r["pid"]) for r in rows]
        time.sleep(0.02)
    raise AssertionError("no push waited for the change log")


def backends_waiting_for_a_lock(env: Env, count: int) -> None:
    """Until ``count`` backends of the test's database wait for a lock (the change log's or a record's)."""
    deadline = time.monotonic() + 60
    while env.sql("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()"
                  " AND wait_event_type = 'Lock'")[0]["n"] < count:
        assert time.monotonic() < deadline, "the other batch never waited"
        time.sleep(0.02)


def assigned_cases(env: Env, user_id: str) -> list[dict[str, Any]]:
    """case_id and person_id of the cases assigned to ``user_id``."""
    return env.sql("SELECT case_id, person_id FROM case_access WHERE assigned_user_id = %s ORDER BY case_id",
                   (user_id,))


def version_of(env: Env, record_type: str, record_id: str) -> int:
    """The server version of one record."""
    rows = env.sql("SELECT version FROM records WHERE record_type = %s AND record_id = %s", (record_type, record_id))
    return int(rows[0]["version"])


PASSPHRASE = "korrekt häst batteri häftklammer"


@dataclass
class Laptop:
    """A real local profile (SQLCipher in tmp_path) enrolled with the test server through the real client."""

    profile: Any
    session: Any
    directory: Path

    def sync(self) -> Any:
        from sync.client.engine import sync_now

        return sync_now(self.session, self.profile)


def make_laptop(env: Env, directory: Path, user_id: str, base_url: str | None = None) -> Laptop:
    """create_profile + enroll with a fresh code from IT; retries kept short for tests."""
    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from sync.client.credentials import CredentialStore
    from sync.client.enrollment import enroll
    from sync.client.transport import RetryPolicy, Transport

    profile = create_profile(directory, PASSPHRASE, user_id=user_id,
                             kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1))
    transport = Transport(base_url or env.base_url, retry=RetryPolicy(attempts=8, base_seconds=0.05, cap_seconds=0.5))
    session = enroll(transport, CredentialStore(profile), code=env.new_code(user_id), device_id=profile.device_id,
                     user_id=user_id)
    return Laptop(profile, session, directory)


def conflicting_edits(env: Env, tmp_path: Path, field: str = "origin_note",
                      values: tuple[str, str] = ("Bor ensam. Har hund.", "Bor ensam i lägenhet.")) -> Path:
    """Two laptops set one case's ``field`` to ``values`` apart; the second laptop's sync meets the first's edit: it
    holds one conflict. Both profiles are locked again; the second's folder is returned for a window to open."""
    a, b = make_laptop(env, tmp_path / "a", DEMO_USER), make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    b.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    for laptop, value in ((a, values[0]), (b, values[1])):
        case = laptop.profile.cases.load(case_id)
        setattr(case, field, value)
        laptop.profile.cases.save(case)
    a.sync()
    b.sync()
    assert len(b.profile.sync.conflicts()) == 1
    a.profile.lock()
    b.profile.lock()
    return b.directory


def server_documents(env: Env, user_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    """Every record the user's pull scope holds on the server, by (type, id)."""
    rows = env.sql(
        "SELECT r.record_type, r.record_id, r.document FROM record_documents r JOIN case_access a"
        " ON (r.record_type = 'case' AND a.case_id = r.record_id)"
        " OR (r.record_type = 'person' AND a.person_id = r.record_id) WHERE a.assigned_user_id = %s",
        (user_id,),
    )
    return {(r["record_type"], r["record_id"]): r["document"] for r in rows}


def local_documents(profile: Any, keys: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """The same records as the laptop holds them (as JSON)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for record_type, record_id in keys:
        repository = profile.cases if record_type == "case" else profile.people
        out[(record_type, record_id)] = repository.load(record_id).model_dump(mode="json")
    return out


def case_with_decision(env: Env, user_id: str) -> tuple[str, dict[str, Any]]:
    """A case of the user that carries a decision, and that decision."""
    rows = env.sql(
        "SELECT r.record_id, r.document FROM record_documents r JOIN case_access a ON a.case_id = r.record_id"
        " WHERE r.record_type = 'case' AND a.assigned_user_id = %s AND jsonb_array_length(r.document->'decisions') > 0"
        " ORDER BY r.record_id LIMIT 1",
        (user_id,),
    )
    return rows[0]["record_id"], rows[0]["document"]["decisions"][0]


def edit_case(profile: Any, case_id: str, **fields: Any) -> None:
    """A handläggare's edit on the laptop: load, change fields, save (journaled, pending until pushed)."""
    case = profile.cases.load(case_id)
    for name, value in fields.items():
        setattr(case, name, value)
    profile.cases.save(case)


def edit_all_cases(laptop: Laptop, field: str, text: str) -> set[str]:
    """Edit one field of every case on the laptop; returns the op ids now pending."""
    for summary in laptop.profile.cases.list_summaries():
        case = laptop.profile.cases.load(summary.case_id)
        setattr(case, field, text)
        laptop.profile.cases.save(case)
    return {change.op_id for change in laptop.profile.journal.pending()}


def assert_exactly_once_and_converged(env: Env, device_id: str, expected_ops: set[str], *laptops: Laptop) -> None:
    """Every op of ``device_id`` is logged and applied once on the server, and the laptops hold what it holds."""
    rows = env.sql("SELECT op_id, count(*) AS n FROM change_log WHERE device_id = %s GROUP BY op_id", (device_id,))
    assert all(r["n"] == 1 for r in rows), "an operation was logged twice"
    assert {r["op_id"] for r in rows} == expected_ops
    assert {r["op_id"] for r in env.sql("SELECT op_id FROM change_log WHERE device_id = %s"
                                        " AND content_hash IS NOT NULL", (device_id,))} == expected_ops
    server = server_documents(env, DEMO_USER)
    for laptop in laptops:
        assert laptop.profile.journal.pending_count() == 0
        assert laptop.profile.sync.conflicts() == []
        assert local_documents(laptop.profile, server) == server


def self_signed_certificate(folder: Path, name: str) -> tuple[Path, Path]:
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


def synced_past_a_backup(env: Env, directory: Path, entries: int) -> tuple[Laptop, str]:
    """A laptop synced, backed up, then ``entries`` audit entries recorded and synced after the backup (the server's
    chain that far ahead of the backup's); the laptop and the case viewed."""
    laptop = make_laptop(env, directory, DEMO_USER)
    laptop.sync()
    case_id = str(assigned_cases(env, DEMO_USER)[0]["case_id"])
    assert laptop.profile.backup_now() is not None
    for _ in range(entries):
        laptop.profile.audit.record("case_viewed", case_id=case_id)
    laptop.sync()
    return laptop, case_id


def damage_and_restore(laptop: Laptop) -> Any:
    """Lock the laptop's profile, damage its database's first page (the file no longer opens) and restore the
    newest backup as the app does (``storage.restore.restore_and_open``); the restored profile, open."""
    from storage.layout import database_path
    from storage.restore import restore_and_open

    laptop.profile.lock()
    database = database_path(laptop.directory)
    data = bytearray(database.read_bytes())
    data[1000] ^= 0xFF
    database.write_bytes(bytes(data))
    _, profile = restore_and_open(laptop.directory, PASSPHRASE)
    return profile


def as_a_server_before_s29(real_request: Any) -> Callable[..., httpx.Response]:
    """``httpx.Client.request`` answering as a server before s29 does a pull with a query (``authors``, ``retiring``):
    422, a parameter it does not take; every other request goes to ``real_request``."""

    def request(client: httpx.Client, method: str, url: Any, *args: Any, **kwargs: Any) -> httpx.Response:
        asked = httpx.URL(str(url))
        if asked.path == "/v1/pull" and asked.query:
            name = next(iter(asked.params.keys()), "…")
            return httpx.Response(422, json={"protocol": 1, "error": "invalid_request", "message": "invalid request",
                                             "details": [f"query/{name}: not a parameter of this endpoint"]})
        return real_request(client, method, url, *args, **kwargs)

    return request


def server_note(env: Env, case_id: str) -> str:
    """The case's ``origin_note`` as the server holds it."""
    rows = env.sql("SELECT document->>'origin_note' AS note FROM record_documents"
                   " WHERE record_type = 'case' AND record_id = %s", (case_id,))
    return str(rows[0]["note"])


def window_over(env: Env, tmp_path: Path, qtbot: Any, directory: Path) -> Any:
    """The app's window over the profile in ``directory``, its server set to ``env``'s; shown, not unlocked."""
    from storage.kdf import KdfParameters
    from ui.main_window import MainWindow, StartOptions
    from ui.settings import SERVER_URL, AppSettings

    settings = AppSettings(str(tmp_path / "settings.ini"))
    settings.set(SERVER_URL, env.base_url)
    window = MainWindow(settings, StartOptions(profile_dir=directory, kdf=KdfParameters()))
    qtbot.addWidget(window)
    window.show()
    return window


def unlock_and_open_conflicts(qtbot: Any, window: Any, act: Callable[[Any], None]) -> None:
    """Unlock ``window`` (it syncs at unlock), wait for the status bar's conflicts button and click it, with
    ``act(dialog)`` run once the conflict dialog shows (``in_conflict_dialog``)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton
    from uihelpers import unlock

    unlock(qtbot, window, PASSPHRASE)
    button = window.statusBar().findChild(QPushButton, "syncConflictsButton")
    qtbot.waitUntil(button.isVisible, timeout=60_000)
    in_conflict_dialog(act)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def in_conflict_dialog(act: Callable[[Any], None]) -> None:
    """``act(dialog)`` once the conflict dialog shows, looked for on the event loop: call this just before the click
    that opens it (its exec() returns only when it closes)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def look() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if w.objectName() == "conflictDialog"
                       and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(20, look)
            return
        act(dialog)

    QTimer.singleShot(0, look)
