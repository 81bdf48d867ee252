"""A consent dated outside the product's range (9999-12-31, 0001-01-01) is refused with the range, not with "Ange ett
datum som finns" beside the field's "Datumet måste ligga mellan …": the date exists (s32-probe2)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_consent_refused import _open, _press, _rows
from uihelpers import type_text


def _refused_consent_date(qtbot, window, typed: str) -> str:  # type: ignore[no-untyped-def]
    """Tolvan's case (born 1912-12-12) on the Case step, a consent to "Sonen Kalle" dated ``typed`` added by keys:
    nothing added, the name kept; the reason said beside the form."""
    workspace = _open(qtbot, window, "DEMO-2026-0001")
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    section = workspace.case_page.consents
    before = _rows(section)
    section.recipient_name.setFocus()
    type_text(section.recipient_name, "Sonen Kalle")
    section.given_on.setFocus()
    _press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(QApplication.focusWidget(), typed)
    section.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    assert _rows(section) == before, "nothing added"
    assert section.recipient_name.text() == "Sonen Kalle", "what was typed is kept"
    return str(section.error.text())


def test_a_consent_dated_9999_12_31_is_refused_with_the_range(qtbot, demo_window):  # type: ignore[no-untyped-def]
    assert _refused_consent_date(qtbot, demo_window, "9999-12-31") == (
        "Datumet måste ligga mellan 1900-01-01 och 2099-12-31.")


def test_a_consent_dated_ahead_of_today_is_refused_and_what_was_typed_kept(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """s32-probe2: 2099-12-31 (inside the range) was added, listed and printed "Gäller" though not yet in force,
    and withdrawing it recorded "Återkallat 2099-12-31". A person answers when asked: refused, typed text kept;
    today's date is taken."""
    workspace = _open(qtbot, demo_window, "DEMO-2026-0001")
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    section = workspace.case_page.consents
    before = _rows(section)
    today = workspace.session.today().isoformat()
    for typed in ("2099-12-31", today):
        section.recipient_name.setFocus()
        _press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(QApplication.focusWidget(), "Sonen Kalle")
        section.given_on.setFocus()
        _press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(QApplication.focusWidget(), typed)
        section.add_button.setFocus()
        _press(qtbot, Qt.Key.Key_Space)
        if typed != today:
            assert _rows(section) == before, "nothing added"
            assert section.recipient_name.text() == "Sonen Kalle", "what was typed is kept"
            assert section.error.text() == f"Ett samtycke kan inte ha lämnats efter i dag ({today})."
    assert len(_rows(section)) == len(before) + 1 and section.error.text() == ""
    assert workspace.opened.case.consents[-1].given_on.isoformat() == today


def test_a_consent_dated_before_the_person_was_born_is_refused(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """s35-probedocs: 1912-12-11 for Tolvan, born 1912-12-12 (a year typed wrong, inside the range), was added,
    listed and printed "Gäller", as the application's day was before s32-probe; refused as that one is."""
    assert _refused_consent_date(qtbot, demo_window, "1912-12-11") == (
        "Ett samtycke kan inte ha lämnats innan personen föddes (1912-12-12).")
