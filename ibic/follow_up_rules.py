"""Rules of the follow-up that depend on the decision form, the utförare and what was recorded (seed 002).

- A follow-up counts as done only when it was held (``done_on``) and recorded something of substance: an answer to
  one of the four questions or a comparison of granted and performed time (issue 13, point 6).
- Rambeslut or insatsbeslut decide who brings changed needs to the socialsekreterare, where the distribution of the
  time is found, and whether the follow-up must ask if a rambeslut is still the right form (point 5).
- A private utförare's material (genomförandeplan, genomförandejournal, its view) may be noted only with the
  person's consent; the municipality's own hemtjänst needs none (point 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from ibic.cases import Case
from ibic.completeness import Finding
from ibic.consent import ContactPermission, ContactTarget
from ibic.decisions import Decision
from ibic.follow_up import FOUR_QUESTIONS_SV, FollowUp
from ibic.reference import ReferenceData
from ibic.vocabulary import ConsentRecipient, DecisionForm

FRAME_QUESTION_SV = "Är rambeslut fortfarande rätt beslutsform för den enskilde?"
FRAME_TIME_QUESTION_SV = "Kan den enskildes behov tillgodoses inom den biståndsbedömda tiden?"


def four_answers(follow_up: FollowUp) -> tuple[str, str, str, str]:
    return (follow_up.how_best_done, follow_up.how_person_wants_it, follow_up.whom_person_wants_present,
            follow_up.others_needed)


def has_substance(follow_up: FollowUp) -> bool:
    """An answer to at least one of the four questions, or a time comparison."""
    return any(answer.strip() for answer in four_answers(follow_up)) or bool(follow_up.time_comparisons)


def is_done(follow_up: FollowUp) -> bool:
    """Held and recorded: what internal control and the workspace count as a follow-up made."""
    return follow_up.done_on is not None and has_substance(follow_up)


def followed_decisions(case: Case, follow_up: FollowUp) -> list[Decision]:
    return [d for d in case.decisions if d.id in follow_up.decision_ids]


def is_frame_follow_up(case: Case, follow_up: FollowUp) -> bool:
    return any(d.scope.form == DecisionForm.FRAME for d in followed_decisions(case, follow_up))


def follow_up_questions(case: Case, follow_up: FollowUp) -> tuple[str, ...]:
    """What the socialsekreterare takes a position on: the four questions, and for a rambeslut two more."""
    if is_frame_follow_up(case, follow_up):
        return (*FOUR_QUESTIONS_SV, FRAME_TIME_QUESTION_SV, FRAME_QUESTION_SV)
    return FOUR_QUESTIONS_SV


@dataclass(frozen=True)
class ChangedNeedsRoute:
    """Who tells the socialsekreterare that the needs have changed, and where the time's distribution is found."""

    first_contact: Literal["person", "provider"]
    text_sv: str
    time_distribution_sv: str


def changed_needs_route(form: DecisionForm) -> ChangedNeedsRoute:
    """Seed 002: with a rambeslut the utförare first encourages the person to call, and calls only if the person does
    not; with an insatsbeslut the utförare contacts the socialsekreterare itself."""
    if form == DecisionForm.FRAME:
        return ChangedNeedsRoute(
            "person",
            "Rambeslut: utföraren uppmuntrar i första hand den enskilde att kontakta socialsekreteraren; gör den "
            "enskilde inte det kontaktar utföraren socialsekreteraren.",
            "Hur tiden fördelats framgår av genomförandeplanen.",
        )
    return ChangedNeedsRoute(
        "provider",
        "Insatsbeslut: utföraren kontaktar själv socialsekreteraren.",
        "Hur tiden fördelats inhämtas från utföraren.",
    )


def provider_material_permission(case: Case, follow_up: FollowUp, ref: ReferenceData, on: date) -> ContactPermission:
    """May the chosen utförare's material be noted at this follow-up? Unlisted utförare count as private."""
    provider = ref.provider(case.chosen_provider)
    if provider is not None and provider.regi == "municipal":
        return ContactPermission(True, "Kommunal utförare: underlaget får tas del av utan samtycke.")
    consent = next((c for c in case.consents if c.id == follow_up.provider_consent_id), None)
    if consent is None:
        return ContactPermission(
            False, "Privat utförare: den enskildes samtycke krävs innan utförarens underlag antecknas.")
    day = follow_up.done_on or on
    target = ContactTarget(ConsentRecipient.PROVIDER, case.chosen_provider)
    if not consent.matches(target) or not consent.active_on(day):
        return ContactPermission(
            False, "Samtycket gäller inte utföraren den dagen: underlaget får inte antecknas.")
    return ContactPermission(True, f"Privat utförare: samtycke {consent.given_on.isoformat()}.", consent.id)


def follow_up_findings(case: Case, ref: ReferenceData, today: date) -> list[Finding]:
    """What keeps each held follow-up from counting, in the order the follow-ups were recorded."""
    out: list[Finding] = []
    for follow_up in case.follow_ups:
        if follow_up.done_on is None:
            continue
        day = follow_up.done_on.isoformat()
        if not has_substance(follow_up):
            out.append(Finding("follow_up_empty", "follow_up",
                               f"Uppföljningen {day} saknar svar på de fyra frågorna och jämförelse av beviljad och "
                               "utförd tid: den räknas inte som gjord.", item_id=follow_up.id))
        if is_frame_follow_up(case, follow_up) and follow_up.frame_still_right_form is None:
            out.append(Finding("frame_form_unanswered", "follow_up",
                               f"Uppföljningen {day}: ta ställning till om rambeslut fortfarande är rätt beslutsform.",
                               field="frame_still_right_form", item_id=follow_up.id))
        if follow_up.provider_view.strip() and not provider_material_permission(case, follow_up, ref, today).allowed:
            out.append(Finding("provider_material_without_consent", "follow_up",
                               f"Uppföljningen {day}: utförarens underlag är antecknat utan den enskildes samtycke "
                               "(privat utförare).", field="provider_consent_id", item_id=follow_up.id))
    return out
