"""Fixtures for the UI tests: a real main window on a real SQLCipher profile in tmp_path, offscreen."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from uihelpers import CASEWORKER, PASSPHRASE

# A case opens at once once the workspace is imported (``ui.case_opening``: the first opening after the start waits
# for the models, imported on a worker): these tests drive their windows in one process, as every opening after the
# first. The first opening's wait is tested in fresh processes (tests/ui/test_first_opening.py).
import ui.workspace.workspace  # noqa: F401
from ibic.demo import demo_cases
from storage.kdf import KdfParameters
from storage.profile import create_profile


@pytest.fixture(scope="module", autouse=True)
def swedish(qapp):  # type: ignore[no-untyped-def]
    """The app's default language, as a handläggare sees it; removed again so other folders' tests are unaffected."""
    from ui.i18n import install_language

    install_language("sv")
    yield qapp
    install_language("en")


@pytest.fixture(autouse=True)
def same_text_size_after(qapp):  # type: ignore[no-untyped-def]
    """OK in Inställningar applies its text size to the whole application at once: put the size back after a
    test, so the next test meets the usual one."""
    from PySide6.QtGui import QFont

    font = QFont(qapp.font())
    yield
    if qapp.font() != font:
        qapp.setFont(font)


@pytest.fixture
def laptop_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen the app's own sizing rules (``ui.common.screen_fit``) see: a 1366×768 laptop's, task bar left
    out. The offscreen platform's one screen is 800×800, narrower than the narrowest window at 20 pt, where the
    window is now kept to the screen's width; the tests of that narrowest window measure it on a laptop's screen.
    The 800-pixel screen itself is met by the other tests and by tests/ui/layout_probe.py's configured screens."""
    from PySide6.QtCore import QRect

    monkeypatch.setattr("ui.common.screen_fit.available_area", lambda widget: QRect(0, 0, 1366, 728))


@pytest.fixture
def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    from ui.settings import AppSettings

    return AppSettings(str(tmp_path / "settings.ini"))


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture(scope="session")
def demo_profile_template(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """The locked demo profile of today, made once a session and never opened again: each test gets a copy of its
    files. Made per test, the full-cost KDF and the migrations took 0.3-0.5 s of each of ~200 window tests."""

    made: dict[date, Path] = {}

    def template() -> Path:
        today = date.today()  # the demo cases' dates count from it: a run past midnight makes a new day's template
        if today not in made:
            directory = tmp_path_factory.mktemp("demo-profile-template") / "profile"
            profile = create_profile(directory, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
            people, cases = demo_cases(today)
            profile.people.save_many(people)
            profile.cases.save_many(cases)
            profile.lock()
            made[today] = directory
        return made[today]

    return template


@pytest.fixture
def demo_profile_dir(profile_dir: Path, demo_profile_template: Callable[[], Path]) -> Path:
    """A profile holding the demo cases, locked again so the window must unlock it: a copy of the session's
    template (a test's changes stay in its own copy; the copy keeps the files' owner-only modes)."""
    shutil.copytree(demo_profile_template(), profile_dir)
    return profile_dir


def _main_window(qtbot, settings, directory: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow, StartOptions

    main = MainWindow(settings, StartOptions(profile_dir=directory, kdf=KdfParameters()))
    # pytest-qt closes it after the test: nobody answers a question then (a field left refused would keep the window
    # and its question open over the next tests), as nobody does at a logout.
    qtbot.addWidget(main, before_close_func=lambda window: window.end_session())
    main.show()
    yield main
    if main.session is not None:
        main.session.lock()


@pytest.fixture
def window(qtbot, settings, profile_dir: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The main window over an empty profile folder (create mode)."""
    yield from _main_window(qtbot, settings, profile_dir)


@pytest.fixture
def demo_window(qtbot, settings, demo_profile_dir: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The main window over a profile that already holds the demo cases (unlock mode)."""
    yield from _main_window(qtbot, settings, demo_profile_dir)


@pytest.fixture
def new_case_dialog(qtbot, profile_dir: Path):  # type: ignore[no-untyped-def]
    """Ny ärende on its own, over a real (empty) profile that answers its search for known people."""
    from ibic.reference import load_reference_data
    from ui.cases.new_case_dialog import NewCaseDialog

    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    dialog = NewCaseDialog(load_reference_data(), CASEWORKER, "", date(2026, 11, 23), profile.people)
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    profile.lock()


class HeldSync:
    """The sync engine replaced by one that waits mid-run until ``release`` is set (no network, no fixed sleep),
    then records what the server answered (a write to the store) and reports progress, where a lock stops it.
    ``runs`` holds the store each run was given, in order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import threading

        import sync.client.engine as engine
        import ui.sync.controller as controller
        import ui.window_sync as window_sync

        # On the window's worker itself, not in its child process (``sync.child``), which these patches cannot
        # reach: what is held here is the worker's hold on the store, the same either way.
        monkeypatch.setattr(window_sync, "SYNC_IN_CHILD", False)
        self.entered, self.release = threading.Event(), threading.Event()
        self.runs: list[object] = []
        monkeypatch.setattr(controller, "_has_credentials", lambda _profile: True)
        monkeypatch.setattr(engine, "open_session", lambda _profile, **_options: object())
        monkeypatch.setattr(engine, "sync_now", self._sync_now)

    def _sync_now(self, _session: object, profile: Any, progress: Any) -> Any:
        from types import SimpleNamespace

        self.runs.append(profile)
        self.entered.set()
        self.release.wait(timeout=60)
        profile.audit.record("sync")
        progress(SimpleNamespace(phase="push", done=1, total=1))
        return SimpleNamespace(finished_at=None, rejected=0, withdrawn_removed=0, withdrawn_kept=0, not_received=[])


@pytest.fixture
def held_sync(settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldSync]:  # type: ignore[no-untyped-def]
    """A server configured and every sync held mid-run by ``HeldSync``; released when the test ends."""
    from ui.settings import SERVER_URL

    settings.set(SERVER_URL, "https://sync.invalid")
    held = HeldSync(monkeypatch)
    yield held
    held.release.set()
