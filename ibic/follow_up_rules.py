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
from ibic.consent import ContactPermission, ContactTarget, in_force, refused_later, standing_refusals
from ibic.decisions import Decision
from ibic.follow_up import FOUR_QUESTIONS, FollowUp
from ibic.messages import Message, message
from ibic.notices import sent_before_decided
from ibic.reference import ReferenceData
from ibic.vocabulary import ConsentRecipient, DecisionForm

FRAME_QUESTION = message("Is a rambeslut still the right form of decision for the person?")
FRAME_TIME_QUESTION = message("Can the person's needs be met within the time assessed for bistånd?")


def four_answers(follow_up: FollowUp) -> tuple[str, str, str, str]:
    return (follow_up.how_best_done, follow_up.how_person_wants_it, follow_up.whom_person_wants_present,
            follow_up.others_needed)


def has_substance(follow_up: FollowUp) -> bool:
    """An answer to at least one of the four questions, or a time comparison."""
    return any(answer.strip() for answer in four_answers(follow_up)) or bool(follow_up.time_comparisons)


def is_done(follow_up: FollowUp) -> bool:
    """Held and recorded: what internal control and the workspace count as a follow-up made."""
    return follow_up.done_on is not None and has_substance(follow_up)


def is_made_by(follow_up: FollowUp, day: date) -> bool:
    """Made (``is_done``) and held by ``day``: a done date after it is the planned day typed ahead, not yet held."""
    return is_done(follow_up) and follow_up.done_on is not None and follow_up.done_on <= day


def followed_decisions(case: Case, follow_up: FollowUp) -> list[Decision]:
    return [d for d in case.decisions if d.id in follow_up.decision_ids]


def done_before_decided(case: Case, follow_up: FollowUp, done_on: date | None) -> date | None:
    """The day the last followed decision was made, when ``done_on`` comes before it: a follow-up of a decision not
    yet made is a typing mistake ("2025" for "2026"), which the page took without a word (s28-probe)."""
    return None if done_on is None else sent_before_decided(followed_decisions(case, follow_up), done_on)


def is_frame_follow_up(case: Case, follow_up: FollowUp) -> bool:
    return any(d.scope.form == DecisionForm.FRAME for d in followed_decisions(case, follow_up))


def follow_up_questions(case: Case, follow_up: FollowUp) -> tuple[Message, ...]:
    """What the socialsekreterare takes a position on: the four questions, and for a rambeslut two more."""
    if is_frame_follow_up(case, follow_up):
        return (*FOUR_QUESTIONS, FRAME_TIME_QUESTION, FRAME_QUESTION)
    return FOUR_QUESTIONS


@dataclass(frozen=True)
class ChangedNeedsRoute:
    """Who tells the socialsekreterare that the needs have changed, and where the time's distribution is found."""

    first_contact: Literal["person", "provider"]
    text: Message
    time_distribution: Message

    @property
    def text_sv(self) -> str:
        return self.text.sv

    @property
    def time_distribution_sv(self) -> str:
        return self.time_distribution.sv


def changed_needs_route(form: DecisionForm) -> ChangedNeedsRoute:
    """Seed 002: with a rambeslut the utförare first encourages the person to call, and calls only if the person does
    not; with an insatsbeslut the utförare contacts the socialsekreterare itself."""
    if form == DecisionForm.FRAME:
        return ChangedNeedsRoute(
            "person",
            message("Rambeslut: the utförare first encourages the person to contact the socialsekreterare; if the"
                    " person does not, the utförare contacts the socialsekreterare."),
            message("How the time was distributed is shown in the genomförandeplan."),
        )
    return ChangedNeedsRoute(
        "provider",
        message("Insatsbeslut: the utförare contacts the socialsekreterare itself."),
        message("How the time was distributed is obtained from the utförare."),
    )


def provider_material_permission(case: Case, follow_up: FollowUp, ref: ReferenceData, on: date) -> ContactPermission:
    """May the chosen utförare's material be noted at this follow-up? Unlisted utförare count as private."""
    provider = ref.provider(case.chosen_provider)
    if provider is not None and provider.regi == "municipal":
        return ContactPermission(True, message("Municipal utförare: the material may be read without consent."))
    day = follow_up.done_on or on
    target = ContactTarget(ConsentRecipient.PROVIDER, case.chosen_provider)
    # Seed 002: "Om den enskilde inte samtycker ska socialsekreteraren meddelas detta": the no, once recorded, is why.
    refused = [r for r in standing_refusals(case.consents, day) if r.matches(target)]
    if refused:
        return ContactPermission(False, message(
            "The person said no %1 to the utförare's material being read: it may not be noted.",
            max(r.given_on for r in refused)))
    consent = next((c for c in case.consents if c.id == follow_up.provider_consent_id), None)
    if consent is None:
        return ContactPermission(
            False, message("Private utförare: the person's consent is needed before the utförare's material is"
                           " noted."))
    if not consent.matches(target) or not in_force(case.consents, consent, day):  # nor one a later no ended
        return ContactPermission(
            False, message("The consent does not cover the utförare that day: the material may not be noted."))
    if consent.scope.strip():
        # A consent the person limited ("endast genomförandeplanen") covers that much: said where the material is
        # noted, as on the case step's list (s30-probe: the page said "samtycke 2026-…" and no more).
        return ContactPermission(True, message("Private utförare: consent %1, covering: %2.", consent.given_on,
                                               consent.scope.strip()), consent.id)
    return ContactPermission(True, message("Private utförare: consent %1.", consent.given_on), consent.id)


def provider_view_shareable(case: Case, follow_up: FollowUp, ref: ReferenceData, on: date) -> ContactPermission:
    """May the utförare's view noted at the follow-up be shared in a document made ``on``? Noted under the rule of
    the follow-up's day (``provider_material_permission``), and, when that rested on a consent the person withdrew or
    answered with a no since, not shared after that: the person's own decision covers what is handed on from then
    (domain notes, "a withdrawal is the person's own decision"). A print made after the withdrawal printed the view
    given under the consent (s31-report)."""
    noted = provider_material_permission(case, follow_up, ref, on)
    held = follow_up.done_on
    consent = next((c for c in case.consents if c.id == noted.consent_id), None)
    if not noted.allowed or consent is None or held is None or on <= held:
        return noted
    if consent.withdrawn_on is not None and consent.withdrawn_on <= on:
        return ContactPermission(False, message(
            "The person withdrew the consent %1, after the follow-up: the utförare's view is not shared in a"
            " document made since.", consent.withdrawn_on))
    target = ContactTarget(ConsentRecipient.PROVIDER, case.chosen_provider)
    refusals = [r for r in standing_refusals(case.consents, on) if r.matches(target)]
    later = refused_later(case.consents, consent, on)
    if later is not None or refusals:
        said = max(r.given_on for r in ([later] if later is not None else []) + refusals)
        return ContactPermission(False, message(
            "The person said no %1 to the utförare, after the follow-up: the utförare's view is not shared in a"
            " document made since.", said))
    return noted


def follow_up_findings(case: Case, ref: ReferenceData, today: date) -> list[Finding]:
    """What keeps each held follow-up from counting, in the order the follow-ups were recorded."""
    out: list[Finding] = []
    for follow_up in case.follow_ups:
        if follow_up.done_on is None:
            continue
        day = follow_up.done_on.isoformat()
        if not has_substance(follow_up):
            out.append(Finding("follow_up_empty", "follow_up",
                               message("The follow-up %1 has no answers to the four questions and no comparison of"
                                       " granted and performed time: it does not count as done.", day),
                               item_id=follow_up.id))
        if is_frame_follow_up(case, follow_up) and follow_up.frame_still_right_form is None:
            out.append(Finding("frame_form_unanswered", "follow_up",
                               message("The follow-up %1: decide whether a rambeslut is still the right form of"
                                       " decision.", day),
                               field="frame_still_right_form", item_id=follow_up.id))
        if follow_up.provider_view.strip() and not provider_material_permission(case, follow_up, ref, today).allowed:
            out.append(Finding("provider_material_without_consent", "follow_up",
                               message("The follow-up %1: the utförare's material is noted without the person's"
                                       " consent (private utförare).", day),
                               field="provider_consent_id", item_id=follow_up.id))
    return out
