"""A conflict chosen before the pull that brings the other's change, whatever the pull's pages (s35-pages).

B's push met A's change as a conflict before B had pulled it (the pull that followed brought nothing: the lock came
between, the connection dropped; here the server answers that pull with an empty page, as in
test_choice_before_the_pull.py). B's choice is then sent on the conflict's server version, after A's change.
s34-readback2 passed over A's change where B's own came back in the same group of pulled pages; where the two fell
in different groups (``sync.client.pull.PAGES_PER_COMMIT`` pages, each applied and committed apart), A's change went
over B's kept text and B's own coming back was not applied again: B showed A's text, the server B's, for good. And
with the choice made while a sync ran (after its push, before its pull), the pull met the choice as the same
conflict again. Also: Ta deras wrote the server's value back as B's own change, one more entry in the case's history
on the server, met by A's own later edit as a conflict whose other side was A's own text. And Ta deras where A had
unticked a delområde B wrote in removed its text alone: B kept the delområde, the server had none.

Two real MainWindows against the real server on 127.0.0.1 and PostgreSQL (as test_conflict_two_windows.py); the
server answers pull pages of one change each (fewer than the laptop asks is the server's right: ``has_more`` says
more follow), so a few changes span the laptop's groups of pages."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTreeWidget
from sync_support import Env
from test_choice_before_the_pull import _first_pull_empty
from test_conflict_two_windows import (
    FOLLOWED_UP,
    NEW_CASE,
    _all_hold_what_the_server_holds,
    _alt,
    _assessment,
    _case_id,
    _choose,
    _english,  # noqa: F401  (autouse: the dialog's rows in English, as _label names them)
    _from_the_status_bar,
    _in_d4,
    _label,
    _laptop,
    _locked,
    _open,
    _own,
    _press,
    _rows,
    _sync,
    _three_syncs,
    _write,
)
from test_status_race_with_a_closing import _renewed_investigation, _status_button
from uihelpers import close_chosen, in_modal, type_text

from sync.client.pull import PAGES_PER_COMMIT
from sync.server import pull_service

ASSESSED = "investigation/assessments/b1528A/own_description"
# Other fields B writes along with its text: pushed after A's change, pulled between it and B's choice.
BETWEEN = ("assessment", "need", "resources", "goal")


def _pages_of_one(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """From now on the server answers every pull with at most one change; returns the paths of each page served."""
    pull_page_json = pull_service.pull_page_json
    served: list[list[str]] = []

    def one_a_page(conn: Any, actor: Any, cursor: int, limit: int, case_id: str | None, **options: Any) -> bytes:
        body = pull_page_json(conn, actor, cursor, 1, case_id, **options)
        served.append([change["path"] for change in json.loads(body)["changes"]])
        return body

    monkeypatch.setattr(pull_service, "pull_page_json", one_a_page)
    return served


def _text_row() -> str:
    """The conflict list's row of b1528A's text (as ``_label`` names it)."""
    from ibic.field_labels import field_label
    from ibic.reference import load_reference_data

    return field_label(ASSESSED, load_reference_data(), "en")


def _keep_mine(qtbot: Any, window: Any, rows: list[str]) -> list[str]:
    """The conflict dialog from the status bar: each of ``rows`` chosen in the list, Behåll min (Alt+K); the rows
    listed at first."""
    seen: list[str] = []

    def keep(dialog: Any) -> None:
        seen.extend(_rows(dialog.findChild(QTreeWidget, "conflictList")))
        for row in rows:
            _choose(qtbot, dialog, row)
            _alt(qtbot, dialog, Qt.Key.Key_K)

    _from_the_status_bar(qtbot, window, keep)
    return seen


def _both_written(qtbot: Any, a: Any, b: Any, *, between: tuple[str, ...] = ()) -> None:
    """A and B write over b1528A's text (B also the fields ``between``); A syncs."""
    for window, side in ((a, "A"), (b, "B")):
        _open(qtbot, window, NEW_CASE)
        _write(qtbot, window, "b1528A", f"Bedömt på dator {side}.")
    for field in between:
        _write(qtbot, b, "b1528A", f"{field} enligt B.", field=field)
    _sync(qtbot, a)


def test_choices_kept_before_the_pull_stay_when_the_other_s_changes_and_the_own_come_in_different_groups_of_pages(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sends FOLLOWED_UP back to utredning and writes over NEW_CASE's b1528A text; B closes FOLLOWED_UP, writes its
    own text and four other fields. B's Synka nu meets both conflicts at its push, its pull empty; Behåll min on each
    (Alt+K). B's next Synka nu pulls one change a page: A's status and text in the first group, B's own in a later
    one. On main B then showed Utredning and A's text, the server Avslutad and B's text, for good."""
    a, b = _laptop(qtbot, env, tmp_path, "a"), _laptop(qtbot, env, tmp_path, "b")
    case_id, followed = _case_id(a, NEW_CASE), _case_id(a, FOLLOWED_UP)
    try:
        _renewed_investigation(qtbot, a)
        close = _status_button(qtbot, b, "status_closed")
        in_modal("closeCaseQuestion", lambda: qtbot.keyClick(close, Qt.Key.Key_Space), close_chosen)
        _both_written(qtbot, a, b, between=BETWEEN)
        served = _pages_of_one(monkeypatch)
        _first_pull_empty(monkeypatch)
        _sync(qtbot, b)
        text = _text_row()
        assert sorted(_keep_mine(qtbot, b, [text, "Status"])) == sorted([text, "Status"])  # not the other fields
        del served[:]
        _sync(qtbot, b)
        assert all(len(page) == 1 for page in served), served
        for path in (ASSESSED, "status"):
            at = [n for n, page in enumerate(served) if page == [path]]
            # A's change, then B's kept one PAGES_PER_COMMIT pages or more later: in another group, applied apart.
            assert len(at) == 2 and at[1] - at[0] >= PAGES_PER_COMMIT, served
        profile = b.session.profile
        assert _own(profile.cases.load(case_id).model_dump(mode="json"), "b1528A") == "Bedömt på dator B."
        assert profile.cases.load(followed).status.value == "closed"
        _three_syncs(qtbot, b, a)
        assert _own(_all_hold_what_the_server_holds(env, case_id, a, b), "b1528A") == "Bedömt på dator B."
        server = _all_hold_what_the_server_holds(env, followed, a, b)
        assert [change["status"] for change in server["status_history"][-2:]] == ["investigation", "closed"]
        assert server["status"] == "closed"
    finally:
        _locked(a, b)


def _pull_held(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """The server's next pull waits, once it has come in, until released; (came in, release)."""
    pull_page_json = pull_service.pull_page_json
    came_in, release = threading.Event(), threading.Event()

    def held_once(conn: Any, actor: Any, cursor: int, limit: int, case_id: str | None, **options: Any) -> bytes:
        if not came_in.is_set():
            came_in.set()
            release.wait(60)  # a bound only for a test that failed before releasing it (the finally below releases)
        return pull_page_json(conn, actor, cursor, limit, case_id, **options)

    monkeypatch.setattr(pull_service, "pull_page_json", held_once)
    return came_in, release


def test_a_text_kept_while_a_sync_runs_is_not_the_same_conflict_again_when_its_pull_brings_the_other_s_change(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """B's conflict (its pull empty) is still open when B presses Synka nu again; B keeps its own text (Alt+K) while
    that sync's pull is on its way, after its push. The pull brings A's text: on main the same conflict again (B had
    chosen over exactly that text); now B's choice stays, is sent by the next sync and held by all."""
    a, b = _laptop(qtbot, env, tmp_path, "a"), _laptop(qtbot, env, tmp_path, "b")
    case_id = _case_id(a, NEW_CASE)
    came_in, release = threading.Event(), threading.Event()
    try:
        _both_written(qtbot, a, b)
        _first_pull_empty(monkeypatch)
        _sync(qtbot, b)
        came_in, release = _pull_held(monkeypatch)
        controller = b.sync.controller
        before = controller.status.last_synced_at
        _press(qtbot, b, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(came_in.is_set, timeout=60_000)
        assert _keep_mine(qtbot, b, [_text_row()]) == [_text_row()]
        release.set()
        qtbot.waitUntil(lambda: controller.status.last_synced_at != before and not controller.running
                        and getattr(b, "_relisting", None) is None, timeout=60_000)
        assert b.session.profile.sync.conflicts() == []
        assert controller.status.conflicts == 0
        _three_syncs(qtbot, b, a)
        server = _all_hold_what_the_server_holds(env, case_id, a, b)
        assert _own(server, "b1528A") == "Bedömt på dator B."
    finally:
        release.set()
        _locked(a, b)


def test_their_text_taken_is_not_sent_back_as_a_change_of_this_laptop(
        qtbot: Any, env: Env, tmp_path: Path) -> None:
    """Both write over b1528A; A syncs, B syncs and meets the conflict; A writes on in its text meanwhile. B takes A's
    (Alt+T): nothing waits to be sent. On main B's Synka nu sent A's text back as B's own change: one more entry in
    the case's history on the server, and A's Synka nu met it as a conflict against A's own earlier text."""
    a, b = _laptop(qtbot, env, tmp_path, "a"), _laptop(qtbot, env, tmp_path, "b")
    case_id = _case_id(a, NEW_CASE)
    try:
        _both_written(qtbot, a, b)
        _sync(qtbot, b)
        _write(qtbot, a, "b1528A", " Mer från A.", at="end")

        def take_theirs(dialog: Any) -> None:
            _choose(qtbot, dialog, _label(dialog.findChild(QTreeWidget, "conflictList"), "b1528A"))
            _alt(qtbot, dialog, Qt.Key.Key_T)

        _from_the_status_bar(qtbot, b, take_theirs)
        profile = b.session.profile
        assert profile.sync.conflicts() == [] and profile.journal.pending_count() == 0
        assert _own(profile.cases.load(case_id).model_dump(mode="json"), "b1528A") == "Bedömt på dator A."
        _sync(qtbot, b)
        _sync(qtbot, a)
        assert a.session.profile.sync.conflicts() == []
        _sync(qtbot, b)
        server = _all_hold_what_the_server_holds(env, case_id, a, b)
        assert _own(server, "b1528A") == "Bedömt på dator A. Mer från A."
        assert env.sql("SELECT count(*) AS n FROM change_log WHERE record_id = %s AND path = %s AND device_id = %s",
                       (case_id, ASSESSED, profile.device_id)) == [{"n": 0}]
    finally:
        _locked(a, b)


def test_a_delomrade_taken_away_on_the_other_laptop_and_taken_as_theirs_is_gone_here_as_on_the_server(
        qtbot: Any, env: Env, tmp_path: Path) -> None:
    """A unticks d450 (its assessment goes), B writes more in its text and changes its value: B meets two conflicts
    and takes A's side of each (Alt+T), the delområde's absence. On main only the text and the value went: B kept a
    d450 the server has not, for good."""
    a, b = _laptop(qtbot, env, tmp_path, "a"), _laptop(qtbot, env, tmp_path, "b")
    case_id = _case_id(a, NEW_CASE)
    try:
        qtbot.keyClick(_in_d4(qtbot, a, "subArea_d450"), Qt.Key.Key_Space)  # unticked
        _sync(qtbot, a)
        text = _in_d4(qtbot, b, "subAreaText_d450")
        qtbot.keyClick(text, Qt.Key.Key_End)
        type_text(text, " Klarar trappan med stöd.")
        value = b.workspace.area_form.findChild(QComboBox, "subAreaValue_d450")
        value.setFocus()
        qtbot.keyClick(value, Qt.Key.Key_Down)
        _sync(qtbot, b)
        seen: dict[str, Any] = {}

        def take_theirs(dialog: Any) -> None:
            seen["rows"] = sorted(_rows(dialog.findChild(QTreeWidget, "conflictList")))
            _alt(qtbot, dialog, Qt.Key.Key_T)
            _alt(qtbot, dialog, Qt.Key.Key_T)
            seen["closed"] = not dialog.isVisible()

        _from_the_status_bar(qtbot, b, take_theirs)
        assert seen == {"rows": ["Mobility › Sub-areas › d450 Walking › Rating on the IBIC scale",
                                 "Mobility › Sub-areas › d450 Walking › Text"], "closed": True}, seen
        _three_syncs(qtbot, b, a)
        server = _all_hold_what_the_server_holds(env, case_id, a, b)
        assert all(s["code"] != "d450" for s in _assessment(server, "d4")["sub_areas"])
    finally:
        _locked(a, b)
