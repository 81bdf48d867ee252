"""Fictitious people and realistic cases for ``--demo``, the tests and ``bench/``.

Only Skatteverket's well-known test personnummer are used, and every person is marked ``fictitious``
so screens and printouts can say so. Bulk data for benchmarks reuses the same numbers with numbered
placeholder names: no generated number is ever paired with a name.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ibic.application import Application, ApplicationItem
from ibic.cases import Case, DischargeContext, StatusChange
from ibic.communication import Communication
from ibic.consent import Consent
from ibic.decisions import Decision, DecisionStatusEntry, Proposal, Scope
from ibic.follow_up import FollowUp, GoalResult, TimeComparison
from ibic.investigation import (
    Investigation,
    LifeAreaAssessment,
    NotRelevant,
    OtherDescription,
    Participant,
    RelatedFactors,
    SubAreaAssessment,
    Visit,
)
from ibic.people import Address, Person, Representative
from ibic.vocabulary import (
    Actor,
    ApplicationForm,
    CaseOrigin,
    CaseStatus,
    CommunicationMethod,
    ConsentForm,
    ConsentRecipient,
    DecisionForm,
    DecisionOutcome,
    DecisionStatusKind,
    FollowUpTrigger,
    GoalAttainment,
    RepresentativeKind,
    ScopeUnit,
    Sex,
    VisitPlace,
)

TEST_PERSONAL_NUMBERS = ("19121212-1212", "19861123-9883", "20170101-2393")
CASEWORKER = "Handläggare Demo"
UNIT = "Biståndsenheten Demo"


def demo_people() -> list[Person]:
    tolvan = Person(
        given_name="Tolvan",
        family_name="Tolvansson",
        personal_number="19121212-1212",
        sex=Sex.MALE,
        address=Address(street="Testgatan 12", postal_code="123 45", city="Demostad"),
        phone="000-000 00 00",
        representatives=[
            Representative(
                kind=RepresentativeKind.GOD_MAN, name="Gustav Godman (fiktiv)", scope="Bevaka rätt och förvalta egendom"
            )
        ],
        fictitious=True,
    )
    greta = Person(
        given_name="Greta",
        family_name="Provsson",
        personal_number="19861123-9883",
        sex=Sex.FEMALE,
        address=Address(street="Exempelvägen 3", postal_code="123 46", city="Demostad"),
        language="svenska",
        fictitious=True,
    )
    return [tolvan, greta]


def demo_cases(today: date) -> tuple[list[Person], list[Case]]:
    """Three cases: a home visit in progress, a hospital discharge, a decision under follow-up."""
    tolvan, greta = demo_people()
    return [tolvan, greta], [
        _home_visit_case(tolvan, today),
        _hospital_case(greta, today),
        _follow_up_case(tolvan, today),
    ]


def _home_visit_case(person: Person, today: date) -> Case:
    opened = today - timedelta(days=9)
    daughter = Consent(
        recipient=ConsentRecipient.RELATIVE,
        recipient_name="Dottern Tova (fiktiv)",
        form=ConsentForm.ORAL,
        given_on=opened,
        recorded_by=CASEWORKER,
        scope="Uppgifter om behov av stöd i hemmet",
    )
    items = [
        ApplicationItem(insats_id="serviceinsatser", in_persons_words="Jag orkar inte städa och handla själv längre."),
        ApplicationItem(insats_id="trygghetslarm", in_persons_words="Jag vill kunna larma om jag ramlar."),
    ]
    case = Case(
        case_number="DEMO-2026-0001",
        person_id=person.id,
        origin=CaseOrigin.PHONE_CALL,
        origin_note="Personen ringde själv.",
        opened_on=opened,
        caseworker=CASEWORKER,
        unit=UNIT,
        chosen_provider="Hemtjänst Demo AB",
        consents=[daughter],
        application=Application(received_on=opened, form=ApplicationForm.ORAL, signed_by_person=False, items=items),
        status=CaseStatus.INVESTIGATION,
        status_history=[StatusChange(status=CaseStatus.INVESTIGATION, on=opened, by=CASEWORKER)],
    )
    case.investigation = Investigation(
        started_on=opened,
        situation="Tolvan bor ensam i en tvårumslägenhet på andra våningen med hiss. Hustrun dog för två år sedan. "
        "Dottern bor i grannkommunen och hälsar på varje helg.",
        information_given="Information om handläggningen, sekretess, avgifter och rätten att överklaga.",
        visits=[
            Visit(
                visited_on=today - timedelta(days=2),
                place=VisitPlace.HOME,
                participants=[
                    Participant(name="Tolvan Tolvansson", role="Den enskilde"),
                    Participant(name="Dottern Tova (fiktiv)", role="Anhörig"),
                ],
            )
        ],
        related_factors=RelatedFactors(
            health_condition="Hjärtsvikt, nedsatt kondition.", body_functions="Nedsatt syn på höger öga."
        ),
        assessments=[
            LifeAreaAssessment(
                area_id="d4",
                own_description="Jag går med rollator inne men vågar inte gå ut ensam.",
                others=[
                    OtherDescription(
                        source_name="Dottern Tova (fiktiv)",
                        source_role="Dotter",
                        consent_id=daughter.id,
                        text="Pappa har ramlat två gånger i höstas.",
                        recorded_on=today - timedelta(days=2),
                    )
                ],
                qualifier="2",
                sub_areas=[
                    SubAreaAssessment(code="d450", qualifier="1", text="Går med rollator inomhus."),
                    SubAreaAssessment(code="d460", qualifier="3", text="Går inte ut ensam av rädsla att falla."),
                ],
                assessment="Tolvan har måttliga svårigheter att förflytta sig utomhus.",
                need="Stöd för att komma ut och känna sig säker vid förflyttning.",
                resources="Rollator. Dottern går promenader med honom på helgerna.",
                goal="Att kunna gå ut på en promenad varje vecka.",
                judged_on=today - timedelta(days=2),
            ),
            LifeAreaAssessment(
                area_id="d6",
                own_description="Jag orkar inte dammsuga och bära hem matkassar.",
                qualifier="3",
                sub_areas=[
                    SubAreaAssessment(code="d620", qualifier="3", text="Orkar inte bära hem matkassar."),
                    SubAreaAssessment(code="d640", qualifier="3"),
                ],
                assessment="Tolvan har stora svårigheter med inköp och städning.",
                need="Hjälp med städning varannan vecka och inköp en gång i veckan.",
                resources="Lagar enklare mat själv.",
                goal="Ett rent hem och mat i kylskåpet.",
                judged_on=today - timedelta(days=2),
            ),
            LifeAreaAssessment(
                area_id="b1528A",
                own_description="Jag är rädd att ramla på natten när ingen vet om det.",
                qualifier="2",
                assessment="Tolvan känner oro för att falla utan att kunna larma.",
                need="Att kunna larma dygnet runt.",
                goal="Att känna sig trygg hemma på natten.",
                judged_on=today - timedelta(days=2),
            ),
            LifeAreaAssessment(
                area_id="d8",
                not_relevant=NotRelevant(reason_id="not_part_of_application", note="God man sköter ekonomin."),
            ),
        ],
    )
    return case


def _hospital_case(person: Person, today: date) -> Case:
    opened = today - timedelta(days=1)
    item = ApplicationItem(
        insats_id="korttidsvistelse", in_persons_words="Jag vill inte åka hem förrän jag klarar trappan."
    )
    return Case(
        case_number="DEMO-2026-0002",
        person_id=person.id,
        origin=CaseOrigin.HOSPITAL,
        origin_note="Inskrivningsmeddelande från avdelning 12, Demosjukhuset.",
        opened_on=opened,
        caseworker=CASEWORKER,
        unit=UNIT,
        application=Application(received_on=opened, form=ApplicationForm.ORAL, items=[item]),
        discharge=DischargeContext(
            hospital_ward="Avdelning 12, Demosjukhuset", admission_notice_on=opened, ready_for_discharge_on=today
        ),
        consents=[
            Consent(
                recipient=ConsentRecipient.HEALTHCARE,
                recipient_name="Avdelning 12",
                form=ConsentForm.ORAL,
                given_on=opened,
                recorded_by=CASEWORKER,
            )
        ],
        status=CaseStatus.INVESTIGATION,
        status_history=[StatusChange(status=CaseStatus.INVESTIGATION, on=opened, by=CASEWORKER)],
        investigation=Investigation(
            started_on=opened,
            visits=[
                Visit(
                    visited_on=today,
                    place=VisitPlace.HOSPITAL,
                    participants=[
                        Participant(name="Greta Provsson", role="Den enskilde"),
                        Participant(name="Sjuksköterska på avdelningen", role="Hälso- och sjukvård"),
                    ],
                )
            ],
        ),
    )


def _follow_up_case(person: Person, today: date) -> Case:
    decided = today - timedelta(days=100)
    start = decided + timedelta(days=1)
    item = ApplicationItem(insats_id="omvardnad", in_persons_words="Hjälp med dusch och påklädning.")
    proposal = Proposal(
        application_item_id=item.id,
        insats_id="omvardnad",
        outcome=DecisionOutcome.GRANTED,
        scope=Scope(amount=104, unit=ScopeUnit.HOURS_PER_MONTH, form=DecisionForm.FRAME),
        starts_on=start,
        ends_on=start + timedelta(days=364),
        motivation="Tolvan behöver hjälp med personlig hygien och påklädning varje dag.",
        need_exists="Behovet finns och kan inte tillgodoses på annat sätt.",
    )
    decision = Decision(
        proposal_id=proposal.id,
        insats_id="omvardnad",
        insats_text="hemtjänst – omvårdnad",
        outcome=DecisionOutcome.GRANTED,
        scope=proposal.scope,
        starts_on=proposal.starts_on,
        ends_on=proposal.ends_on,
        law_reference_id="sol2025_11_1",
        motivation=proposal.motivation,
        decided_on=decided,
        decided_by=CASEWORKER,
    )
    follow_up = FollowUp(
        decision_ids=[decision.id],
        trigger=FollowUpTrigger.CASEWORKER,
        planned_on=today + timedelta(days=7),
        how_best_done="Hembesök med fast omsorgskontakt närvarande.",
        how_person_wants_it="Hemma, på förmiddagen.",
        whom_person_wants_present="Dottern.",
        others_needed="Fast omsorgskontakt från utföraren.",
        time_comparisons=[TimeComparison(decision_id=decision.id, granted_minutes=104 * 60, performed_minutes=5_520)],
        goal_results=[
            GoalResult(area_id="d5", goal="Att duscha två gånger i veckan", attainment=GoalAttainment.PARTLY_ACHIEVED)
        ],
    )
    return Case(
        case_number="DEMO-2025-0117",
        person_id=person.id,
        origin=CaseOrigin.APPLICATION,
        opened_on=decided - timedelta(days=20),
        caseworker=CASEWORKER,
        unit=UNIT,
        chosen_provider="Hemtjänst Demo AB",
        status=CaseStatus.IMPLEMENTATION,
        application=Application(
            received_on=decided - timedelta(days=20), form=ApplicationForm.WRITTEN, signed_by_person=True, items=[item]
        ),
        proposals=[proposal],
        decisions=[decision],
        decision_statuses=[
            DecisionStatusEntry(decision_id=decision.id, status=DecisionStatusKind.IN_FORCE, on=decided)
        ],
        communication=Communication(not_done_reason="Beslutet bifaller ansökan i sin helhet."),
        follow_ups=[follow_up],
    )


def bulk_cases(count: int, today: date, seed: int = 12) -> tuple[list[Person], list[Case]]:
    """Many cases for benchmarks: placeholder names, the known test numbers reused, varied content."""
    rng = random.Random(seed)
    people: list[Person] = []
    cases: list[Case] = []
    areas = ["d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "b1528A", "e398A"]
    for index in range(count):
        person = Person(
            given_name="Testperson",
            family_name=f"{index + 1:05d}",
            fictitious=True,
            personal_number=TEST_PERSONAL_NUMBERS[index % len(TEST_PERSONAL_NUMBERS)],
            sex=Sex.FEMALE if index % 2 else Sex.MALE,
        )
        opened = today - timedelta(days=rng.randint(0, 400))
        case = Case(
            case_number=f"BENCH-{index + 1:06d}",
            person_id=person.id,
            opened_on=opened,
            origin=rng.choice(list(CaseOrigin)),
            caseworker=CASEWORKER,
            unit=UNIT,
            status=rng.choice([CaseStatus.ACTUALISED, CaseStatus.INVESTIGATION]),
            application=Application(received_on=opened, items=[ApplicationItem(insats_id="serviceinsatser")]),
        )
        for area in rng.sample(areas, k=rng.randint(2, 6)):
            case.investigation.assessments.append(
                LifeAreaAssessment(
                    area_id=area,
                    own_description="Beskrivning i den enskildes egna ord. " * rng.randint(1, 8),
                    # an environmental category is graded as a facilitator (+0…+4), never on the activity scale
                    qualifier=("+" if area.startswith("e") else "") + str(rng.randint(0, 4)),
                    assessment="Handläggarens bedömning. " * rng.randint(1, 4),
                    need="Behov av stöd.",
                    goal="Önskat resultat.",
                    judged_by=Actor.CASEWORKER,
                )
            )
        people.append(person)
        cases.append(case)
    return people, cases


# Two delområden of each activity area, each with a value: a chosen delområde without one is a Kontroll finding.
_FILLED_SUB_AREAS = {
    "d1": ("d155", "d175"), "d2": ("d210", "d230"), "d3": ("d310", "d350"), "d4": ("d450", "d460"),
    "d5": ("d510", "d540"), "d6": ("d620", "d640"), "d7": ("d720", "d750"), "d8": ("d845", "d870"),
    "d9": ("d920", "d950"),
}


def fully_filled_case(today: date) -> tuple[Person, Case]:
    """A case with every life area filled and a complete proposal: for PDF and load benchmarks."""
    people, cases = demo_cases(today)
    person, case = people[0], cases[0]
    filler = "Personen beskriver sin vardag utförligt, med exempel från den senaste veckan. "
    areas = ["d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "b1528A", "e398A"]
    case.investigation.assessments = [
        LifeAreaAssessment(
            area_id=a,
            own_description=filler * 6,
            qualifier="2" if a[0] == "d" else None,
            assessment=filler * 3,
            need="Behov av stöd. " * 5,
            resources="Egna resurser. " * 4,
            goal="Mål i den enskildes egna ord. " * 3,
        )
        for a in areas
    ]
    for assessment in case.investigation.assessments:
        if assessment.qualifier is None:
            assessment.qualifier = "+2" if assessment.area_id.startswith("e") else "2"
        assessment.sub_areas = [
            SubAreaAssessment(code=code, qualifier=value, text="Med egna ord om delområdet. " * 2)
            for code, value in zip(_FILLED_SUB_AREAS.get(assessment.area_id, ()), ("1", "3"), strict=False)
        ]
    for item in case.application.items:
        case.proposals.append(
            Proposal(
                application_item_id=item.id,
                insats_id=item.insats_id,
                outcome=DecisionOutcome.GRANTED,
                scope=Scope(amount=None, unit=ScopeUnit.UNTIL_FURTHER_NOTICE)
                if item.insats_id == "trygghetslarm"
                else Scope(amount=8, unit=ScopeUnit.HOURS_PER_MONTH),
                starts_on=today,
                ends_on=None if item.insats_id == "trygghetslarm" else today + timedelta(days=180),
                motivation=filler * 2,
                need_exists=filler,
                met_otherwise=filler,
                needed_for_reasonable_living=filler,
                fitting_insats=filler,
            )
        )
    case.communication = Communication(
        done_on=today, method=CommunicationMethod.HOME_VISIT, response="Inga synpunkter.",
        with_whom="Den enskilde och gode mannen Gustav Godman",
    )
    return person, case


__all__ = ["TEST_PERSONAL_NUMBERS", "bulk_cases", "demo_cases", "demo_people", "fully_filled_case"]
