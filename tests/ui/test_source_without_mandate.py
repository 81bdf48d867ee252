"""Another person's view from a representative rests on their mandate only when they have one on the day it was
recorded: a god man, förvaltare, framtidsfullmakt holder or ombud. A contact relative (kontaktperson/anhörig) is
offered among the representatives but has no mandate, so secrecy applies as to anyone: Kontroll said so, but the
area form gave no warning when the contact relative was chosen, and the printed utredning's "Andra källor" gave
"Företrädare för den enskilde" as the basis. Likewise the god man's own view was listed "[samtycke saknas]". Both
fail on main."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_others_source_role import _open_area, _sources_table
from uihelpers import type_text, unlock

from ibic.completeness import check_completeness
from ibic.reference import load_reference_data
from ibic.vocabulary import RepresentativeKind

COUSIN = "Kusinen Kim (fiktiv)"
GOD_MAN = "Gustav Godman (fiktiv)"  # the demo Tolvan's god man
NO_CONSENT = "Det finns inget samtycke för den här källan"


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def _choose(qtbot, combo, wanted) -> None:  # type: ignore[no-untyped-def]
    combo.setFocus()
    _press(qtbot, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if wanted(combo):
            return
        _press(qtbot, Qt.Key.Key_Down)
    assert wanted(combo), "the choice is in the list"


def test_a_contact_relative_is_a_source_needing_consent_and_a_god_man_is_not(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_area(qtbot, demo_window, "d6")
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # Ärendet: the contact relative, by keys
    person_section = workspace.case_page.person
    _choose(qtbot, person_section.rep_kind, lambda c: c.currentData() == RepresentativeKind.CONTACT_RELATIVE)
    _press(qtbot, Qt.Key.Key_Tab)
    type_text(QApplication.focusWidget(), COUSIN)
    person_section.representatives.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    assert COUSIN in [r.name for r in workspace.opened.person.representatives]

    _press(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    workspace.go_to("areas", "d6")
    others = workspace.area_form.others
    for name, words in ((COUSIN, "kusinordet"), (GOD_MAN, "godmansordet")):
        _choose(qtbot, others.source, lambda c, name=name: c.currentText() == f"Företrädare: {name}")
        warned = others.warning.text()
        assert (NO_CONSENT in warned) == (name == COUSIN), (name, warned)
        others.text.setFocus()
        type_text(others.text, words)
        others.add_button.setFocus()
        _press(qtbot, Qt.Key.Key_Space)
    listed = [others.listing.item(i).text() for i in range(others.listing.count())]
    assert [t for t in listed if "samtycke saknas" in t and ("kusinordet" in t or "godmansordet" in t)] == [
        next(t for t in listed if "kusinordet" in t)]

    basis = {row[0]: row[2] for row in _sources_table(workspace).rows}
    assert basis[COUSIN] == "Samtycke ej registrerat"
    assert basis[GOD_MAN] == "Företrädare för den enskilde"
    opened = workspace.opened
    findings = check_completeness(opened.case, opened.person, load_reference_data(), date.today())
    flagged = [str(f.message.args) for f in findings if f.code == "source_without_consent"]
    assert [a for a in flagged if COUSIN in a] and not [a for a in flagged if GOD_MAN in a], "Kontroll, as printed"
