"""Small actions on a case that more than one screen (and sync) need: each a plain function with a test.

Kept apart from ``cases.py`` because they bring in the reference data and follow-up models.
"""

from __future__ import annotations

from datetime import date

from ibic.cases import Case, DischargeContext, StatusChange
from ibic.consent import Consent, ContactPermission, ContactTarget, may_contact
from ibic.decisions import Decision, Proposal
from ibic.errors import RefusalNotWithdrawn
from ibic.follow_up import FollowUp, GoalResult
from ibic.investigation import Participant
from ibic.messages import Message, message
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.vocabulary import Applicant, CaseOrigin, CaseStatus, ConsentRecipient, DecisionOutcome, FollowUpTrigger


def local_case_number(case: Case) -> str:
    """A number for a case created on the laptop (L-YYYY-XXXXXX) until the central system assigns its own."""
    return f"L-{case.opened_on:%Y}-{case.id[:6].upper()}"


# Seed 001's ways a case arises that are someone else's report about the person, not a request: an orosanmälan, the
# police, a landlord's or creditor's unpaid bills. No one has applied then: under SoL the nämnd investigates on its
# own initiative what has come to its knowledge, or the person applies afterwards. A phone call, a letter, a hospital's
# notice or a move is mostly the person's (or their representative's) own request, so the person stays the default.
REPORTED_ORIGINS = frozenset({CaseOrigin.CONCERN_REPORT, CaseOrigin.UNPAID_BILLS, CaseOrigin.POLICE})


def applicant_for(origin: CaseOrigin) -> Applicant | None:
    """Who Ny ärende names as the applicant for a case arisen this way: no one for a report, until someone applies."""
    return None if origin in REPORTED_ORIGINS else Applicant.PERSON


def opened_on_problem(opened_on: date, *, born: date, today: date) -> Message | None:
    """Why a case cannot have arisen on ``opened_on`` (None: it can). An aktualisering is something that has
    happened, to a person then alive: a year mistyped (2062 for 2026) was taken, numbered the case L-2062-… and made
    Rapporter → Handläggningstider count minus 13,000 days to its decision (s32-probe)."""
    if opened_on > today:
        return message("The case cannot have arisen after today (%1).", today)
    if opened_on < born:
        return message("The case cannot have arisen before the person was born (%1).", born)
    return None


def received_on_problem(received_on: date | None, *, born: date | None, today: date) -> Message | None:
    """Why an application cannot have been received on ``received_on`` (None: it can, or no day is given): the rule
    of ``opened_on_problem`` for the day it came in. The utredning printed 2099-12-31 or 1900-01-01 (s32-probe).
    ``born`` None (a personnummer the laptop cannot read, from the central system) leaves the rule on today."""
    if received_on is None:
        return None
    if received_on > today:
        return message("The application cannot have been received after today (%1).", today)
    if born is not None and received_on < born:
        return message("The application cannot have been received before the person was born (%1).", born)
    return None


def new_case(
    person: Person, *, origin: CaseOrigin, applicant: Applicant | None, opened_on: date, caseworker: str, unit: str
) -> Case:
    """A case from an aktualisering: status aktualiserad, recorded in its history, with a local case number."""
    case = Case(
        person_id=person.id,
        origin=origin,
        applicant=applicant,
        opened_on=opened_on,
        caseworker=caseworker,
        unit=unit,
        status=CaseStatus.ACTUALISED,
        status_history=[StatusChange(status=CaseStatus.ACTUALISED, on=opened_on, by=caseworker)],
        # A case from a hospital is a discharge (seed 004: a priority): its planning is on from the start, so the
        # dates that start the SIP and payment clocks can be typed at once on the visit step, not greyed out until
        # the handläggare finds and ticks the box.
        discharge=DischargeContext() if origin == CaseOrigin.HOSPITAL else None,
    )
    case.case_number = local_case_number(case)
    return case


def ensure_proposals(case: Case, ref: ReferenceData) -> list[Proposal]:
    """One proposal per applied item, in the application's order; new ones get the insats's usual scope unit."""
    proposals = []
    for item in case.application.items:
        proposal = case.proposal_for(item.id)
        if proposal is None:
            proposal = Proposal(application_item_id=item.id, insats_id=item.insats_id)
            insats = ref.insats(item.insats_id)
            if insats is not None:
                proposal.scope.unit = insats.default_scope_unit
            case.proposals.append(proposal)
        proposals.append(proposal)
    return proposals


def consent_given_on_problem(given_on: date, today: date, born: date | None = None) -> Message | None:
    """Why a consent cannot be recorded as given (or refused) on ``given_on`` (None: it can). The person answers
    when asked, so a day ahead of today is a mistyped year: 2099-12-31 was listed and printed "Gäller" while
    ``may_contact`` held it not yet in force, and withdrawing it recorded "Återkallat 2099-12-31" (s32-probe2).
    Nor before the person was born (``born``; None when the personnummer cannot be read), the rule of
    ``received_on_problem``: 1900-01-01 for a person born in 1912 was listed and printed "Gäller" (s35-probedocs)."""
    if given_on > today:
        return message("A consent cannot have been answered after today (%1).", today)
    if born is not None and given_on < born:
        return message("A consent cannot have been answered before the person was born (%1).", born)
    return None


def withdraw_consent(consent: Consent, on: date) -> None:
    """The person withdraws a consent: from ``on`` (never before it was given); the decision is the person's own,
    so nothing else is asked or recorded than the date. A refusal is not withdrawn (``RefusalNotWithdrawn``): it is
    answered by a consent given later (``consent.said_after``)."""
    if not consent.given:
        raise RefusalNotWithdrawn("a refused consent is not withdrawn; a consent given later answers it")
    if consent.withdrawn_on is None:
        consent.withdrawn_on = max(on, consent.given_on)


def start_follow_up(case: Case, *, today: date, trigger: FollowUpTrigger, planned_on: date | None) -> FollowUp:
    """A follow-up of every decision in force (with none, of those that ran out last), with the goals of the
    kartläggning to judge one by one."""
    goals = [GoalResult(area_id=a.area_id, goal=a.goal) for a in case.investigation.assessments if a.goal.strip()]
    return FollowUp(
        decision_ids=[d.id for d in case.decisions_in_force(today) or _ran_out_last(case, today)],
        trigger=trigger,
        planned_on=planned_on,
        goal_results=goals,
    )


def _ran_out_last(case: Case, today: date) -> list[Decision]:
    """The granted decisions that ran out last before ``today``, none stopped by a status record nor replaced (the
    decisions the work list calls lapsed, ``deadlines._lapsed``).

    Seed 002: a follow-up comes as a time-limited decision runs out; one started after it ran out (the work list
    says so, ``deadlines._lapsed``) followed no decision at all, and its request for underlag named no insats
    (s25-probe)."""
    gone = case.stopped_or_replaced()
    ended = [d for d in case.decisions if d.ends_on is not None and d.ends_on < today
             and d.outcome != DecisionOutcome.REFUSED and d.id not in gone]
    last = max((d.ends_on for d in ended if d.ends_on is not None), default=None)
    return [d for d in ended if d.ends_on == last]


def underlag_permission(case: Case, follow_up: FollowUp, today: date) -> ContactPermission:
    """May the utförare be asked for underlag before ``follow_up``: only about a decision (seed 002's request is to
    "följa upp pågående beslut om …"), then by ``provider_contact``'s rule.

    A follow-up added to a case with no decision in force nor run out follows none (``start_follow_up``): its
    request had asked the utförare for underlag on "pågående beslut om hemtjänst", a decision that did not exist,
    for any insats applied for (s30-probe)."""
    if not any(d.id in follow_up.decision_ids for d in case.decisions) and not case.decisions_in_force(today):
        return ContactPermission(False, message(
            "The follow-up follows no decision: there is no ongoing decision to ask the utförare for underlag about."))
    return provider_contact(case, today)


def follow_up_record_refusal(case: Case) -> Message | None:
    """Why ``case`` has no follow-up record to preview or print (None: it has one). The step's button and Ärende →
    Förhandsgranska uppföljning say it in the same words: the step in its list, the menu item in its status tip as
    the menu is walked (s31-menus)."""
    return None if case.follow_ups else message("Add a follow-up first: there is none to print.")


def parse_participants(text: str) -> list[Participant]:
    """Participants typed one per line as "name – role" (an en dash or " - "); empty lines are skipped."""
    participants = []
    for line in text.splitlines():
        name, _sep, role = line.partition("–") if "–" in line else line.partition(" - ")
        if name.strip():
            participants.append(Participant(name=name.strip(), role=role.strip()))
    return participants


def provider_contact(case: Case, today: date) -> ContactPermission:
    """May the chosen utförare be asked for underlag, or given the uppdrag, and why (seed 001: covered once the
    person signed the application or consented orally; otherwise a consent to the provider is needed).

    Not once the case is closed: seed 001 leaves outside secrecy the utförare "som den enskilde använder", and a
    closed case (the person died, moved to another municipality, needs no more help) has no follow-up to prepare
    (seed 002's request is about "pågående beslut") nor an uppdrag to give. s30-probe: a closed case had still
    offered the uppdrag, with the person's needs, and the request "Jag ska … följa upp pågående beslut"."""
    if case.status == CaseStatus.CLOSED:
        return ContactPermission(False, message(
            "The case is closed: the utförare is given no uppdrag and asked for no underlag about the person."))
    if not case.chosen_provider.strip():
        # No one to send it to: the person's signature or an unnamed consent "to the utförare" covers no one yet,
        # and without a choice the box said "Samtycke saknas", sending the handläggare to the consents (s35-probedocs).
        return ContactPermission(False, message(
            "No utförare is chosen for the case: write the chosen utförare on the Case step first."))
    return may_contact(
        case.consents,
        ContactTarget(ConsentRecipient.PROVIDER, case.chosen_provider),
        today,
        chosen_provider=case.chosen_provider,
        application_signed_by_person=case.application.signed_by_person,
    )
