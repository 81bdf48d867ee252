"""What the two documents made from decisions share: the person header, the secrecy notice, decision rows.

Both the uppdrag to the utförare (``bestallning.py``) and the beslutsmeddelande (``beslutsmeddelande.py``) are
render-neutral outlines that ``ui/printing/pdf_writer.py`` prints like the utredning.
"""

from __future__ import annotations

from datetime import date

from ibic.cases import Case
from ibic.decisions import Decision
from ibic.documents.outline import DocumentOutline, KeyValueRows, Notice, Section, SignatureBlock
from ibic.documents.parts import amount_text, day_text, number_row, rows
from ibic.documents.utredning import DEMO_NOTICE, PersonNotInCase, secrecy_citation
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.vocabulary import DecisionForm, DecisionOutcome, ScopeUnit

STATUS = "UTKAST"


def check_person(case: Case, person: Person) -> None:
    if case.person_id != person.id:
        raise PersonNotInCase("the person is not the subject of this case")


def chosen_decisions(case: Case, decision_ids: list[str] | None, today: date) -> list[Decision]:
    """The decisions named, in the case's order; by default every decision made today or in force today, and
    those made on the case's latest decision day that are not in force yet: an avslag, or one starting later.

    Until s25-probe only those made today: an avslag, or a decision to start next month, that the central system
    made yesterday is never in force today, so its beslutsmeddelande (with how to appeal) could not be made the
    day after it arrived."""
    if decision_ids is not None:
        return [d for d in case.decisions if d.id in decision_ids]
    in_force = {d.id for d in case.decisions_in_force(today)}
    latest = max((d.decided_on for d in case.decisions if d.decided_on <= today), default=None)
    gone = case.stopped_or_replaced()
    ahead = {d.id for d in case.decisions if d.decided_on == latest and d.id not in gone
             and (d.outcome == DecisionOutcome.REFUSED or (d.starts_on is not None and d.starts_on > today))}
    return [d for d in case.decisions if d.id in in_force | ahead or d.decided_on == today]


def notified_decisions(case: Case, decision_ids: list[str] | None, today: date) -> list[Decision]:
    """The decisions a beslutsmeddelande carries: those named; by default, of ``chosen_decisions``, those made on
    the newest day among them.

    Seed 001 ("Beslut m.m. skickas hem"): the message tells the person of the decisions just made. An older decision
    still in force went into it as well (s25-rprobe): printed as if decided again, and its record of sending made
    the old decision's last day to appeal run again from the new delgivning. The uppdrag carries both: the
    utförare's assignment is every decision in force (``chosen_decisions``)."""
    chosen = chosen_decisions(case, decision_ids, today)
    if decision_ids is not None:
        return chosen
    newest = max((d.decided_on for d in chosen), default=None)
    return [d for d in chosen if d.decided_on == newest]


def draft_outline(
    document_type: str, case: Case, person: Person, ref: ReferenceData, *, today: date, header: KeyValueRows,
    sections: tuple[Section, ...], signature: SignatureBlock, draft: bool = True,
) -> DocumentOutline:
    """A document of the case as the app makes it, a draft (UTKAST: the central system holds the final one): the
    secrecy (and demo) notice, the running lines with the case number and never the name, the watermark. Not a
    draft (``draft`` False) only where the app's document is the record itself: a follow-up made (the uppföljning)."""
    case_number = case.case_number.strip() or "utan nummer"
    status = STATUS if draft else ""
    return DocumentOutline(
        document_type=document_type,
        status=status,
        version=1,
        issuer=case.unit,
        subtitle=" · ".join(part for part in (status, day_text(today)) if part),
        header=header,
        notices=notices(person, ref),
        sections=sections,
        signature=signature,
        running_header=f"Sekretess enligt {secrecy_citation(ref)}",
        running_footer=" · ".join(part for part in (f"Ärende {case_number}", document_type, status) if part),
        watermark=status,
        metadata_title=f"{document_type} ({status.lower()})" if draft else document_type,
    )


def notices(person: Person, ref: ReferenceData) -> tuple[Notice, ...]:
    found = [Notice(f"Handlingen omfattas av sekretess enligt {secrecy_citation(ref)}.", "secrecy")]
    if person.fictitious:
        found.append(Notice(DEMO_NOTICE, "demo"))
    return tuple(found)


def person_header(case: Case, person: Person, *extra: tuple[str, str]) -> KeyValueRows:
    kept = rows(
        ("Namn", person.full_name),
        number_row(person.number),
        ("Adress", person.address.one_line()),
        ("Ärendenummer", case.case_number),
        *extra,
    )
    assert kept is not None  # name and personnummer are never blank
    return kept


def scope_text(decision: Decision, ref: ReferenceData) -> str:
    unit = decision.scope.unit
    if unit == ScopeUnit.UNTIL_FURTHER_NOTICE:
        return ref.label("scope_unit", unit.value)
    if decision.scope.amount is None:
        return ""
    return f"{amount_text(decision.scope.amount)} {ref.label('scope_unit', unit.value)}"


def period_text(decision: Decision) -> str:
    if decision.starts_on and decision.ends_on:
        return f"{day_text(decision.starts_on)} – {day_text(decision.ends_on)}"
    if decision.starts_on:
        return f"Från {day_text(decision.starts_on)}, tills vidare"
    return ""


def form_text(decision: Decision) -> str:
    return "Rambeslut" if decision.scope.form == DecisionForm.FRAME else "Insatsbeslut"


def granted(decision: Decision) -> bool:
    return decision.outcome in (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY_GRANTED)
