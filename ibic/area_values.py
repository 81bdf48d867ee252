"""IBIC values checked against the reference data (issue 13, point 10).

The model itself refuses what ICF never allows (a qualifier of 5, a sub-area from another chapter); this adds what
only the municipality's lists know: the step (the area's and each delområde's) must be on the area's own scale
and the sub-area in its selection.
"""

from __future__ import annotations

from ibic.investigation import LifeAreaAssessment
from ibic.reference import ReferenceData


def area_value_problems(assessment: LifeAreaAssessment, ref: ReferenceData) -> list[str]:
    """Swedish sentences for every value of the assessment that its area's scale or sub-area list does not hold."""
    try:
        area = ref.life_area(assessment.area_id)
    except KeyError:
        return [f"Livsområdet {assessment.area_id} finns inte i referensdata."]
    problems: list[str] = []
    scale = ref.scale(area.scale)
    if assessment.qualifier is not None and scale.step(assessment.qualifier) is None:
        problems.append(f"{area.label_sv}: bedömningen {assessment.qualifier} finns inte på skalan {scale.label_sv}.")
    listed = {sub.code for sub in area.sub_areas}
    for sub in assessment.sub_areas:
        if sub.code not in listed:
            problems.append(f"{area.label_sv}: delområdet {sub.code} hör inte till området.")
        if sub.qualifier is not None and scale.step(sub.qualifier) is None:
            problems.append(
                f"{area.label_sv}: bedömningen {sub.qualifier} för delområdet {sub.code} finns inte på skalan "
                f"{scale.label_sv}."
            )
    return problems
