"""Uppföljning (follow-up) of decisions: granted vs performed time, goals, changed needs (seed 002)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from pydantic import Field

from ibic.base import DomainModel, new_id
from ibic.limits import EventDate, Identifier, LongText, Name
from ibic.messages import Message, Number, message
from ibic.vocabulary import FollowUpOutcome, FollowUpTrigger, GoalAttainment, VisitPlace

# The four questions the socialsekreterare considers before each follow-up (seed 002), shown in the interface's
# language; printed documents use the Swedish (FOUR_QUESTIONS_SV).
FOUR_QUESTIONS: tuple[Message, Message, Message, Message] = (
    message("As handläggare, how do you judge the follow-up is best carried out?"),
    message("How does the person want the follow-up to be carried out?"),
    message("Whom does the person want to take part in the follow-up?"),
    message("Which other people need to take part for you to investigate the person's needs?"),
)
FOUR_QUESTIONS_SV: tuple[str, ...] = tuple(question.sv for question in FOUR_QUESTIONS)
STAFF_COUNT_MAX = 500  # staff who visited in 14 days (KKiK counts about 15 as many): a figure above is a typing slip


class TimeComparison(DomainModel):
    """Granted vs performed minutes over one period, for one decision (or a rambeslut's total)."""

    decision_id: Identifier | None = None
    period_start: EventDate | None = None
    period_end: EventDate | None = None
    granted_minutes: int = Field(ge=0, le=10_000_000)
    performed_minutes: int = Field(ge=0, le=10_000_000)


@dataclass(frozen=True)
class TimeDeviation:
    percent: float | None
    outside_tolerance: bool
    verdict: Message

    @property
    def text_sv(self) -> str:
        return self.verdict.sv


def time_deviation(comparison: TimeComparison, tolerance_percent: float) -> TimeDeviation:
    """Deviation of performed from granted time in percent; outside ±tolerance means a follow-up matter.

    Exactly at the tolerance counts as inside: seed 002 calls about ±5 % "rimlig avvikelse".
    """
    granted, performed = comparison.granted_minutes, comparison.performed_minutes
    if granted == 0:
        if performed == 0:
            return TimeDeviation(0.0, False, message("No time granted and none performed."))
        return TimeDeviation(None, True, message("Time was performed with no time granted."))
    percent = (performed - granted) * 100 / granted
    rounded = round(percent, 1) + 0.0  # + 0.0: a tiny shortfall rounds to -0.0, shown as "-0,0 %"
    outside = abs(percent) > tolerance_percent + 1e-9
    limit = Number(tolerance_percent, "g")
    if outside:
        key = ("Performed time is %1 % more than granted: outside ±%2 %." if percent > 0
               else "Performed time is %1 % less than granted: outside ±%2 %.")
        verdict = message(key, _beyond(abs(percent), tolerance_percent), limit)
    else:
        verdict = message("The deviation %1 % is within ±%2 %.", _within(percent, tolerance_percent), limit)
    return TimeDeviation(rounded, outside, verdict)


def stored_minutes(granted: Fraction, performed: Fraction, tolerance_percent: float) -> tuple[int, int]:
    """The whole minutes kept of granted and performed time typed as hours (a time report's "43,73" h is 2 623,8
    minutes): each the nearest minute. A half minute ("7,875" h is 472,5) has two nearest, and goes the way that
    keeps the ±``tolerance_percent`` verdict of the figures as typed, toward the other figure first: exactly 5 %
    over or under reads within either way (s28-probe; half up, 7,875 against 7,5 read "utanför"). Both half-way
    and both kept toward each other, they closed by a whole minute: 7,675 against 8,075 h, 5,2 % apart, read
    "ryms inom" (s28-rprobe)."""
    tolerance = Fraction(str(tolerance_percent))
    outside = _outside(granted, performed, tolerance)
    pairs = [(g, p) for g in _nearest(granted, performed) for p in _nearest(performed, granted)]
    return next((pair for pair in pairs if _outside(Fraction(pair[0]), Fraction(pair[1]), tolerance) == outside),
                pairs[0])


def _nearest(minutes: Fraction, other: Fraction) -> list[int]:
    """The nearest whole minutes, the one toward ``other`` first when ``minutes`` lies half-way."""
    if minutes.denominator != 2:
        return [math.floor(minutes + Fraction(1, 2))]
    down, up = math.floor(minutes), math.ceil(minutes)
    return [down, up] if other < minutes else [up, down]


def _outside(granted: Fraction, performed: Fraction, tolerance: Fraction) -> bool:
    """``time_deviation``'s verdict, exact: beyond the tolerance, or time performed with none granted."""
    if granted == 0:
        return performed != 0
    return abs(performed - granted) * 100 > tolerance * granted


def _beyond(excess: float, tolerance_percent: float) -> Number:
    """``excess`` (over the tolerance) with as many decimals as it takes to read as more than the limit: "5,0 % …
    utanför ±5 %" reads as a contradiction. Minutes are whole and at most 10 000 000, so seven decimals always do."""
    for decimals in range(1, 8):
        if round(excess, decimals) > tolerance_percent:
            break
    return Number(round(excess, decimals), f".{decimals}f")


def _within(percent: float, tolerance_percent: float) -> Number:
    """``percent`` (inside the tolerance) signed, with the decimals it takes not to read as beyond the limit (4,996 %
    within ±4,99 %... shown "+5,0"); no sign on a zero, which rounding can make of a tiny shortfall ("-0,0 %")."""
    for decimals in range(1, 8):
        if abs(round(percent, decimals)) <= tolerance_percent:
            break
    shown = round(percent, decimals) + 0.0
    return Number(shown, f"+.{decimals}f" if shown else f".{decimals}f")


class GoalResult(DomainModel):
    id: Identifier = Field(default_factory=new_id)
    area_id: Identifier | None = None
    goal: LongText
    attainment: GoalAttainment | None = None
    comment: LongText = ""


class FollowUp(DomainModel):
    id: Identifier = Field(default_factory=new_id)
    decision_ids: list[Identifier] = Field(default_factory=list)
    trigger: FollowUpTrigger = FollowUpTrigger.CASEWORKER
    planned_on: EventDate | None = None
    done_on: EventDate | None = None
    place: VisitPlace = VisitPlace.HOME
    # Answers to FOUR_QUESTIONS, in the same order.
    how_best_done: LongText = ""
    how_person_wants_it: LongText = ""
    whom_person_wants_present: LongText = ""
    others_needed: LongText = ""
    time_comparisons: list[TimeComparison] = Field(default_factory=list)
    provider_consent_id: Identifier | None = None
    provider_view: LongText = ""
    goal_results: list[GoalResult] = Field(default_factory=list)
    changed_needs: LongText = ""
    person_experience: LongText = ""
    outcome: FollowUpOutcome | None = None
    outcome_note: LongText = ""
    # Seed 002: at the follow-up of a rambeslut, is a rambeslut still the right form for the person?
    frame_still_right_form: bool | None = None
    frame_form_note: LongText = ""
    # Seed 003 (continuity, KKiK): how many staff visited in the last 14 days, and the named fast omsorgskontakt.
    staff_count_14_days: int | None = Field(default=None, ge=0, le=STAFF_COUNT_MAX)
    named_care_contact: Name = ""


def genitive_sv(name: str) -> str:
    """A name in the Swedish genitive: "Tolvanssons", but "Fors", "Marx", "Ruiz" (a name ending in s, x or z takes
    no extra s; "Forss situation" is a spelling mistake in a letter to the utförare)."""
    name = name.strip()
    return name if name[-1:].casefold() in ("s", "x", "z") else f"{name}s"


SECURE_REPLY_SV = "Svara endast via kommunens säkra meddelandefunktion, inte med vanlig e-post."


def underlag_due(planned_on: date | None, decision_ends: Iterable[date | None], today: date) -> date:
    """The day the request for underlag says the follow-up will be made by: the planned day when it lies ahead, else
    in two weeks, or on the last day of a followed decision when that comes first (seed 002: a follow-up when a
    time-limited decision "snart löper ut" must come before it has run out; two weeks from today asked the utförare
    for material after the end of a decision ending in six days)."""
    if planned_on is not None and planned_on > today:
        return planned_on
    return min([today + timedelta(weeks=2), *(end for end in decision_ends if end is not None and end >= today)])


def underlag_request_sv(
    *,
    follow_up_by: str,
    insats_text: str,
    person_name: str,
    personal_number: str,
    caseworker: str,
    ask_about_time: bool,
    provider_started: bool = False,
    ask_about_more_time: bool = False,
) -> str:
    """The message asking the utförare for underlag before a follow-up (after seed 002's model).

    When the utförare raised the follow-up, seed 002 says "underlaget ska redan vara förberett" (the plan drawn up,
    the journal summarised) and the utförare contacts the socialsekreterare: the message then asks for that prepared
    material, not for material to be prepared (``_prepared_underlag_sv``)."""
    if provider_started:
        lines = _prepared_underlag_sv(follow_up_by, insats_text, person_name, personal_number, ask_about_time,
                                      ask_about_more_time)
    else:
        lines = [
            "Hej!",
            "",
            f"Jag ska {follow_up_by} följa upp pågående beslut om {insats_text} för {person_name}, "
            f"{personal_number}. Innan dess skulle jag behöva underlag från er.",
            "",
            "Underlaget jag efterfrågar är",
            "- uppdaterad genomförandeplan, om planen inte uppdaterats, meddela mig varför",
            "- sammanställda daganteckningar i genomförandejournalen",
            f"- om det finns information kring {genitive_sv(person_name)} situation som ni vill förmedla, "
            "ta kontakt med mig.",
        ]
        if ask_about_time:
            lines.append("- en beskrivning kring varför inte all tid utförts.")
        if ask_about_more_time:
            lines.append("- en beskrivning kring varför mer tid än den beviljade utförts.")
    # Uppgifterna omfattas av sekretess: the answer must come back the way the request went, never by plain e-mail.
    lines += ["", SECURE_REPLY_SV]
    lines += ["", "Med vänliga hälsningar,", caseworker]
    return "\n".join(lines)


def _prepared_underlag_sv(
    follow_up_by: str, insats_text: str, person_name: str, personal_number: str, ask_about_time: bool,
    ask_about_more_time: bool,
) -> list[str]:
    """The reply to an utförare who raised the follow-up: thanks, the day, and the prepared material asked for."""
    lines = [
        "Hej!",
        "",
        f"Tack för att ni uppmärksammat behovet av uppföljning av pågående beslut om {insats_text} för "
        f"{person_name}, {personal_number}. Jag följer upp beslutet {follow_up_by}.",
        "",
        # The routine's "ska redan vara förberett" is the handläggare's to know (``expected_underlag``): quoted to
        # the utförare who just raised the need it read as a reprimand, and "Skicka mig det" as an order.
        "Om ni inte redan har skickat ert förberedda underlag ber jag er att skicka",
        "- den upprättade genomförandeplanen",
        "- den sammanställda genomförandejournalen",
    ]
    if ask_about_time:
        lines.append("- er analys av varför inte all tid utförts.")
    if ask_about_more_time:
        lines.append("- er analys av varför mer tid än den beviljade utförts.")
    lines += ["", f"Om ni har ytterligare uppgifter om {genitive_sv(person_name)} situation, ta kontakt med mig."]
    return lines


def time_to_explain(follow_up: FollowUp, tolerance_percent: float) -> tuple[bool, bool]:
    """Whether the request for underlag asks why less time, and why more time, was performed than granted.

    Less: whenever the time compared shows less performed, or none is compared yet (seed 002's model message asks
    it). More: when the time performed is beyond the tolerance above the granted (seed 002: "Om den utförda tiden
    inte överensstämmer med den beviljade tiden behöver utföraren analysera vad det beror på"); a follow-up with 115
    hours performed of 100 granted had asked the utförare nothing about the time (s27-probe)."""
    comparisons = follow_up.time_comparisons
    less = not comparisons or any(c.performed_minutes < c.granted_minutes for c in comparisons)
    more = any(c.performed_minutes > c.granted_minutes and time_deviation(c, tolerance_percent).outside_tolerance
               for c in comparisons)
    return less, more


def expected_underlag(trigger: FollowUpTrigger) -> Message:
    """What seed 002 expects of the underlag, by who raised the follow-up, for the follow-up page to say."""
    if trigger == FollowUpTrigger.PROVIDER:
        return message(
            "The provider raised this follow-up: their underlag should already be prepared (the implementation plan"
            " drawn up, the implementation journal summarised) and they contact you. Go through it and the time"
            " performed before the follow-up, then contact the person."
        )
    return message(
        "Contact the provider in good time so that the underlag is prepared (the implementation plan, the"
        " implementation journal), and go through it and the time performed at the follow-up."
    )
