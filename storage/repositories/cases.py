"""Cases: save/load of the whole aggregate and the summaries the case list shows, filters and sorts."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ibic.granted_hours import ControlRule, HoursSpan, control_rule, summed_reminder
from ibic.messages import Term, dumps, from_json, to_json
from ibic.name_key import search_key
from ibic.reminders import Reminder, ReminderKind, Urgency, WorkItem
from ibic.vocabulary import CaseStatus, ClosingReason
from storage.errors import DamagedRecord
from storage.repositories.base import DocumentRepository, SaveResult
from storage.repositories.documents import RecordKind, validate_stored

if TYPE_CHECKING:
    from ibic.cases import Case
    from ibic.reference import Rules
    from ibic.work_list import DayColumns

T = TypeVar("T")


@cache
def _rules() -> Rules:
    from ibic.reference import load_reference_data  # validated reference data (pydantic): at the first summary

    return load_reference_data().rules


@cache
def _day_columns() -> Callable[[Case, date, Rules], DayColumns]:
    """The work list's rules, imported at the first case summarised (they read the case's models). Cached, not an
    import statement a case: the day's refresh summarises every open case, and PySide6's hook runs at each one."""
    from ibic.work_list import day_columns

    return day_columns


@cache
def _held_insatser() -> Callable[[Case, date], list[tuple[str, str, str]]]:
    """The rule of what a case holds in force (ibic.work_list.held_insatser), imported as the work list's is."""
    from ibic.work_list import held_insatser

    return held_insatser


@cache
def _case_model() -> type[Case]:
    """The case model, imported at the first case loaded or saved: reading the list imports no model."""
    from ibic.cases import Case

    return Case


def case_summary(case: Case, today: date) -> dict[str, Any]:
    """Columns for the case list; the next deadline and the work list's rows are computed for ``today`` and
    refreshed daily."""
    work, held, spans = _day_columns()(case, today, _rules())
    # The reminders once: ibic.deadlines.next_deadline is the first of them (planned follow-ups are work, not
    # deadlines); a test compares the columns with next_deadline itself.
    reminder = next((r for r, _large in work if r.kind != ReminderKind.FOLLOW_UP_PLANNED), None)
    return {
        "person_id": case.person_id,
        "case_number": case.case_number,
        "status": case.status.value,
        "next_deadline": None if reminder is None else reminder.due.isoformat(),
        # The reason as key + parameters (ibic.messages), shown in the interface's language when the row is shown.
        "next_deadline_text": "" if reminder is None else dumps(reminder.reason),
        "next_deadline_kind": "" if reminder is None else reminder.kind.value,
        "urgency": 0 if reminder is None else int(reminder.urgency),
        "deadline_checked_on": today.isoformat(),
        "applied_for": applied_for_column(case),
        "work": work_column(work),
        "in_force": in_force_column(held),
        "hours": hours_column(spans, control_rule(_rules())),
        "closing": closing_column(case),
    }


def closing_column(case: Case) -> str:
    """Why a closed case was closed, for the case list: its closing's reason (a ``ClosingReason`` value), "other:"
    and the handläggare's text for "annat"; "" while the case is open, or for a closing recorded without a reason."""
    history = case.status_history
    if case.status != CaseStatus.CLOSED or not history or history[-1].status != CaseStatus.CLOSED:
        return ""
    reason = history[-1].reason
    if reason is None:
        return ""
    return f"{reason.value}:{history[-1].reason_note}" if reason == ClosingReason.OTHER else reason.value


def hours_column(spans: list[HoursSpan], rule: ControlRule) -> str:
    """A case's decisions with time as compact JSON [[hours, months, reminder days], [[decision id, insats wording,
    English name, first day, last day or null, hours a month, latest follow-up held or null], ...]]; "" for none.
    The listing groups a person's columns (``person_hours``) so the work list sums the person's hours as the
    internal control report does, by the rule's numbers stored beside them (the listing loads no reference models)."""
    rows = [[s.decision_id, s.insats.sv, s.insats.en, s.starts_on.isoformat(), s.until and s.until.isoformat(),
             s.hours, s.followed_on and s.followed_on.isoformat()] for s in spans]
    return json.dumps([list(rule), rows], ensure_ascii=False, separators=(",", ":")) if rows else ""


def _spans_of(rows: Any) -> list[HoursSpan]:
    day = date.fromisoformat
    return [HoursSpan(str(decision), Term(str(sv), str(en)), day(starts), until and day(until), float(hours),
                      followed and day(followed))
            for decision, sv, en, starts, until, hours, followed in rows]


def summed_hours_reminder(summary: CaseSummary, today: date) -> Reminder | None:
    """The work list's reminder of a decision counted in the person's hours at or over the internal control's
    threshold (``ibic.granted_hours.summed_reminder``) from ``summary.person_hours``; None for none or a text that
    does not read so (from another program)."""
    if not summary.person_hours or summary.status == CaseStatus.CLOSED:
        return None
    try:
        cases = [(str(case_id), ControlRule(*rule), _spans_of(spans))
                 for case_id, (rule, spans) in _decode(summary.person_hours)]
    except (ValueError, TypeError):
        return None
    own = [span for case_id, rule, spans in cases if case_id == summary.case_id for span in spans]
    rule = next(rule for case_id, rule, _spans in cases if case_id == summary.case_id)
    every = [span for _case_id, _rule, spans in cases for span in spans]
    return summed_reminder(own, every, today, rule)


def in_force_column(held: list[tuple[str, str, str]]) -> str:
    """A case's decisions in force for the day as a compact JSON array of [insats id, Swedish wording, English
    name]; "" for
    none (most cases), so the listing's look-up of a person's other cases skips them at once."""
    return json.dumps([list(pair) for pair in held], ensure_ascii=False, separators=(",", ":")) if held else ""


def in_force_on(connection: Any, case_ids: Collection[str], today: date, path: Any) -> dict[str, str]:
    """``in_force_column`` of each of these cases for ``today``, from its document: for cases whose stored column
    was computed on an earlier day (the window left unlocked past midnight named a decision that ended at it, in
    Ny ärende, s29-look). A case that no longer validates is left out (its stored column stands)."""
    ids = sorted(case_ids)
    if not ids:
        return {}
    rows = connection.execute(
        f"SELECT id, json_remove(document, {_NOT_FOR_DEADLINES}) FROM case_documents"
        f" WHERE id IN ({', '.join('?' for _ in ids)})", ids,
    ).fetchall()
    fresh: dict[str, str] = {}
    for case_id, document in rows:
        try:
            case = validate_stored(_case_model(), document, path)
        except DamagedRecord:
            continue
        fresh[case_id] = in_force_column(_held_insatser()(case, today))
    return fresh


def held_of(summary: CaseSummary) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """``summary.others_in_force`` decoded: (case number, [(insats id, wording, English name)]) for each other case
    of the person; none for "" or a text that does not read so (from another program)."""
    if not summary.others_in_force:
        return []
    try:
        return [(str(number), _held_triples(held)) for case_id, number, held in _decode(summary.others_in_force)
                if case_id != summary.case_id]  # the listing's look-up holds the person's every case
    except (ValueError, TypeError):
        return []


def held_in(in_force: str) -> list[tuple[str, str, str]]:
    """One case's ``in_force`` column decoded, as ``held_of`` reads each case's."""
    if not in_force:
        return []
    try:
        return _held_triples(_decode(in_force))
    except (ValueError, TypeError):
        return []


def _held_triples(held: Any) -> list[tuple[str, str, str]]:
    return [(str(insats), str(sv), str(en)) for insats, sv, en in held]


def applied_for_column(case: Case) -> str:
    """What the person applied for: catalogue insats ids, or the free text where none was chosen, as a compact JSON
    array (the same text SQLite's json_group_array writes, so migration 0003 fills stored cases alike)."""
    items = [item.insats_id or item.free_text for item in case.application.items]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def applied_for_items(column: str) -> list[str]:
    """The entries of an ``applied_for`` column; empty for a row written before the column existed."""
    try:
        items = json.loads(column) if column else []
    except ValueError:
        return []
    return [str(item) for item in items] if isinstance(items, list) else []


def _applied_tuple(seen: dict[str, tuple[str, ...]], column: str) -> tuple[str, ...]:
    """``applied_for_items`` as a tuple, one object for every equal column text (parsed once)."""
    items = seen.get(column)
    if items is None:
        items = seen[column] = tuple(applied_for_items(column))
    return items


def work_column(work: list[tuple[Reminder, bool]]) -> str:
    """A case's rows of the "Att göra" list (ibic.work_list.work_reminders), refreshed daily with the deadline:
    the list is built from summaries, never by loading thousands of cases. The reason is stored as key + parameters
    (ibic.messages), never as rendered text, so the list shows it in the language the interface runs in."""
    rows = [[r.kind.value, r.due.isoformat(), int(r.urgency), to_json(r.reason), r.decision_id, large]
            for r, large in work]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")) if rows else ""


class WorkEntry(NamedTuple):
    """One stored row of a case's work list, as plain values: the reason still as stored (``ibic.messages.to_json``),
    so a list of thousands of rows renders each distinct reason once (``ui.cases.work_list.WorkRows``)."""

    kind: ReminderKind
    due: date
    urgency: Urgency
    reason: Any
    decision_id: str | None
    large: bool


def stored_work(work: str) -> list[Any]:
    """A case's work column (``CaseSummary.work``) decoded: its rows as stored, [kind, due, urgency, reason,
    decision id, large] each; none for "", a text that does not parse or a value that is no list. Those of a kind
    not in ``WORK_KINDS`` (from a newer program) are left out by the readers, and a case whose rows do not unpack
    or convert is left out whole: ``work_entries_of`` and ``ui.cases.work_list.WorkRows``."""
    if not work:
        return []
    try:
        # The C scanner itself, as json.loads ends up calling it, without the two Python frames and two
        # whitespace matches around it: the column is written compact (work_column, migration 0003), and most of
        # 10,000 cases have one (their texts decoded in ~31 ms instead of ~43).
        rows, end = _scan(work, 0)
    except (StopIteration, ValueError):
        end = -1
    if end != len(work):
        try:
            rows = _decode(work)  # what json.loads accepts beyond that (whitespace around the value), or nothing
        except ValueError:
            return []
    return rows if type(rows) is list else []


def work_entries_of(summary: CaseSummary) -> list[WorkEntry]:
    """The work list's rows stored for ``summary``'s case ("" for none; a kind from a newer program is left out, and
    so is every row of a case whose stored rows do not read as rows)."""
    try:
        return [
            # Dict lookups, not the enums' calls (~5 µs each, 15,000 rows at 10,000 bulk cases); Urgency() for a
            # value not in the dict raises (and leaves the case's rows out).
            WorkEntry(WORK_KINDS[kind], date.fromisoformat(due), WORK_URGENCIES.get(urgency) or Urgency(urgency),
                      reason, decision_id, bool(large))
            for kind, due, urgency, reason, decision_id, large in stored_work(summary.work) if kind in WORK_KINDS
        ]
    except (ValueError, TypeError):
        return []


def work_items_of(summary: CaseSummary) -> list[WorkItem]:
    """The work list's rows stored for ``summary``'s case as ``WorkItem``s. A row stored before reasons had keys
    holds Swedish text: it shows as it is until the daily refresh replaces it."""
    return [
        WorkItem(summary.case_id, summary.case_number,
                 Reminder(e.kind, e.due, e.urgency, from_json(e.reason), e.decision_id), e.large)
        for e in work_entries_of(summary)
    ]


# ibic.deadlines.next_deadline reads neither the investigation nor consents and proposals, the bulk of a case; the
# daily refresh leaves them out (SQLite's json_remove, in C) before validating, which halves its cost. A test compares
# the result with the computation on the whole case, so a deadline rule that starts reading them fails loudly.
_NOT_FOR_DEADLINES = "'$.investigation', '$.consents', '$.proposals'"
# The day's refresh (the first unlock of a day, on the upkeep worker beside the shown list) reads, validates and
# writes this many cases at a time: read whole, 10,000 documents and updates were alive at once and the window kept
# the arenas they spread over (+11 MiB steady, issue 14; tests/storage/test_deadline_refresh_chunks.py).
REFRESH_CHUNK = 256
_STATUSES = {status.value: status for status in CaseStatus}
WORK_KINDS = {kind.value: kind for kind in ReminderKind}  # a dict lookup: calling the enum costs ~5 µs a row
WORK_URGENCIES = {int(urgency): urgency for urgency in Urgency}
_decode = json.JSONDecoder().decode  # json.loads without its checks of the argument, once a case with work
# json's C scanner (c_make_scanner), set on every decoder (typeshed does not declare it): (value, end) from the given
# index, StopIteration where no value starts.
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
# What case_summary reads: its own columns plus ibic.deadlines.next_deadline's inputs (tracked by a test).
CASE_SUMMARY_FIELDS = frozenset({
    "person_id", "case_number", "status", "status_history", "application", "communication", "decisions",
    "decision_statuses", "discharge", "follow_ups",
})
CASE_KIND = RecordKind("case", "cases", "case_documents", _case_model, case_summary, lambda record_id: record_id,
                       CASE_SUMMARY_FIELDS)


class CaseSummary(NamedTuple):
    """One case as listed: a named tuple, because every unlock builds one per case (10,000 and more) on its way to
    the list. Made in about half the time of a frozen dataclass (which sets each field through
    ``object.__setattr__``) and smaller than one with a ``__dict__``; as immutable and hashable."""

    case_id: str
    case_number: str
    person_id: str
    person_name: str
    personal_number: str
    status: CaseStatus
    next_deadline: date | None
    next_deadline_text: str  # the reason as ibic.messages.dumps; older rows hold Swedish text (ibic.messages.loads)
    urgency: int
    updated_at: datetime
    pending_changes: int
    has_conflict: bool
    fictitious: bool
    # Added by migration 0003: what the next deadline is for (an ibic.deadlines.ReminderKind value, "" for none)
    # and what was applied for (insats ids or free texts, see applied_for_items).
    next_deadline_kind: str = ""
    applied_for: tuple[str, ...] = ()
    work: str = ""  # the case's work list rows, see work_items_of
    # Added by migration 0014: for a case being started (aktualiserad, under utredning), the person's cases with
    # decisions in force, as JSON [[case id, case number, [[insats id, wording, English], ...]], ...], this one's
    # too if it has any (held_of leaves it out); "" for none. One grouped look-up of the few cases with decisions
    # in force: a correlated one per case cost 10,000 listed bulk cases 14 ms of CPU (65 -> 79 ms), this one about
    # 7 (63 -> 70 ms; s28-probe, min of 5 reads, 3 fresh processes each, load 11 on 2 cores).
    others_in_force: str = ""
    # Added by migration 0016: for a case with decisions with time (``hours_column``), every such case of the
    # person as JSON [[case id, [rule, [[decision id, ...], ...]]], ...], this one's too; "" for none, and for a
    # person with one such decision in all (it alone reaches the threshold or not: ``ibic.deadlines`` reminds of it),
    # so most listed cases decode nothing.
    person_hours: str = ""
    # Added by migration 0018: why a closed case was closed (``closing_column``), shown beside its status.
    closing: str = ""


_new_summary = tuple.__new__  # a CaseSummary from its 19 values, every field given (see _summaries)

_SUMMARY_QUERY = """
SELECT c.id, c.case_number, c.person_id, coalesce(p.full_name, ''), coalesce(p.personal_number, ''), c.status,
       c.next_deadline, c.next_deadline_text, c.urgency, v.updated_at, coalesce(j.n, 0), k.case_id IS NOT NULL,
       coalesce(p.fictitious, 0), c.next_deadline_kind, c.applied_for,
       c.work,
       CASE WHEN c.status IN ('actualised', 'investigation') THEN coalesce(h.held, '') ELSE '' END,
       CASE WHEN c.hours != '' AND c.status != 'closed' THEN coalesce(g.hours, '') ELSE '' END,
       c.closing
FROM cases AS c
JOIN case_versions AS v ON v.id = c.id
LEFT JOIN (SELECT person_id, json_group_array(json_array(id, json(hours))) AS hours FROM cases
           WHERE valid = 1 AND hours != ''{people} GROUP BY person_id
           HAVING sum(json_array_length(hours, '$[1]')) > 1) AS g ON g.person_id = c.person_id
LEFT JOIN (SELECT person_id, json_group_array(json_array(id, case_number, json(in_force))) AS held FROM cases
           WHERE valid = 1 AND in_force != ''{people} GROUP BY person_id) AS h ON h.person_id = c.person_id
LEFT JOIN people AS p ON p.id = c.person_id
LEFT JOIN (SELECT case_id, count(*) AS n FROM journal WHERE state = 'pending' GROUP BY case_id) AS j
       ON j.case_id = c.id
LEFT JOIN (SELECT DISTINCT case_id FROM conflicts) AS k ON k.case_id = c.id
WHERE c.valid = 1 {filters}
ORDER BY c.urgency DESC, c.next_deadline IS NULL, c.next_deadline, v.updated_at DESC
{limit}
"""


class CaseRepository(DocumentRepository["Case"]):
    kind = CASE_KIND

    def list_summaries(self, *, text: str = "", statuses: set[CaseStatus] | None = None, today: date | None = None,
                       limit: int | None = None, refresh: bool = True) -> list[CaseSummary]:
        """Summaries for the case list, most urgent first; ``text`` matches a name, personnummer digits or case
        number. ``refresh=False`` lists the stored deadlines as they are, even if computed on an earlier day (the
        unlock shows those at once and refreshes them off its path)."""
        return self.read_summaries(list, text=text, statuses=statuses, today=today, limit=limit, refresh=refresh)

    def read_summaries(self, consume: Callable[[Iterator[CaseSummary]], T], *, text: str = "",
                       statuses: set[CaseStatus] | None = None, today: date | None = None, limit: int | None = None,
                       refresh: bool = True) -> T:
        """``consume``'s result over the summaries ``list_summaries`` would return, made one by one from the cursor
        while the connection is held: a whole listing's rows are built without ever holding every summary
        (~1.8 KiB a case), which would leave their memory in holes between the rows."""
        today = today or self._author.today()
        if refresh:
            self.refresh_deadlines(today)
        filters: list[str] = []
        parameters: list[Any] = []
        if statuses is not None:
            if not statuses:
                return consume(iter(()))
            filters.append(f"c.status IN ({', '.join('?' for _ in statuses)})")
            parameters.extend(sorted(s.value for s in statuses))
        needle = text.strip()
        if needle:
            names = name_patterns(needle)
            alternatives = ["p.name_key LIKE ? ESCAPE '\\'"] * len(names) + ["c.case_number LIKE ? ESCAPE '\\'"]
            parameters.extend([*names, f"%{_escape(needle)}%"])
            number = number_pattern(needle)
            if number:
                alternatives.append("p.personal_number LIKE ?")
                parameters.append(number)
            filters.append(f"({' OR '.join(alternatives)})")
        return self._summaries(filters, parameters, limit, consume)

    def summaries_of(self, case_ids: Collection[str], person_ids: Collection[str] = ()) -> list[CaseSummary]:
        """Summaries of these cases and of every case of these people, as saved (no daily refresh: a save computes
        its case's deadline for the day): what the case list updates after a few saves instead of listing all."""
        # Two queries, each on its own index (cases.id, and cases.person_id from migration 0005).
        # The people's other cases (their hours and decisions in force) are grouped for these people only: grouped
        # for every person, each Ctrl+E back to the list read all cases (85 ms of the UI thread at 50,000, s33-lead).
        rows: dict[str, CaseSummary] = {}
        for column, ids in (("c.id", sorted(case_ids)), ("c.person_id", sorted(person_ids))):
            if ids:
                marks = ", ".join("?" for _ in ids)
                people = (f" AND person_id IN (SELECT person_id FROM cases WHERE id IN ({marks}))" if column == "c.id"
                          else f" AND person_id IN ({marks})")
                found = self._summaries([f"{column} IN ({marks})"], [*ids, *ids, *ids], None, list, people)
                rows.update((r.case_id, r) for r in found)
        return list(rows.values())

    def _summaries(self, filters: list[str], parameters: list[Any], limit: int | None,
                   consume: Callable[[Iterator[CaseSummary]], T], people: str = "") -> T:
        """``people``: a filter of the grouped other cases by person_id, its parameters first in ``parameters``
        (once for each of the two groupings, then the ``filters``')."""
        query = _SUMMARY_QUERY.format(
            filters="".join(f" AND {f}" for f in filters), limit="" if limit is None else "LIMIT ?", people=people
        )
        if limit is not None:
            parameters = [*parameters, limit]
        applied: dict[str, tuple[str, ...]] = {}  # thousands of cases applied for the same few insatser
        statuses, day, moment = _STATUSES, date.fromisoformat, datetime.fromisoformat
        with self._db.reading() as connection:
            # Row by row from the cursor: never every row as tuples and as summaries at once.
            # Positional, in the fields' order (the query's columns are in that order too), each made by tuple's
            # own __new__ in C (the named tuple's __new__ is a Python call) with the converters in locals: an unlock
            # makes one summary a case (10,000 in 13.0 -> 9.8 ms).
            return consume(
                _new_summary(CaseSummary, (
                    r[0], r[1], r[2], r[3], r[4], statuses[r[5]], None if r[6] is None else day(r[6]),
                    r[7], int(r[8]), moment(r[9]), int(r[10]), bool(r[11]), bool(r[12]), r[13],
                    applied[r[14]] if r[14] in applied else _applied_tuple(applied, r[14]), r[15], r[16], r[17],
                    r[18],
                ))
                for r in connection.execute(query, parameters)
            )

    def refresh_deadlines(self, today: date) -> int:
        """Recompute next deadline and urgency of cases last computed for another day; returns how many. In chunks of
        ``REFRESH_CHUNK`` cases by id, each read, then written in a transaction of its own."""
        refreshed, after = 0, None  # None: from the first id on ("" is a legal id, and sorts first)
        damaged: list[DamagedRecord] = []
        while stale := self._stale_chunk(today, after):
            after = stale[-1][0]
            refreshed += self._write_refreshed(stale, today, damaged)
        with self._db.transaction() as connection:
            # A closed case has no deadlines (ibic.deadlines.reminders): no need to read its document.
            closed = connection.execute(
                "UPDATE cases SET next_deadline = NULL, next_deadline_text = '', next_deadline_kind = '', urgency = 0,"
                " work = '', deadline_checked_on = ?,"
                " in_force = '' WHERE deadline_checked_on != ? AND status = 'closed'",
                (today.isoformat(), today.isoformat()),
            ).rowcount
        if damaged:  # reported as before (the upkeep says so), once every other case is refreshed
            raise damaged[0]
        return refreshed + max(int(closed), 0)

    def _stale_chunk(self, today: date, after: str | None) -> list[tuple[str, str, str]]:
        """The next ``REFRESH_CHUNK`` open cases by id after ``after`` whose deadlines were computed on another day,
        and closed cases never computed (``deadline_checked_on`` cleared by a migration: 0016 and 0017 fill their
        ``hours``, which Att göra sums as Rapporter → Internkontroll counts them): id, version time and the document
        without what deadlines never read. A closed case once computed is never read again (``refresh_deadlines``)."""
        with self._db.reading() as connection:
            chunk: list[tuple[str, str, str]] = connection.execute(
                f"SELECT c.id, v.updated_at, json_remove(d.document, {_NOT_FOR_DEADLINES}) FROM cases AS c"
                " JOIN case_versions AS v ON v.id = c.id JOIN case_documents AS d ON d.id = c.id"
                " WHERE c.valid = 1 AND c.deadline_checked_on != ?"
                " AND (c.status != 'closed' OR c.deadline_checked_on = '') AND (? IS NULL OR c.id > ?)"
                " ORDER BY c.id LIMIT ?",
                (today.isoformat(), after, after, REFRESH_CHUNK),
            ).fetchall()
        return chunk

    def _write_refreshed(self, stale: list[tuple[str, str, str]], today: date, damaged: list[DamagedRecord]) -> int:
        """The chunk's summaries computed for ``today`` and written; returns how many were computed. A case that no
        longer validates is left as it was and its error added to ``damaged``."""
        updates = []
        model = _case_model()
        for case_id, updated_at, document in stale:
            try:
                case = validate_stored(model, document, self._db.path)
            except DamagedRecord as error:
                # One case that no longer validates keeps its row as it was and stops neither the rest of its chunk
                # nor the chunks after it; a document that does not parse still raises at once.
                damaged.append(error)
                continue
            summary = case_summary(case, today)
            updates.append((summary["next_deadline"], summary["next_deadline_text"], summary["next_deadline_kind"],
                            summary["urgency"], summary["deadline_checked_on"], summary["applied_for"],
                            summary["work"], summary["in_force"], summary["hours"], summary["closing"], case_id,
                            updated_at))
        with self._db.transaction() as connection:
            # The refresh runs on a worker while the handläggare may save: a case saved since it was read keeps
            # the summary its save wrote (``updated_at`` moved), never this one computed from the older document.
            connection.executemany(
                "UPDATE cases SET next_deadline = ?, next_deadline_text = ?, next_deadline_kind = ?, urgency = ?,"
                " deadline_checked_on = ?, applied_for = ?, work = ?, in_force = ?, hours = ?, closing = ? WHERE id = ?"
                " AND (SELECT updated_at FROM case_versions AS v WHERE v.id = cases.id) IS ?",
                updates,
            )
        return len(updates)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def number_pattern(needle: str) -> str:
    """The LIKE pattern finding the personnummer whose digits ``needle`` holds, or "" when it is not a number (only
    digits, spaces, "-" and "+"). In one Unicode form first (NFKC, as the case list's search): full-width digits
    typed in an input method's wide mode or copied from a document are the same number, and the stored ones are
    ASCII; the case list found such a number and Ny ärende's known people did not."""
    folded = unicodedata.normalize("NFKC", needle)
    if re.search(r"[^0-9\s+-]", folded):
        return ""
    digits = re.sub(r"[^0-9]", "", folded)
    return f"%{digits}%" if digits else ""


def name_patterns(needle: str) -> list[str]:
    """LIKE patterns (``ESCAPE '\\'``) finding ``needle`` in the people's ``name_key``: the needle in the key's one
    form (``search_key``: case folded, NFKC), so a name stored as "a" and a combining ring (sent by a central system,
    pasted), one stored as "å" and one mixing both forms are found by either, as typed (migration 0013 put the keys
    of earlier profiles in that form). One pattern; a list, as callers join alternatives."""
    return [f"%{_escape(search_key(needle))}%"]


__all__ = ["CASE_KIND", "CASE_SUMMARY_FIELDS", "CaseRepository", "CaseSummary", "SaveResult"]
