"""Ny ärende's note of decisions in force elsewhere, the day after the last day of such a decision (s29-look).

The note was read from the case list's stored column, computed for the day of the last listing: with the window left
unlocked past midnight, a decision that ended at it was still named as in force the next day. The decisions said
are now those of the day the dialog opens (the session's day; the app's clock seam, as
tests/ui/test_case_list_at_scale.py's new day). Reached as a handläggare does: Ctrl+N, the person searched and
chosen by keys."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from test_new_case_known_person import _with_dialog
from uihelpers import demo_profile_with, type_text, unlock

from ibic.cases import Case

TODAY = date.today()


@pytest.fixture
def demo_profile_dir(profile_dir: Path) -> Path:
    """DEMO-2025-0117's decisions (Tolvan's hemtjänst) end today."""

    def ending_today(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == "DEMO-2025-0117")
        case.decisions[:] = [d.model_copy(update={"ends_on": TODAY}) for d in case.decisions]

    return demo_profile_with(profile_dir, ending_today)


def _note_for_tolvan(qtbot: Any, window: Any) -> str:
    said: dict[str, str] = {}

    def act(dialog: Any) -> None:
        type_text(dialog.search, "tolvan")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.matches, Qt.Key.Key_Return)  # the known person chosen
        said["note"] = dialog.known_note.text()

    _with_dialog(qtbot, window, act, by_action=True)
    return said["note"]


def test_a_decision_that_ended_yesterday_is_not_named_in_force_after_midnight(  # type: ignore[no-untyped-def]
    qtbot, demo_window, monkeypatch
) -> None:
    unlock(qtbot, demo_window)
    today_note = _note_for_tolvan(qtbot, demo_window)
    assert "Den enskilde har beslut som gäller: hemtjänst – omvårdnad (ärende DEMO-2025-0117)" in today_note
    tomorrow = TODAY + timedelta(days=1)
    monkeypatch.setattr(demo_window.session, "today", lambda: tomorrow)  # the laptop stayed open past midnight
    note = _note_for_tolvan(qtbot, demo_window)
    assert "Tolvan Tolvansson (fiktiv) finns redan här" in note
    assert "beslut som gäller" not in note, note  # on main: hemtjänst still named, from yesterday's column


def test_the_work_list_names_no_decision_that_ended_yesterday_after_midnight(  # type: ignore[no-untyped-def]
    qtbot, demo_window, monkeypatch
) -> None:
    """Att göra's row "beslut som gäller" of Tolvan's new case (DEMO-2026-0001) goes at the new day's listing (it did
    on main too: Ctrl+T on a new day lists every case again, their decisions in force computed for the day)."""
    from test_work_list_on_screen import _rows

    unlock(qtbot, demo_window)
    held = [r for r in _rows(demo_window.case_list.work) if r[2] == "DEMO-2026-0001" and r[1] == "beslut som gäller"]
    assert held and held[0][0].endswith(TODAY.isoformat()), held
    tomorrow = TODAY + timedelta(days=1)
    monkeypatch.setattr(demo_window.session, "today", lambda: tomorrow)
    qtbot.keyClick(demo_window.case_list.search, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # Att göra
    rows = _rows(demo_window.case_list.work)
    assert rows and not [r for r in rows if r[1] == "beslut som gäller"], rows


def test_a_known_number_typed_after_midnight_names_no_decision_that_ended_yesterday(  # type: ignore[no-untyped-def]
    qtbot, demo_window, monkeypatch
) -> None:
    """The same note reached by typing the person's personnummer and Enter (the number already known here): it was
    read for no day, so a decision that ended at midnight was still named the next day (the search had the fix)."""
    unlock(qtbot, demo_window)
    monkeypatch.setattr(demo_window.session, "today", lambda: TODAY + timedelta(days=1))
    said: dict[str, str] = {}

    def act(dialog: Any) -> None:
        type_text(dialog.given_name, "Tolvan")
        type_text(dialog.family_name, "Tolvansson")
        type_text(dialog.personal_number, "19121212-1212")
        qtbot.keyClick(dialog.personal_number, Qt.Key.Key_Return)  # OK: the number is known, the person offered
        said["message"], said["note"] = dialog.personal_number_error.text(), dialog.known_note.text()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    _with_dialog(qtbot, demo_window, act, by_action=True)
    assert "finns redan" in said["message"] and "Tolvan Tolvansson" in said["note"], said
    assert "beslut som gäller" not in said["note"], said["note"]
