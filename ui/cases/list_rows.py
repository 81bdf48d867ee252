"""The case list's rows as they are built from the stored summaries: on the worker that listed the cases (a whole
listing, ``built_rows``) or on the UI thread for the cases saved later (``RowBuilder``), and read back from the
kept listing (``ui.cases.kept_listing``). Plain Python: no Qt class here.

Kept apart from the models that show them (``ui.cases.table_model``, session 21: it was over 900 lines).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ibic.name_key import in_one_form, search_key
from ibic.vocabulary import CaseStatus
from storage.repositories.cases import CaseSummary
from ui.cases.deadline_text import applied_for_text, closing_text
from ui.cases.packed import CaseColumns, PackedWriter

if TYPE_CHECKING:
    from ibic.reference_files import ListedReference  # only named: the list is handed the loaded labels

# A row's state, shared by the rows alike: status, changes waiting, conflict, fictitious, the applied-for label and
# why a closed case was closed (``deadline_text.closing_text``, "" for an open case).
State = tuple[CaseStatus, int, bool, bool, str, str]

# New columns go after the deadline, so the first four keep their place (tests and habits point at them).
COLUMNS = ("name", "personal_number", "status", "deadline", "case_number", "applied_for", "updated", "sync")
_DEADLINE = COLUMNS.index("deadline")
_NO_DEADLINE = date.max.toordinal()


# Å, Ä, Ö after Z and in that order, as Swedish sorts them (Æ with Ä, Ø with Ö): the three code points after "z".
# Replaced one by one (in C), not by ``str.translate`` with a table (a Python look-up a character: 4× the cost).
_SWEDISH_LAST = (("å", "{"), ("ä", "|"), ("æ", "|"), ("ö", "}"), ("ø", "}"))
# The other letters Swedish collation does not sort with their base letter (CLDR's sv rules, after the Svenska
# Akademiens ordlista and TNC): ü and ű as y (Müller between Myhr and Mäki), ę with ä, ő, œ and ô with ö, đ and ð as
# d, þ as th. Replaced only in a name still not ASCII after å, ä and ö, so those names pay nothing more.
_SWEDISH_AS = (("ü", "y"), ("ű", "y"), ("ę", "|"), ("ő", "}"), ("œ", "}"), ("ô", "}"), ("đ", "d"), ("ð", "d"),
               ("þ", "th"))
_SWEDISH_AS_FOUND = re.compile(f"[{''.join(letter for letter, _ in _SWEDISH_AS)}]").search


def sort_key(text: str) -> str:
    """``text`` as the list sorts it, as a Swedish reader expects: case ignored, å, ä, ö last and in that order
    (code points put ä before å), ü as y, æ as ä, ø as ö (``_SWEDISH_AS``), another accented letter with its letter
    (é with e), in either Unicode form."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    folded = in_one_form(text, folded)
    for letter, after_z in _SWEDISH_LAST:
        folded = folded.replace(letter, after_z)
    if folded.isascii():  # only å, ä, ö (nearly every name that is not ASCII): ~3 µs a name less
        return folded
    if _SWEDISH_AS_FOUND(folded):  # one pass in C; the nine replacements only for the names holding one
        for letter, swedish in _SWEDISH_AS:
            folded = folded.replace(letter, swedish)
    return "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))


def searched(text: str) -> str:
    """``text`` as search compares it: ``ibic.name_key.search_key`` (as the stored people's name key) and without
    "-" and "+" (so 121212-1212 finds the stored digits and DEMO-2026 the case number). A name sent by a central
    system or pasted may hold "å" as "a" and a combining ring, a typed query the one character: neither found the
    other. The form is checked in C first: nearly every text already is in it."""
    return search_key(text).replace("-", "").replace("+", "")


@dataclass(slots=True)
class ListRow:
    """One case as the list shows, sorts and searches it; nothing else of the case is kept. Made when one is asked
    for (``CaseTableModel.row``): the model keeps its fields column by column (the strings packed,
    ``ui.cases.packed``; the shared tuples in lists).

    What thousands of rows hold alike is one tuple they share: the next deadline (379 distinct in 50,000 bulk
    cases: its date, kind, sentence and urgency) and the state (status, changes waiting, conflict, fictitious: a
    handful, with the applied-for label). Five fields instead of fourteen, and no date object a row: 72 bytes a
    row instead of 144 + 32. The personnummer and the last change are kept beside the rows, in ``CaseTableModel``'s
    arrays (8 bytes a row each instead of a field and a 32-byte int or a 24-byte float)."""

    case_id: str
    case_number: str
    name: str
    due: tuple[date | None, str, str, int]  # deadline, its kind, its sentence (the tooltip), urgency; shared
    # Status, pending changes, conflict, fictitious, the applied-for label (one string shared by every row that
    # applied for the same) and why a closed case was closed; shared.
    state: State

    @property
    def deadline(self) -> date | None:
        return self.due[0]

    @property
    def deadline_kind(self) -> str:
        return self.due[1]

    @property
    def deadline_text(self) -> str:
        return self.due[2]

    @property
    def urgency(self) -> int:
        return self.due[3]

    @property
    def status(self) -> CaseStatus:
        return self.state[0]

    @property
    def pending(self) -> int:
        return self.state[1]

    @property
    def conflict(self) -> bool:
        return self.state[2]

    @property
    def fictitious(self) -> bool:
        return self.state[3]

    @property
    def applied(self) -> str:
        return self.state[4]

    @property
    def closing(self) -> str:
        return self.state[5]


class RowBuilder:
    """Makes a case's ``ListRow`` from its summary. Plain Python (no Qt object), so a whole listing is built on
    the worker that read it (``built_rows``) and the model keeps the builder for the rows saved later."""

    def __init__(self, ref: ListedReference) -> None:
        self._ref = ref
        self._applied: dict[tuple[str, ...], str] = {}
        self._closings: dict[str, str] = {"": ""}  # the closing column -> its text: a few reasons, each "Annat" once
        # Equal values as one object: thousands of rows share a few deadlines and states (a dict's own setdefault:
        # a call in C a row, where a Python method was one in Python).
        self._shared: dict[Any, Any] = {}
        self.odd: list[str] = []  # the personnummer that are not 12 ASCII digits (``number``)

    def __call__(self, s: CaseSummary) -> Built:
        """The row's fields (``ListRow``'s, in its order), the text search looks in besides the applied-for label
        (name, personnummer, case number), the last change as a timestamp and the personnummer as a number
        (``number``).

        The label (shared by the rows that applied for the same) is searched once per label, not once per row:
        a row's own text is shorter, and mostly one byte a character where the label's dash made it two."""
        # One unpacking in C instead of a field lookup each (an unlock makes one row a case: 10,000 and more).
        (case_id, case_number, _person_id, name, personal_number, status, deadline, deadline_text, urgency, updated,
         pending, conflict, fictitious, deadline_kind, applied_for, _work, _held, _hours, closing) = s
        applied = self._applied.get(applied_for)
        if applied is None:
            applied = self._applied[applied_for] = applied_for_text(applied_for, self._ref)
        # As the query's words are (``searched``). A str, not UTF-8 bytes (16 bytes a row less): ``in`` on bytes
        # takes the word through the buffer protocol at every row, and a key's pass over 50,000 rows took four
        # times as long.
        closed = self._closings.get(closing)
        if closed is None:
            closed = self._closings[closing] = closing_text(closing, self._ref)
        # Why a closed case was closed is searched as its name is: "avlidit" finds the cases closed so.
        search = searched(f"{name} {personal_number} {case_number} {closed}" if closed else
                          f"{name} {personal_number} {case_number}")
        shared = self._shared.setdefault
        due = (deadline, deadline_kind, deadline_text, urgency)
        state = (status, pending, conflict, fictitious, applied, closed)
        # ``number`` written out for the 12 digits nearly every row holds: one Python call less a row.
        if len(personal_number) == 12 and personal_number.isascii() and personal_number.isdigit():
            number = int(personal_number)
        else:
            number = self.number(personal_number)
        return (case_id, case_number, name, shared(due, due), shared(state, state), search, updated.timestamp(),
                number)

    def number(self, text: str) -> int:
        """A personnummer as one int of an ``array('q')``: its 12 ASCII digits, or (anything else, as stored) the
        negative of 1 + its place among the odd numbers (``odd``), which are few."""
        if len(text) == 12 and text.isascii() and text.isdigit():
            return int(text)
        self.odd.append(text)
        return -len(self.odd)


# A row as ``RowBuilder`` makes it: ListRow's fields, the search text, the last change and the personnummer.
Built = tuple[str, str, str, tuple[date | None, str, str, int], State, str, float,
              int]


@dataclass(frozen=True)
class BuiltRows:
    """A whole listing's rows, what search looks in and each case's row index, ready for ``set_built``: column by
    column (``ListRow``'s fields: the strings packed, the shared deadlines and states as a list each)."""

    columns: CaseColumns
    dues: list[tuple[date | None, str, str, int]]
    states: list[State]
    search: list[str]
    labels: dict[str, int]  # each applied-for label shown -> its number
    label_of: array[int]  # each row's label number
    updated: array[float]  # each row's last change, a timestamp
    numbers: array[int]  # each row's personnummer (RowBuilder.number)
    ids: array[int]  # each row's case id's token and index, sorted (id_keys)
    builder: RowBuilder
    orders: dict[int, list[int]]  # the list's first order (by deadline), sorted here too


def _ascending(keys: Sequence[Any], indices: Iterable[int]) -> list[int]:
    """``indices`` in ascending order of their ``keys``; stable, so ties keep the order ``indices`` come in.

    A list, not an ``array('i')`` (4 bytes a row instead of 8 and the int objects): a search picks its rows out of
    the current order with an ``itemgetter`` of its ints, and making 50,000 int objects out of an array each time the
    order changes cost ~0.8 ms of the first key or header click in it."""
    return sorted(indices, key=keys.__getitem__)


def _token(case_id: str) -> int:
    """The low 32 bits of the id's hash: what finds a case's rows (the id itself then tells collisions apart)."""
    return hash(case_id) & 0xFFFFFFFF


def id_keys(case_ids: Iterable[str]) -> array[int]:
    """Each id's token (the low 32 bits of its hash) above its index, sorted: a case's row is found by a binary
    search (``CaseTableModel.position``), 8 bytes a row where a dict of 50,000 ids held 70."""
    # Made in C, no Python step a row (10,000–50,000 on the unlock worker): the tokens (``id_tokens``) and the
    # indices as 4-byte halves side by side, read as one 8-byte number each, the token the upper half.
    tokens = array("I", id_tokens(case_ids))
    halves = array("I", bytes(8 * len(tokens)))
    upper = 1 if sys.byteorder == "little" else 0
    halves[upper::2] = tokens
    halves[1 - upper::2] = array("I", range(len(tokens)))
    return array("Q", sorted(array("Q", halves.tobytes())))


def id_tokens(case_ids: Iterable[str]) -> bytearray:
    """Each id's ``_token`` as 4 bytes (native byte order), one after the other, made in C: the low halves of the
    8-byte hashes."""
    halves = array("I", array("q", map(hash, case_ids)).tobytes())
    return bytearray((halves[::2] if sys.byteorder == "little" else halves[1::2]).tobytes())


def built_rows(summaries: Iterable[CaseSummary], ref: ListedReference) -> BuiltRows:
    """Every row of a listing: on the worker that listed the cases (50,000 rows take about a second).

    The ids, case numbers and names are packed as they come (``ui.cases.packed``): no string a row is kept."""
    builder = RowBuilder(ref)
    ids, numbers, names = PackedWriter(), PackedWriter(), PackedWriter()
    dues: list[tuple[date | None, str, str, int]] = []
    states: list[State] = []
    search: list[str] = []
    labels: dict[str, int] = {}
    label_of = array("I")
    updated = array("d")
    personal = array("q")
    # The first order's keys (``table_model._SORT_KEYS["deadline"]``), one per distinct deadline.
    deadlines: list[int] = []
    ordinals: dict[date | None, int] = {}
    for case_id, case_number, name, due, state, text, changed, number in map(builder, summaries):
        ids.add(case_id)
        numbers.add(case_number)
        names.add(name)
        dues.append(due)
        states.append(state)
        search.append(text)
        label_of.append(labels.setdefault(state[4], len(labels)))  # the applied-for label
        updated.append(changed)
        personal.append(number)
        deadline = due[0]
        if deadline not in ordinals:
            ordinals[deadline] = _NO_DEADLINE if deadline is None else deadline.toordinal()
        deadlines.append(ordinals[deadline])
    columns = CaseColumns(ids.packed(), numbers.packed(), names.packed())
    return BuiltRows(columns, dues, states, search, labels, label_of, updated, personal, id_keys(columns.case_ids),
                     builder, {_DEADLINE: _ascending(deadlines, range(len(dues)))})
