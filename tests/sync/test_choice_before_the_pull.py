"""A conflict chosen before the pull that follows its push (s34-readback2): B's Synka nu pushed a change made before
A's, the server answered it as a conflict, and the run's pull brought nothing of A's yet (the lock came between, the
connection dropped, or the server's page was not settled: here the server answers the first pull with an empty page).
B keeps its own (Behåll min): sent on the conflict's server version, the server applies it after A's change. The
next pull brought A's change, which went over B's kept value on the laptop, and B's own change coming back was not
applied again: B showed A's status (or text), the server B's, for good and without a word. Now the pull passes over
a change the server wrote over with this laptop's own later one: after three syncs both laptops hold what the server
holds. Two real MainWindows against the real server and PostgreSQL (as test_conflict_two_windows.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget
from sync_support import Env
from test_conflict_two_windows import (
    FOLLOWED_UP,
    NEW_CASE,
    _all_hold_what_the_server_holds,
    _alt,
    _case_id,
    _choose,
    _in_conflicts,
    _label,
    _laptop,
    _locked,
    _open,
    _own,
    _sync,
    _three_syncs,
    _write,
    status_conflict_chosen,
)
from test_status_race_with_a_closing import _renewed_investigation, _status_button
from uihelpers import close_chosen, in_modal

from sync.server import pull_service


def _first_pull_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's next pull answers an empty page at the cursor it was given (nothing new yet); the later ones as
    usual."""
    pull_page_json = pull_service.pull_page_json
    answered: list[int] = []

    def empty_once(conn: Any, actor: Any, cursor: int, limit: int, case_id: str | None, **options: Any) -> bytes:
        if not answered:
            answered.append(cursor)
            return json.dumps({"changes": [], "next_cursor": cursor, "has_more": False}).encode()
        return pull_page_json(conn, actor, cursor, limit, case_id, **options)

    monkeypatch.setattr(pull_service, "pull_page_json", empty_once)


def test_a_status_kept_before_the_pull_stays_on_the_laptop_as_on_the_server(
        qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sends the case back to utredning and syncs; B, not pulled, closes it (a reason chosen) and syncs, its pull
    empty: one conflict, Status. Behåll min (Alt+B): B's closing, after A's utredning. On main B then showed
    Utredning beside a history ending in its closing, the server Avslutad."""
    a, b = _laptop(qtbot, env, tmp_path, "a"), _laptop(qtbot, env, tmp_path, "b")
    case_id = _case_id(a, FOLLOWED_UP)
    try:
        _renewed_investigation(qtbot, a)
        _sync(qtbot, a)
        close = _status_button(qtbot, b, "status_closed")
        in_modal("closeCaseQuestion", lambda: qtbot.keyClick(close, Qt.Key.Key_Space), close_chosen)
        _first_pull_empty(monkeypatch)
        _sync(qtbot, b)
        seen = status_conflict_chosen(qtbot, b, Qt.Key.Key_B)
        assert seen["rows"] == ["Status"] and seen["shown"][1:] == ["Avslutad", "Utredning"] and seen["closed"], seen
        _three_syncs(qtbot, b, a)
        server = _all_hold_what_the_server_holds(env, case_id, a, b)
        assert server["status"] == "closed"
        assert [change["status"] for change in server["status_history"][-2:]] == ["investigation", "closed"]
    finally:
        _locked(a, b)


def test_a_text_kept_before_the_pull_stays_on_the_laptop_as_on_the_server(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both write over b1528A; A syncs, B syncs with its pull empty and keeps its own text (Alt+K). On main B then
    showed A's text, the server B's."""
    a, b = _laptop(qtbot, env, tmp_path, "a"), _laptop(qtbot, env, tmp_path, "b")
    case_id = _case_id(a, NEW_CASE)
    try:
        for window, side in ((a, "A"), (b, "B")):
            _open(qtbot, window, NEW_CASE)
            _write(qtbot, window, "b1528A", f"Bedömt på dator {side}.")
        _sync(qtbot, a)
        _first_pull_empty(monkeypatch)
        _sync(qtbot, b)
        seen: dict[str, Any] = {}

        def keep_mine(dialog: Any) -> None:
            _choose(qtbot, dialog, _label(dialog.findChild(QTreeWidget, "conflictList"), "b1528A"))
            _alt(qtbot, dialog, Qt.Key.Key_K)
            seen["closed"] = not dialog.isVisible()

        _in_conflicts(qtbot, b, keep_mine)
        assert seen["closed"]
        _three_syncs(qtbot, b, a)
        server = _all_hold_what_the_server_holds(env, case_id, a, b)
        assert _own(server, "b1528A") == "Bedömt på dator B."
    finally:
        _locked(a, b)
