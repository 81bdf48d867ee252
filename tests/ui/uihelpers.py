"""Constants and small actions shared by the UI tests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

PASSPHRASE = "blåbär-kanot-fjäll-lykta"
CASEWORKER = "Handläggare Test"


def type_text(widget: Any, text: str) -> None:
    """Type ``text`` key by key, Swedish letters included (QTest.keyClicks only handles ASCII)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for char in text:
        key = ord(char.upper()) if char.isascii() and char.isalnum() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


def unlock(qtbot: Any, main: Any, passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase and press Enter, then wait for the profile to open off the UI thread."""
    with qtbot.waitSignal(main.unlocked, timeout=20_000):
        type_text(main.unlock_panel.passphrase_edit, passphrase)
        qtbot.keyClick(main.unlock_panel.passphrase_edit, Qt.Key.Key_Return)


def paste(qtbot: Any, widget: Any, text: str) -> None:
    """Select all in ``widget`` and paste ``text`` over it with Ctrl+A, Ctrl+V, as a person does."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()


def answer_question(button: Any, seen: list[str] | None = None) -> None:
    """Click ``button`` in the next message box once it is shown within 20 s (it runs its own event loop); its text
    goes to ``seen``."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    tries = [1000]

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            tries[0] -= 1
            if tries[0] > 0:
                QTimer.singleShot(20, click)
            return
        if seen is not None:
            seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, click)


def note_file_dialogs(asked: list[str]) -> Any:
    """A started timer that notes in ``asked`` the title of every file dialog shown and cancels it (a save dialog
    blocks in exec()); stop it when done."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog

    def close_a_file_dialog() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QFileDialog) and widget.isVisible():
                asked.append(widget.windowTitle())
                widget.reject()

    watcher = QTimer()
    watcher.timeout.connect(close_a_file_dialog)
    watcher.start(20)
    return watcher


def walk_texts(widget: Any) -> list[str]:
    """Every text a widget tree shows or announces: labels, buttons, fields, list rows, titles, tooltips."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QPlainTextEdit,
        QTreeWidget,
        QWidget,
    )

    texts: list[str] = [widget.windowTitle()]
    for child in [widget, *widget.findChildren(QWidget)]:
        texts.append(child.accessibleName())
        texts.append(child.toolTip())
        if isinstance(child, (QLabel, QAbstractButton, QLineEdit)):
            texts.append(child.text())
        if isinstance(child, QLineEdit):
            texts.append(child.placeholderText())
        if isinstance(child, QPlainTextEdit):
            texts.append(child.toPlainText())
        if isinstance(child, QGroupBox):
            texts.append(child.title())
        if isinstance(child, QComboBox):
            texts.extend(child.itemText(i) for i in range(child.count()))
        if isinstance(child, QListWidget):
            texts.extend(child.item(i).text() for i in range(child.count()))
        if isinstance(child, QTreeWidget):
            iterator = [child.topLevelItem(i) for i in range(child.topLevelItemCount())]
            while iterator:
                item = iterator.pop()
                texts.append(item.text(0))
                iterator.extend(item.child(i) for i in range(item.childCount()))
    return [t for t in texts if t]


def unlocked_with_bulk_cases(directory: Any, count: int, seed: int) -> Any:
    """The profile in ``directory`` unlocked, with ``count`` placeholder cases more (``ibic.demo.bulk_cases``:
    "Testperson 00001" …, test personnummer only). The caller locks it."""
    from datetime import date

    from ibic.demo import bulk_cases
    from storage.profile import unlock_profile

    profile = unlock_profile(directory, PASSPHRASE)
    people, cases = bulk_cases(count, date.today(), seed=seed)
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    return profile


def window_over_new_profile(qtbot: Any, settings: Any, directory: Any, batches: Any) -> Any:
    """The main window, shown on its unlock page, over a new profile in ``directory`` holding each of ``batches``
    (pairs of people and cases, e.g. ``ibic.demo.bulk_cases``), locked again."""
    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from ui.main_window import MainWindow, StartOptions

    profile = create_profile(directory, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    for people, cases in batches:
        profile.people.save_many(people)
        profile.cases.save_many(cases)
    profile.lock()
    main = MainWindow(settings, StartOptions(profile_dir=directory, kdf=KdfParameters()))
    qtbot.addWidget(main, before_close_func=lambda window: window.end_session())  # as in conftest's
    main.show()
    return main


def demo_profile_with(profile_dir: Any, change: Any) -> Any:
    """A locked profile in ``profile_dir`` holding the demo cases of today after ``change(cases)`` edited them."""
    from datetime import date

    from ibic.demo import demo_cases
    from storage.kdf import KdfParameters
    from storage.profile import create_profile

    people, cases = demo_cases(date.today())
    change(cases)
    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.lock()
    return profile_dir


def follow_up_step(qtbot: Any, window: Any, case_number: str) -> Any:
    """Unlock, open the case numbered ``case_number`` and show its follow-up step; returns the follow-up page."""
    unlock(qtbot, window)
    case_id = next(s.case_id for s in window.session.summaries() if s.case_number == case_number)
    window.open_case(case_id)
    window.workspace.go_to("follow_up")
    return window.workspace.follow_up_page


def kontroll_findings(workspace: Any) -> list[str]:
    """The Kontroll step's findings as listed."""
    listing = workspace.check_page.listing
    return [listing.item(i).text() for i in range(listing.count())]


def choose_finding(qtbot: Any, workspace: Any, text: str) -> None:
    """Wait for ``text`` in Kontroll's list, select it and press Enter, as a person goes to the field."""
    from PySide6.QtTest import QTest

    qtbot.waitUntil(lambda: text in kontroll_findings(workspace))
    listing = workspace.check_page.listing
    listing.setFocus()
    listing.setCurrentRow(kontroll_findings(workspace).index(text))
    QTest.keyClick(listing, Qt.Key.Key_Return)


def when_shown(name: str, act: Any, tries: int = 250) -> None:
    """Run ``act(dialog)`` on the modal dialog named ``name`` once exec() shows it, in its event loop; if ``act``
    leaves it open, or fails, the dialog is rejected after, so it never stays open over the next tests. Given up
    after ``tries`` turns of 20 ms: a dialog that never opens fails the test's own assertions and leaves no poller
    to meet a later test's dialog."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def run(left: int) -> None:
        shown = [w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()]
        dialog = shown[0] if shown else None
        if dialog is None:
            if left:
                QTimer.singleShot(20, lambda: run(left - 1))  # exec() shows it on its next turn
            return
        try:
            act(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, lambda: run(tries))


def print_entries(directory: Any, case_id: str) -> list[str]:
    """The details of the audit log's print entries for ``case_id`` in the (locked) profile in ``directory``."""
    from storage.profile import unlock_profile

    profile = unlock_profile(directory, PASSPHRASE)
    try:
        return [e.detail for e in profile.audit.entries() if e.action == "print" and e.case_id == case_id]
    finally:
        profile.lock()


def close_chosen(box: Any) -> None:
    """The question before a case is closed ("closeCaseQuestion") answered by keys: Down chooses the first reason
    (Den enskilde har avlidit; nothing is chosen at first), then "Avsluta ärendet" focused and Space."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QListWidget, QPushButton

    QTest.keyClick(box.findChild(QListWidget, "closingReason"), Qt.Key.Key_Down)
    yes = box.findChild(QPushButton, "closeCaseYes")
    yes.setFocus()
    QTest.keyClick(yes, Qt.Key.Key_Space)


def in_modal(name: str, open_it: Any, act: Any) -> None:
    """Open the modal dialog ``name`` by ``open_it`` (an action's trigger, a key) and run ``act(dialog)`` in it
    (``when_shown``); returns when it is closed."""
    when_shown(name, act)
    open_it()


def window_at(qtbot: Any, qapp: Any, settings: Any, profile: Any, size: tuple[int, int], points: int) -> Any:
    """The main window over ``profile`` at ``size`` and ``points`` (as Inställningar leaves the text size; the
    conftest puts the tests' size back after), shown and unlocked."""
    from storage.kdf import KdfParameters
    from ui.common.text_size import apply_text_size
    from ui.main_window import MainWindow, StartOptions

    apply_text_size(qapp, points)
    window = MainWindow(settings, StartOptions(profile_dir=profile, kdf=KdfParameters()))
    qtbot.addWidget(window, before_close_func=lambda w: w.end_session())
    window.resize(*size)
    window.show()
    unlock(qtbot, window)
    return window


def typed_person_and_origin(qtbot: Any, dialog: Any, family: str, number: str, origin: str) -> None:
    """Ny ärende's name and personnummer typed, Tab between them, and the origin chosen by its first letters."""
    dialog.given_name.setFocus()
    type_text(dialog.given_name, "Testperson")
    qtbot.keyClick(dialog.given_name, Qt.Key.Key_Tab)
    type_text(dialog.family_name, family)
    qtbot.keyClick(dialog.family_name, Qt.Key.Key_Tab)
    type_text(dialog.personal_number, number)
    dialog.origin.setFocus()
    type_text(dialog.origin, origin)


def unlock_at(qtbot: Any, qapp: Any, window: Any, points: int) -> None:
    """``window`` unlocked at ``points`` (as Inställningar leaves the text size; the conftest puts it back after)."""
    from ui.common.text_size import apply_text_size

    apply_text_size(qapp, points)
    unlock(qtbot, window)


def open_case_by_keys(qtbot: Any, window: Any, case_number: str) -> Any:
    """Select the case numbered ``case_number`` in the case list and press Enter; returns the steps pane once it
    shows the case's states."""
    from ui.cases.list_rows import COLUMNS
    from ui.workspace.navigator import STATE_MARKS

    table = window.case_list.table
    column = COLUMNS.index("case_number")
    row = next(r for r in range(table.model().rowCount()) if table.model().index(r, column).data() == case_number)
    table.setFocus()
    table.selectRow(row)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace.isVisible())
    navigator = window.workspace.navigator
    qtbot.waitUntil(lambda: navigator.topLevelItem(0).text(0)[0] in STATE_MARKS.values())  # the case is shown
    return navigator


def read_preview(window: Any, on_pdf: Any) -> None:
    """Once the preview opened over ``window`` (by Ctrl+P) shows its PDF, hand the bytes to ``on_pdf`` and close it;
    started by a timer before the keys are pressed."""
    from PySide6.QtCore import QTimer

    from ui.printing.preview import UtredningPreviewDialog

    dialog = window.findChild(UtredningPreviewDialog)
    if dialog is None or not dialog._pdf:
        QTimer.singleShot(20, lambda: read_preview(window, on_pdf))
        return
    on_pdf(dialog._pdf)
    dialog.reject()
