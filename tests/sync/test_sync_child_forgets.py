"""A case the sync's child process withdraws leaves the window's memory too (``sync.child``'s "forget" lines).

In one process the withdrawal dropped the window's base views of the case (``DocumentCache.forget``): its personal
data left memory, and a copy loaded before the withdrawal was refused when saved after the case came back (its base
left with it, ``RecordArriving``). The child's withdrawal dropped nothing in the window's own cache."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from sync_support import Env
from test_main_window_sync import _unlocked_and_listed

from storage.errors import RecordArriving
from sync.server.dev import DEMO_UNIT, DEMO_USER, OTHER_UNIT, OTHER_USER
from ui.main_window import MainWindow


def _assign(env: Env, case_id: str, unit: str, user: str) -> None:
    from sync.server import central
    from sync.server.db import connect

    with connect(env.database_url) as conn:
        central.assign_case(conn, case_id, unit, user)


def _synced_by_keys(qtbot: Any, window: MainWindow) -> None:
    controller = window.sync.controller
    before = controller.status.last_synced_at
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: controller.status.last_synced_at != before and not controller.running
                    and getattr(window, "_relisting", None) is None, timeout=60_000)


def test_a_copy_loaded_before_the_child_withdrew_its_case_is_refused_after_the_case_came_back(
        qtbot: Any, env: Env, tmp_path: Path) -> None:
    window = _unlocked_and_listed(qtbot, env, tmp_path)
    window.case_list.table.setFocus()
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Return)  # the first case opened
    copy = window.workspace.opened.case  # what the form held before the move
    case_id = copy.id
    _assign(env, case_id, OTHER_UNIT, OTHER_USER)
    _synced_by_keys(qtbot, window)
    profile = window.session.profile
    assert profile.withdrawals.is_removed(case_id) and window.workspace is None
    assert profile.cases.base_of(copy) is not None and profile.cases.base_of(copy).view is None  # dropped
    _assign(env, case_id, DEMO_UNIT, DEMO_USER)  # assigned back: the next pull brings it whole
    _synced_by_keys(qtbot, window)
    assert not profile.withdrawals.is_removed(case_id)
    pending = profile.journal.pending_count()
    copy.origin_note = "Skrivet i en gammal kopia"
    with pytest.raises(RecordArriving):
        profile.cases.save(copy)  # its base left with the withdrawal: the stale copy is never merged in
    assert profile.journal.pending_count() == pending
    assert profile.cases.load(case_id).origin_note != "Skrivet i en gammal kopia"
    window.session.lock()
