"""The uppföljning record of one follow-up, as a render-neutral outline (design: domain.md "Documents the product
produces": "Uppföljning record"; seed 002).

What the handläggare recorded at the follow-up, in the order it was done: the follow-up and the decisions it
follows → the four questions considered first (and, for a rambeslut, whether it is still the right form) →
granted against performed time with the ±tolerance verdict → continuity → goal attainment → the person's experience
and changed needs → the utförare's underlag → the outcome (a proposed new decision or a nyprövning). Built from the
parts the uppdrag and the beslutsmeddelande use (person header, secrecy and demo notices, decision rows); printed
like them through ``ui/printing/pdf_writer.py``.

The utförare's view is printed only when the rule the follow-up page applies (``provider_material_permission``)
allowed it to be noted on the day of the follow-up, with the ground it rests on, as the utredning prints each other
source with its "Grund"; a view noted before the person said no is left out and the document says why. A view noted
on a consent the person withdrew (or answered with a no) after the follow-up is printed, with a line under it saying
so and that it was obtained while the consent was in force (``provider_consent_ended``): records are never changed,
only superseded, and the consent governs obtaining and sharing from then on, not what was already documented.

A follow-up concluded (held by the day of the print, recorded and its outcome recorded:
``follow_up_rules.is_concluded_by``) prints as the record of what was done, without UTKAST (design: "Uppföljning
record"); one not yet concluded is a draft. The utredning and the beslutsmeddelande stay drafts: the central system
holds the final ones.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from ibic.cases import Case
from ibic.decisions import Decision
from ibic.documents.decision_documents import (
    check_person,
    draft_outline,
    form_text,
    period_text,
    person_header,
    scope_text,
)
from ibic.documents.outline import Block, DocumentOutline, Paragraph, Section, SignatureBlock, Table
from ibic.documents.parts import day_text, labelled, rows, section
from ibic.errors import DomainError
from ibic.follow_up import FOUR_QUESTIONS_SV, FollowUp, TimeComparison, time_deviation
from ibic.follow_up_rules import (
    FRAME_QUESTION,
    followed_decisions,
    four_answers,
    is_concluded_by,
    is_frame_follow_up,
    provider_consent_ended,
    provider_material_permission,
)
from ibic.people import Person
from ibic.reference import ReferenceData

DOCUMENT_TYPE = "Uppföljning"
NO_TIME = "Ingen jämförelse av beviljad och utförd tid är registrerad."


class FollowUpNotInCase(DomainError):
    """The follow-up asked for is not one of the case's."""


def build_uppfoljning(
    case: Case, person: Person, ref: ReferenceData, follow_up_id: str, *, today: date, caseworker: str = "",
) -> DocumentOutline:
    """The record of the follow-up ``follow_up_id`` of ``case``; only that case and person are read."""
    check_person(case, person)
    follow_up = next((f for f in case.follow_ups if f.id == follow_up_id), None)
    if follow_up is None:
        raise FollowUpNotInCase("the follow-up is not one of this case's")
    caseworker = caseworker.strip() or case.caseworker.strip()
    return draft_outline(
        DOCUMENT_TYPE, case, person, ref, today=today,
        header=person_header(
            case, person, ("Utförare", case.chosen_provider), ("Handläggare", caseworker), ("Enhet", case.unit),
            ("Datum", day_text(today)),
        ),
        sections=(
            _follow_up_section(case, follow_up, ref),
            _questions_section(case, follow_up),
            _time_section(case, follow_up, ref),
            _goals_section(follow_up, ref),
            _needs_section(follow_up),
            _provider_section(case, follow_up, ref, today),
            _outcome_section(follow_up, ref),
        ),
        signature=SignatureBlock("Underskrift", caseworker, "Biståndshandläggare", case.unit, "Ort och datum"),
        draft=not is_concluded_by(follow_up, today),
    )


def _follow_up_section(case: Case, follow_up: FollowUp, ref: ReferenceData) -> Section:
    held = day_text(follow_up.done_on) or "Uppföljningen är inte genomförd ännu"
    facts = rows(
        ("Uppföljningen gjordes", held),
        ("Planerad till", day_text(follow_up.planned_on)),
        ("Plats", ref.label("visit_place", follow_up.place.value) if follow_up.done_on else ""),
        ("Anledning", ref.label("follow_up_trigger", follow_up.trigger.value)),
    )
    return section("Uppföljningen", facts, _decisions_table(followed_decisions(case, follow_up), ref))


def _decisions_table(decisions: list[Decision], ref: ReferenceData) -> Block:
    if not decisions:
        return Paragraph("Uppföljningen avser inget registrerat beslut.", "muted")
    table = Table(
        ("Beslut som följs upp", "Omfattning", "Beslutsform", "Period", "Beslutsdatum"),
        tuple((d.insats_text, scope_text(d, ref), form_text(d), period_text(d), day_text(d.decided_on))
              for d in decisions),
        (3, 2.2, 1.6, 2.6, 1.6),
    )
    return table


def _questions_section(case: Case, follow_up: FollowUp) -> Section:
    answers: list[Block | None] = [labelled(q, a) for q, a in zip(FOUR_QUESTIONS_SV, four_answers(follow_up),
                                                                   strict=True)]
    if is_frame_follow_up(case, follow_up):
        answers.append(labelled(FRAME_QUESTION.sv, _frame_answer(follow_up)))
    return section("Inför uppföljningen", *answers)


def _frame_answer(follow_up: FollowUp) -> str:
    verdict = {True: "Ja.", False: "Nej.", None: ""}[follow_up.frame_still_right_form]
    return " ".join(part for part in (verdict, follow_up.frame_form_note.strip()) if part)


def hours_text(minutes: int) -> str:
    """Whole minutes as a time report reads them: "104 tim", "92 tim 20 min", "0 tim"."""
    hours, rest = divmod(minutes, 60)
    return f"{hours:,} tim".replace(",", "\u00a0") + (f" {rest} min" if rest else "")


def _time_row(case: Case, comparison: TimeComparison, tolerance: float) -> tuple[str, ...]:
    decision = next((d for d in case.decisions if d.id == comparison.decision_id), None)
    period = " – ".join(day_text(day) for day in (comparison.period_start, comparison.period_end) if day)
    return (
        decision.insats_text if decision is not None else "Alla beslut",
        period,
        hours_text(comparison.granted_minutes),
        hours_text(comparison.performed_minutes),
        time_deviation(comparison, tolerance).text_sv,
    )


T = TypeVar("T")


def _without_period(row: tuple[T, ...]) -> tuple[T, ...]:
    return row[:1] + row[2:]


def _time_section(case: Case, follow_up: FollowUp, ref: ReferenceData) -> Section:
    tolerance = ref.rules.follow_up.time_tolerance_percent
    table: Block = Paragraph(NO_TIME, "muted")  # said even when continuity is recorded below it
    if follow_up.time_comparisons:
        heads: tuple[str, ...] = ("Beslut", "Period", "Beviljad tid", "Utförd tid", "Bedömning")
        widths: tuple[float, ...] = (2.4, 2.2, 1.6, 1.6, 3.4)
        body = [_time_row(case, c, tolerance) for c in follow_up.time_comparisons]
        if not any(row[1] for row in body):  # the follow-up step records no period: no column of nothing
            heads, widths = _without_period(heads), _without_period(widths)
            body = [_without_period(row) for row in body]
        table = Table(heads, tuple(body), widths)
    continuity = rows(
        ("Antal personal de senaste 14 dagarna",
         "" if follow_up.staff_count_14_days is None else str(follow_up.staff_count_14_days)),
        ("Fast omsorgskontakt", follow_up.named_care_contact),
    )
    return section("Beviljad och utförd tid", table, continuity)


def _goals_section(follow_up: FollowUp, ref: ReferenceData) -> Section:
    goal_rows = tuple(
        (g.goal.strip(), ref.label("goal_attainment", g.attainment.value) if g.attainment else "Inte bedömt",
         g.comment.strip())
        for g in follow_up.goal_results
    )
    table = Table(("Mål", "Uppfyllt", "Kommentar"), goal_rows, (4, 1.8, 3.2)) if goal_rows else None
    return section("Måluppfyllelse", table, empty_text="Ingen måluppfyllelse är registrerad.")


def _needs_section(follow_up: FollowUp) -> Section:
    return section(
        "Den enskildes upplevelse och förändrade behov",
        labelled("Den enskildes upplevelse av insatserna", follow_up.person_experience),
        labelled("Förändrade behov", follow_up.changed_needs),
    )


def _provider_section(case: Case, follow_up: FollowUp, ref: ReferenceData, today: date) -> Section:
    """The utförare's view under the rule the follow-up page noted it by, none printed that the rule did not allow,
    with a line saying why; and a line under it when the consent it rested on was withdrawn or refused since."""
    permission = provider_material_permission(case, follow_up, ref, today)
    view = follow_up.provider_view.strip()
    ground = Paragraph(f"Grund: {permission.reason.sv}", "muted")
    if not permission.allowed:
        left_out = "Utförarens synpunkter skrivs inte ut." if view else ""
        return section("Utförarens underlag", Paragraph(" ".join(p for p in (left_out, permission.reason.sv) if p),
                                                        "muted"))
    ended = provider_consent_ended(case, follow_up, ref, today, permission=permission) if view else None
    since = Paragraph(ended.sv, "muted") if ended is not None else None
    return section("Utförarens underlag", labelled("Utförarens synpunkter", view), ground if view else None, since,
                   empty_text="Inga synpunkter från utföraren är antecknade.")


def _outcome_section(follow_up: FollowUp, ref: ReferenceData) -> Section:
    outcome = ref.label("follow_up_outcome", follow_up.outcome.value) if follow_up.outcome else ""
    return section(
        "Resultat av uppföljningen",
        rows(("Resultat", outcome)),
        labelled("Kommentar", follow_up.outcome_note),
        empty_text="Inget resultat är registrerat ännu.",
    )


__all__ = ["FollowUpNotInCase", "build_uppfoljning", "hours_text"]
