"""The uppdrag to the utförare and the beslutsmeddelande with the appeal notice, as outlines (points 7 and 8)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from ibic.cases import Case
from ibic.decisions import Decision, FrozenScope
from ibic.demo import demo_cases
from ibic.documents.beslutsmeddelande import build_beslutsmeddelande
from ibic.documents.bestallning import build_bestallning
from ibic.documents.outline import KeyValueRows
from ibic.documents.utredning import PersonNotInCase
from ibic.notices import DecisionNotice, ProviderOrder, appeal_deadline_for
from ibic.people import Person
from ibic.reference import DocumentRules, ReferenceData
from ibic.vocabulary import DecisionForm, DecisionOutcome, ScopeUnit

TODAY = date(2026, 11, 23)


def _follow_up_case() -> tuple[Person, Case]:
    people, cases = demo_cases(TODAY)
    return people[0], cases[2]


def _decision(outcome: DecisionOutcome, *, form: DecisionForm = DecisionForm.PER_INSATS,
              insats: str = "hemtjänst – serviceinsatser") -> Decision:
    return Decision(proposal_id="p", insats_id="serviceinsatser", insats_text=insats, outcome=outcome,
                    scope=FrozenScope(amount=6.5, unit=ScopeUnit.HOURS_PER_MONTH, form=form),
                    starts_on=date(2026, 11, 20), ends_on=date(2027, 5, 31), law_reference_id="sol2025_11_1",
                    motivation="Städning varannan vecka och inköp en gång i veckan.", decided_on=date(2026, 11, 20),
                    decided_by="Handläggare Demo")


def test_the_uppdrag_holds_insatser_scope_form_period_goals_and_how_the_follow_up_is_done() -> None:
    person, case = _follow_up_case()
    outline = build_bestallning(case, person, _ref(), today=TODAY)
    texts = list(outline.texts())
    decision = case.decisions[0]
    assert outline.document_type == "Uppdrag till utförare"
    assert [s.heading for s in outline.sections] == [
        "Beviljade insatser", "Behov och mål", "Så följs uppdraget upp", "Praktiska uppgifter"]
    assert decision.insats_text in texts and "104 timmar per månad" in texts and "Rambeslut" in texts
    assert "2026-08-16 – 2027-08-15" in texts
    assert "Hemtjänst Demo AB" in texts  # the utförare named in the header
    assert "2026-11-30" in texts  # the planned follow-up
    assert "Hembesök med fast omsorgskontakt närvarande." in texts  # its first answer: how it is best done
    assert any("genomförandeplan tillsammans med den enskilde inom 30 dagar" in t for t in texts)
    assert any(t.startswith("Rambeslut: utföraren uppmuntrar i första hand den enskilde") for t in texts)
    assert "Uppdraget skickat" not in texts  # not sent yet


def test_the_day_the_uppdrag_was_sent_is_recorded_in_the_case_and_printed() -> None:
    person, case = _follow_up_case()
    case.provider_orders.append(ProviderOrder(decision_ids=[case.decisions[0].id], provider=case.chosen_provider,
                                              sent_on=date(2026, 8, 17)))
    rows = dict(build_bestallning(case, person, _ref(), today=TODAY).header.rows)
    assert rows["Uppdraget skickat"] == "2026-08-17"


def test_an_insatsbeslut_in_the_uppdrag_says_the_utforare_calls_itself() -> None:
    person, case = _follow_up_case()
    case.decisions.append(_decision(DecisionOutcome.GRANTED))
    texts = list(build_bestallning(case, person, _ref(), today=TODAY).texts())
    assert "Insatsbeslut" in texts and "6,5 timmar per månad" in texts
    assert any(t.startswith("Insatsbeslut: utföraren kontaktar själv socialsekreteraren.") for t in texts)


def test_a_refused_decision_is_not_ordered_from_the_utforare() -> None:
    person, case = _follow_up_case()
    refused = _decision(DecisionOutcome.REFUSED, insats="hemtjänst – ledsagning")
    case.decisions.append(refused)
    texts = list(build_bestallning(case, person, _ref(), today=TODAY).texts())
    assert "hemtjänst – ledsagning" not in texts


def test_the_beslutsmeddelande_carries_the_appeal_notice_and_the_deadline_from_the_delgivning() -> None:
    person, case = _follow_up_case()
    partly = _decision(DecisionOutcome.PARTLY_GRANTED)
    case.decisions.append(partly)
    case.decision_notices.append(
        DecisionNotice(decision_ids=[partly.id], sent_on=date(2026, 11, 20), notified_on=date(2026, 11, 24)))
    outline = build_beslutsmeddelande(case, person, _ref(), today=TODAY, decision_ids=[partly.id])
    texts = list(outline.texts())
    assert [s.heading for s in outline.sections] == ["Beslut", "Hur du överklagar", "Frågeformulär"]
    assert any("inom 3 veckor från den dag du fick del av beslutet" in t for t in texts)
    assert "Enligt 44–47 §§ förvaltningslagen (2017:900)." in texts
    assert "2026-11-20" in texts and "2026-11-24" in texts
    assert "2026-12-15" in texts  # three weeks from the delgivning, not from the day it was sent
    assert "Delvis bifall" in texts


def test_the_appeal_days_stand_once_for_the_decisions_that_share_them_and_name_them_when_they_differ() -> None:
    """s35-probedocs: the days were printed three rows a decision, its name in each label."""
    person, case = _follow_up_case()
    shared = [_decision(DecisionOutcome.REFUSED, insats=name) for name in ("inköp", "städning")]
    later = _decision(DecisionOutcome.PARTLY_GRANTED, insats="ledsagning")
    case.decisions += [*shared, later]
    case.decision_notices += [
        DecisionNotice(decision_ids=[d.id for d in shared], sent_on=date(2026, 11, 20), notified_on=date(2026, 11, 24)),
        DecisionNotice(decision_ids=[later.id], sent_on=date(2026, 11, 21))]
    appeal = build_beslutsmeddelande(case, person, _ref(), today=TODAY,
                                     decision_ids=[d.id for d in (*shared, later)]).sections[1]
    blocks = [b.rows for b in appeal.blocks if isinstance(b, KeyValueRows)]
    assert blocks == [
        (("Gäller besluten om", "inköp, städning"), ("Skickat", "2026-11-20"), ("Delgivet", "2026-11-24"),
         ("Sista dag att överklaga", "2026-12-15")),
        (("Gäller beslutet om", "ledsagning"), ("Skickat", "2026-11-21")),
    ]
    alone = build_beslutsmeddelande(case, person, _ref(), today=TODAY, decision_ids=[d.id for d in shared])
    assert [b.rows for b in alone.sections[1].blocks if isinstance(b, KeyValueRows)] == [
        (("Skickat", "2026-11-20"), ("Delgivet", "2026-11-24"), ("Sista dag att överklaga", "2026-12-15"))]
    # One made after the notice was typed has no day: not named over nothing (s35-rui: a lone "Gäller beslutet om").
    unsent = _decision(DecisionOutcome.REFUSED, insats="dagverksamhet")
    case.decisions.append(unsent)
    with_unsent = build_beslutsmeddelande(case, person, _ref(), today=TODAY,
                                          decision_ids=[d.id for d in (*shared, unsent)])
    assert [b.rows for b in with_unsent.sections[1].blocks if isinstance(b, KeyValueRows)] == [
        (("Gäller besluten om", "inköp, städning"), ("Skickat", "2026-11-20"), ("Delgivet", "2026-11-24"),
         ("Sista dag att överklaga", "2026-12-15"))]


def test_a_beslutsmeddelande_granting_everything_has_no_appeal_instructions() -> None:
    person, case = _follow_up_case()
    texts = list(build_beslutsmeddelande(case, person, _ref(), today=TODAY).texts())
    assert not any("överklaga det" in t for t in texts)
    assert "Beslutet går dig inte emot; det behöver inte överklagas." in texts


def test_the_appeal_period_counts_from_when_the_person_took_part_of_the_decision() -> None:
    sent = DecisionNotice(decision_ids=["d1"], sent_on=date(2026, 11, 20))
    assert appeal_deadline_for([sent], "d1", 3) is None  # not yet taken part of: the period has not started
    sent.notified_on = date(2026, 11, 25)
    assert appeal_deadline_for([sent], "d1", 3) == date(2026, 12, 16)
    resent = DecisionNotice(decision_ids=["d1"], sent_on=date(2026, 12, 1), notified_on=date(2026, 12, 2))
    assert appeal_deadline_for([sent, resent], "d1", 3) == date(2026, 12, 23)
    assert appeal_deadline_for([sent], "other", 3) is None


def test_the_person_cannot_take_part_of_a_decision_before_it_was_sent() -> None:
    with pytest.raises(ValidationError):
        DecisionNotice(decision_ids=["d1"], sent_on=date(2026, 11, 20), notified_on=date(2026, 11, 19))


def test_a_document_for_another_person_is_refused() -> None:
    people, cases = demo_cases(TODAY)
    with pytest.raises(PersonNotInCase):
        build_bestallning(cases[2], people[1], _ref(), today=TODAY)
    with pytest.raises(PersonNotInCase):
        build_beslutsmeddelande(cases[2], people[1], _ref(), today=TODAY)


def _ref() -> ReferenceData:
    from ibic.reference import load_reference_data

    return load_reference_data()


def test_a_decision_replaced_by_one_in_force_is_left_out_of_the_uppdrag() -> None:
    """The central system replaced the rambeslut (``replaces_decision_id``): main printed both in the uppdrag."""
    person, case = _follow_up_case()
    old = case.decisions[0]
    successor = Decision(**{**old.model_dump(exclude={"id"}), "scope": {**old.scope.model_dump(), "amount": 120},
                            "starts_on": date(2026, 11, 1), "ends_on": None, "replaces_decision_id": old.id})
    case.decisions.append(successor)
    texts = list(build_bestallning(case, person, _ref(), today=TODAY).texts())
    assert "120 timmar per månad" in texts and "104 timmar per månad" not in texts
    assert case.decisions_in_force(date(2026, 10, 31)) == [old], "in force until the successor starts"


def test_a_successor_made_yesterday_to_start_next_month_is_in_the_uppdrag_and_the_beslutsmeddelande() -> None:
    """Never in force today and not made today: main left it out of both documents, so neither could be sent for
    it before it started (s25-probe). The old decision is still in force, and in the uppdrag beside it, until then;
    not in the beslutsmeddelande, which tells of the decisions just made (s25-rprobe)."""
    person, case = _follow_up_case()
    old = case.decisions[0]
    successor = Decision(**{**old.model_dump(exclude={"id"}), "scope": {**old.scope.model_dump(), "amount": 120},
                            "decided_on": date(2026, 11, 22), "starts_on": date(2026, 12, 1), "ends_on": None,
                            "replaces_decision_id": old.id})
    case.decisions.append(successor)
    order = list(build_bestallning(case, person, _ref(), today=TODAY).texts())
    assert "120 timmar per månad" in order and "104 timmar per månad" in order
    notice = list(build_beslutsmeddelande(case, person, _ref(), today=TODAY).texts())
    assert "Från 2026-12-01, tills vidare" in notice and "104 timmar per månad" not in notice


def test_the_beslutsmeddelande_names_the_satisfaction_form_unless_the_municipality_sends_none() -> None:
    """Seed 004 (mål 5): the form goes with every beslutsmeddelande; rules.toml's text may be emptied."""
    person, case = _follow_up_case()
    ref = _ref()
    texts = list(build_beslutsmeddelande(case, person, ref, today=TODAY).texts())
    assert "Frågeformulär" in texts and ref.rules.documents.satisfaction_form_sv in texts
    rules = ref.rules.model_copy(update={"documents": DocumentRules(satisfaction_form_sv=" ")})
    without = list(build_beslutsmeddelande(case, person, ref.model_copy(update={"rules": rules}), today=TODAY).texts())
    assert "Frågeformulär" not in without
