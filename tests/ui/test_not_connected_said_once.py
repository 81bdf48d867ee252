"""A computer not connected to the sync server is said so in one sentence wherever it is said (s32-tidy): the status
bar's tooltip ("Inte ansluten till synkservern"), Synka nu's reason in its menu ("Datorn är inte ansluten till
synkservern: …") and a sync refused for it had three wordings of the one state; each now says the same sentence,
then what to do there."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from test_menu_reasons import SYNC_NOW, _said_on
from uihelpers import unlock

from sync.errors import AuthFailed, NotEnrolled
from ui.errors import sync_message

SAID = "Datorn är inte ansluten till synkservern."


def test_the_status_bar_the_menu_and_a_refused_sync_say_one_sentence(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    state = demo_window.statusBar().findChild(QLabel, "syncStateLabel")
    assert state.text() == "Inte ansluten" and state.toolTip() == SAID
    assert _said_on(qtbot, demo_window, "y", SYNC_NOW) == SAID + " Synka nu frågar först efter koden från IT."
    for refused in (AuthFailed(), NotEnrolled()):
        assert sync_message(refused) == SAID + " Ange en ny kod från IT."
