"""IBIC values checked against the reference data (issue 13, point 10).

The model itself refuses what ICF never allows (a qualifier of 5, a sub-area from another chapter); this adds what
only the municipality's lists know: the step (the area's and each delområde's) must be on the area's own scale
and the sub-area in its selection.
"""

from __future__ import annotations

from ibic.investigation import LifeAreaAssessment
from ibic.messages import Message, Term, message
from ibic.reference import ReferenceData


def area_value_problems(assessment: LifeAreaAssessment, ref: ReferenceData) -> list[Message]:
    """Messages (ibic.messages) for every value of the assessment that its area's scale or sub-area list does not
    hold."""
    try:
        area = ref.life_area(assessment.area_id)
    except KeyError:
        return [message("The life area %1 is not in the reference data.", assessment.area_id)]
    problems: list[Message] = []
    name = Term(area.label_sv, area.label_en)
    scale = ref.scale(area.scale)
    if assessment.qualifier is not None and scale.step(assessment.qualifier) is None:
        problems.append(message("%1: the value %2 is not on the scale %3.", name, assessment.qualifier,
                                Term(scale.label_sv, scale.label_en)))
    listed = {sub.code for sub in area.sub_areas}
    for sub in assessment.sub_areas:
        if sub.code not in listed:
            problems.append(message("%1: the sub-area %2 does not belong to the area.", name, sub.code))
        if sub.qualifier is not None and scale.step(sub.qualifier) is None:
            problems.append(message("%1: the value %2 for the sub-area %3 is not on the scale %4.", name,
                                    sub.qualifier, sub.code, Term(scale.label_sv, scale.label_en)))
    return problems
