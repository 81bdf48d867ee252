"""Ny ärende never makes a second person on a personnummer: known people are searched and offered instead."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import PASSPHRASE, type_text, unlock

from storage.profile import unlock_profile

NUMBER = "19121212-1212"  # the demo's Tolvan Tolvansson (fictitious)


def _with_dialog(qtbot, window, act, by_action: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Open Ny ärende with Ctrl+N and run ``act`` on the dialog while it is open. ``by_action``: its menu action
    triggered instead (what Ctrl+N triggers), for a test that opens it again: a second Ctrl+N pressed on the window
    in one test opened no dialog offscreen."""
    seen: list[object] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "newCaseDialog"
        seen.append(dialog)
        try:
            act(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()  # a failed step must not leave the modal dialog waiting for ever

    QTimer.singleShot(0, run)
    if by_action:
        window.action_new.trigger()
    else:
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert seen, "the dialog opened"


def _people_on(profile_dir, digits: str) -> list[str]:  # type: ignore[no-untyped-def]
    profile = unlock_profile(profile_dir, PASSPHRASE)
    try:
        return [p.person_id for p in profile.people.find(digits)]
    finally:
        profile.lock()


def test_typing_a_known_number_offers_the_person_and_ok_starts_their_new_case(qtbot, demo_window, demo_profile_dir):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    known_id = demo_window.session.profile.people.holder_of("191212121212").person_id
    states: dict[str, object] = {}

    def act(dialog) -> None:  # type: ignore[no-untyped-def]
        type_text(dialog.given_name, "Tolvan")
        type_text(dialog.family_name, "Tolvansson")
        type_text(dialog.personal_number, NUMBER)
        qtbot.keyClick(dialog.personal_number, Qt.Key.Key_Return)
        states["open"] = dialog.isVisible()
        states["message"] = dialog.personal_number_error.text()
        states["note"] = dialog.known_note.text()
        states["read only"] = dialog.personal_number.isReadOnly()
        qtbot.keyClick(dialog.origin, Qt.Key.Key_Return)  # OK: a new case for the same person

    _with_dialog(qtbot, demo_window, act)
    assert states["open"] is True and "finns redan" in str(states["message"])
    assert "Tolvan Tolvansson" in str(states["note"]) and states["read only"] is True
    opened = demo_window.workspace.opened
    assert opened.person.id == known_id, "the new case is the known person's"
    demo_window.lock()
    assert _people_on(demo_profile_dir, "191212121212") == [known_id]


def test_search_then_open_their_case_by_keyboard(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    known = demo_window.session.profile.people.holder_of("191212121212")
    listed: list[str] = []

    def act(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.activateWindow()  # a window manager does this; offscreen the test asks
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        assert QApplication.focusWidget() is dialog.search, "the search is where typing starts"
        type_text(dialog.search, "tolv")
        listed.extend(dialog.matches.item(i).text() for i in range(dialog.matches.count()))
        qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.matches, Qt.Key.Key_Return)
        assert dialog.open_existing.isVisible()
        dialog.open_existing.setFocus()
        qtbot.keyClick(dialog.open_existing, Qt.Key.Key_Space)

    _with_dialog(qtbot, demo_window, act)
    assert listed and all("19121212-****" in text for text in listed), "numbers are masked as in the list"
    assert "1212-1212" not in " ".join(listed)
    assert demo_window.workspace.opened.case.id == known.cases[0].case_id


def test_a_new_person_is_still_created_when_the_number_is_unknown(qtbot, demo_window, demo_profile_dir):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)

    def act(dialog) -> None:  # type: ignore[no-untyped-def]
        type_text(dialog.given_name, "Ny")
        type_text(dialog.family_name, "Testperson")
        type_text(dialog.personal_number, "20170101-2393")
        qtbot.keyClick(dialog.personal_number, Qt.Key.Key_Return)

    _with_dialog(qtbot, demo_window, act)
    person = demo_window.workspace.opened.person
    assert person.personal_number == "201701012393"
    demo_window.lock()
    assert _people_on(demo_profile_dir, "201701012393") == [person.id]


def test_a_fictitious_known_person_is_marked_so_in_the_matches_and_the_note(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """Every demo person is marked fictitious on screen (domain notes), as the case list marks them: main listed
    "Tolvan Tolvansson · 19121212-**** · 2 ärenden" and "Tolvan Tolvansson finns redan här" unmarked."""
    unlock(qtbot, demo_window)
    seen: dict[str, str] = {}

    def act(dialog) -> None:  # type: ignore[no-untyped-def]
        type_text(dialog.search, "Tolvan")
        seen["match"] = dialog.matches.item(0).text()
        qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.matches, Qt.Key.Key_Return)
        seen["note"] = dialog.known_note.text()

    _with_dialog(qtbot, demo_window, act)
    assert seen["match"].startswith("Tolvan Tolvansson (fiktiv) · 19121212-****")
    assert seen["note"].startswith("Tolvan Tolvansson (fiktiv) finns redan här")
