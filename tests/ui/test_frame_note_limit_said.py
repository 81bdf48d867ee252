"""The rambeslut's note on the follow-up step (Uppföljning › Rambeslut › Anteckning) holds a long text (200,000
characters, as every free text); a text past it is refused with that figure (s34-probe). The message said "högst
2000 tecken": a handläggare shortening a long note to 2,000 characters threw away what the note could hold. Pasted as
a person does, Ctrl+6 then Ctrl+V in the note. Fails on main."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import paste, type_text, unlock

from ibic.limits import LONG_TEXT_MAX

WORDS = "Rambeslutet passar, tiden räcker till dusch och promenad. "  # 59 characters


def test_the_frame_note_takes_a_long_text_and_says_its_true_limit(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    type_text(demo_window.case_list.search, "DEMO-2025-0117")  # a rambeslut followed up
    qtbot.keyClick(demo_window.case_list.search, Qt.Key.Key_Return)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    frame = demo_window.workspace.follow_up_page.frame
    assert frame.isVisible()

    paste(qtbot, frame.note, WORDS * 50)  # 2,950 characters: more than the message said, well within the limit
    assert frame.error.text() == ""
    assert demo_window.workspace.follow_up_page._current.frame_form_note == WORDS * 50

    paste(qtbot, frame.note, " -" * (LONG_TEXT_MAX // 2 + 1))  # one past the limit
    assert frame.error.text() == "Texten är för lång: högst 200\u00a0000 tecken."
    assert demo_window.workspace.follow_up_page._current.frame_form_note.startswith(WORDS), "the note held is kept"
