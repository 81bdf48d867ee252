"""``hembesok --smoke-test DIR``: prove that a build of the app works on this machine, without a person at it.

Offscreen, in a throwaway profile under DIR: create the profile, create and save a case for a fictitious person,
lock, unlock again (the key unwrapped in the helper process, as the window does) and read the case back, render the
draft utredning to PDF, sync once in a child process against a local stand-in server, load the PDF with QtPdf,
print it through QtPrintSupport to a PDF file and check that file. Every layer a bundle could lose a piece of
(SQLCipher, Argon2, cryptography, pydantic, reportlab and its fonts, the reference data, the sync child with httpx
and ``ssl``, Qt's platform and print plugins) is used.
Exit status 0, or 1 with one line on stderr naming the step that failed.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sync.protocol import PROTOCOL_VERSION

PASSPHRASE_WORDS = ("smoke", "test", "kaffe", "gran", "vinter", "kanot", "fjäll", "lykta")


@dataclass
class SmokeRun:
    directory: Path
    passphrase: str = field(default_factory=lambda: "-".join(secrets.choice(PASSPHRASE_WORDS) for _ in range(5)))
    case_id: str = ""
    case_number: str = ""
    unlocked: Any = None  # the profile reopened through the key helper, until the sync step has used and locked it
    pdf: Path = field(init=False)
    printed: Path = field(init=False)

    def __post_init__(self) -> None:
        self.pdf = self.directory / "utredning.pdf"
        self.printed = self.directory / "printed.pdf"

    @property
    def profile_dir(self) -> Path:
        return self.directory / "profile"


class SmokeFailure(RuntimeError):
    """A check of the smoke run did not hold."""


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise SmokeFailure(what)


def create_and_save(run: SmokeRun) -> None:
    from ibic.case_actions import new_case
    from ibic.people import Person
    from ibic.reference import load_reference_data
    from ibic.vocabulary import Applicant, CaseOrigin
    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from ui.session import Session

    profile = create_profile(run.profile_dir, run.passphrase, user_id="Smoke Test", kdf=KdfParameters())
    person = Person(given_name="Tolvan", family_name="Tolvansson", personal_number="19121212-1212", fictitious=True)
    case = new_case(
        person, origin=CaseOrigin.PHONE_CALL, applicant=Applicant.PERSON, opened_on=date.today(),
        caseworker="Smoke Test", unit="",
    )
    session = Session(profile, load_reference_data())
    session.create_case(case, person)
    run.case_id, run.case_number = case.id, case.case_number
    session.lock()


def reopen_and_render(run: SmokeRun) -> None:
    from ibic.documents.utredning import build_utredning
    from ibic.reference import load_reference_data
    from storage.key_helper import unwrap_in_helper
    from storage.profile import unlock_profile
    from ui.printing.generation import render_outline
    from ui.session import Session

    # As the window unlocks: the key unwrapped in the helper process (in a bundle, the executable started with
    # --key-helper), which must answer by itself here: no fallback to the unwrap in this process.
    profile = unlock_profile(run.profile_dir, run.passphrase,
                             unwrap_key=lambda path, passphrase: unwrap_in_helper(path, passphrase, fallback=False))
    session = Session(profile, load_reference_data())
    try:
        _check([s.case_id for s in session.summaries()] == [run.case_id], "the saved case is not in the list")
        opened = session.open_case(run.case_id)
        _check(opened.person.personal_number == "191212121212", "the case's person did not read back")
        outline = build_utredning(
            opened.case, opened.person, session.ref, today=date.today(), caseworker=session.caseworker, unit="",
            version=opened.case.document_version,
        )
        run.pdf.write_bytes(render_outline(outline))
    except BaseException:
        session.lock()
        raise
    run.unlocked = profile  # the sync step's, which locks it


SMOKE_DEVICE = "smoke-device"
SMOKE_TOKEN = "smoke-access-token"
SMOKE_REFUSAL = "smoke_test"
# The sync step's wait for its child. The window waits ``sync.child.SILENCE_LIMIT_S`` (ten minutes: a slow network's
# retries); against the stand-in on this machine a child answers in seconds, and one that says nothing (hung at its
# start, stuck on a proxy or a firewall) must fail this step with its line, not keep IT's install script waiting.
SYNC_LIMIT_S = 120.0


class _StandIn(BaseHTTPRequestHandler):
    """The sync server as far as a sync's first two requests: a token for the device credential, then a refusal
    (HTTP 400, ``smoke_test``) of the request for the server's audit head, which ends the run with an error the child
    must send back."""

    def do_GET(self) -> None:  # the standard library calls it by this name
        self.do_POST()

    def do_POST(self) -> None:  # the standard library calls it by this name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append((self.path, self.headers.get("Authorization", ""), body))  # type: ignore[attr-defined]
        answer: dict[str, object]
        if self.path == "/v1/token":
            status, answer = 200, {"access_token": SMOKE_TOKEN, "expires_at": "2099-12-31T00:00:00+00:00"}
        else:
            # Every answer of the sync server, an error's too, names its protocol: without it the child takes the
            # stand-in for something else at the address (``sync.client.transport``'s ``NotASyncServer``).
            status, answer = 400, {"error": SMOKE_REFUSAL, "protocol": PROTOCOL_VERSION}
        payload = json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the smoke test's output is its one line."""


def sync_in_child(run: SmokeRun) -> None:
    """One sync as the window runs it (``sync.child``): in a child process (in a bundle, the executable started with
    --sync-child), the key over its standard input, its answer in JSON lines, here against a stand-in server on
    127.0.0.1. The child must open the store, ask for a token (httpx, ``ssl``, the protocol's models) and send back
    the refusal of its first audit request (the server's audit head) as what it is."""
    from sync.client.credentials import CredentialStore, DeviceCredentials

    profile, run.unlocked = run.unlocked, None
    _check(profile is not None, "the profile is not open")
    _no_proxy_for_loopback()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
    server.seen = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, name="smoke-sync-server", daemon=True).start()
    try:
        CredentialStore(profile).save(DeviceCredentials(
            server_url=f"http://127.0.0.1:{server.server_address[1]}", device_id=SMOKE_DEVICE, user_id="Smoke Test",
            unit_id="smoke", device_credential=secrets.token_urlsafe(24)))
        _run_bounded(profile)
    finally:
        server.shutdown()
        server.server_close()
        profile.lock()
    seen = server.seen  # type: ignore[attr-defined]
    _check([path for path, _auth, _body in seen] == ["/v1/token", "/v1/audit/head"],
           "the sync child's requests differ")
    _check(json.loads(seen[0][2]).get("device_id") == SMOKE_DEVICE, "the token request names another device")
    _check(seen[1][1] == f"Bearer {SMOKE_TOKEN}", "the audit request did not carry the token")


def _run_bounded(profile: Any) -> None:
    """One run of a sync child, killed (``ChildSync.stop``, as a lock does) after ``SYNC_LIMIT_S`` without its
    answer; it must come back as the stand-in's refusal."""
    from sync.child import ChildSync
    from sync.errors import ChildFailed, ServerRejected

    child, late = ChildSync(), threading.Event()

    def give_up() -> None:
        late.set()
        child.stop()

    timer = threading.Timer(SYNC_LIMIT_S, give_up)
    timer.start()
    try:
        child.run(profile, lambda _step: None)
    except ServerRejected as error:
        _check(error.status == 400 and error.code == SMOKE_REFUSAL, f"the sync child answered {error}")
    except ChildFailed:
        if late.is_set():
            raise SmokeFailure(f"the sync child did not answer within {SYNC_LIMIT_S:.0f} s") from None
        raise
    else:
        raise SmokeFailure("the sync child reported success against a server that refused it")
    finally:
        timer.cancel()


def _no_proxy_for_loopback() -> None:
    """The stand-in server is reached directly, whatever proxy the machine names: httpx takes one from the
    environment, or on Windows from the system's settings, and a proxy cannot reach this machine's 127.0.0.1 (the
    step would fail where the app works). The child inherits this process's environment; a ``no_proxy`` there also
    keeps urllib from reading the system's settings at all."""
    for name in ("no_proxy", "NO_PROXY"):
        current = os.environ.get(name, "")
        os.environ[name] = f"{current},127.0.0.1" if current else "127.0.0.1"


def _loaded(path: Path) -> Any:
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    _check(document.load(str(path)) == QPdfDocument.Error.None_, f"QtPdf cannot load {path.name}")
    _check(document.pageCount() >= 1, f"{path.name} has no page")
    return document


def print_to_pdf(run: SmokeRun) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from ui.printing.print_pages import print_pdf

    document = _loaded(run.pdf)
    _check(run.case_number in document.getAllText(0).text(), "the PDF does not show the case number")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(run.printed))
    printer.setResolution(72)  # enough to prove the path; the page count is what is checked
    printed = print_pdf(document, printer)
    _check(printed == document.pageCount(), "not every page was printed")
    _check(run.printed.read_bytes().startswith(b"%PDF-"), "the printed file is not a PDF")
    _check(_loaded(run.printed).pageCount() == printed, "the printed PDF has the wrong number of pages")


def show_window(run: SmokeRun) -> None:
    """The real main window comes up on the unlocked profile's folder (platform plugin, widgets, translations)."""
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow, StartOptions
    from ui.settings import AppSettings

    window = MainWindow(AppSettings(str(run.directory / "settings.ini")), StartOptions(profile_dir=run.profile_dir))
    window.show()
    QApplication.processEvents()
    _check(window.isVisible(), "the main window did not appear")
    window.close()


def about_lists_licences(_run: SmokeRun) -> None:
    """The About dialog's licence list: in a bundle from the manifest written at build time."""
    from ui.about import AboutDialog

    dialog = AboutDialog()
    names = {c.name.lower() for c in dialog.inventory.components}
    _check({"pyside6_essentials", "sqlcipher3", "reportlab"} <= names, "the About dialog misses components")
    _check("GNU LESSER GENERAL PUBLIC LICENSE" in dialog.licences.toPlainText(), "the LGPL text is missing")
    _check(bool(dialog.inventory.built) == bool(getattr(sys, "frozen", False)), "the build date is wrong")


def swedish_text(_run: SmokeRun) -> None:
    """Qt's Unicode and Swedish collation data (ICU; the Linux bundle carries a trimmed copy) are there."""
    from PySide6.QtCore import QCollator, QLocale

    swedish = QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden)
    names = sorted(["Östen", "Åsa", "Zackarias", "Ärla", "Olle"], key=QCollator(swedish).sortKey)
    _check(names == ["Olle", "Zackarias", "Åsa", "Ärla", "Östen"], "Swedish sorting is wrong")
    _check(swedish.toUpper("åäö") == "ÅÄÖ", "Swedish letters do not change case")


STEPS: tuple[tuple[str, Callable[[SmokeRun], None]], ...] = (
    ("create profile and save a case", create_and_save),
    ("reopen the profile through the key helper and render the utredning", reopen_and_render),
    ("sync in a child process", sync_in_child),
    ("print the PDF", print_to_pdf),
    ("show the main window", show_window),
    ("list the licences", about_lists_licences),
    ("sort Swedish text", swedish_text),
)


def run_smoke(directory: Path) -> int:
    """Run every step; returns the exit status."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    del app  # kept alive by Qt; the steps need one to exist
    # The output is one line: a layer's log record (the window's warning for a sync child that failed) is not
    # printed beside it by logging's last-resort handler.
    logging.getLogger().addHandler(logging.NullHandler())
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a file of that name, a folder below one, no right to write: one line, not a traceback
        print(f"smoke test failed at 'make the folder': {type(error).__name__}: {error.strerror}", file=sys.stderr)
        return 1
    run = SmokeRun(directory)
    for name, step in STEPS:
        try:
            step(run)
        except Exception as error:  # one line, whatever broke: the point is to name the step
            first_line = next(iter(str(error).splitlines()), "")
            print(f"smoke test failed at '{name}': {type(error).__name__}: {first_line}", file=sys.stderr)
            return 1
    print(f"smoke test passed in {directory}")
    return 0
