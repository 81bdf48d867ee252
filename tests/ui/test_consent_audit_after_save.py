"""A consent given, refused or withdrawn is written to the audit log once the case holding it is saved, never
before: the log is the record of what was done to a case. On s26-consent the entry was written right after a save
whatever its outcome: with the disk full the log said "consent_refused" while the case on disk held no refusal, and
a refusal then removed before the retry stayed in the log as recorded. Recorded by keys on the Case step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from test_consent_refused import _open, _press, _record_refusal
from uihelpers import when_shown

from ibic.vocabulary import ConsentRecipient


def _consent_entries(profile, case_id: str, after: int) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(e.action, e.detail) for e in profile.audit.entries(after)
            if e.case_id == case_id and e.action.startswith("consent_")]


def _refused_with_the_disk_full(qtbot, window, monkeypatch):  # type: ignore[no-untyped-def]
    """Tolvan's case open, the disk full, a refusal to health care recorded by keys: (workspace, the real save, the
    audit's last entry before)."""
    from storage.errors import DiskFull

    workspace = _open(qtbot, window, "DEMO-2026-0001")
    before = window.session.profile.audit.entries()[-1].seq
    real_save = workspace.session.save
    monkeypatch.setattr(workspace.session, "save", lambda *_: (_ for _ in ()).throw(DiskFull()))
    _record_refusal(qtbot, workspace, ConsentRecipient.HEALTHCARE, "")
    return workspace, real_save, before


def test_a_refusal_is_audited_when_the_save_holding_it_succeeds(qtbot, demo_window, monkeypatch):  # type: ignore[no-untyped-def]
    workspace, real_save, before = _refused_with_the_disk_full(qtbot, demo_window, monkeypatch)
    profile, case = demo_window.session.profile, workspace.opened.case
    assert not case.consents[-1].given and workspace.has_unsaved_changes
    assert _consent_entries(profile, case.id, before) == [], "nothing is saved: nothing is audited yet"

    monkeypatch.setattr(workspace.session, "save", real_save)
    with qtbot.waitSignal(workspace.saved, timeout=3_000):
        pass  # the retry timer stores it once the disk has room again
    assert _consent_entries(profile, case.id, before) == [("consent_refused", "recipient: healthcare")]


def test_a_refusal_removed_before_any_save_held_it_is_not_audited(qtbot, demo_window, monkeypatch):  # type: ignore[no-untyped-def]
    workspace, real_save, before = _refused_with_the_disk_full(qtbot, demo_window, monkeypatch)
    profile, case = demo_window.session.profile, workspace.opened.case
    refusal = case.consents[-1]
    section = workspace.case_page.consents
    section.listing.setFocus()
    _press(qtbot, Qt.Key.Key_End)  # the refusal, recorded by mistake
    section.remove_button.setFocus()
    when_shown("removeConsentQuestion", lambda box: box.findChild(QPushButton, "removeConsentYes").click())
    _press(qtbot, Qt.Key.Key_Space)  # asked first: "Ta bort" (test_consent_removal_asked.py)
    assert all(c.id != refusal.id for c in case.consents)

    monkeypatch.setattr(workspace.session, "save", real_save)
    assert workspace.save_now()
    assert _consent_entries(profile, case.id, before) == []
