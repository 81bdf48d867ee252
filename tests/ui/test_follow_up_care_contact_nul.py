"""A NUL (U+0000) pasted into the follow-up's named fast omsorgskontakt (Uppföljning › Kontinuitet) reached the
record: the field was read as Qt holds it, unlike every bound field, text area and add form line, which drop control
characters. The follow-up was stored with U+0000 in it and pushed to a server that cannot hold it: the case's change
was refused at every sync (``push_screen.value_unstorable``). Now the field is a ``TextLine``. Fails on main
(s34-probe)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import paste, type_text, unlock

from sync.server import push_screen


def test_a_nul_pasted_into_the_care_contact_is_not_stored(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    type_text(demo_window.case_list.search, "DEMO-2025-0117")
    qtbot.keyClick(demo_window.case_list.search, Qt.Key.Key_Return)
    workspace = demo_window.workspace
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = workspace.follow_up_page
    shown = page._current.id
    paste(qtbot, page.continuity.care_contact, "Anna\x00 Berg (fiktiv)\x07")
    assert page.continuity.contact_error.text() == ""
    workspace.save_now()

    stored = demo_window.session.profile.cases.load(workspace.opened.case.id)
    follow_up = next(f for f in stored.follow_ups if f.id == shown)
    assert follow_up.named_care_contact == "Anna Berg (fiktiv)"
    assert not push_screen.value_unstorable(stored.model_dump(mode="json")), "the server can hold the record"
