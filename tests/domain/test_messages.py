"""Domain messages (ibic.messages): a key and parameters, the same sentence in Swedish and in English, stored as
JSON and read back; what the domain says reads English in English (issue 12, point 9)."""

from __future__ import annotations

from datetime import date

from ibic.completeness import check_completeness
from ibic.decisions import Proposal, Scope, person_conditions, proposal_problems
from ibic.follow_up import FOUR_QUESTIONS, TimeComparison, time_deviation
from ibic.messages import Message, Number, Term, dumps, joined, loads, message
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.vocabulary import DecisionOutcome

DAY = date(2026, 11, 23)


def test_a_message_reads_in_either_language_with_numbers_in_that_language() -> None:
    verdict = time_deviation(TimeComparison(granted_minutes=6240, performed_minutes=5520), 5.0).verdict
    assert verdict.en == "Performed time is 11.5 % less than granted: outside ±5 %."
    assert verdict.sv == "Utförd tid är 11,5 % mindre än beviljad: utanför ±5 %."
    inside = time_deviation(TimeComparison(granted_minutes=1000, performed_minutes=1042), 5.0).verdict
    assert (inside.en, inside.sv) == ("The deviation +4.2 % is within ±5 %.", "Avvikelsen +4,2 % ryms inom ±5 %.")


def test_names_from_the_reference_data_follow_the_language() -> None:
    insats = Term("Hemtjänst – serviceinsatser", "Home help – practical help")
    found = message("Proposed decision missing for %1.", insats)
    assert found.en == "Proposed decision missing for Home help – practical help."
    assert found.sv == "Förslag till beslut saknas för Hemtjänst – serviceinsatser."
    free_text = message("Proposed decision missing for %1.", Term("Snöskottning"))
    assert free_text.en == "Proposed decision missing for Snöskottning."  # typed text has no English


def test_stored_as_json_and_read_back_unchanged() -> None:
    stored = message("The decision on %1 covers at least %2 hours a month and must be followed up.",
                     Term("Hemtjänst – omvårdnad", "Home help – personal care"), Number(100, "g"))
    assert loads(dumps(stored)) == stored
    assert "följas upp" not in dumps(stored)
    dated = message("The decision on %1 ends %2.", "trygghetslarm", DAY)
    assert loads(dumps(dated)) == dated and dated.en.endswith("ends 2026-11-23.")
    older = loads("Beslutet om trygghetslarm upphör 2026-11-23.")  # a row written before messages had keys
    assert older == Message("Beslutet om trygghetslarm upphör 2026-11-23.") and older.en == older.sv
    assert loads('{"key": 3}') == Message("") and loads("{not json") == Message("{not json")


def test_a_percent_sign_or_a_placeholder_in_a_parameter_stays_as_typed() -> None:
    typed = message("Information from %1 has no consent.", "Anna %2 100 %")
    assert typed.en == "Information from Anna %2 100 % has no consent."


def test_joined_messages_keep_both_languages() -> None:
    both = joined(message("%1", Term("Förflyttning", "Mobility")), message("Enter when the application was received."))
    assert both.en == "Mobility: Enter when the application was received."
    assert both.sv == "Förflyttning: Ange när ansökan kom in."


def test_the_four_questions_are_messages_with_the_seed_wording_in_swedish() -> None:
    assert [q.sv for q in FOUR_QUESTIONS][1] == "Hur vill den enskilde genomföra uppföljningen?"
    assert all(q.en.endswith("?") and q.en != q.sv for q in FOUR_QUESTIONS)


def test_completeness_findings_and_the_sjukresa_rule_read_english_in_english(
    tolvan: Person, ref: ReferenceData
) -> None:
    from ibic.cases import Case

    tolvan.patient_transport_entitled = True
    escort = Proposal(insats_id="foljeslagare", outcome=DecisionOutcome.GRANTED, scope=Scope(amount=4),
                      starts_on=date(2026, 12, 1), ends_on=date(2027, 5, 31), motivation="Följe behövs.",
                      need_exists="Behovet finns.", for_medical_visits=True)
    (problem,) = proposal_problems(escort, ref, conditions=person_conditions(tolvan))
    assert problem.message.en.startswith("Not granted for visits to a doctor")
    empty = Case(case_number="X-1", person_id=tolvan.id, caseworker="H", opened_on=DAY)
    findings = check_completeness(empty, tolvan, ref, DAY)
    assert findings and all(not set(f.message.en) & set("åäöÅÄÖ") for f in findings)
