"""Anslut (Synk → Anslut till synkservern…) with a code and an address as a person may type or paste them
(s33-probe). Before: a U+0000 pasted with the code ended in "Datorn kunde inte anslutas" (the request could not carry
it); a long paste was cut to 20 characters without a word and the cut text refused as a wrong code; an address
without https://, with a space or with a port past 65535 was tried six times and said "cannot be reached", or ended
in "could not be connected"; a web page at the address said "could not be connected" too. Each now ends in its own
Swedish message beside the field, what was typed kept, or connects."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sync_support import PASSPHRASE, Env

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # the UI tests' keyboard helpers
from uihelpers import paste, type_text, unlock
from wrong_addresses import SilentServer, nothing_listening, web_page

from sync.server.dev import DEMO_USER
from ui.settings import SERVER_URL


@contextlib.contextmanager
def _window(qtbot: Any, tmp_path: Path, server_url: str) -> Iterator[Any]:
    """The main window over a profile never connected, its settings naming ``server_url``, unlocked."""
    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from ui.main_window import MainWindow, StartOptions
    from ui.settings import AppSettings

    create_profile(tmp_path / "profile", PASSPHRASE, user_id=DEMO_USER,
                   kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1)).lock()
    settings = AppSettings(str(tmp_path / "settings.ini"))
    settings.set(SERVER_URL, server_url)
    window = MainWindow(settings, StartOptions(profile_dir=tmp_path / "profile"))
    qtbot.addWidget(window)
    window.show()
    unlock(qtbot, window, PASSPHRASE)
    try:
        yield window
    finally:
        if window.session is not None:
            window.session.lock()


def _connect(qtbot: Any, window: Any, enter: Callable[[Any], None]) -> tuple[str, str, bool]:
    """Anslut from the Sync menu; ``enter`` types or pastes the code and Enter is pressed. The dialog's message and
    its field's text once the attempt ended, and whether the laptop is connected."""
    from sync.client.credentials import CredentialStore
    from ui.sync.enrollment_dialog import EnrollmentDialog

    seen: dict[str, Any] = {}

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, EnrollmentDialog):
            QTimer.singleShot(10, act)  # not shown yet
            return
        enter(dialog.code)
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)  # the default button: Anslut
        seen["dialog"] = dialog
        QTimer.singleShot(0, wait)

    def wait() -> None:
        dialog = seen["dialog"]
        if dialog.isVisible() and not dialog.connect_button.isEnabled():  # the attempt runs
            QTimer.singleShot(20, wait)
            return
        seen["said"], seen["field"] = dialog.message.text(), dialog.code.text()
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, act)
    window.action_enroll.trigger()  # returns when the dialog has closed
    qtbot.waitUntil(lambda: "said" in seen, timeout=60_000)
    return seen["said"], seen["field"], CredentialStore(window.session.profile).load() is not None


def test_a_code_pasted_with_a_nul_and_a_line_end_connects(
    qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None
) -> None:
    code = env.new_code(DEMO_USER)
    pasted = f"{code[:4]}\x00{code[4:]}\n"
    with _window(qtbot, tmp_path, env.base_url) as window:
        said, _field, connected = _connect(qtbot, window, lambda edit: paste(qtbot, edit, pasted))
    assert connected, said  # on main: "Datorn kunde inte anslutas. Försök igen eller kontakta IT."
    assert said == "Datorn är ansluten."


def test_a_code_typed_in_full_width_connects(qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None) -> None:
    code = env.new_code(DEMO_USER)
    wide = "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() else ch for ch in code)
    with _window(qtbot, tmp_path, env.base_url) as window:
        said, field, connected = _connect(qtbot, window, lambda edit: type_text(edit, wide))
    assert connected, said  # on main: "Koden är fel, redan använd eller för gammal."
    assert field == wide


def test_a_long_paste_is_kept_whole_and_said_to_be_longer_than_a_code(
    qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None
) -> None:
    pasted = "Din kod från IT: " + env.new_code(DEMO_USER) + " " + "Hälsningar från IT-avdelningen. " * 300
    with _window(qtbot, tmp_path, env.base_url) as window:
        said, field, connected = _connect(qtbot, window, lambda edit: paste(qtbot, edit, pasted))
    assert field == pasted  # on main: cut to its first 20 characters, and refused as a wrong code
    assert said == "Det här är längre än en kod från IT. Skriv eller klistra in bara koden, som XXXX-XXXX-XXXX."
    assert not connected
    assert env.sql("SELECT count(*) AS n FROM enrollment_codes WHERE used_at IS NOT NULL") == [{"n": 0}]


def test_an_address_without_https_is_said_at_once_and_the_code_is_kept(
    qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None
) -> None:
    code = env.new_code(DEMO_USER)
    with _window(qtbot, tmp_path, env.base_url.removeprefix("http://")) as window:
        said, field, connected = _connect(qtbot, window, lambda edit: type_text(edit, code))
    # On main: six attempts, then "Servern går inte att nå. Kontrollera nätverket och adressen."
    assert said == ("Synkserverns adress i Inställningar går inte att använda: Adressen börjar med https:// (till"
                    " exempel https://sync.kommun.se). Rätta den under Arkiv → Inställningar.")
    assert field == code and not connected


def test_a_port_past_65535_is_said_at_once(qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None) -> None:
    with _window(qtbot, tmp_path, "https://127.0.0.1:99999") as window:
        said, _field, _connected = _connect(qtbot, window, lambda edit: type_text(edit, "ABCD-EFGH-JKLM"))
    assert "Porten efter kolonet måste vara ett tal från 1 till 65535." in said, said


def test_a_web_page_at_the_address_is_said_to_be_no_sync_server(
    qtbot: Any, tmp_path: Path, swedish_ui: None
) -> None:
    expected = "Adressen i Inställningar svarar inte som en synkserver. Kontrollera adressen eller kontakta IT."
    with web_page() as address, _window(qtbot, tmp_path, address) as window:
        said, field, connected = _connect(qtbot, window, lambda edit: type_text(edit, "ABCD-EFGH-JKLM"))
        assert said == expected, said  # on main: "Datorn kunde inte anslutas. Försök igen eller kontakta IT."
        window.settings.set(SERVER_URL, address + "/x")
        said, field, connected = _connect(qtbot, window, lambda edit: type_text(edit, "ABCD-EFGH-JKLM"))
        assert said == expected, said  # a page at every path: an answer that is no sync protocol's
    assert field == "ABCD-EFGH-JKLM" and not connected



def test_nothing_listening_and_a_server_that_never_answers_are_each_said_at_anslut(
    qtbot: Any, tmp_path: Path, swedish_ui: None
) -> None:
    """A port where nothing listens and a server that takes the connection and never answers: each its own message
    naming the address in Settings (both said "Servern går inte att nå. Kontrollera nätverket och adressen.", the
    silent one after six attempts of 30 s each), the code kept. The answer timeout is the settings' own, shortened."""
    from ui.settings import SYNC_ANSWER_SECONDS, SYNC_RETRY_SECONDS

    with SilentServer() as silent, _window(qtbot, tmp_path, nothing_listening()) as window:
        window.settings.set(SYNC_ANSWER_SECONDS, 1)
        window.settings.set(SYNC_RETRY_SECONDS, 0)
        said, field, connected = _connect(qtbot, window, lambda edit: type_text(edit, "ABCD-EFGH-JKLM"))
        assert said == ("Ingenting svarar på adressen i Inställningar: servern kan vara avstängd, eller så är adressen"
                        " fel. Kontrollera adressen under Arkiv → Inställningar, eller kontakta IT."), said
        window.settings.set(SERVER_URL, silent.address)
        said, field, connected = _connect(qtbot, window, lambda edit: type_text(edit, "ABCD-EFGH-JKLM"))
        assert said == ("Servern på adressen i Inställningar tog emot anslutningen men svarade inte i tid. Försök igen"
                        " om en stund; fortsätter det, kontakta IT."), said
        assert silent.accepted.is_set()
    assert field == "ABCD-EFGH-JKLM" and not connected
