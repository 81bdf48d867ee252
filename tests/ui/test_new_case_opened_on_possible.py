"""Ny ärende's "Datum då ärendet aktualiserades" typed by keys: a day after the dialog's (a year mistyped, 2062 for
2026) or before the person was born is refused beside the field, in Swedish, and nothing typed is lost (s32-probe:
both were taken; the case was numbered L-2062-… and Rapporter → Handläggningstider counted its days to a decision
made in 2026 as minus 13,000)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from uihelpers import type_text

TYPED = {"given_name": "Testperson", "family_name": "Probe", "personal_number": "191212121212"}


def _type_all(qtbot, dialog, opened: str) -> None:  # type: ignore[no-untyped-def]
    for name, text in TYPED.items():
        field = getattr(dialog, name)
        field.setFocus()
        type_text(field, text)
        qtbot.keyClick(field, Qt.Key.Key_Tab)
    _retype_opened(qtbot, dialog, opened)


def _retype_opened(qtbot, dialog, opened: str) -> None:  # type: ignore[no-untyped-def]
    edit = dialog.opened_on.edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(edit, opened)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def _kept(dialog, opened: str) -> bool:  # type: ignore[no-untyped-def]
    return dialog.opened_on.edit.text() == opened and all(
        getattr(dialog, name).text() == text for name, text in TYPED.items())


def test_a_case_arisen_after_the_dialogs_day_is_refused_and_nothing_typed_is_lost(qtbot, new_case_dialog):  # type: ignore[no-untyped-def]
    dialog = new_case_dialog  # its day is 2026-11-23
    for ahead in ("2062-11-23", "2099-12-31", "2026-11-24"):
        _retype_opened(qtbot, dialog, ahead) if dialog.given_name.text() else _type_all(qtbot, dialog, ahead)
        assert dialog.result_case is None, ahead
        assert dialog.opened_on.error.text() == "Ärendet kan inte ha aktualiserats efter i dag (2026-11-23).", ahead
        assert _kept(dialog, ahead)
    _retype_opened(qtbot, dialog, "2026-11-23")  # the dialog's own day is a day a case arises
    assert dialog.result_case is not None and dialog.result_case.opened_on == date(2026, 11, 23)


def test_a_case_arisen_before_the_person_was_born_is_refused(qtbot, new_case_dialog):  # type: ignore[no-untyped-def]
    dialog = new_case_dialog
    _type_all(qtbot, dialog, "1900-01-01")  # the number's birth day is 1912-12-12
    assert dialog.result_case is None
    assert dialog.opened_on.error.text() == "Ärendet kan inte ha aktualiserats innan personen föddes (1912-12-12)."
    assert _kept(dialog, "1900-01-01")
    _retype_opened(qtbot, dialog, "1912-12-12")
    assert dialog.result_case is not None and dialog.result_case.opened_on == date(1912, 12, 12)
