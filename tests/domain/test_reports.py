"""Reports from a caseload with a known answer, checked cell by cell in the CSV (issue 13, points 1, 2, 12, 13).

The caseload (period 2026-10-01 – 2026-12-31): persons on both sides of 100 hours a month, a person whose 105 hours
are split over two insatsbeslut, one whose 103 hours are split over two cases, one whose two decisions follow each
other (never summed), one revoked decision; women and men with a cell under the suppression limit. Placeholder
names with the known test personnummer, as the bulk demo data does.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from ibic.cases import Case
from ibic.decisions import Decision, DecisionStatusEntry, FrozenScope
from ibic.demo import TEST_PERSONAL_NUMBERS
from ibic.follow_up import FollowUp, GoalResult
from ibic.notices import DecisionNotice
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.reports import Caseload, caseload_report, draw_cases, internal_control, to_csv
from ibic.vocabulary import DecisionForm, DecisionOutcome, DecisionStatusKind, GoalAttainment, ScopeUnit

START, END, TODAY = date(2026, 10, 1), date(2026, 12, 31), date(2027, 1, 10)
MAN_1, WOMAN, MAN_2 = TEST_PERSONAL_NUMBERS


def _person(number: str, index: int) -> Person:
    return Person(given_name="Testperson", family_name=f"{index:02d}", personal_number=number, fictitious=True)


def _decision(insats: str, amount: float, *, unit: ScopeUnit = ScopeUnit.HOURS_PER_MONTH,
              form: DecisionForm = DecisionForm.PER_INSATS, starts: date = date(2026, 9, 1), ends: date | None = None,
              decided: date | None = None) -> Decision:
    return Decision(proposal_id="p", insats_id=insats, insats_text=insats, outcome=DecisionOutcome.GRANTED,
                    scope=FrozenScope(amount=amount, unit=unit, form=form), starts_on=starts,
                    ends_on=ends or date(2027, 8, 31), law_reference_id="sol2025_11_1", motivation="Behov.",
                    decided_on=decided or starts, decided_by="Handläggare Demo")


def _held(decisions: list[Decision], done: date, *, answered: bool = True, staff: int | None = None,
          contact: str = "", goals: int = 0) -> FollowUp:
    return FollowUp(decision_ids=[d.id for d in decisions], done_on=done,
                    how_person_wants_it="Hemma." if answered else "", staff_count_14_days=staff,
                    named_care_contact=contact,
                    goal_results=[GoalResult(goal="Mål", attainment=GoalAttainment.ACHIEVED) for _ in range(goals)])


def _case(person: Person, number: str, decisions: list[Decision], follow_ups: list[FollowUp] | None = None,
          opened: date = date(2026, 8, 1), **values: object) -> Case:
    return Case.model_validate({"person_id": person.id, "case_number": number, "opened_on": opened,
                                "decisions": decisions, "follow_ups": follow_ups or [], **values})


def caseload(today: date = TODAY) -> Caseload:
    persons: list[Person] = []
    cases: list[Case] = []

    w1, w2, w3 = _person(WOMAN, 1), _person(WOMAN, 2), _person(WOMAN, 3)
    w4, w5, w6, w7 = (_person(WOMAN, i) for i in range(4, 8))
    m1, m2, m3 = _person(MAN_1, 11), _person(MAN_2, 12), _person(MAN_1, 13)
    persons += [w1, w2, w3, w4, w5, w6, w7, m1, m2, m3]
    # W1: 70 h + 35 h a month in two insatsbeslut of one case = 105 h; followed up in the period.
    care, service = _decision("omvardnad", 70), _decision("serviceinsatser", 35)
    cases.append(_case(w1, "K-001", [care, service],
                       [_held([care], date(2026, 11, 15), staff=12, contact="Fast kontakt A", goals=1)]))
    # W2: a 60 h rambeslut in one case and 10 h a week in another = 103,3 h; the follow-up held has nothing recorded.
    frame, weekly = _decision("omvardnad", 60, form=DecisionForm.FRAME), _decision(
        "serviceinsatser", 10, unit=ScopeUnit.HOURS_PER_WEEK)
    cases.append(_case(w2, "K-003", [frame], [_held([frame], date(2026, 11, 20), answered=False)]))
    cases.append(_case(w2, "K-004", [weekly]))
    # W3: 120 h revoked before the period: not counted.
    revoked = _decision("omvardnad", 120)
    cases.append(_case(w3, "K-007", [revoked], decision_statuses=[
        DecisionStatusEntry(decision_id=revoked.id, status=DecisionStatusKind.REVOKED, on=date(2026, 9, 30))]))
    # W4–W7: serviceinsatser 8 h; W4 and W5 decided in the period; each followed up with a staff count.
    for person, number, staff, contact, opened, decided, sent in (
        (w4, "K-008", 10, "Fast kontakt B", date(2026, 10, 1), date(2026, 10, 15), date(2026, 10, 17)),
        (w5, "K-009", 14, "Fast kontakt C", date(2026, 10, 5), date(2026, 10, 25), None),
        (w6, "K-010", 16, "", date(2026, 8, 1), date(2026, 9, 1), None),
        (w7, "K-011", 20, "", date(2026, 8, 1), date(2026, 9, 1), None),
    ):
        decision = _decision("serviceinsatser", 8, starts=decided, decided=decided)
        notices = [DecisionNotice(decision_ids=[decision.id], sent_on=sent)] if sent else []
        cases.append(_case(person, number, [decision], [_held([decision], date(2026, 12, 1), staff=staff,
                                                                contact=contact, goals=1)],
                           opened=opened, decision_notices=notices))
    # M1: 99 h, just under. M2: 50 h until October, then 60 h: never summed. M3: exactly 100 h from 10 November.
    cases.append(_case(m1, "K-002", [_decision("omvardnad", 99)]))
    cases.append(_case(m2, "K-005", [_decision("serviceinsatser", 50, ends=date(2026, 10, 31)),
                                     _decision("serviceinsatser", 60, starts=date(2026, 11, 1),
                                               decided=date(2026, 10, 20))]))
    cases.append(_case(m3, "K-006", [_decision("omvardnad", 100, starts=date(2026, 11, 10))]))
    return Caseload(tuple(cases), {p.id: p for p in persons}, START, END, today)


def cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads å, ä, ö right
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.fixture
def report(ref: ReferenceData):  # type: ignore[no-untyped-def]
    return caseload_report(caseload(), ref)


def test_internal_control_sums_decisions_in_force_across_decisions_and_cases(report) -> None:  # type: ignore[no-untyped-def]
    assert cells(to_csv(report.internal_control)) == [
        ["Ärendenummer", "Beviljad tid (timmar per månad)", "Antal beslut", "Gränsen nådd", "Uppföljning senast",
         "Uppföljd sedan gränsen nåddes", "Uppföljd den"],
        # Reached on 2026-09-01, before the period: the day the sum got there, as Att göra counts from (s30-hours;
        # the period's first day was said before, and the follow-up due a month late).
        ["K-001", "105,0", "2", "2026-09-01", "2026-12-01", "Ja", "2026-11-15"],
        ["K-003, K-004", "103,3", "2", "2026-09-01", "2026-12-01", "Nej", ""],
        ["K-006", "100,0", "1", "2026-11-10", "2027-02-10", "Nej", ""],
    ]


def test_the_threshold_is_configurable(ref: ReferenceData) -> None:
    load = caseload()
    assert [r.case_numbers for r in internal_control(load, ref.rules, threshold=99)] == [
        ("K-001",), ("K-002",), ("K-003", "K-004"), ("K-006",)]
    assert internal_control(load, ref.rules, threshold=106) == []


def test_a_tiny_threshold_lists_only_people_with_granted_time(ref: ReferenceData) -> None:
    # Below 1e-9 hours, every person without a decision in force was a row with no case number and 0,0 hours (the
    # server's report routes take hundredths of an hour at the finest; the rule itself holds below them too).
    load = caseload()
    tiny = internal_control(load, ref.rules, threshold=1e-10)
    assert tiny and all(r.case_numbers and r.hours_per_month > 0 and r.decision_count for r in tiny)
    assert [r.case_numbers for r in tiny] == [r.case_numbers for r in internal_control(load, ref.rules, 0.01)]


def test_insatser_by_women_and_men_withhold_cells_under_five(report) -> None:  # type: ignore[no-untyped-def]
    assert cells(to_csv(report.insatser_by_sex)) == [
        ["Insats", "Kvinnor", "Män", "Totalt"],
        ["Hemtjänst – omvårdnadsinsatser", "..", "..", ".."],
        ["Hemtjänst – serviceinsatser", "6", "..", ".."],
    ]


def test_a_lower_limit_shows_the_small_cells_and_the_total(ref: ReferenceData) -> None:
    report = caseload_report(caseload(), ref, small_number_limit=1)
    assert cells(to_csv(report.insatser_by_sex))[1:] == [
        ["Hemtjänst – omvårdnadsinsatser", "2", "2", "4"],
        ["Hemtjänst – serviceinsatser", "6", "1", "7"],
    ]


def test_goal_attainment_by_women_and_men(report) -> None:  # type: ignore[no-untyped-def]
    assert cells(to_csv(report.goals_by_sex)) == [
        ["Måluppfyllelse", "Kvinnor", "Andel kvinnor", "Män", "Andel män"],
        ["Uppnått", "5", "100,0 %", "..", ".."],
        ["Delvis uppnått", "..", "..", "..", ".."],
        ["Ej uppnått", "..", "..", "..", ".."],
    ]


def test_continuity_in_the_shape_of_kkik(report) -> None:  # type: ignore[no-untyped-def]
    # 3 of the 5 persons followed up have a named contact: W2's follow-up, held with nothing recorded, is not made
    # (follow_up_rules.is_done) and was counted among those followed up before s31-report (3 of 6).
    assert cells(to_csv(report.continuity)) == [
        ["Grupp", "Antal mätta personer", "Medelvärde antal personal", "Median", "Andel med fast omsorgskontakt"],
        ["Alla", "5", "14,4", "14,0", "60,0 %"],
        ["Kvinnor", "5", "14,4", "14,0", "60,0 %"],
        ["Män", "..", "..", "..", ".."],
    ]


def test_case_process_times_from_aktualisering_to_beslutsmeddelande(report) -> None:  # type: ignore[no-untyped-def]
    assert cells(to_csv(report.process_times)) == [
        ["Ärendenummer", "Aktualiserat", "Beslut", "Beslutsmeddelande skickat", "Dagar till beslut",
         "Dagar till beslutsmeddelande", "Dagar totalt"],
        ["K-006", "2026-08-01", "2026-11-10", "", "101", "", ""],
        ["K-008", "2026-10-01", "2026-10-15", "2026-10-17", "14", "2", "16"],
        ["K-009", "2026-10-05", "2026-10-25", "", "20", "", ""],
        ["Median", "", "", "", "20,0", "2,0", "16,0"],
    ]


def test_the_checklist_review_draws_reproducibly_and_lists_every_step(ref: ReferenceData) -> None:
    load = caseload()
    drawn = [c.case_number for c in draw_cases(load, ref, 1, seed=7)]
    assert drawn == [c.case_number for c in draw_cases(load, ref, 1, seed=7)]
    # the hemtjänst cases first decided in the period (K-005's first decision is from September)
    every = {c.case_number for c in draw_cases(load, ref, 16, seed=7)}
    assert every == {"K-006", "K-008", "K-009"} and drawn[0] in every
    rows = cells(to_csv(caseload_report(load, ref, seed=7).checklist))
    assert rows[0] == ["Ärendenummer", "Steg", "Datum", "Dokumenterat"]
    k008 = [row for row in rows if row[0] == "K-008"]
    assert [row[1] for row in k008] == ["Aktualisering", "Ansökan", "Hembesök", "Livsområden kartlagda",
                                        "Förslag till beslut", "Kommunicering", "Beslut", "Beslutsmeddelande skickat"]
    assert k008[0] == ["K-008", "Aktualisering", "2026-10-01", "Ja"]
    assert k008[2] == ["K-008", "Hembesök", "", "Nej"]  # no visit recorded
    assert k008[6:] == [["K-008", "Beslut", "2026-10-15", "Ja"], ["K-008", "Beslutsmeddelande skickat", "2026-10-17",
                                                                   "Ja"]]
    assert [row for row in rows if row[0] == "K-009"][7] == ["K-009", "Beslutsmeddelande skickat", "", "Nej"]


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        Caseload((), {}, END, START, TODAY)


def test_a_case_whose_person_is_missing_is_refused() -> None:
    load = caseload()
    with pytest.raises(ValueError, match="person is not in the caseload"):
        Caseload(load.cases, {}, START, END, TODAY)


def test_a_cell_a_spreadsheet_would_read_as_a_formula_is_kept_text_and_numbers_keep_their_sign() -> None:
    from ibic.reports.table import spreadsheet_text

    assert [spreadsheet_text(c) for c in ("=1+1", "+46 70", "-SUM(A1)", "@x", "\tA", "DEMO-1")] == [
        "'=1+1", "'+46 70", "'-SUM(A1)", "'@x", "'\tA", "DEMO-1"]
    assert [spreadsheet_text(c) for c in ("-3", "-0,5", "+2", "-41,7 %")] == ["-3", "-0,5", "+2", "-41,7 %"]


def test_a_period_ending_after_today_counts_follow_ups_made_by_today(ref: ReferenceData) -> None:
    """Made today 2026-11-30, the period to 2026-12-31: W4–W7's follow-ups dated 2026-12-01 are planned, not made;
    only W1's (2026-11-15) counts for continuity and goals. On main all five were counted (s31-report)."""
    report = caseload_report(caseload(date(2026, 11, 30)), ref, small_number_limit=1)
    assert cells(to_csv(report.continuity))[1] == ["Alla", "1", "12,0", "12,0", "100,0 %"]
    assert cells(to_csv(report.goals_by_sex))[1][:3] == ["Uppnått", "1", "100,0 %"]
    assert [row[0] for row in report.internal_control.rows] == ["K-001", "K-003, K-004", "K-006"]
    assert report.period_note is not None and report.period_note.sv.startswith(
        "Perioden slutar efter i dag (2026-12-31): den räknas till och med i dag (2026-11-30).")
    assert report.internal_control.note == ("Summan av alla beslut i kraft samma dag, i alla ärenden; tid per vecka "
                                            "räknas om till tid per månad."), "said once, for every table: not here"
    assert caseload_report(caseload(END), ref).period_note is None


def test_continuity_and_goals_count_a_follow_up_that_measured_only_them(ref: ReferenceData) -> None:
    """A follow-up that recorded a staff count, a named contact and a goal assessed, and none of the four questions
    nor a time comparison, is made (``follow_up_rules.has_substance``): s31-report dropped it from the very figures it
    recorded."""
    person, decision = _person(WOMAN, 1), _decision("omvardnad", 30)
    measured = _held([decision], date(2026, 11, 15), answered=False, staff=9, contact="Fast kontakt A", goals=1)
    load = Caseload((_case(person, "K-001", [decision], [measured]),), {person.id: person}, START, END, TODAY)
    report = caseload_report(load, ref, small_number_limit=1)
    assert cells(to_csv(report.continuity))[1] == ["Alla", "1", "9,0", "9,0", "100,0 %"]
    assert cells(to_csv(report.goals_by_sex))[1][:3] == ["Uppnått", "1", "100,0 %"]
