"""Typing on in a field while the sync's child process pushes what was typed before (``sync.child``).

An unsent journal entry is changed in place as the person types on in its field (``storage.journal.update_unsent``)
until a push has read it: the read clears ``Author.unsent``. The child's push reads with its own author, so the
window's kept the entry "unsent" and changed it in place while its old value was on the wire: the answer marked the
entry done, and what was typed during the sync never reached the server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from child_faults import inject, marked
from PySide6.QtCore import Qt
from sync_support import Env
from test_main_window_sync import _type, _unlocked_and_listed
from test_sync_child import synced_to_server


def test_what_is_typed_while_the_child_pushes_the_field_reaches_the_server(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    faults = tmp_path / "faults"
    inject(monkeypatch, faults, "push_held")
    window = _unlocked_and_listed(qtbot, env, tmp_path)
    case_id = window.case_list.model.summary(0).case_id
    window.open_case(case_id)
    window.workspace.go_to("areas", "d5")
    _type(window.workspace.area_form.own, "Först")
    (faults / "hold").touch()
    controller = window.sync.controller
    before = controller.status.last_synced_at
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: marked(faults, "pushing") != [], timeout=60_000)  # "Först" read and on the wire
    _type(window.workspace.area_form.own, " och sedan")
    # The autosave stored it (not read through ``journal.pending``, which would hand the entry out here).
    qtbot.waitUntil(lambda: not window.workspace.has_unsaved_changes, timeout=20_000)
    (faults / "release").touch()
    qtbot.waitUntil(lambda: controller.status.last_synced_at != before and not controller.running, timeout=60_000)
    (faults / "hold").unlink()
    synced_to_server(qtbot, window, env, case_id, "Först och sedan")
    window.session.lock() if window.session else None
