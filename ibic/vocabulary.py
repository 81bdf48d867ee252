"""The fixed vocabularies of the case process.

Values are stable English identifiers (stored, synced); Swedish and English labels live in
``resources/reference/vocabulary.toml`` and are checked against these enums when loaded.
"""

from __future__ import annotations

from enum import StrEnum


class CaseOrigin(StrEnum):
    """How a case arose (aktualisering)."""

    APPLICATION = "application"
    PHONE_CALL = "phone_call"
    LETTER = "letter"
    HOSPITAL = "hospital"
    CONCERN_REPORT = "concern_report"
    UNPAID_BILLS = "unpaid_bills"
    POLICE = "police"
    MOVING = "moving"
    OTHER = "other"


class Applicant(StrEnum):
    """Who applied: only the person or someone within a mandate may apply."""

    PERSON = "person"
    GUARDIAN = "guardian"
    POWER_OF_ATTORNEY = "power_of_attorney"
    AGENT = "agent"


class CaseStatus(StrEnum):
    ACTUALISED = "actualised"
    INVESTIGATION = "investigation"
    DECIDED = "decided"
    IMPLEMENTATION = "implementation"
    CLOSED = "closed"


class ClosingReason(StrEnum):
    """Why a case was closed (avslutsorsak), asked at the closing: the person died or moved away, needs or wants no
    more help, the application was withdrawn, an avslag left nothing to implement, the decisions ended; else "annat"
    in the handläggare's words (``StatusChange.reason_note``)."""

    DIED = "died"
    MOVED = "moved"
    NEEDS_NO_HELP = "needs_no_help"
    DECLINES_HELP = "declines_help"
    WITHDRAWN = "withdrawn"
    REFUSED = "refused"
    DECISIONS_ENDED = "decisions_ended"
    OTHER = "other"


class RepresentativeKind(StrEnum):
    GOD_MAN = "god_man"
    FORVALTARE = "forvaltare"
    FRAMTIDSFULLMAKT = "framtidsfullmakt"
    OMBUD = "ombud"
    CONTACT_RELATIVE = "contact_relative"


class ConsentRecipient(StrEnum):
    RELATIVE = "relative"
    HEALTHCARE = "healthcare"
    LANDLORD = "landlord"
    PROVIDER = "provider"
    AUTHORITY = "authority"
    NAMED_PERSON = "named_person"


class ConsentForm(StrEnum):
    WRITTEN = "written"
    ORAL = "oral"


class ApplicationForm(StrEnum):
    WRITTEN = "written"
    ORAL = "oral"
    DIGITAL = "digital"


class VisitPlace(StrEnum):
    HOME = "home"
    HOSPITAL = "hospital"
    OFFICE = "office"
    DIGITAL = "digital"


class DecisionOutcome(StrEnum):
    GRANTED = "granted"
    PARTLY_GRANTED = "partly_granted"
    REFUSED = "refused"


class ScopeUnit(StrEnum):
    HOURS_PER_MONTH = "hours_per_month"
    HOURS_PER_WEEK = "hours_per_week"
    HOURS_PER_YEAR = "hours_per_year"
    OCCASIONS_PER_WEEK = "occasions_per_week"
    OCCASIONS_PER_MONTH = "occasions_per_month"
    DAYS_PER_MONTH = "days_per_month"
    DAYS = "days"
    UNTIL_FURTHER_NOTICE = "until_further_notice"


class DecisionForm(StrEnum):
    """Insatsbeslut (time per insats) or rambeslut (a total the person and utförare distribute)."""

    PER_INSATS = "per_insats"
    FRAME = "frame"


class DecisionStatusKind(StrEnum):
    IN_FORCE = "in_force"
    FINAL = "final"
    APPEALED = "appealed"
    REVOKED = "revoked"
    ENDED = "ended"


class CommunicationMethod(StrEnum):
    LETTER = "letter"
    HOME_VISIT = "home_visit"
    PHONE = "phone"
    DIGITAL = "digital"
    OFFICE = "office"


class FollowUpTrigger(StrEnum):
    CASEWORKER = "caseworker"
    PROVIDER = "provider"
    PERSON_OR_RELATIVE = "person_or_relative"
    EXPIRING_DECISION = "expiring_decision"


class FollowUpOutcome(StrEnum):
    CONTINUE_UNCHANGED = "continue_unchanged"
    NEW_DECISION = "new_decision"
    REASSESSMENT = "reassessment"
    ENDED = "ended"


class GoalAttainment(StrEnum):
    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly_achieved"
    NOT_ACHIEVED = "not_achieved"


class Sex(StrEnum):
    """As registered; monthly statistics and goals are reported by women and men."""

    FEMALE = "female"
    MALE = "male"
    UNSPECIFIED = "unspecified"


class Actor(StrEnum):
    """Who made a judgement (NI 2022:1: a need can be judged by several actors)."""

    PERSON = "person"
    RELATIVE = "relative"
    PROFESSIONAL = "professional"
    CASEWORKER = "caseworker"


VOCABULARIES: dict[str, type[StrEnum]] = {
    "case_origin": CaseOrigin,
    "applicant": Applicant,
    "case_status": CaseStatus,
    "closing_reason": ClosingReason,
    "representative_kind": RepresentativeKind,
    "consent_recipient": ConsentRecipient,
    "consent_form": ConsentForm,
    "application_form": ApplicationForm,
    "visit_place": VisitPlace,
    "decision_outcome": DecisionOutcome,
    "scope_unit": ScopeUnit,
    "decision_form": DecisionForm,
    "decision_status": DecisionStatusKind,
    "communication_method": CommunicationMethod,
    "follow_up_trigger": FollowUpTrigger,
    "follow_up_outcome": FollowUpOutcome,
    "goal_attainment": GoalAttainment,
    "sex": Sex,
    "actor": Actor,
}
