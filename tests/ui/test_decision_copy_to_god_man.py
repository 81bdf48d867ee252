"""Seed 001: a god man is the huvudman's ställföreträdare; the decision is sent home. Tolvan (demo) has a god man
("Bevaka rätt och förvalta egendom"); on main his beslutsmeddelande, an appealable delvis bifall, named no one but him.
Now it says who gets a copy: the god man, and never a contact relative, who has no mandate (secrecy, seed 001)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from test_decision_documents_on_screen import (  # noqa: F401 (documents_window: a fixture, over the profile here)
    _documents_box,
    _opened_preview,
    _text,
    documents_window,
)
from uihelpers import CASEWORKER, PASSPHRASE, type_text

from ibic.demo import demo_cases
from ibic.people import Representative
from ibic.vocabulary import DecisionOutcome, RepresentativeKind
from storage.kdf import KdfParameters
from storage.profile import create_profile

TODAY = date.today()


@pytest.fixture
def partly_granted_dir(profile_dir: Path) -> Path:  # the profile documents_window opens
    """The demo, Tolvan's followed-up decision partly granted, and his daughter as a contact relative beside the god
    man."""
    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    people, cases = demo_cases(TODAY)
    followed = next(c for c in cases if c.case_number == "DEMO-2025-0117")
    followed.decisions = [d.model_copy(update={"outcome": DecisionOutcome.PARTLY_GRANTED}) for d in followed.decisions]
    tolvan = next(p for p in people if p.id == followed.person_id)
    tolvan.representatives.append(Representative(kind=RepresentativeKind.CONTACT_RELATIVE, name="Dottern Provsson"))
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.lock()
    return profile_dir


def test_the_beslutsmeddelande_names_the_god_man_as_getting_a_copy_and_no_contact_relative(  # type: ignore[no-untyped-def]
    qtbot, documents_window  # noqa: F811
) -> None:
    box, _ = _documents_box(qtbot, documents_window)
    type_text(box.notice_sent.edit, (TODAY - timedelta(days=1)).isoformat())
    dialog = _opened_preview(qtbot, documents_window, box.notice_button)
    text = " ".join(_text(dialog._pdf).split())
    dialog.reject()
    assert "Kopia till God man: Gustav Godman (fiktiv)" in text, text[:600]
    assert "Dottern" not in text, "a contact relative has no mandate: no copy without a consent"
