"""A pasted blob without spaces (a code, an encoded file: 200,000 characters, the most a text holds) in a life area's
text: kept and stored as pasted, and laid out wrapped anywhere, so Qt never searches the run for a word boundary at
each line (its layout of such a run grew with the square of its length: ~2 s at the paste, at each keystroke in it
and at each width change, bench/long_run_paste.py). A text of words is wrapped at word boundaries again once the run
is gone. On a028dfb the field kept word-boundary wrapping (the tests fail there at the wrap mode, after the wait).

Only the run wraps anywhere: the words around it break at word boundaries as in any text (s33; after s32 every word
of such a text could break mid-word, "ledstån / gen", the test of the words' lines fails on 29cfe0e)."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextOption
from PySide6.QtWidgets import QWidget
from uihelpers import paste, unlock

from ibic.limits import LONG_TEXT_MAX
from ui.common.fields import ErrorLabel

BLOB = ("QUJDRGVmZ2hpams0NTY3" * (LONG_TEXT_MAX // 20 + 1))[:LONG_TEXT_MAX]  # base64-like: no space, no break
WORDS = "Hon går i trappan med stöd av ledstången."
ANYWHERE = QTextOption.WrapMode.WrapAnywhere
AT_WORDS = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere


def _shown_errors(page: QWidget) -> list[str]:
    return [label.text() for label in page.findChildren(ErrorLabel) if label.isVisible() and label.text()]


def _area_form(qtbot: Any, window: Any, area: str) -> Any:
    unlock(qtbot, window)
    window.open_case(window.case_list.model.summary(0).case_id)
    window.workspace.go_to("areas", area)
    return window.workspace.area_form


def _stored_need(workspace: Any, area: str) -> str | None:
    assert workspace.save_now()
    stored = workspace.session.profile.cases.load(workspace.opened.case.id).investigation.assessment_for(area)
    return stored.need if stored is not None else None


def test_a_pasted_blob_is_stored_as_pasted_and_laid_out_wrapped_anywhere(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    form = _area_form(qtbot, demo_window, "d5")
    paste(qtbot, form.need, WORDS + " " + BLOB)
    assert form.need.wordWrapMode() == ANYWHERE
    assert form.need.toPlainText() == WORDS + " " + BLOB  # over the limit: refused with the message, all kept
    assert _shown_errors(form) == ["Texten är för lång: högst 200\u00a0000 tecken."]

    paste(qtbot, form.need, BLOB)  # exactly the limit: stored whole
    assert (form.need.wordWrapMode(), _shown_errors(form)) == (ANYWHERE, [])
    assert _stored_need(demo_window.workspace, "d5") == BLOB

    paste(qtbot, form.need, WORDS)  # the run gone: words wrap whole again
    assert form.need.wordWrapMode() == AT_WORDS
    qtbot.keyClick(form.need, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undone: the blob is back
    assert (form.need.toPlainText(), form.need.wordWrapMode()) == (BLOB, ANYWHERE)
    assert _stored_need(demo_window.workspace, "d5") == BLOB


def _top(field: Any, position: int) -> int:
    """The top of the line ``position`` stands on, as the field lays it out."""
    cursor = QTextCursor(field.document())
    cursor.setPosition(position)
    return int(field.cursorRect(cursor).top())


def _assert_words_whole_and_the_run_broken(field: Any, run: str) -> None:
    text = field.toPlainText()
    for word in re.finditer(r"\S+", text):
        if word.group() != run:
            assert _top(field, word.start()) == _top(field, word.end() - 1), word.group()  # on one line
    start = text.index(run)
    assert len({_top(field, position) for position in range(start, start + len(run), 50)}) > 10  # many lines
    assert field.cursorRect(_at(field, start)).left() == field.cursorRect(_at(field, 0)).left()  # a line its own


def _at(field: Any, position: int) -> QTextCursor:
    cursor = QTextCursor(field.document())
    cursor.setPosition(position)
    return cursor


def test_words_around_a_pasted_blob_break_at_word_boundaries_and_the_blob_anywhere(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """Pasted, a word typed into it, the window widened: each word of the text on one line, the run broken over many
    and starting a line of its own, as a word too long for the rest of a line does."""
    form = _area_form(qtbot, demo_window, "d5")
    run = BLOB[:6_000]
    words = (WORDS + " ") * 40
    paste(qtbot, form.need, words + run + " " + words + "Slut.")
    assert form.need.wordWrapMode() == ANYWHERE  # the document: Qt's own layout never searches the run
    _assert_words_whole_and_the_run_broken(form.need, run)
    qtbot.keyClick(form.need, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(form.need, "Nu ")  # every line after it moves
    _assert_words_whole_and_the_run_broken(form.need, run)
    narrow = form.need.viewport().width()
    demo_window.resize(demo_window.width() + 200, demo_window.height())
    qtbot.waitUntil(lambda: form.need.viewport().width() > narrow)  # laid out again for the wider field
    _assert_words_whole_and_the_run_broken(form.need, run)


def test_a_stored_blob_is_laid_out_wrapped_anywhere_when_its_area_is_shown_again(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    form = _area_form(qtbot, demo_window, "d5")
    paste(qtbot, form.need, BLOB)
    assert _stored_need(demo_window.workspace, "d5") == BLOB
    demo_window.workspace.go_to("areas", "d4")  # the same fields, another area's texts
    assert form.need.toPlainText() != BLOB and form.need.wordWrapMode() == AT_WORDS
    demo_window.workspace.go_to("areas", "d5")
    assert (form.need.toPlainText(), form.need.wordWrapMode()) == (BLOB, ANYWHERE)


def test_a_run_typed_on_to_a_thousand_and_shortened_again_wraps_at_words_again(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    # A long word or a web address (under a line's thousand characters) is no blob: words still wrap whole.
    form = _area_form(qtbot, demo_window, "d5")
    address = "https://example.org/" + "a" * 880
    paste(qtbot, form.need, address)
    assert form.need.wordWrapMode() == AT_WORDS
    qtbot.keyClicks(form.need, "b" * 100)  # typed on to a thousand: a run no line holds
    assert form.need.wordWrapMode() == ANYWHERE
    qtbot.keyClick(form.need, Qt.Key.Key_Backspace)
    assert form.need.wordWrapMode() == AT_WORDS
    assert _stored_need(demo_window.workspace, "d5") == address + "b" * 99


def test_a_blob_pasted_into_the_request_for_underlag_is_kept_and_copied_as_pasted(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QPushButton
    from uihelpers import follow_up_step

    from ui.workspace.underlag_dialog import UnderlagDialog

    page = follow_up_step(qtbot, demo_window, "DEMO-2025-0117")
    seen: list[tuple[str, Any, str]] = []

    def paste_copy_close() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UnderlagDialog):
            QTimer.singleShot(20, paste_copy_close)
            return
        try:  # closed whatever happens: the button's keyClick returns once the dialog's loop ends
            dialog.message.setFocus()
            qtbot.keyClick(dialog.message, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
            QGuiApplication.clipboard().setText(BLOB)
            qtbot.keyClick(dialog.message, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
            shown = dialog.message.toPlainText()
            QGuiApplication.clipboard().clear()
            qtbot.keyClick(dialog.findChild(QPushButton, "underlagCopy"), Qt.Key.Key_Space)
            seen.append((shown, dialog.message.wordWrapMode(), QGuiApplication.clipboard().text()))
        finally:
            dialog.reject()

    QTimer.singleShot(0, paste_copy_close)
    qtbot.keyClick(page.underlag_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    shown, mode, copied = seen[0]
    assert shown.endswith(BLOB) and len(shown) > len(BLOB)  # the model message, the blob after it
    assert (mode, copied) == (ANYWHERE, shown)


def _qt_position(text: str, index: int) -> int:
    """Python's ``index`` into ``text`` as Qt's position: a character beyond U+FFFF is two there."""
    return len(text[:index].encode("utf-16-le")) // 2


def test_a_run_after_letters_beyond_the_bmp_starts_a_line_of_its_own_and_its_words_break_at_word_boundaries(
        qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """Words of characters beyond U+FFFF before a run (the "bold" mathematical letters pasted from a web page, emoji):
    each is two of Qt's positions and one of Python's. The run's place was counted in Python's, so for the layout it
    began that many positions early: the line starting among the last of those words was wrapped anywhere, and the
    run went on on that line after them (and in a run of such letters every line past half its length was wrapped
    at word boundaries, searching the rest of the run: ~0.5 s of the UI thread at a paste or a width change of
    200,000 of them, 0.1 s now)."""
    form = _area_form(qtbot, demo_window, "d5")
    run = BLOB[:6_000]
    bold = "\U0001d415\U0001d422\U0001d424\U0001d42d\U0001d422\U0001d420\U0001d42d"  # "𝐕𝐢𝐤𝐭𝐢𝐠𝐭"
    # 280 positions early: a line starts among the last 18 bold words whatever the field's width (a line holds fewer)
    paste(qtbot, form.need, f"{bold} " * 40 + f"{run} {WORDS} \U0001f600 {WORDS}")
    assert form.need.wordWrapMode() == ANYWHERE
    for typed in ("", " Slut"):  # as pasted, and laid out again after a key at its end
        qtbot.keyClicks(form.need, typed)
        text = form.need.toPlainText()
        start = _qt_position(text, text.index(run))
        assert form.need.cursorRect(_at(form.need, start)).left() == form.need.cursorRect(_at(form.need, 0)).left()
        assert _top(form.need, start) > _top(form.need, 0)  # the run on a line of its own, under the bold word
        for word in re.finditer(r"\S+", text):
            if word.group() != run:
                first, last = _qt_position(text, word.start()), _qt_position(text, word.end()) - 1
                assert _top(form.need, first) == _top(form.need, last), word.group()  # on one line
