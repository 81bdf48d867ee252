"""The case list: personnummer masked, search as you type by name or number, Enter opens the case."""

from __future__ import annotations

from PySide6.QtCore import Qt
from uihelpers import type_text, unlock

from ui.cases.list_rows import COLUMNS


def _shown(case_list) -> list[str]:  # type: ignore[no-untyped-def]
    proxy = case_list.shown
    return [proxy.data(proxy.index(row, 0)) for row in range(proxy.rowCount())]


def test_personal_numbers_are_masked_in_the_list(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    proxy = demo_window.case_list.shown
    numbers = {proxy.data(proxy.index(row, 1)) for row in range(proxy.rowCount())}
    assert numbers == {"19121212-****", "19861123-****"}


def test_search_by_name_and_by_number_filters_as_you_type(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    assert len(_shown(case_list)) == 3
    type_text(case_list.search, "greta")
    assert _shown(case_list) == ["Greta Provsson (fiktiv)"]
    case_list.search.clear()
    type_text(case_list.search, "121212-1212")
    assert set(_shown(case_list)) == {"Tolvan Tolvansson (fiktiv)"}
    assert len(_shown(case_list)) == 2
    assert case_list.count_label.text() == "2 av 3 ärenden"
    case_list.search.clear()
    type_text(case_list.search, "ingen sådan")
    assert _shown(case_list) == []


def test_enter_in_search_opens_the_found_case_and_logs_the_view(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    type_text(case_list.search, "greta")
    qtbot.keyClick(case_list.search, Qt.Key.Key_Return)
    workspace = demo_window.workspace
    assert workspace is not None and workspace.opened.person.given_name == "Greta"
    views = [e for e in demo_window.session.profile.audit.entries() if e.action == "view"]
    assert views and views[-1].case_id == workspace.opened.case.id
    assert "Greta" not in demo_window.windowTitle()


def test_a_case_moved_away_with_unsynced_changes_says_so_in_the_list(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    profile = demo_window.session.profile
    summary = profile.cases.list_summaries()[0]
    case = profile.cases.load(summary.case_id)
    case.origin_note = "Inte synkad"
    profile.cases.save(case)
    assert profile.withdrawals.withdraw([case.id]).kept == (case.id,)
    demo_window.show_case_list()
    model = demo_window.case_list.model
    sync = COLUMNS.index("sync")
    texts = {model.summary(r).case_id: model.data(model.index(r, sync)) for r in range(model.rowCount())}
    assert texts[case.id] == "Flyttat, väntar på synk"
    assert {t for cid, t in texts.items() if cid != case.id} == {"Inte synkat än"}


def _open_greta(qtbot, window):  # type: ignore[no-untyped-def]
    """Unlock the demo profile and open the fictitious Greta's case from the list, as a handläggare would."""
    unlock(qtbot, window)
    type_text(window.case_list.search, "greta")
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)
    return window.workspace


def _widgets_showing(window, text: str) -> list[object]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    return [w for w in window.findChildren(QWidget) if callable(getattr(w, "text", None)) and text in str(w.text())]


def test_an_open_case_removed_as_moved_away_leaves_the_screen(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    case_id = _open_greta(qtbot, demo_window).opened.case.id
    assert demo_window.session.profile.withdrawals.withdraw([case_id]).removed == (case_id,)
    demo_window._after_sync()  # what the sync signal triggers
    assert demo_window.workspace is None
    assert demo_window.stack.currentWidget() is demo_window.case_list
    assert "flyttats till en annan handläggare" in demo_window.statusBar().currentMessage()
    assert _widgets_showing(demo_window, "Greta") == []


def test_an_open_case_removed_with_unsaved_typing_leaves_the_screen_and_says_what_was_lost(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    workspace = _open_greta(qtbot, demo_window)
    case_id = workspace.opened.case.id
    workspace.opened.case.origin_note = "Skrivet just nu"
    workspace.mark_dirty()  # a keystroke inside the autosave delay
    assert demo_window.session.profile.withdrawals.withdraw([case_id]).removed == (case_id,)
    demo_window._after_sync()
    assert demo_window.workspace is None
    message = demo_window.statusBar().currentMessage()
    assert "flyttats till en annan handläggare" in message and "kunde inte sparas" in message
    assert _widgets_showing(demo_window, "Greta") == []


def test_a_sync_saves_the_open_case_first_so_a_move_keeps_what_was_typed(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _open_greta(qtbot, demo_window)
    case_id = workspace.opened.case.id
    workspace.opened.case.origin_note = "Skrivet just före synken"
    workspace.mark_dirty()
    demo_window.sync.controller._before_sync()  # what every sync run calls first, on the UI thread
    profile = demo_window.session.profile
    assert not workspace.has_unsaved_changes and profile.journal.pending_count() > 0
    assert profile.withdrawals.withdraw([case_id]).kept == (case_id,)  # pending work keeps the case
    demo_window._after_sync()
    assert demo_window.workspace is workspace  # still here, still editable


def test_a_list_of_one_case_counts_it_in_the_singular(qtbot, settings, profile_dir) -> None:  # type: ignore[no-untyped-def]
    """"1 av 1 ärenden" on main: the count is now said by the total, as Swedish does (s23-probe)."""
    from datetime import date

    from uihelpers import window_over_new_profile

    from ibic.demo import bulk_cases

    main = window_over_new_profile(qtbot, settings, profile_dir, [bulk_cases(1, date.today())])
    unlock(qtbot, main)
    assert main.case_list.count_label.text() == "1 av 1 ärende"
    type_text(main.case_list.search, "ingen sådan")
    assert main.case_list.count_label.text() == "0 av 1 ärende"
