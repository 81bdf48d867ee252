"""The life areas' guiding questions, as a handläggare reads them aloud at a home visit: addressed to the person
("Hur tar du reda på information …?"), not about them. On main ten of the eleven read "Hur tar personen reda på
…", one "den enskildes", stiff to read to the person across the table (docs/glossary.md, "Vägledande frågor").

Through the window: the life areas opened with Ctrl+3 and walked with Ctrl+PgDown, the question read off the form.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from uihelpers import unlock

from ibic.reference import load_reference_data

# The third person the questions must not use; "du", "dig", "din" … is how they address the person.
_ABOUT_THE_PERSON = re.compile(r"\b(personen|personens|den enskilde|den enskildes)\b", re.IGNORECASE)
_ADDRESSED = re.compile(r"\b(du|dig|din|ditt|dina)\b", re.IGNORECASE)


def test_every_life_areas_question_speaks_to_the_person(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    unlock(qtbot, window)
    case_id = next(s.case_id for s in window.session.summaries() if s.case_number == "DEMO-2025-0117")
    window.open_case(case_id)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    form = window.workspace.area_form
    read: dict[str, str] = {}
    for area in load_reference_data().life_areas:
        qtbot.waitUntil(lambda area=area: form.heading.text() == area.label_sv)
        read[area.label_sv] = form.guidance.text()
        qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert len(read) == 11 and all(read.values()), read
    assert {name: text for name, text in read.items() if _ABOUT_THE_PERSON.search(text)} == {}
    assert {name: text for name, text in read.items() if not _ADDRESSED.search(text)} == {}
