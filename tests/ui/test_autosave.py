"""Autosave: an edit is durable within a second of the last keystroke, and at once when focus moves."""

from __future__ import annotations

from uihelpers import PASSPHRASE, type_text, unlock

from storage.profile import unlock_profile


def _open_area(qtbot, window):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    case_id = next(s.case_id for s in window.session.summaries() if s.case_number == "DEMO-2026-0002")
    window.open_case(case_id)
    window.workspace.go_to("areas", "d5")
    window.workspace.area_form.own.setFocus()
    return window.workspace, case_id


def _stored_text(directory, case_id: str) -> str:  # type: ignore[no-untyped-def]
    profile = unlock_profile(directory, PASSPHRASE)
    try:
        return profile.cases.load(case_id).model_dump_json()
    finally:
        profile.lock()


def test_typing_is_saved_after_the_debounce_without_any_save_button(qtbot, demo_window, demo_profile_dir):  # type: ignore[no-untyped-def]
    workspace, case_id = _open_area(qtbot, demo_window)
    with qtbot.waitSignal(workspace.saved, timeout=5_000):  # the debounce is 800 ms; the rest is a loaded machine's
        type_text(workspace.area_form.own, "sparordet efter paus")
    assert "sparordet efter paus" in _stored_text(demo_profile_dir, case_id)
    assert demo_window.save_indicator.text().startswith("Sparat ")


def test_moving_focus_saves_at_once(qtbot, demo_window, demo_profile_dir):  # type: ignore[no-untyped-def]
    workspace, case_id = _open_area(qtbot, demo_window)
    type_text(workspace.area_form.own, "fokusordet")
    assert workspace.has_unsaved_changes
    workspace.area_form.need.setFocus()
    assert not workspace.has_unsaved_changes
    assert "fokusordet" in _stored_text(demo_profile_dir, case_id)


def test_switching_area_saves_and_marks_the_area_in_the_navigator(qtbot, demo_window, demo_profile_dir):  # type: ignore[no-untyped-def]
    workspace, case_id = _open_area(qtbot, demo_window)
    type_text(workspace.area_form.own, "områdesordet")
    workspace.go_to("areas", "d6")
    assert "områdesordet" in _stored_text(demo_profile_dir, case_id)
    item = workspace.navigator._items[("areas", "d5")]
    assert item.text(0).startswith("◐"), "an area with text but no assessment is in progress"


def test_undo_and_redo_work_in_text_fields(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace, _ = _open_area(qtbot, demo_window)
    own = workspace.area_form.own
    before = own.toPlainText()
    type_text(own, "ångra")
    own.undo()
    assert own.toPlainText() == before
    own.redo()
    assert own.toPlainText().endswith("ångra")


def test_a_reload_after_sync_keeps_the_place_and_never_replaces_unsaved_text(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace, _ = _open_area(qtbot, demo_window)
    type_text(workspace.area_form.own, "osparat")
    demo_window._after_sync()  # a sync finished while the user types: nothing is replaced
    assert "osparat" in workspace.area_form.own.toPlainText()
    workspace.save_now()
    demo_window._after_sync()  # now it re-reads the case, and stays on the same life area
    assert workspace.area_form.heading.text() == "Personlig vård"
    assert "osparat" in workspace.area_form.own.toPlainText()
