"""A personnummer typed in full-width digits (an input method left in its wide mode, or copied from a document set
in one) is the same number: the case list's search folds it (NFKC, s23-probe), and Ny ärende's search for known
people must find the same person, or the handläggare is offered none and may add the person a second time. On
s23-probe the case list found Tolvan and Ny ärende did not (its digits were compared as typed)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import type_text, unlock

WIDE_NUMBER = "１９１２１２１２－１２１２"  # the demo's Tolvan Tolvansson (fictitious), 19121212-1212 in full width
WIDE_SHORT = "１２１２１２－１２１２"


def _offered(qtbot, window, typed: str) -> list[str]:  # type: ignore[no-untyped-def]
    listed: list[str] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert dialog is not None and dialog.objectName() == "newCaseDialog"
            type_text(dialog.search, typed)
            listed.extend(dialog.matches.item(i).text().split(" · ")[0] for i in range(dialog.matches.count()))
        finally:
            dialog.reject()

    QTimer.singleShot(0, act)
    window.action_new.trigger()
    return listed


def test_ny_arende_offers_the_person_whose_personnummer_was_typed_in_full_width(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    assert _offered(qtbot, demo_window, WIDE_NUMBER) == ["Tolvan Tolvansson (fiktiv)"]
    assert _offered(qtbot, demo_window, WIDE_SHORT) == ["Tolvan Tolvansson (fiktiv)"]


def test_the_case_list_and_ny_arende_find_the_same_person_by_a_full_width_number(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    page = demo_window.case_list
    type_text(page.search, WIDE_NUMBER)
    shown = {page.shown.data(page.shown.index(row, 0)) for row in range(page.shown.rowCount())}  # one row a case
    assert shown == set(_offered(qtbot, demo_window, WIDE_NUMBER)) == {"Tolvan Tolvansson (fiktiv)"}
