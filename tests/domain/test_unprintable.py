"""Text the printed documents cannot show is a Kontroll finding where it stands (s27-rlook): the step, life area
and field, named as the conflict dialog names fields. Which characters print is the printing's to say; here a stand-in
that cannot print "東"."""

from __future__ import annotations

from datetime import date

from ibic.demo import fully_filled_case
from ibic.reference import ReferenceData
from ibic.unprintable import unprintable_findings

DAY = date(2026, 12, 6)


def _can_print(text: str) -> bool:
    return "東" not in text


def test_each_field_with_text_that_cannot_print_is_one_finding_at_its_place(ref: ReferenceData) -> None:
    person, case = fully_filled_case(DAY)
    assert unprintable_findings(case, person, ref, _can_print) == []
    person = person.model_copy(update={"given_name": "東"})
    visit = case.investigation.visits[0].model_copy(update={"note": "Dottern från 東京, två gånger: 東"})
    area = case.investigation.assessments[0].model_copy(update={"need": "東"})
    investigation = case.investigation.model_copy(update={
        "visits": [visit, *case.investigation.visits[1:]],
        "assessments": [area, *case.investigation.assessments[1:]],
    })
    case = case.model_copy(update={"investigation": investigation})
    found = unprintable_findings(case, person, ref, _can_print)
    assert [(f.step, f.area_id, f.field) for f in found] == [
        ("case", None, None), ("visit", None, None), ("areas", area.area_id, "need")]
    assert found[0].message.sv.startswith("Förnamn: innehåller tecken som de utskrivna handlingarna inte kan visa")
    assert found[2].message.en.startswith(f"{ref.life_area(area.area_id).label_en} › Need: has characters")
