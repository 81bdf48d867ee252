"""A lock keeps the refused texts of every step, not only the shown page's: an add form's text that cannot be added,
left on a step the handläggare moved away from (Ctrl+<n> keeps it as typed, unasked), and a refused text on the
page shown at the lock both come back after the unlock with their messages. Before, the lock kept the shown page's
only, and the hidden step's text was lost (second review of s20-rleftovers): the test fails on main."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_leave_with_refused_add_text import _locked_and_unlocked, _opened
from test_leave_with_refused_text import _answer, _question
from test_refused_text_kept import TOO_LONG, TOO_LONG_MESSAGE, _holds, _keys, _shown_errors
from uihelpers import paste


def test_a_lock_keeps_a_hidden_steps_refused_add_and_the_shown_pages_refused_text(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _opened(qtbot, demo_window)
    items = len(workspace.opened.case.application.items)
    paste(qtbot, workspace.case_page.item_words, TOO_LONG)  # Add never pressed: the lock tries it, and it is refused
    _keys(qtbot, demo_window, Qt.Key.Key_3)
    assert _question(demo_window) is None and workspace.step == "areas"
    paste(qtbot, workspace.area_form.own, TOO_LONG)
    assert _shown_errors(workspace.area_form) == [TOO_LONG_MESSAGE]
    workspace = _locked_and_unlocked(qtbot, demo_window)
    assert workspace.step == "areas"
    form = workspace.area_form
    assert _holds(form.own, TOO_LONG) and _shown_errors(form) == [TOO_LONG_MESSAGE]
    page = workspace.case_page
    assert _holds(page.item_words, TOO_LONG) and page.items.error.text() == TOO_LONG_MESSAGE
    assert len(workspace.opened.case.application.items) == items
    _keys(qtbot, demo_window, Qt.Key.Key_1)  # the area's refused text is asked about; Lämna shows the case page
    _answer(qtbot, demo_window, "Lämna")
    assert workspace.step == "case" and _holds(page.item_words, TOO_LONG)
    assert _shown_errors(page) == [TOO_LONG_MESSAGE]
