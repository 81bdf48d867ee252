"""Search finds a name whatever Unicode form it was typed, pasted or sent in: "Åsa" is one character typed on a
Swedish keyboard, but "A" and a combining ring (NFD) when a central system sends it or a text is pasted from some
sources. On main the case list and Ny ärende's search for known people compared the bytes: neither form found the
other."""

from __future__ import annotations

import unicodedata
from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import type_text, unlock, window_over_new_profile

from ibic.demo import demo_cases

COMPOSED = unicodedata.normalize("NFC", "Åsa")
DECOMPOSED = unicodedata.normalize("NFD", "Åsa")


def _window_with_given_name(qtbot, settings, profile_dir, given_name: str):  # type: ignore[no-untyped-def]
    people, cases = demo_cases(date.today())
    greta = next(p for p in people if p.given_name == "Greta")
    greta.given_name = given_name
    main = window_over_new_profile(qtbot, settings, profile_dir, [(people, cases)])
    unlock(qtbot, main)
    return main


def _shown_names(main) -> list[str]:  # type: ignore[no-untyped-def]
    shown = main.case_list.shown
    return [unicodedata.normalize("NFC", shown.data(shown.index(row, 0))) for row in range(shown.rowCount())]


def test_a_name_stored_composed_is_found_by_a_query_typed_with_a_combining_ring(qtbot, settings, profile_dir) -> None:  # type: ignore[no-untyped-def]
    main = _window_with_given_name(qtbot, settings, profile_dir, COMPOSED)
    type_text(main.case_list.search, DECOMPOSED.lower())  # "a", then the combining ring: two key presses
    assert _shown_names(main) == ["Åsa Provsson (fiktiv)"]
    assert main.case_list.count_label.text() == "1 av 3 ärenden"


def test_a_name_sent_decomposed_is_found_by_a_query_typed_on_a_swedish_keyboard(qtbot, settings, profile_dir) -> None:  # type: ignore[no-untyped-def]
    main = _window_with_given_name(qtbot, settings, profile_dir, DECOMPOSED)
    type_text(main.case_list.search, "ås")
    assert _shown_names(main) == ["Åsa Provsson (fiktiv)"]
    type_text(main.case_list.search, "a provs")  # typed on: the rows found narrow as before
    assert _shown_names(main) == ["Åsa Provsson (fiktiv)"]


def test_ny_arende_offers_a_known_person_whose_name_was_sent_decomposed(qtbot, settings, profile_dir) -> None:  # type: ignore[no-untyped-def]
    main = _window_with_given_name(qtbot, settings, profile_dir, DECOMPOSED)
    listed: list[str] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert dialog is not None and dialog.objectName() == "newCaseDialog"
            type_text(dialog.search, "åsa")
            listed.extend(dialog.matches.item(i).text() for i in range(dialog.matches.count()))
            dialog.search.clear()
            type_text(dialog.search, DECOMPOSED.lower())
            listed.extend(dialog.matches.item(i).text() for i in range(dialog.matches.count()))
        finally:
            dialog.reject()

    QTimer.singleShot(0, act)
    main.action_new.trigger()
    assert [unicodedata.normalize("NFC", text).split(" · ")[0] for text in listed] == ["Åsa Provsson (fiktiv)"] * 2
