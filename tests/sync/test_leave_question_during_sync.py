"""The question before leaving a refused text (``ui.workspace.leaving``) while a real sync, against the server and
PostgreSQL, pulls the open case: moved to another handläggare, the case goes and the question with it (it stayed
open over the list, asking about a case no longer on this computer); changed on another laptop, nothing typed is
replaced while the question is open, and what arrived shows once the person has left and opened the case again.

The sync is the automatic one (``SyncController.sync_now``, the slot its timer calls): the window-modal question
keeps the keys (Ctrl+Shift+S) and the status bar's button from the window while it is open. These were simulated in
tests/ui/test_leave_with_refused_text.py by storing a withdrawal or pulled fields and calling ``_after_sync``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from sync_support import Env, edit_case, make_laptop
from test_main_window_sync import _unlocked_and_listed

from sync.server.dev import DEMO_USER
from ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # the question's helpers and texts

from test_leave_with_refused_text import _answer, _question
from test_refused_text_kept import TOO_LONG, TOO_LONG_MESSAGE, _holds, _keys, _shown_errors
from uihelpers import paste, type_text


def _too_long_in_an_area(qtbot: Any, window: MainWindow) -> Any:
    window.case_list.table.setFocus()
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Return)  # the first case, from the list
    workspace = window.workspace
    workspace.go_to("areas", "d5")
    paste(qtbot, workspace.area_form.own, TOO_LONG)
    assert _shown_errors(workspace.area_form) == [TOO_LONG_MESSAGE]
    return workspace


def _synced(qtbot: Any, window: MainWindow) -> None:
    """The automatic sync, run now, and its end on the UI thread (the list and the open case refreshed)."""
    controller = window.sync.controller
    before = controller.status.last_synced_at
    controller.sync_now()
    qtbot.waitUntil(lambda: controller.status.last_synced_at != before and not controller.running
                    and getattr(window, "_relisting", None) is None, timeout=60_000)


@pytest.mark.parametrize("key", [Qt.Key.Key_E, Qt.Key.Key_PageDown], ids=["ctrl_e", "ctrl_pgdown"])
def test_a_sync_taking_the_case_away_while_the_question_is_open_closes_the_question(  # type: ignore[no-untyped-def]
        qtbot, env: Env, tmp_path: Path, swedish_ui: None, key: Any) -> None:
    """The question asked by the window (Ctrl+E) or by the workspace (Ctrl+PgDown) stayed open over the list."""
    from sync.server import central
    from sync.server.db import connect
    from sync.server.dev import OTHER_UNIT, OTHER_USER

    window = _unlocked_and_listed(qtbot, env, tmp_path)  # synced, the pulled cases listed
    workspace = _too_long_in_an_area(qtbot, window)
    case_id = workspace.opened.case.id
    _keys(qtbot, window, key)
    assert _question(window) is not None
    with connect(env.database_url) as conn:
        central.assign_case(conn, case_id, OTHER_UNIT, OTHER_USER)  # moved to another handläggare
    _synced(qtbot, window)
    assert window.session.profile.withdrawals.is_removed(case_id)  # the pull removed it from this computer
    assert window.workspace is None and window.stack.currentWidget() is window.case_list
    assert _question(window) is None, "a question about a case no longer on this computer"
    assert case_id not in {window.case_list.model.summary(row).case_id
                           for row in range(window.case_list.model.rowCount())}
    window.session.lock() if window.session else None


def test_a_sync_pulling_the_open_case_while_asked_replaces_nothing_typed_and_is_shown_after(  # type: ignore[no-untyped-def]
        qtbot, env: Env, tmp_path: Path, swedish_ui: None) -> None:
    """The form is not reloaded under the question (the text stays for Stanna kvar); after Lämna the case opened
    again shows what arrived, and what arrived stays stored."""
    window = _unlocked_and_listed(qtbot, env, tmp_path)  # synced, the pulled cases listed
    workspace = _too_long_in_an_area(qtbot, window)
    case_id = workspace.opened.case.id
    other = make_laptop(env, tmp_path / "other", DEMO_USER)
    other.sync()
    edit_case(other.profile, case_id, origin_note="Ringde från grannen.")
    other.sync()  # the change is on the server
    _keys(qtbot, window, Qt.Key.Key_E)
    assert _question(window) is not None
    _synced(qtbot, window)
    assert window.session.profile.cases.load(case_id).origin_note == "Ringde från grannen."
    _answer(qtbot, window, "Stanna kvar")
    form = workspace.area_form
    assert window.stack.currentWidget() is workspace and form.heading.text() == "Personlig vård"
    assert _holds(form.own, TOO_LONG) and _shown_errors(form) == [TOO_LONG_MESSAGE]
    assert window.focusWidget() is form.own  # offscreen, no window manager makes the window active again
    _keys(qtbot, window, Qt.Key.Key_E)
    _answer(qtbot, window, "Lämna")
    assert window.stack.currentWidget() is window.case_list
    window.open_case(case_id)
    assert window.workspace.case_page.origin_note.text() == "Ringde från grannen."
    assert window.session.profile.cases.load(case_id).origin_note == "Ringde från grannen."
    window.session.lock() if window.session else None


def test_a_sync_pulling_the_open_case_empties_no_add_form(  # type: ignore[no-untyped-def]
        qtbot, env: Env, tmp_path: Path, swedish_ui: None) -> None:
    """A visit typed on its step and not added (the step left for another: the form keeps it), while a pull brings a
    change to the open case: the case is not loaded again under it (it was, the step's next load emptying the form;
    fails on main and on s20-leftovers), so the participants stay typed, and leaving the case adds the visit beside
    what arrived."""
    window = _unlocked_and_listed(qtbot, env, tmp_path)
    window.case_list.table.setFocus()
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Return)
    workspace = window.workspace
    case_id = workspace.opened.case.id
    visits = len(workspace.opened.case.investigation.visits)
    _keys(qtbot, window, Qt.Key.Key_2)
    type_text(workspace.visit_page.participants, "Eva Testsson – dotter")
    _keys(qtbot, window, Qt.Key.Key_3)
    other = make_laptop(env, tmp_path / "other", DEMO_USER)
    other.sync()
    edit_case(other.profile, case_id, origin_note="Ringde från grannen.")
    other.sync()
    _synced(qtbot, window)
    assert window.session.profile.cases.load(case_id).origin_note == "Ringde från grannen."
    _keys(qtbot, window, Qt.Key.Key_2)
    assert workspace.visit_page.participants.text() == "Eva Testsson – dotter"
    _keys(qtbot, window, Qt.Key.Key_E)
    assert window.stack.currentWidget() is window.case_list
    stored = window.session.profile.cases.load(case_id)
    assert stored.origin_note == "Ringde från grannen."
    assert len(stored.investigation.visits) == visits + 1
    assert [p.name for p in stored.investigation.visits[-1].participants] == ["Eva Testsson"]
    window.session.lock() if window.session else None
