"""Issue 14 (after the KDF: unlock → 10,000 cases listed and searchable; memory steady): unlock through the real page
lists every stored case at once and the search field finds what the store finds; once the day's upkeep is done the
window keeps no copy of the modules' source lines (which PySide6's import hook has Python's linecache hold)."""

from __future__ import annotations

import linecache
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from uihelpers import PASSPHRASE, type_text, unlock, window_over_new_profile

from ibic.demo import bulk_cases, demo_cases
from ibic.reminders import ReminderKind

REPO = Path(__file__).resolve().parents[2]
BULK = 400


@pytest.fixture
def bulk_window(qtbot, settings, profile_dir: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The main window (unlock mode) over a profile with the demo cases and BULK placeholder cases."""
    batches = [demo_cases(date.today()), bulk_cases(BULK, date.today())]
    main = window_over_new_profile(qtbot, settings, profile_dir, batches)
    yield main
    if main.session is not None:
        main.session.lock()


def _shown_ids(page) -> set[str]:  # type: ignore[no-untyped-def]
    return {page.shown.case_id(row) for row in range(page.shown.rowCount())}


def _held_items(summaries):  # type: ignore[no-untyped-def]
    """The rows of a new case naming the person's decisions in force elsewhere, made from the listing (s28-probe)."""
    from ibic.held_elsewhere import held_elsewhere_reminder
    from ibic.reminders import WorkItem
    from storage.repositories.cases import held_of

    return [WorkItem(s.case_id, s.case_number, reminder, False) for s in summaries
            if (reminder := held_elsewhere_reminder(s.status, date.today(), held_of(s))) is not None]


def test_every_case_is_listed_and_searchable_right_after_unlock(qtbot, bulk_window) -> None:  # type: ignore[no-untyped-def]
    main = bulk_window
    listed: dict[str, object] = {}
    main.unlocked.connect(lambda: listed.update(count=main.case_list.model.rowCount()))
    unlock(qtbot, main)  # types the passphrase into the page and presses Enter
    stored = main.session.profile.cases.list_summaries(refresh=False)
    assert listed["count"] == len(stored) == BULK + len(demo_cases(date.today())[1])
    page = main.case_list
    assert _shown_ids(page) == {s.case_id for s in stored}
    # Shown as stored: name, case number and status label of every case.
    rows = {page.model.row(i).case_id: page.model.row(i) for i in range(page.model.rowCount())}
    assert all((rows[s.case_id].name, rows[s.case_id].case_number, rows[s.case_id].status)
               == (s.person_name, s.case_number, s.status) for s in stored)
    type_text(page.search, "0004")  # a placeholder family name (00040 … 00049, 00004) or a case number
    expected = {s.case_id for s in main.session.profile.cases.list_summaries(text="0004", refresh=False)}
    assert len(expected) >= 11
    assert _shown_ids(page) == expected
    assert page.count_label.text().startswith(f"{len(expected)} ")


def test_no_module_source_is_kept_once_the_unlock_and_its_upkeep_are_done(  # type: ignore[no-untyped-def]
    qtbot, bulk_window
) -> None:
    main = bulk_window
    unlock(qtbot, main)
    qtbot.waitUntil(lambda: main._upkeep_job is not None and QThreadPool.globalInstance().activeThreadCount() == 0,
                    timeout=30_000)
    kept = [name for name in linecache.cache if name.startswith(str(REPO))]
    assert kept == []
    assert main.case_list.model.rowCount() == BULK + len(demo_cases(date.today())[1])


def test_the_unlock_never_holds_every_summary_at_once(qtbot, bulk_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The rows are built straight from the cursor: a list of 10,000 summaries (~18 MiB) held beside the rows would
    leave their memory in holes in the steady heap. Counts the summaries alive while the unlock lists every case."""
    import storage.repositories.cases as cases
    import ui.cases.case_list as case_list

    alive = {"now": 0, "most": 0, "made": 0}

    class CountedSummary(cases.CaseSummary):
        """Counted when the listing hands it on (the store makes it with tuple's own __new__, no Python call to
        hook) and when it dies."""

        __slots__ = ()

        def __del__(self) -> None:
            alive["now"] -= 1

    def counted(summaries: Iterator[object]) -> Iterator[object]:
        for summary in summaries:
            assert type(summary) is CountedSummary
            alive["now"] += 1
            alive["made"] += 1
            alive["most"] = max(alive["most"], alive["now"])
            yield summary
            del summary

    prepared = case_list.prepared_listing
    monkeypatch.setattr(case_list, "prepared_listing", lambda rows, ref, today: prepared(counted(rows), ref, today))
    monkeypatch.setattr(cases, "CaseSummary", CountedSummary)
    main = bulk_window
    unlock(qtbot, main)
    listed = BULK + len(demo_cases(date.today())[1])
    assert main.case_list.model.rowCount() == listed
    assert alive["made"] >= listed
    assert alive["most"] <= 2  # the one being turned into a row (and at most the one before it)


def test_the_work_list_keeps_each_sentence_once_however_many_rows_share_it(qtbot, bulk_window) -> None:  # type: ignore[no-untyped-def]
    """Thousands of "Att göra" rows say one of a few sentences: each is one string, not one a row (10,000 cases:
    15,000 rows and 2.3 MiB of copies of two sentences)."""
    main = bulk_window
    unlock(qtbot, main)
    rows = main.case_list.work.model.rows
    sentences = {row.reason for row in rows}
    assert len(rows) > 2 * len(sentences) > 0  # the bulk cases share their reminders' sentences
    assert len({id(row.reason) for row in rows}) == len(sentences)
    shown = main.case_list.work.model.data(main.case_list.work.model.index(0, 4))
    assert shown == rows[0].reason  # the Reason column shows the sentence


def test_the_work_list_right_after_unlock_is_every_stored_row_in_the_work_lists_order(  # type: ignore[no-untyped-def]
    qtbot, bulk_window
) -> None:
    """The unlock makes the "Att göra" rows straight from the stored values, each reason rendered once: the same
    rows, sentences and order as the domain's items (``ibic.work_list.ordered``) rendered one by one."""
    from ibic.work_list import ordered
    from storage.repositories.cases import work_items_of
    from ui.messages import shown

    main = bulk_window
    unlock(qtbot, main)
    qtbot.waitUntil(lambda: main._upkeep_job is not None and QThreadPool.globalInstance().activeThreadCount() == 0,
                    timeout=30_000)  # the day's upkeep may list again: compare with what is stored once it is done
    stored = main.session.profile.cases.list_summaries(refresh=False)
    names = {s.case_id: s.person_name for s in stored}
    items = ordered([*(item for s in stored for item in work_items_of(s)), *_held_items(stored)])
    expected = [(int(i.reminder.urgency), i.reminder.due, i.large, i.case_number, i.reminder.kind, shown(i.reason),
                 i.case_id, names[i.case_id]) for i in items]
    assert any(i.reason.args for i in items)  # sentences with parameters (dates, names of insatser) among them
    assert len({row[5] for row in expected}) > 3
    assert [(r.urgency, r.due, r.large, r.case_number, r.kind, r.reason, r.case_id, r.name)
            for r in main.case_list.work.model.rows] == expected


def test_the_listing_is_kept_from_the_collector_while_unlocked_and_given_back_at_ctrl_l(  # type: ignore[no-untyped-def]
    qtbot, bulk_window
) -> None:
    """The unlock's listing is built with the cycle collector paused and frozen once built (no later collection walks
    its rows); the lock gives every frozen object back to the collector, so nothing of a locked session is kept
    for good, and the collector runs again."""
    import gc

    from PySide6.QtCore import Qt

    main = bulk_window
    gc.unfreeze()  # what earlier tests in this process may have left
    unlock(qtbot, main)
    assert gc.isenabled()
    assert gc.get_freeze_count() > BULK  # the rows (and all that lived before them) are frozen
    qtbot.keyClick(main.case_list.search, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert main.session is None  # locked
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_the_work_list_at_unlock_leaves_out_a_kind_from_a_newer_program_and_a_column_that_does_not_parse(  # type: ignore[no-untyped-def]
    qtbot, bulk_window, profile_dir: Path
) -> None:
    """The unlock reads the stored work rows as ``work_entries_of`` does: a row of a kind this program does not know
    is left out, a case whose work text does not parse has no rows, and neither stops the unlock or the others."""
    import json

    from storage.profile import unlock_profile

    profile = unlock_profile(profile_dir, PASSPHRASE)
    first, second = profile.cases.list_summaries(refresh=False)[:2]
    due = date.today().isoformat()
    rows = [["a_kind_from_a_newer_program", due, 3, "Något nytt.", None, False],
            ["investigation_slow", due, 3, "Skriven på svenska förr.", None, True]]
    with profile._db.transaction() as connection:
        update = "UPDATE cases SET work = ? WHERE id = ?"
        connection.execute(update, (json.dumps(rows, ensure_ascii=False), first.case_id))
        connection.execute(update, ('[["investigation_slow", "20', second.case_id))
    profile.lock()
    main = bulk_window
    unlock(qtbot, main)
    shown = main.case_list.work.model.rows
    assert [(r.kind.value, r.reason, r.large) for r in shown if r.case_id == first.case_id] == [
        ("investigation_slow", "Skriven på svenska förr.", True)]
    assert not [r for r in shown if r.case_id == second.case_id]
    assert main.case_list.model.rowCount() == BULK + len(demo_cases(date.today())[1])
    assert len({r.case_id for r in shown}) > BULK // 2  # the other cases' rows are all there


def test_the_work_list_at_unlock_is_the_domain_s_and_a_work_text_that_is_no_list_of_rows_is_left_out(  # type: ignore[no-untyped-def]
    qtbot, bulk_window, profile_dir: Path
) -> None:
    """The stored work rows are read by json's C scanner (``storage.repositories.cases.stored_work``): what the list
    shows at unlock is what the domain gives for each case (``ibic.work_list.work_reminders``), and a work text that
    parses to something other than rows (an object, a text, a row too short, a date that is none) leaves only that
    case without rows, as a text that does not parse does; it never stops the unlock."""
    import json

    from ibic.reference import load_reference_data
    from ibic.work_list import work_reminders
    from storage.profile import unlock_profile
    from ui.messages import shown

    today = date.today()
    profile = unlock_profile(profile_dir, PASSPHRASE)
    summaries = profile.cases.list_summaries(refresh=False)
    odd = [s.case_id for s in summaries if s.work][:4]
    held = {(i.case_id, i.reminder.kind, i.reminder.due, int(i.reminder.urgency), i.large, shown(i.reason))
            for i in _held_items(summaries)}
    rules = load_reference_data().rules
    expected = {
        (case.id, reminder.kind, reminder.due, int(reminder.urgency), large, shown(reminder.reason))
        for case in map(profile.cases.load, (s.case_id for s in summaries if s.case_id not in odd))
        for reminder, large in work_reminders(case, today, rules)
    } | held
    texts = ['{"kind":"investigation_slow"}', '"Skriven på svenska förr."', '[["investigation_slow"]]',
             json.dumps([["investigation_slow", "inte ett datum", 3, "Något.", None, False]], ensure_ascii=False)]
    with profile._db.transaction() as connection:
        connection.executemany("UPDATE cases SET work = ? WHERE id = ?", list(zip(texts, odd, strict=True)))
    profile.lock()
    main = bulk_window
    unlock(qtbot, main)
    shown_rows = main.case_list.work.model.rows
    assert not [r for r in shown_rows if r.case_id in odd and r.kind != ReminderKind.DECISIONS_HELD]
    assert len(expected) > BULK  # most cases have work
    assert {(r.case_id, r.kind, r.due, r.urgency, r.large, r.reason) for r in shown_rows} == expected
    assert len(shown_rows) == len(expected)
    assert main.case_list.model.rowCount() == BULK + len(demo_cases(today)[1])
