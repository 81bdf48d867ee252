"""The personnummer on the case page: a number another person here already holds is refused beside the field.

On main Tolvan's number could be changed to Greta's (19861123-9883) on the Ärendet step and was stored: two people
on one number, which the new-case dialog never allows and the pull then takes for one person (storage.person_clash).
"""

from __future__ import annotations

from uihelpers import PASSPHRASE, paste, unlock

from storage.profile import unlock_profile


def _case_page(qtbot, window):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    case_id = next(s.case_id for s in window.session.summaries() if s.case_number == "DEMO-2026-0001")
    window.open_case(case_id)
    window.workspace.go_to("case")
    return window.workspace, window.workspace.case_page.person


def test_a_number_held_by_another_person_is_refused_and_the_typed_text_kept(qtbot, demo_window, demo_profile_dir):  # type: ignore[no-untyped-def]
    workspace, section = _case_page(qtbot, demo_window)
    paste(qtbot, section.personal_number, "19861123-9883")
    assert section.personal_number_error.text() == (
        "Personnumret tillhör redan Greta Provsson (fiktiv) här. Kontrollera numret.")
    assert section.personal_number.text() == "19861123-9883"
    assert workspace.opened.person.personal_number == "191212121212"
    workspace.save_now()
    demo_window.lock()
    profile = unlock_profile(demo_profile_dir, PASSPHRASE)
    try:
        holders = [known.full_name for known in profile.people.find("198611239883")]
    finally:
        profile.lock()
    assert holders == ["Greta Provsson"]


def test_the_persons_own_number_in_another_form_and_a_free_number_are_taken(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace, section = _case_page(qtbot, demo_window)
    paste(qtbot, section.personal_number, "121212-1212")  # the same number in its 10-digit form
    assert section.personal_number_error.text() == ""
    paste(qtbot, section.personal_number, "20170101-2393")  # a test number nobody here holds
    assert section.personal_number_error.text() == ""
    assert workspace.opened.person.personal_number == "201701012393"
