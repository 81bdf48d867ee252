"""Follow-up rules in seed 002's terms: an empty follow-up is not done, rambeslut vs insatsbeslut, private utförare."""

from __future__ import annotations

from datetime import date, timedelta

from ibic.cases import Case
from ibic.consent import Consent
from ibic.decisions import Decision, FrozenScope
from ibic.follow_up import FOUR_QUESTIONS, FollowUp, GoalResult, TimeComparison
from ibic.follow_up_rules import (
    FRAME_QUESTION,
    changed_needs_route,
    follow_up_findings,
    follow_up_questions,
    has_substance,
    is_concluded_by,
    is_done,
    provider_consent_ended,
    provider_material_permission,
)
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.vocabulary import (
    ConsentForm,
    ConsentRecipient,
    DecisionForm,
    DecisionOutcome,
    FollowUpOutcome,
    GoalAttainment,
)
from ibic.workflow import Step, follow_up_state, workspace_flow

DAY = date(2026, 11, 23)
PRIVATE, MUNICIPAL = "Hemtjänst Demo AB", "Kommunens hemtjänst"


def _decision(form: DecisionForm = DecisionForm.PER_INSATS) -> Decision:
    return Decision(proposal_id="p1", insats_id="omvardnad", insats_text="hemtjänst – omvårdnad",
                    outcome=DecisionOutcome.GRANTED, scope=FrozenScope(amount=60, form=form),
                    starts_on=date(2026, 1, 1), ends_on=None, law_reference_id="sol2025_11_1", motivation="Behov.",
                    decided_on=date(2026, 1, 1), decided_by="Handläggare")


def _case(decision: Decision, follow_up: FollowUp, provider: str = PRIVATE, consents: list[Consent] | None = None,
          person_id: str = "p") -> Case:
    return Case(person_id=person_id, opened_on=date(2025, 12, 1), chosen_provider=provider, decisions=[decision],
                follow_ups=[follow_up], consents=consents or [])


def _held(decision: Decision, **values: object) -> FollowUp:
    return FollowUp.model_validate({"decision_ids": [decision.id], "done_on": DAY, **values})


def test_a_held_follow_up_without_answers_or_time_comparison_is_not_done(ref: ReferenceData) -> None:
    decision = _decision()
    empty = _held(decision, outcome=FollowUpOutcome.CONTINUE_UNCHANGED)
    case = _case(decision, empty)
    assert not is_done(empty)
    assert follow_up_state(case, DAY).value == "in_progress"
    [finding] = follow_up_findings(case, ref, DAY)
    assert finding.code == "follow_up_empty" and finding.step == "follow_up"
    assert "räknas inte som gjord" in finding.text_sv


def test_one_answer_or_a_time_comparison_makes_it_done() -> None:
    decision = _decision()
    answered = _held(decision, how_person_wants_it="Hemma.", outcome=FollowUpOutcome.CONTINUE_UNCHANGED)
    compared = _held(decision, time_comparisons=[TimeComparison(granted_minutes=600, performed_minutes=590)],
                     outcome=FollowUpOutcome.CONTINUE_UNCHANGED)
    assert is_done(answered) and is_done(compared)
    assert follow_up_state(_case(decision, answered), DAY).value == "done"


def test_a_follow_up_dated_ahead_of_today_is_not_shown_done() -> None:
    """Answered, with an outcome, its done date typed ahead: the step is under way, as its print is UTKAST."""
    decision = _decision()
    ahead = _held(decision, how_person_wants_it="Hemma.", outcome=FollowUpOutcome.CONTINUE_UNCHANGED)
    case = _case(decision, ahead)
    assert follow_up_state(case, DAY - timedelta(days=1)).value == "in_progress"
    assert follow_up_state(case, DAY).value == "done"


def test_the_kontroll_step_of_the_workspace_counts_the_empty_follow_up(tolvan: Person, ref: ReferenceData) -> None:
    decision = _decision()
    case = _case(decision, _held(decision), person_id=tolvan.id)
    flow = workspace_flow(case, tolvan, ref, DAY)
    assert "follow_up_empty" in [f.code for f in flow.findings]
    check = next(view for view in flow.steps if view.step == Step.CHECK)
    assert check.findings == len(flow.findings)


def test_a_rambeslut_follow_up_asks_whether_rambeslut_is_still_the_right_form(ref: ReferenceData) -> None:
    frame = _decision(DecisionForm.FRAME)
    follow_up = _held(frame, how_best_done="Hembesök.")
    case = _case(frame, follow_up, provider=MUNICIPAL)
    assert follow_up_questions(case, follow_up)[:4] == FOUR_QUESTIONS
    assert follow_up_questions(case, follow_up)[-1] == FRAME_QUESTION
    assert [f.code for f in follow_up_findings(case, ref, DAY)] == ["frame_form_unanswered"]
    follow_up.frame_still_right_form = True
    assert follow_up_findings(case, ref, DAY) == []


def test_an_insatsbeslut_follow_up_does_not_ask_the_rambeslut_question(ref: ReferenceData) -> None:
    decision = _decision()
    follow_up = _held(decision, how_best_done="Hembesök.")
    case = _case(decision, follow_up, provider=MUNICIPAL)
    assert follow_up_questions(case, follow_up) == FOUR_QUESTIONS
    assert follow_up_findings(case, ref, DAY) == []


def test_who_contacts_the_socialsekreterare_depends_on_the_decision_form() -> None:
    frame, per_insats = changed_needs_route(DecisionForm.FRAME), changed_needs_route(DecisionForm.PER_INSATS)
    assert frame.first_contact == "person" and "uppmuntrar i första hand den enskilde" in frame.text_sv
    assert "genomförandeplanen" in frame.time_distribution_sv
    assert per_insats.first_contact == "provider" and "utföraren kontaktar själv" in per_insats.text_sv
    assert "inhämtas från utföraren" in per_insats.time_distribution_sv


def _provider_consent(given_on: date = date(2026, 11, 1), name: str = PRIVATE) -> Consent:
    return Consent(recipient=ConsentRecipient.PROVIDER, recipient_name=name, form=ConsentForm.WRITTEN,
                   given_on=given_on)


def test_a_private_utforares_material_needs_the_persons_consent(ref: ReferenceData) -> None:
    decision = _decision()
    follow_up = _held(decision, how_best_done="Hembesök.", provider_view="Genomförandeplanen följs.")
    case = _case(decision, follow_up)
    answer = provider_material_permission(case, follow_up, ref, DAY)
    assert not answer.allowed and "samtycke krävs" in answer.reason_sv
    assert [f.code for f in follow_up_findings(case, ref, DAY)] == ["provider_material_without_consent"]


def test_the_provider_consent_id_is_checked_not_only_present(ref: ReferenceData) -> None:
    decision = _decision()
    late = _provider_consent(given_on=date(2026, 11, 30))
    other = _provider_consent(name="Annan Omsorg AB")
    relative = Consent(recipient=ConsentRecipient.RELATIVE, form=ConsentForm.ORAL, given_on=date(2026, 1, 1))
    for consent in (late, other, relative):
        follow_up = _held(decision, how_best_done="Hembesök.", provider_view="Underlag.",
                          provider_consent_id=consent.id)
        case = _case(decision, follow_up, consents=[consent])
        assert not provider_material_permission(case, follow_up, ref, DAY).allowed, consent
    good = _provider_consent()
    follow_up = _held(decision, how_best_done="Hembesök.", provider_view="Underlag.", provider_consent_id=good.id)
    case = _case(decision, follow_up, consents=[good])
    answer = provider_material_permission(case, follow_up, ref, DAY)
    assert answer.allowed and answer.consent_id == good.id
    assert follow_up_findings(case, ref, DAY) == []


def test_a_limited_consent_says_what_it_covers(ref: ReferenceData) -> None:
    """Consent is recorded with what it covers: the rule says it where the material is noted (s30-probe)."""
    decision = _decision()
    limited = _provider_consent().model_copy(update={"scope": " endast genomförandeplanen "})
    follow_up = _held(decision, how_best_done="Hembesök.", provider_consent_id=limited.id)
    answer = provider_material_permission(_case(decision, follow_up, consents=[limited]), follow_up, ref, DAY)
    assert answer.allowed
    assert answer.reason_sv == f"Privat utförare: samtycke {limited.given_on}, som omfattar: endast genomförandeplanen."


def test_the_municipal_hemtjanst_material_needs_no_consent_and_an_unlisted_utforare_counts_as_private(
    ref: ReferenceData,
) -> None:
    decision = _decision()
    follow_up = _held(decision, how_best_done="Hembesök.", provider_view="Underlag.")
    assert provider_material_permission(_case(decision, follow_up, provider="kommunens  HEMTJÄNST"), follow_up, ref,
                                        DAY).allowed
    assert not provider_material_permission(_case(decision, follow_up, provider="Okänd Omsorg AB"), follow_up, ref,
                                            DAY).allowed


def test_the_utforares_view_is_printed_with_a_line_once_the_consent_was_withdrawn_or_refused_since(
    ref: ReferenceData,
) -> None:
    """A view noted on the follow-up's day on a consent in force stays in a document made after the consent was
    withdrawn, or after a no to the utförare: a line under it says so, and that it was obtained while the consent was
    in force (s31-report2; records are never changed, only superseded). A municipal utförare needs no consent."""
    consent = Consent(recipient=ConsentRecipient.PROVIDER, recipient_name=PRIVATE, form=ConsentForm.WRITTEN,
                      given_on=date(2026, 10, 1))
    follow_up = FollowUp(decision_ids=[], done_on=DAY, provider_consent_id=consent.id, provider_view="Bra.")
    case = _case(_decision(), follow_up, consents=[consent])
    later = date(2026, 12, 7)
    assert provider_consent_ended(case, follow_up, ref, later) is None, "the consent stands"
    consent.withdrawn_on = date(2026, 12, 1)
    assert provider_material_permission(case, follow_up, ref, later).allowed, "noted while it was in force"
    assert provider_consent_ended(case, follow_up, ref, date(2026, 11, 30)) is None, "before the withdrawal"
    withdrawn = provider_consent_ended(case, follow_up, ref, later)
    assert withdrawn is not None and withdrawn.sv == (
        "Den enskilde återkallade samtycket 2026-12-01, efter uppföljningen; utförarens synpunkter inhämtades medan "
        "samtycket gällde.")
    consent.withdrawn_on = None
    case.consents.append(Consent(recipient=ConsentRecipient.PROVIDER, recipient_name=PRIVATE,
                                 form=ConsentForm.ORAL, given=False, given_on=date(2026, 12, 2)))
    refused = provider_consent_ended(case, follow_up, ref, later)
    assert refused is not None and refused.sv.startswith("Den enskilde sade nej till utföraren 2026-12-02, efter")
    municipal = _case(_decision(), follow_up, provider=MUNICIPAL, consents=case.consents)
    assert provider_consent_ended(municipal, follow_up, ref, later) is None


def test_what_a_follow_up_measured_makes_it_done_the_continuity_and_goals_too() -> None:
    """Seed 003's continuity (staff in 14 days, a named fast omsorgskontakt) and a goal assessed are what the
    follow-up measured: the continuity and goal reports count it (s31-report2: such a follow-up was dropped from the
    figures it recorded). The goals a follow-up starts with, the utredning's, not yet assessed, are not."""
    decision = _decision()
    for values in ({"staff_count_14_days": 0}, {"named_care_contact": "Fast kontakt"},
                   {"goal_results": [GoalResult(goal="Duscha", attainment=GoalAttainment.ACHIEVED)]},
                   {"goal_results": [GoalResult(goal="Duscha", comment="Inte bedömt än, men sagt: går bättre.")]}):
        assert has_substance(_held(decision, **values)) and is_done(_held(decision, **values)), values
    assert not has_substance(_held(decision, goal_results=[GoalResult(goal="Duscha")], named_care_contact="  "))


def test_the_record_is_concluded_once_made_by_the_day_and_its_outcome_recorded() -> None:
    decision = _decision()
    made = _held(decision, how_best_done="Hembesök.")
    assert not is_concluded_by(made, DAY), "made, no outcome: still being written"
    concluded = made.model_copy(update={"outcome": FollowUpOutcome.CONTINUE_UNCHANGED})
    assert is_concluded_by(concluded, DAY)
    assert not is_concluded_by(concluded, date(2026, 11, 22)), "a done date after the print's day: planned"
