"""Application start: logging, QApplication, language, text size, demo profile, the main window."""

from __future__ import annotations

import argparse
import atexit
import logging
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from storage.profile_lock import ProfileHeld, ProfileLock
from ui.common.collection import resume_after_start
from ui.common.text_size import apply_text_size
from ui.crash import install_excepthook
from ui.i18n import install_language, tr
from ui.logging_setup import add_log_file, configure_logging
from ui.main_window import MainWindow, StartOptions
from ui.palette import install_accessible_palette
from ui.settings import LANGUAGE, TEXT_SIZE, AppSettings
from ui.window_unlock import PRELOAD_DELAY_MS

if TYPE_CHECKING:
    from datetime import date

log = logging.getLogger(__name__)
# A second copy of the program on the same profile is refused (docs/architecture.md, "One copy a profile"), and so
# is the app while a command line (storage.recover, storage.restore) writes the profile: both hold the one profile
# lock (storage.profile_lock), which the operating system lets go of when a copy dies (a crash, SIGKILL).
_held: list[ProfileLock] = []
DEMO_WORDS = ("kaffe", "gran", "vinter", "kanot", "fjäll", "lykta", "stuga", "blåbär", "sommar", "hav")


def create_demo_profile(directory: Path, today: date) -> str:
    """A throwaway profile with fictitious people; returns its passphrase (shown on screen in demo mode)."""
    import secrets  # here: it loads OpenSSL's hashes, which a normal start does not need before the unlock page

    from ibic.demo import demo_cases
    from storage.kdf import KdfParameters
    from storage.profile import create_profile

    passphrase = "-".join(secrets.choice(DEMO_WORDS) for _ in range(4))
    profile = create_profile(directory, passphrase, user_id="Handläggare Demo", kdf=KdfParameters())
    people, cases = demo_cases(today)
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.lock()
    return passphrase


def _today() -> date:
    from ui.session import calendar_day  # here: only a demo profile needs a date before the unlock page

    return calendar_day()  # the app's one clock, which the session reads after the unlock


def build_window(arguments: argparse.Namespace, settings: AppSettings) -> MainWindow:
    demo_passphrase = None
    if arguments.demo and arguments.profile:  # a folder of one's own choosing: created there and kept
        from storage.layout import profile_exists

        profile_dir = Path(arguments.profile).expanduser()
        # Held before the demo is made in it: a file in the folder's place was a FileExistsError traceback from
        # creating the profile, instead of the message a plain --profile gives (ProfileFolderUnusable).
        hold_profile(profile_dir)
        if profile_exists(profile_dir):
            raise SystemExit("--demo --profile needs a folder without a profile in it")
        demo_passphrase = create_demo_profile(profile_dir, _today())
    elif arguments.demo:  # a throwaway folder: this process's own, never held
        folder = Path(tempfile.mkdtemp(prefix="hembesok-demo-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)  # runs on SIGTERM/SIGINT too: see run()
        profile_dir = folder / "profile"
        demo_passphrase = create_demo_profile(profile_dir, _today())
    else:
        from storage.layout import default_profile_dir

        profile_dir = Path(arguments.profile).expanduser() if arguments.profile else default_profile_dir()
        hold_profile(profile_dir)
    return MainWindow(settings, StartOptions(profile_dir=profile_dir, demo_passphrase=demo_passphrase))


class ProfileInUse(Exception):
    """Another copy of the program has this profile open."""


class ProfileFolderUnusable(Exception):
    """The profile folder cannot be made or written: a file in its place, no permission, a read-only disk."""


ENDING_COPY_WAIT_MS = 5_000


def hold_profile(profile_dir: Path) -> None:
    """Lock the profile folder for this process until it ends; ``ProfileInUse`` when another process holds it.

    Two copies would each keep their own view of the cases (and run their own sync and day's upkeep) over one file:
    the store stays consistent (every write raises the one save count, ``storage.save_counter``), but an edit in one
    window is not seen in the other, and typing on in both turns into conflicts."""
    try:
        profile_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # the profile is created in it later, if at all
    except OSError as error:  # e.g. --profile naming a file
        raise ProfileFolderUnusable() from error
    lock = ProfileLock(profile_dir)
    # A copy just closed may still be ending (its store kept the lists and closes after the window is gone): a start
    # right after it waits for that rather than calling it another open copy.
    try:
        lock.acquire(ENDING_COPY_WAIT_MS / 1000)
    except ProfileHeld:
        raise ProfileInUse() from None
    except OSError as error:  # the lock file could not be written: no other copy holds it
        raise ProfileFolderUnusable() from error
    _held.append(lock)


def _release_profile() -> None:
    while _held:
        _held.pop().release()


def _refuse_second_copy() -> int:
    log.warning("profile in use by another process", extra={"action": "start_refused"})
    return _refuse_start("profileInUse",
                         tr("Hembesök is already open with this profile. Switch to that window instead."))


def _refuse_unusable_folder() -> int:
    log.warning("profile folder cannot be made or written", extra={"action": "start_refused"})  # never the path
    return _refuse_start("profileFolderUnusable", tr(
        "The profile folder cannot be created or written to. Start with another folder (--profile) or contact IT."))


def _refuse_start(name: str, message: str) -> int:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, tr("Hembesök"), message)
    box.setObjectName(name)
    # A logout or shutdown (SIGTERM) ends the program here too: the handlers set before quit the main event loop,
    # which is not running yet, and left this box's own loop (and the process) waiting for a click.
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: QTimer.singleShot(0, box.reject))
    box.exec()
    return 1


def _quit_on_signals(app: QApplication) -> None:
    """SIGTERM and SIGINT quit as closing the window does (the profile is locked, atexit removes a demo folder).

    Python runs a signal handler only when the interpreter gets control, so a timer gives it that a few times a
    second while Qt's event loop runs; before the loop runs, the quit waits in the event queue.
    """
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: QTimer.singleShot(0, lambda: _quit_without_questions(app)))
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)


def _quit_without_questions(app: QApplication) -> None:
    """Qt's quit closes each window first and gives up if one ignores its close: the window asks nothing (a text
    the model refused is left, as at the OS session's end), so a signal always ends the program."""
    for widget in app.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.end_session()
    app.quit()


def _open_log_file() -> None:
    from platformdirs import user_log_dir  # here: the unlock page does not wait for it

    add_log_file(Path(user_log_dir("Hembesok", appauthor=False)))


def run(arguments: argparse.Namespace) -> int:
    """Start the app and run its event loop; returns the exit code."""
    configure_logging(None)
    install_excepthook()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    _quit_on_signals(app)
    app.setApplicationName("Hembesök")
    app.setOrganizationName("Hembesok")
    settings = (
        AppSettings(str(Path(tempfile.gettempdir()) / "hembesok-demo-settings.ini"))
        if arguments.demo
        else AppSettings()
    )
    install_language(arguments.lang or settings.get(LANGUAGE))
    apply_text_size(app, settings.get(TEXT_SIZE))
    install_accessible_palette(app)
    try:
        window = build_window(arguments, settings)
    except ProfileInUse:
        return _refuse_second_copy()
    except ProfileFolderUnusable:
        return _refuse_unusable_folder()
    window.show()
    if getattr(arguments, "quit_when_shown", False):
        QTimer.singleShot(0, app.quit)  # the first turn of the event loop: the window is up
    # The log file (platformdirs finds its folder) is opened while the passphrase is typed, as the
    # store is imported (ui/unlock/preload.py): the unlock page is shown and painted first.
    QTimer.singleShot(PRELOAD_DELAY_MS, _open_log_file)
    QTimer.singleShot(PRELOAD_DELAY_MS, resume_after_start)  # the collector, paused by main.py for the start
    QTimer.singleShot(PRELOAD_DELAY_MS, lambda: log.info("started", extra={"action": "start"}))
    code = app.exec()
    # A window closed mid-sync closes its store once the sync let go. A process that never ran a job has none to
    # wait for, and importing the worker module at its exit cost the cold start ~17 ms (its Qt names).
    worker = sys.modules.get("ui.common.worker")
    if worker is not None:
        worker.deliver_finished_jobs()
    _release_profile()  # once the store is closed
    return code
