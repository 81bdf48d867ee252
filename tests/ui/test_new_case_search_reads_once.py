"""Ny ärende's search for a known person reads a case's decisions in force from its document once for the dialog,
not at every key typed (s30's read-back). A case whose stored column is of another day (the day's refresh not yet
run: past midnight, or after migration 0017, which had every open case computed anew) is read for the dialog's day
(s29-look); on main each key typed from the second on read the found people's cases again. Reached as a
handläggare does: Ny ärende from its menu action, the name typed key by key, a letter corrected, the person chosen."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt, QThreadPool
from test_new_case_known_person import _with_dialog
from uihelpers import type_text, unlock

import storage.repositories.known_people as known_people


def test_typing_a_name_reads_each_case_in_force_once_for_the_dialog(  # type: ignore[no-untyped-def]
    qtbot, demo_window, monkeypatch
) -> None:
    unlock(qtbot, demo_window)
    # The day's upkeep (its refresh of the deadlines for the session's day) starts on a worker once the list is
    # painted: finished first, so it refreshes today's and leaves every case's column of "yesterday" below.
    qtbot.waitUntil(lambda: demo_window._upkeep_job is not None)
    QThreadPool.globalInstance().waitForDone()
    tomorrow = date.today() + timedelta(days=1)
    monkeypatch.setattr(demo_window.session, "today", lambda: tomorrow)  # every stored column is of yesterday
    read: Counter[str] = Counter()
    in_force_on = known_people.in_force_on

    def counted(connection: Any, case_ids: Any, today: date, path: Any) -> dict[str, str]:
        read.update(case_ids)
        return in_force_on(connection, case_ids, today, path)

    monkeypatch.setattr(known_people, "in_force_on", counted)
    said: dict[str, str] = {}

    def act(dialog: Any) -> None:
        type_text(dialog.search, "tolvax")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Backspace)  # a slip corrected
        type_text(dialog.search, "n")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.matches, Qt.Key.Key_Return)  # the known person chosen
        said["note"] = dialog.known_note.text()

    _with_dialog(qtbot, demo_window, act, by_action=True)
    tolvan = [c.case_id for c in demo_window.session.profile.people.find("tolvan")[0].cases if c.status != "closed"]
    assert tolvan and all(read[case_id] == 1 for case_id in tolvan), read  # on main: once for every key from "to"
    assert max(read.values()) == 1, read
    assert "Den enskilde har beslut som gäller: hemtjänst – omvårdnad (ärende DEMO-2025-0117)" in said["note"]
