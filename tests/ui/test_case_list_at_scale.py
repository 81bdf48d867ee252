"""Issue 14: the case list stays one frame per action at 50,000 cases. These tests check the behaviour that makes
that possible, through the real widgets (timing lives in bench/bench_caselist.py): search narrowing as you type
gives the same rows as the query typed at once, sorting by a header click, and going back to the list from an
edited case showing the edit without listing every case again."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from uihelpers import type_text, unlock, unlocked_with_bulk_cases

from ui.cases.list_rows import COLUMNS

BULK = 300


@pytest.fixture
def bulk_profile(demo_profile_dir):  # type: ignore[no-untyped-def]
    """The demo profile with 300 placeholder cases more ("Testperson 00001" …)."""
    profile = unlocked_with_bulk_cases(demo_profile_dir, BULK, seed=3)
    profile.lock()
    return demo_profile_dir


def _shown(case_list, column: str = "case_number") -> list[str]:  # type: ignore[no-untyped-def]
    shown, index = case_list.shown, COLUMNS.index(column)
    return [shown.data(shown.index(row, index)) for row in range(shown.rowCount())]


def _click_header(qtbot, case_list, column: str) -> None:  # type: ignore[no-untyped-def]
    header = case_list.table.horizontalHeader()
    section = COLUMNS.index(column)
    if header.isSectionHidden(section):  # the tests' 744-px window gives Senast ändrat way to whole names (s30-look)
        case_list.window().resize(1281, 689)  # a 1366×768 laptop's room, where every column shows at 12 pt
        qtbot.waitUntil(lambda: not header.isSectionHidden(section))
    where = QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)


def _backspace(qtbot, widget, times: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        qtbot.keyClick(widget, Qt.Key.Key_Backspace)


def test_typing_and_erasing_shows_the_same_rows_as_the_query_typed_at_once(qtbot, bulk_profile, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    assert case_list.shown.rowCount() == BULK + 3
    query = "testperson 0004"
    typed: dict[str, list[str]] = {}
    for end in range(1, len(query) + 1):
        type_text(case_list.search, query[end - 1])
        typed[query[:end]] = _shown(case_list)
    # Testperson 00040 … 00049 by name, and 00004 by its case number BENCH-000004.
    assert sorted(_shown(case_list, "name")) == [f"Testperson {n:05d} (fiktiv)" for n in (4, *range(40, 50))]
    _backspace(qtbot, case_list.search, 4)  # "testperson 0" again: wider than before, not narrowed from it
    assert _shown(case_list) == typed["testperson 0"]
    for prefix, rows in typed.items():
        case_list.search.clear()
        case_list.search.setText(prefix)  # at once, as pasted
        assert _shown(case_list) == rows, prefix
    _backspace(qtbot, case_list.search, len(query))
    assert case_list.shown.rowCount() == BULK + 3
    assert case_list.count_label.text() == f"{BULK + 3} av {BULK + 3} ärenden"


def test_the_case_number_is_found_as_written_with_its_dashes(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    type_text(demo_window.case_list.search, "DEMO-2026-0002")
    assert _shown(demo_window.case_list) == ["DEMO-2026-0002"]


def test_a_header_click_sorts_the_shown_rows_and_keeps_the_current_case(qtbot, bulk_profile, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    type_text(case_list.search, "testperson 01")
    qtbot.keyClick(case_list.search, Qt.Key.Key_Tab)  # on to New case, the work list, the cases
    case_list.table.setFocus()
    qtbot.keyClick(case_list.table, Qt.Key.Key_Down)
    qtbot.keyClick(case_list.table, Qt.Key.Key_Down)
    current = case_list.shown.case_id(case_list.table.currentIndex().row())
    _click_header(qtbot, case_list, "name")
    names = _shown(case_list, "name")
    assert len(names) > 10 and all(n.startswith("Testperson") for n in names)
    assert names in (sorted(names), sorted(names, reverse=True))
    assert case_list.shown.case_id(case_list.table.currentIndex().row()) == current
    _click_header(qtbot, case_list, "name")
    assert _shown(case_list, "name") == list(reversed(names))
    assert case_list.shown.case_id(case_list.table.currentIndex().row()) == current
    _backspace(qtbot, case_list.search, len("testperson 01"))
    everyone = _shown(case_list, "name")
    assert len(everyone) == BULK + 3 and everyone in (sorted(everyone, key=str.casefold),
                                                     sorted(everyone, key=str.casefold, reverse=True))


def _open(qtbot, window, query: str):  # type: ignore[no-untyped-def]
    window.case_list.search.clear()
    type_text(window.case_list.search, query)
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.workspace
    return window.workspace


def _count_full_listings(window, monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    calls: list[int] = []
    cases = window.session.profile.cases
    original = cases.list_summaries

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(cases, "list_summaries", counted)
    return calls


def test_ctrl_e_after_editing_a_name_shows_it_on_every_case_of_the_person_without_listing_all(  # type: ignore[no-untyped-def]
    qtbot, bulk_profile, demo_window, monkeypatch
) -> None:
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    _click_header(qtbot, case_list, "name")  # sorted by name: the renamed person's rows must move
    full_listings = _count_full_listings(demo_window, monkeypatch)
    workspace = _open(qtbot, demo_window, "tolvan")  # Tolvan Tolvansson has two cases
    family = workspace.findChild(type(case_list.search), "personFamilyName")
    family.setFocus()
    family.selectAll()
    type_text(family, "Aaberg")
    qtbot.keyClick(workspace.navigator, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.stack.currentWidget() is case_list
    case_list.search.clear()
    names = _shown(case_list, "name")
    assert names.count("Tolvan Aaberg (fiktiv)") == 2 and "Tolvan Tolvansson (fiktiv)" not in names
    assert names in (sorted(names, key=str.casefold), sorted(names, key=str.casefold, reverse=True))
    assert len(names) == BULK + 3
    assert full_listings == []  # only the person's cases were read again


def test_back_to_the_list_lists_every_case_again_on_a_new_day(qtbot, demo_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    full_listings = _count_full_listings(demo_window, monkeypatch)
    _open(qtbot, demo_window, "greta")
    tomorrow = date.today() + timedelta(days=1)
    monkeypatch.setattr(demo_window.session, "today", lambda: tomorrow)  # the laptop stayed open past midnight
    qtbot.keyClick(demo_window.workspace.navigator, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert full_listings == [1]  # every deadline is computed for the new day
    assert demo_window.case_list.model.rowCount() == 3


def test_ctrl_e_with_a_search_shown_puts_the_edited_case_where_the_search_and_the_order_say(  # type: ignore[no-untyped-def]
    qtbot, bulk_profile, demo_window
) -> None:
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    _click_header(qtbot, case_list, "name")
    workspace = _open(qtbot, demo_window, "testperson 0012")  # 00012 and 00120 … 00129
    before = _shown(case_list, "name")
    renamed = workspace.opened.person.family_name
    family = workspace.findChild(type(case_list.search), "personFamilyName")
    family.setFocus()
    family.selectAll()
    type_text(family, "00129x")  # still found by the search, now last (or first) by name
    qtbot.keyClick(workspace.navigator, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    after = _shown(case_list, "name")
    assert case_list.search.text() == "testperson 0012"
    assert sorted(after) == sorted([n for n in before if n != f"Testperson {renamed} (fiktiv)"]
                                   + ["Testperson 00129x (fiktiv)"])
    assert after in (sorted(after, key=str.casefold), sorted(after, key=str.casefold, reverse=True))
    case_list.search.setText("testperson 0012")  # typed again at once: the same rows in the same order
    case_list.search.setText("")
    case_list.search.setText("testperson 0012")
    assert _shown(case_list, "name") == after
    type_text(case_list.search, "9x")
    assert _shown(case_list, "name") == ["Testperson 00129x (fiktiv)"]


def test_a_header_click_over_a_few_found_rows_orders_them_as_the_whole_list(qtbot, bulk_profile, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    found = "testperson 0004"  # 11 of 303: sorted alone

    def in_whole_list() -> list[str]:
        case_list.search.clear()
        return [n for n in _shown(case_list) if n.startswith("BENCH-00004") or n == "BENCH-000004"]

    for column in ("status", "deadline", "applied_for", "sync"):
        _click_header(qtbot, case_list, column)
        expected = in_whole_list()
        type_text(case_list.search, found)
        assert _shown(case_list) == expected, column
        _click_header(qtbot, case_list, column)  # descending, with the search shown
        by_click = _shown(case_list)
        assert len(by_click) == 11 and by_click == in_whole_list(), column


def test_header_clicks_over_most_rows_found_order_them_as_the_whole_list(qtbot, bulk_profile, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    found = "testperson"  # 300 of 303: filtered from the whole order, and a second click reverses them

    def in_whole_list() -> list[str]:
        case_list.search.clear()
        return [n for n in _shown(case_list) if n.startswith("BENCH-")]

    for column in ("name", "status", "updated", "sync"):
        _click_header(qtbot, case_list, column)
        expected = in_whole_list()
        type_text(case_list.search, found)
        assert _shown(case_list) == expected and len(expected) == BULK, column
        current = case_list.shown.case_id(case_list.table.currentIndex().row())
        _click_header(qtbot, case_list, column)  # the other way, with the search shown
        assert _shown(case_list) == list(reversed(expected)), column
        assert case_list.shown.case_id(case_list.table.currentIndex().row()) == current  # still current
        assert _shown(case_list) == in_whole_list(), column


def test_a_word_inside_an_earlier_word_narrows_to_the_same_rows_as_pasted(qtbot, bulk_profile, demo_window) -> None:  # type: ignore[no-untyped-def]
    """Typing on tests only the words the shown rows do not already match ("00" is inside "0004", "0" is not
    inside "testperson"): each step shows what the whole query pasted at once shows."""
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    query = "0004 testperson 00 t0"
    typed: dict[str, list[str]] = {}
    for end in range(1, len(query) + 1):
        type_text(case_list.search, query[end - 1])
        typed[query[:end]] = _shown(case_list)
    assert typed[query] == [] and len(typed["0004 testperson 00"]) == 11
    for prefix, rows in typed.items():
        case_list.search.selectAll()
        case_list.search.insert(prefix)  # pasted over the query: not narrowed from it
        assert _shown(case_list) == rows, prefix


def test_ctrl_e_with_no_search_keeps_the_case_chosen_in_the_table_current(qtbot, bulk_profile, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    _click_header(qtbot, case_list, "name")
    case_list.table.setFocus()
    for _ in range(5):
        qtbot.keyClick(case_list.table, Qt.Key.Key_Down)
    before = case_list.table.currentIndex().row()
    chosen = case_list.shown.case_id(before)
    qtbot.keyClick(case_list.table, Qt.Key.Key_Return)
    workspace = demo_window.workspace
    assert demo_window.stack.currentWidget() is workspace
    family = workspace.findChild(type(case_list.search), "personFamilyName")
    family.setFocus()
    family.selectAll()
    type_text(family, "Zz")  # after the other "Testperson" names now: the row moves
    qtbot.keyClick(workspace.navigator, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.stack.currentWidget() is case_list
    row = case_list.table.currentIndex().row()
    assert case_list.shown.case_id(row) == chosen
    assert row != before
    assert case_list.table.selectionModel().isRowSelected(row)


def test_a_key_every_shown_case_still_matches_leaves_the_rows_as_they_were(qtbot, bulk_profile, demo_window) -> None:  # type: ignore[no-untyped-def]
    """Typing on in a word every shown case holds ("testperson 0" → "0" → "00" over the 300 bulk cases) changes no
    row: the table is not reset (nor repainted), and the rows are those of the query pasted at once."""
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    type_text(case_list.search, "testperso")
    rows = _shown(case_list)
    assert len(rows) == BULK
    with qtbot.assertNotEmitted(case_list.shown.modelReset), qtbot.assertNotEmitted(case_list.shown.layoutChanged):
        type_text(case_list.search, "n")
    assert _shown(case_list) == rows
    with qtbot.waitSignal(case_list.shown.modelReset):
        type_text(case_list.search, " 0004")  # other rows now: shown anew
    assert len(_shown(case_list)) == 11
    case_list.search.selectAll()
    case_list.search.insert("testperson")
    assert _shown(case_list) == rows


def test_words_typed_before_an_edit_find_the_edited_cases_by_their_new_name_after_ctrl_e(  # type: ignore[no-untyped-def]
    qtbot, bulk_profile, demo_window
) -> None:
    """Each word's matching rows are kept while a query is typed and edited (until the field is emptied): a case
    saved meanwhile is matched again by its new text, so the kept words give what they give typed afresh."""
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    search = case_list.search
    type_text(search, "testperson")  # every prefix of it: kept, matching the 300 bulk cases
    assert case_list.shown.rowCount() == BULK
    search.selectAll()
    type_text(search, "tolvan")  # typed over the selection: the field is never empty, so the words stay kept
    qtbot.keyClick(search, Qt.Key.Key_Return)
    workspace = demo_window.workspace
    assert demo_window.stack.currentWidget() is workspace
    family = workspace.findChild(type(search), "personFamilyName")
    family.setFocus()
    family.selectAll()
    type_text(family, "Testpersonsson")  # Tolvan's two cases now hold the words typed before
    qtbot.keyClick(workspace.navigator, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.stack.currentWidget() is case_list
    search.setFocus()
    search.selectAll()
    type_text(search, "testperso")  # "t" … "testperso": every word kept from before the edit
    kept = _shown(case_list, "name")
    assert kept.count("Tolvan Testpersonsson (fiktiv)") == 2 and len(kept) == BULK + 2
    search.clear()  # emptied: the words are forgotten, and typed again they are looked for afresh
    type_text(search, "testperso")
    assert _shown(case_list, "name") == kept


def test_a_word_typed_on_finds_what_it_finds_pasted_when_only_the_rows_of_the_shorter_word_are_tested(  # type: ignore[no-untyped-def]
    qtbot, bulk_profile, demo_window
) -> None:
    """Typing on ("0012" after "001"), a word is looked for only in the rows holding the kept shorter word when
    those are under half the rows: each key finds the cases the query pasted into an emptied field finds."""
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    typed: dict[str, list[str]] = {}
    for query in ("0012", "1212", "testperson 012", "bench00029"):
        case_list.search.clear()
        for end, char in enumerate(query, start=1):
            type_text(case_list.search, char)
            typed[query[:end]] = sorted(_shown(case_list))
    _click_header(qtbot, case_list, "name")  # another order: the rows of the queries typed are not reused
    for prefix, rows in typed.items():
        case_list.search.clear()  # emptied: no word kept, each looked for in every row
        case_list.search.setText(prefix)
        assert sorted(_shown(case_list)) == rows, prefix
    assert typed["bench00029"] == [f"BENCH-00029{n}" for n in range(10)]
    assert len(typed["0012"]) == 11


def test_another_header_with_many_rows_found_orders_them_as_the_whole_list(qtbot, bulk_profile, demo_window) -> None:  # type: ignore[no-untyped-def]
    """With most rows found, a click on another column's header picks the found rows out of the new order (by
    the query's kept word masks): the order of the whole list, found rows only."""
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    for column in ("name", "status", "case_number", "updated", "deadline"):
        case_list.search.clear()
        type_text(case_list.search, "testperson 5")  # the bulk cases with a 5 in their number: many, not all
        found = set(_shown(case_list))
        assert BULK // 8 < len(found) < BULK
        _click_header(qtbot, case_list, column)
        clicked = _shown(case_list)
        case_list.search.clear()
        assert clicked == [n for n in _shown(case_list) if n in found], column


def test_what_is_applied_for_is_found_alone_and_with_a_name_or_number(qtbot, bulk_profile, demo_window) -> None:  # type: ignore[no-untyped-def]
    """The applied-for label is looked in once per label, not once per row: typed alone (many rows) or after a
    number (a few), a word of it finds exactly the rows whose "Ansökt om" cell holds it."""
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list

    def holding(*words: str) -> set[str]:
        case_list.search.clear()
        rows = zip(_shown(case_list, "case_number"), _shown(case_list, "applied_for"), _shown(case_list, "name"),
                   strict=True)
        return {number for number, applied, name in rows
                if words[0] in applied.casefold() and all(w in f"{name} {number}".casefold().replace("-", "")
                                                          for w in words[1:])}

    for query, words in (("serviceinsats", ("serviceinsats",)), ("hemtjänst", ("hemtjänst",)),
                         ("korttid", ("korttid",)), ("0004 hemtj", ("hemtj", "0004")),
                         ("testperson 001 tjänst", ("tjänst", "testperson", "001"))):
        case_list.search.clear()
        type_text(case_list.search, query)
        found = set(_shown(case_list, "case_number"))
        assert found and found == holding(*words), query


def _fresh_order(window, column: str, descending: bool) -> list[str]:  # type: ignore[no-untyped-def]
    """The case numbers of a whole listing read anew and sorted by ``column``: what the kept orders must equal.
    Its rows come in the window's row order, so that ties (equal values) fall the same way."""
    from ui.cases.case_list import CaseListPage

    page = CaseListPage(window.session.ref, today=window.session.today)
    position = window.case_list.model.position
    page.set_rows(sorted(window.session.summaries(), key=lambda s: position(s.case_id)))
    page.shown.sort(COLUMNS.index(column),
                    Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
    shown = _shown(page)
    page.deleteLater()
    return shown


@pytest.mark.parametrize(("field", "text"), [("personFamilyName", "Aaaberg"), ("personFamilyName", "Zzzberg"),
                                             ("caseOriginNote", "Ingen nyckel ändras")])
def test_ctrl_e_after_an_edit_shows_the_case_where_every_order_puts_it(  # type: ignore[no-untyped-def]
    qtbot, bulk_profile, demo_window, field, text
) -> None:
    """Back from a case whose name (a sort key) or only a note changed: in the order shown and in every other
    column's order, both ways, the list equals a fresh listing sorted by that column; the search finds the case
    by its new name."""
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    _click_header(qtbot, case_list, "name")
    workspace = _open(qtbot, demo_window, "testperson 00042")
    edited = workspace.findChild(type(case_list.search), field)
    edited.setFocus()
    edited.selectAll()
    type_text(edited, text)
    qtbot.keyClick(workspace.navigator, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.stack.currentWidget() is case_list
    case_list.search.clear()
    descending = case_list.model.descending()
    assert _shown(case_list) == _fresh_order(demo_window, "name", descending)
    for column in COLUMNS:
        for _ in range(2):  # ascending, then the other way
            _click_header(qtbot, case_list, column)
            assert _shown(case_list) == _fresh_order(demo_window, column, case_list.model.descending()), column
    if field == "personFamilyName":
        type_text(case_list.search, f"testperson {text.casefold()}")
        assert _shown(case_list, "name") == [f"Testperson {text} (fiktiv)"]


def test_ctrl_e_puts_the_focus_straight_into_the_search_field_with_the_query_selected(  # type: ignore[no-untyped-def]
    qtbot, bulk_profile, demo_window
) -> None:
    """Whether the focus was in a field of the case or in the navigator, Ctrl+E gives it to the search field and
    to nothing on the way (a screen reader announces every widget that gets the focus, and the hidden case's
    fields or the sync button are not where the user goes); typing then replaces the query."""
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    app = QApplication.instance()
    for focus_in_field in (True, False):
        workspace = _open(qtbot, demo_window, "testperson 0012")
        family = workspace.findChild(type(case_list.search), "personFamilyName")
        family.setFocus()
        type_text(family, "x")
        if not focus_in_field:
            workspace.navigator.setFocus()
        focused: list[QWidget | None] = []

        def seen(_old: QWidget | None, new: QWidget | None, focused: list[QWidget | None] = focused) -> None:
            focused.append(new)

        app.focusChanged.connect(seen)
        try:
            qtbot.keyClick(demo_window.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
            _let_deferred_work_run(qtbot, workspace)
        finally:
            app.focusChanged.disconnect(seen)
        assert demo_window.stack.currentWidget() is case_list
        assert focused == [case_list.search], focus_in_field
        assert case_list.search.selectedText() == "testperson 0012"


def _let_deferred_work_run(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    """Until the workspace has no deferred work left: the events the key posted, and the navigator's refresh or the
    autosave once their timers fire (a condition, not a time: a refresh started by the save runs before the caller
    asserts there was none)."""
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not workspace._flow_timer.isActive() and not workspace.autosave.isActive(),
                    timeout=10_000)
    QApplication.processEvents()


def _area_mark(navigator, area: str) -> str:  # type: ignore[no-untyped-def]
    """The state mark the navigator's row of a life area starts with."""
    from ui.workspace.navigator import PlaceRole

    for top in (navigator.topLevelItem(i) for i in range(navigator.topLevelItemCount())):
        for child in (top.child(j) for j in range(top.childCount())):
            if tuple(child.data(0, PlaceRole)) == ("areas", area):
                return str(child.text(0)[0])
    raise AssertionError(area)


def test_ctrl_e_leaves_the_hidden_navigator_and_the_case_opened_again_shows_its_states(  # type: ignore[no-untyped-def]
    qtbot, demo_window, monkeypatch
) -> None:
    """Leaving a case, its navigator (hidden with the workspace) is not refreshed after the save; the case shown
    next in the workspace, here the same one, shows the states the save left."""
    from ui.workspace.navigator import STATE_MARKS

    unlock(qtbot, demo_window)
    workspace = _open(qtbot, demo_window, "greta")
    workspace.go_to_step("areas")
    area = workspace.session.ref.life_areas[0].id
    mark = _area_mark(workspace.navigator, area)
    workspace.area_form.own.setFocus()
    type_text(workspace.area_form.own, "Klarar det mesta själv.")
    refreshed: list[int] = []
    show_flow = workspace.navigator.show_flow
    monkeypatch.setattr(workspace.navigator, "show_flow", lambda *a: (refreshed.append(1), show_flow(*a)))
    qtbot.keyClick(workspace.area_form.own, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    _let_deferred_work_run(qtbot, workspace)
    assert demo_window.stack.currentWidget() is demo_window.case_list
    assert refreshed == []
    _open(qtbot, demo_window, "greta")
    shown = _area_mark(workspace.navigator, area)
    assert refreshed and shown != mark and shown in STATE_MARKS.values()
