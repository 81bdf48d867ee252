"""The person says no and then changes their mind: the consent given after the no is the person's latest word and
counts (domain notes: the newer answer wins), for the request for underlag, the uppdrag, the private utförare's
material, the list and the print. On s26-consent a consent given the same day as the no (the date field's default)
was ended by the no recorded before it, and one given on a later day was read past: the first consent in the list,
older than the no, was the one weighed, and the no ended it. Recorded by keys on the Case step."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from test_consent_refused import _back, _choose, _open, _press, _rows, record_answer
from test_draft_issuer import draft_text
from test_provider_consent_withdrawn import _underlag_permission

from ibic.vocabulary import ConsentForm, ConsentRecipient

PROVIDER = "Hemtjänst Demo AB"


def _record(  # type: ignore[no-untyped-def]
    qtbot, workspace, *, given: bool, day: date | None = None, form: ConsentForm = ConsentForm.WRITTEN,
    recipient: ConsentRecipient = ConsentRecipient.PROVIDER, name: str = PROVIDER,
) -> None:
    """The person's answer about ``name`` (the chosen utförare unless said), dated ``day`` (today if None)."""
    record_answer(qtbot, workspace, recipient, name, given=given, form=form, day=day)


def _follow_up_says(qtbot, window, given_on: date) -> None:  # type: ignore[no-untyped-def]
    """The request for underlag, the uppdrag and the utförare's material all rest on the consent of ``given_on``."""
    workspace = window.workspace
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    said = f"Den enskilde har gett skriftligt samtycke {given_on.isoformat()}."
    assert _underlag_permission(qtbot, window) == said
    box = workspace.follow_up_page.documents
    assert box.order_button.isEnabled() and box.order_permission.text() == said
    latest = workspace.opened.case.consents[-1]
    material = workspace.follow_up_page.provider
    _choose(qtbot, material.consent, latest.id)
    assert material.permission.text() == f"Privat utförare: samtycke {given_on.isoformat()}."


def test_a_consent_given_the_same_day_after_a_no_counts(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open(qtbot, demo_window, "DEMO-2025-0117")  # signed, Hemtjänst Demo AB (private) chosen
    today = demo_window.session.today()
    _record(qtbot, workspace, given=False)
    _record(qtbot, workspace, given=True)  # "I have thought about it: yes, they may read it"
    rows = _rows(workspace.case_page.consents)
    assert rows[-2:] == [f"Utförare – {PROVIDER} (skriftligt, samtycker inte {today})",
                         f"Utförare – {PROVIDER} (skriftligt, lämnat {today})"], rows
    _follow_up_says(qtbot, demo_window, today)

    printed = draft_text(qtbot, demo_window)
    _back(qtbot, demo_window)
    consents = printed[printed.index("Samtycken"):]
    assert (f"{PROVIDER} Skriftligt {today} Samtycker inte Utförare: {PROVIDER} Skriftligt {today} Gäller"
            in consents), consents[:400]


def test_a_consent_given_after_a_no_counts_though_a_consent_older_than_the_no_is_listed_first(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open(qtbot, demo_window, "DEMO-2025-0117")
    today = demo_window.session.today()
    first, no = today - timedelta(days=20), today - timedelta(days=10)
    _record(qtbot, workspace, given=True, day=first)
    _record(qtbot, workspace, given=False, day=no)
    _record(qtbot, workspace, given=True, day=today)
    rows = _rows(workspace.case_page.consents)
    assert rows[-3:] == [f"Utförare – {PROVIDER} (skriftligt, lämnat {first}, sedan nej {no})",
                         f"Utförare – {PROVIDER} (skriftligt, samtycker inte {no})",
                         f"Utförare – {PROVIDER} (skriftligt, lämnat {today})"], rows
    _follow_up_says(qtbot, demo_window, today)
    older = next(c for c in workspace.opened.case.consents if c.given_on == first)
    material = workspace.follow_up_page.provider
    _choose(qtbot, material.consent, older.id)
    assert material.permission.text() == "Samtycket gäller inte utföraren den dagen: underlaget får inte antecknas.", (
        "the no ended the older consent: it does not cover the material though a newer one does")


def test_a_no_after_an_oral_consent_to_the_chosen_utforare_ends_it(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """The signature no longer covers the utförare once the person said no, nor does an oral consent before the no
    (on s26-consent the oral consent was read without looking for a later no: the underlag and uppdrag went on)."""
    workspace = _open(qtbot, demo_window, "DEMO-2025-0117")
    today = demo_window.session.today()
    _record(qtbot, workspace, given=True, day=today - timedelta(days=3), form=ConsentForm.ORAL)
    _record(qtbot, workspace, given=False, day=today)
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert _underlag_permission(qtbot, demo_window) == "Den enskilde har sagt nej till kontakten."
    box = workspace.follow_up_page.documents
    assert not box.order_button.isEnabled()


def _findings(qtbot, workspace) -> list[str]:  # type: ignore[no-untyped-def]
    _press(qtbot, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(workspace.check_page.isVisible)
    listing = workspace.check_page.listing
    return [listing.item(i).text() for i in range(listing.count())]


def test_kontroll_flags_what_a_source_told_after_the_person_said_no(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """Tova's description (two days ago) rests on her consent; a no recorded as said three days ago ended the consent
    before she was asked: Kontroll says so. A no said today came after it: nothing to flag (seed 001)."""
    workspace = _open(qtbot, demo_window, "DEMO-2026-0001")
    today = demo_window.session.today()
    no = today - timedelta(days=3)
    flagged = f"Uppgifter från Dottern Tova (fiktiv) är inhämtade efter att den enskilde sagt nej {no} till kontakten."
    assert not [f for f in _findings(qtbot, workspace) if "Dottern Tova" in f]
    tova = {"recipient": ConsentRecipient.RELATIVE, "name": "Dottern Tova (fiktiv)"}
    _record(qtbot, workspace, given=False, day=today, **tova)
    assert not [f for f in _findings(qtbot, workspace) if "Dottern Tova" in f], "told before the no"
    _record(qtbot, workspace, given=False, day=no, **tova)
    found = _findings(qtbot, workspace)
    assert flagged in found, found
    assert "Uppgifter från Dottern Tova (fiktiv) saknar samtycke." not in found, "the person said no: say so"
