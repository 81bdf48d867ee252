"""Rules of the follow-up that depend on the decision form, the utförare and what was recorded (seed 002).

- A follow-up counts as done only when it was held (``done_on``) and recorded something it measured: an answer to
  one of the four questions, a comparison of granted and performed time, the continuity (staff in 14 days, a named
  fast omsorgskontakt) or a goal assessed (issue 13, point 6).
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
from ibic.vocabulary import ConsentRecipient, DecisionForm, ScopeUnit

HOUR_UNITS = (ScopeUnit.HOURS_PER_MONTH, ScopeUnit.HOURS_PER_WEEK, ScopeUnit.HOURS_PER_YEAR)
FRAME_QUESTION = message("Is a rambeslut still the right form of decision for the person?")
FRAME_TIME_QUESTION = message("Can the person's needs be met within the time assessed for bistånd?")


def four_answers(follow_up: FollowUp) -> tuple[str, str, str, str]:
    return (follow_up.how_best_done, follow_up.how_person_wants_it, follow_up.whom_person_wants_present,
            follow_up.others_needed)


def has_substance(follow_up: FollowUp) -> bool:
    """Something the follow-up measured: an answer to one of the four questions, a time comparison, the continuity
    (staff in 14 days, a named fast omsorgskontakt: seed 003) or a goal assessed (its attainment or a comment; the goals
    a follow-up starts with are the utredning's, not yet assessed). The continuity and goal reports count a follow-up
    made, so one that measured only those was dropped from the very figures it recorded (s31-report2)."""
    return (any(answer.strip() for answer in four_answers(follow_up)) or bool(follow_up.time_comparisons)
            or follow_up.staff_count_14_days is not None or bool(follow_up.named_care_contact.strip())
            or any(g.attainment is not None or g.comment.strip() for g in follow_up.goal_results))


def is_made_by(follow_up: FollowUp, day: date) -> bool:
    """Held by ``day`` and recorded: a done date after it is the planned day typed ahead, not yet held. The one rule
    of a follow-up made: Att göra (``deadlines.followed_on``), the reports (``Caseload.made_in_period``), the print."""
    return follow_up.done_on is not None and follow_up.done_on <= day and has_substance(follow_up)


def is_done(follow_up: FollowUp) -> bool:
    """Held and recorded, whenever: what Kontroll and the workspace count as a follow-up made."""
    return is_made_by(follow_up, date.max)


def is_concluded_by(follow_up: FollowUp, day: date) -> bool:
    """Made by ``day`` (``is_made_by``) with its outcome recorded: the uppföljning is then the record of what was
    done and prints without UTKAST; one made but without an outcome is still being written."""
    return is_made_by(follow_up, day) and follow_up.outcome is not None


def followed_decisions(case: Case, follow_up: FollowUp) -> list[Decision]:
    return [d for d in case.decisions if d.id in follow_up.decision_ids]


def time_compared_for(case: Case, follow_up: FollowUp) -> str | None:
    """The decision whose granted and performed time the follow-up compares: the one followed decision measured in
    hours; None, all of those followed ("Alla beslut"), when several are (the utförare reports the time they share) or
    none is. The first decision followed was taken: a trygghetslarm decided before the hemtjänst it is followed with
    printed "trygghetslarm | 104 tim | 92 tim" (s34-probe)."""
    in_hours = [d.id for d in followed_decisions(case, follow_up) if d.scope.unit in HOUR_UNITS]
    return in_hours[0] if len(in_hours) == 1 else None


def done_after_today(done_on: date | None, today: date) -> Message | None:
    """Why a follow-up cannot be recorded as done on ``done_on`` after today (None: it can): a follow-up held is
    something that has happened, as a consent answered or an application received (``case_actions``). The page took
    the planned day typed ahead; the list then named it done and the record printed "Uppföljningen gjordes" a day to
    come (s34-probe). A stored day ahead, from before, still counts as not yet held (``is_made_by``)."""
    if done_on is not None and done_on > today:
        return message("The follow-up cannot have been done after today (%1).", today)
    return None


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
    """May the chosen utförare's material be noted at this follow-up? Unlisted utförare count as private; with none
    chosen there is no utförare's material (the record said a private utförare's consent was needed, s34-probe)."""
    if not case.chosen_provider.strip():
        return ContactPermission(False, message("No utförare is chosen for the case: there is no utförare's material"
                                                " to note."))
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


def provider_consent_ended(case: Case, follow_up: FollowUp, ref: ReferenceData, on: date, *,
                           permission: ContactPermission | None = None) -> Message | None:
    """The line under the utförare's view in a document made ``on``, when the consent it was noted on
    (``provider_material_permission``, the caller's ``permission`` when it asked already) no longer stands
    (``consent.in_force``) or the person has said no to the utförare since: withdrawn or refused after the
    follow-up. The view is printed all the same: it was obtained while the consent was in force, and a record is
    never changed, only superseded (domain notes); the consent governs what is obtained and shared from then on."""
    held = follow_up.done_on
    if permission is None:
        permission = provider_material_permission(case, follow_up, ref, on)
    consent = next((c for c in case.consents if c.id == permission.consent_id), None)
    if consent is None or held is None or on < held:  # a print before the follow-up's day: nothing after it yet
        return None
    target = ContactTarget(ConsentRecipient.PROVIDER, case.chosen_provider)
    refusals = [r for r in standing_refusals(case.consents, on) if r.matches(target)]
    if in_force(case.consents, consent, on) and not refusals:
        return None
    if consent.withdrawn_on is not None and consent.withdrawn_on <= on:
        return message("The person withdrew the consent %1, after the follow-up; the utförare's view was obtained while"
                       " it was in force.", consent.withdrawn_on)
    later = refused_later(case.consents, consent, on)
    said = max((r.given_on for r in [*refusals, *([] if later is None else [later])]), default=None)
    if said is None:
        return None
    return message("The person said no to the utförare %1, after the follow-up; the utförare's view was obtained while"
                   " the consent was in force.", said)


def follow_up_findings(case: Case, ref: ReferenceData, today: date) -> list[Finding]:
    """What keeps each held follow-up from counting, in the order the follow-ups were recorded."""
    out: list[Finding] = []
    for follow_up in case.follow_ups:
        if follow_up.done_on is None:
            continue
        day = follow_up.done_on.isoformat()
        if not has_substance(follow_up):
            out.append(Finding("follow_up_empty", "follow_up",
                               message("The follow-up %1 records nothing it measured (the four questions, granted and"
                                       " performed time, continuity, goals): it does not count as done.", day),
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
