"""Both lists' rows kept in the profile between sessions (``storage.kept_list``): what an unlock hands the models
when nothing was written since the last lock, instead of listing every case again.

Written at the lock and at quit, on a worker, from a full listing built inside the transaction that keeps it
(never from the models, which were updated piecemeal); read by the unlock worker before it would list. The value is
one ``marshal`` dump of the rows' columns: the ids, case numbers and names packed (``ui.cases.packed``: one text
and each row's end a column, loaded without a string a row), the search texts, numbers, and each distinct deadline,
state and work row's what-is-due once with an index a row (dates as ordinals, enums as their values); the work
list's rows point at the case list's rows by index. Nothing hashed is kept: the rows' id keys hold ``hash()`` of
the ids, which changes from process to process, so they are made again at load. A value of another ``FORMAT`` (an
older program's, whose stamp would differ anyway) is not read: the unlock lists every case.

Kept with the stamp ``context()``: this format's number, Python's version (marshal's format is its own), the
language (the rows hold translated sentences and labels) and the bytes of the files the rows are built from (the
code and the reference data and translations; the executable's size and time), so an updated program never reads
rows it would build differently.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import marshal
import os
import sys
from array import array
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ibic.reference_files import DEFAULT_DIRECTORY
from ibic.reminders import ReminderKind
from ibic.vocabulary import CaseStatus
from ui.cases.case_list import PreparedListing, prepared_listing
from ui.cases.list_rows import _DEADLINE, BuiltRows, RowBuilder, id_keys
from ui.cases.packed import CaseColumns, Packed
from ui.cases.work_list import WorkColumns
from ui.i18n import language

if TYPE_CHECKING:
    from ibic.reference_files import ListedReference  # only named: the list is handed the loaded labels

log = logging.getLogger(__name__)

FORMAT = 3  # raise when what ``encode`` writes changes (2: the ids, case numbers and names packed; 3: a state
# holds why a closed case was closed)
# The modules whose code makes the rows' values (their files' bytes are in the stamp).
_BUILDERS = ("ui.cases.case_list", "ui.cases.list_rows", "ui.cases.table_model", "ui.cases.packed",
             "ui.cases.work_list", "ui.cases.deadline_text", "ui.cases.kept_listing", "ui.messages", "ui.i18n",
             "ibic.messages", "ibic.work_list", "ibic.held_elsewhere", "ibic.deadlines", "ibic.reminders",
             "ibic.reference", "ibic.reference_files", "ibic.vocabulary", "storage.repositories.cases")
_DATA = (DEFAULT_DIRECTORY, DEFAULT_DIRECTORY.parent / "translations")


def context() -> str:
    """What the kept rows depend on besides the data: the format, Python, the language and the program's files."""
    return f"{FORMAT} {sys.version_info[:3]} {language()} {_code()}"


@cache
def _code() -> str:
    digest = hashlib.blake2b(digest_size=12)
    # A bundle's modules are in its archive (no file to look at): its executable, written anew by each install,
    # stands for them.
    files = [Path(sys.executable)]
    files.extend(_source(name) for name in _BUILDERS)
    for folder in _DATA:
        try:
            files.extend(sorted(folder.iterdir()))
        except OSError:
            digest.update(b"-")
    try:
        status = os.stat(files[0])
        digest.update(f"{files[0].name} {status.st_size} {status.st_mtime_ns}\n".encode())
    except OSError:  # an install replacing it just now: looked at by name only (never an import that fails)
        digest.update(f"{files[0].name} -\n".encode())
    # The rest by their bytes (~0.3 MB): an install that keeps files' times (or gives every file one fixed time, as
    # image-based packages do) may replace a file with one of the same size.
    for path in files[1:]:
        try:
            content = path.read_bytes()
        except OSError:
            digest.update(f"{path.name} -\n".encode())
        else:
            digest.update(f"{path.name} {len(content)}\n".encode())
            digest.update(content)
    digest.update(sys.executable.encode())
    return digest.hexdigest()



def _source(name: str) -> Path:
    """A builder's file, found without importing it: the stamp must not depend on which modules this process has
    imported so far (the unlocked list no longer imports the domain's rules; a lock after a case was opened does)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    return Path(spec.origin if spec is not None and spec.origin else name)


# The program's files as this process read them: taken at import (with the builders, after the preload read the
# reference data), not at the first lock or unlock, which may come after an update replaced them (the rows are
# built by the code and data loaded before).
_code()


def read_kept(profile: Any, ref: ListedReference, today: date,
              read_then: Callable[[], object] = lambda: None) -> PreparedListing | None:
    """On the unlock worker: the kept rows when they are current (nothing written since, same day and context).
    ``read_then()`` is called once the value is read from the store, before it is made into rows."""
    value = profile.kept_list.read(today.isoformat(), context())
    read_then()
    if value is None:
        return None
    try:
        return decode(value, ref)
    except (ValueError, EOFError, TypeError, IndexError, KeyError) as error:  # never written so: list in full
        log.warning("kept list unreadable", extra={"error_type": type(error).__name__})
        return None


def keep(profile: Any, ref: ListedReference, today: date) -> bool:
    """On a worker at the lock or quit: a full listing kept for the next unlock (nothing done when the kept one is
    still current). Returns whether one was written."""
    return bool(profile.kept_list.keep(
        lambda: encode(profile.cases.read_summaries(lambda rows: prepared_listing(rows, ref, today), today=today,
                                                    refresh=False)),
        today.isoformat(), context()))


def encode(listing: PreparedListing) -> bytes:
    """The listing's rows as one marshal value (see the module's docstring)."""
    cases, work = listing.cases, listing.work
    dues: dict[Any, int] = {}
    states: dict[Any, int] = {}
    due_of = array("I", [dues.setdefault(due, len(dues)) for due in cases.dues])
    state_of = array("I", [states.setdefault(state, len(states)) for state in cases.states])
    whats: dict[Any, int] = {}
    what_of = array("I", [whats.setdefault(what, len(whats)) for what in work.whats])
    builder, columns = cases.builder, cases.columns
    return marshal.dumps((
        FORMAT,
        *_column(columns.case_ids), *_column(columns.case_numbers), *_column(columns.names),
        [(None if d is None else d.toordinal(), kind, text, urgency) for d, kind, text, urgency in dues],
        due_of.tobytes(),
        [(status.value, pending, conflict, fictitious, applied, closing)
         for status, pending, conflict, fictitious, applied, closing in states],
        state_of.tobytes(),
        cases.search, cases.labels, cases.label_of.tobytes(), cases.updated.tobytes(), cases.numbers.tobytes(),
        array("I", cases.orders[_DEADLINE]).tobytes(), list(builder.odd), builder._applied,
        [(urgency, day.toordinal(), large, kind.value, text) for urgency, day, large, kind, text in whats],
        what_of.tobytes(), work.cases.tobytes(),
    ))


def _column(packed: Packed) -> tuple[str, bytes]:
    text, ends = packed.dense()
    return text, ends.tobytes()


def decode(value: bytes, ref: ListedReference) -> PreparedListing:
    """The listing ``encode`` wrote, with the models' own objects (dates, enums, arrays, the id keys); the ids,
    case numbers and names as the packed columns they were written as (no string a row)."""
    fields = marshal.loads(value)
    if not isinstance(fields, tuple) or not fields or fields[0] != FORMAT or len(fields) != 22:
        raise ValueError("another format")  # an older program's (FORMAT 1 held a list of strings a column)
    (_, ids, id_ends, numbers, number_ends, names, name_ends, due_table, due_of, state_table, state_of, search,
     labels, label_of, updated, personal, order, odd, applied, what_table, what_of, work_cases) = fields
    day = date.fromordinal
    columns = CaseColumns(*(Packed.from_ends(text, array("I", ends))
                            for text, ends in ((ids, id_ends), (numbers, number_ends), (names, name_ends))))
    dues = [(None if d is None else day(d), kind, text, urgency) for d, kind, text, urgency in due_table]
    states = [(CaseStatus(status), pending, conflict, fictitious, label, closing)
              for status, pending, conflict, fictitious, label, closing in state_table]
    builder = RowBuilder(ref)
    builder.odd = odd
    builder._applied = applied
    builder._shared.update((shared, shared) for shared in (*dues, *states))
    built = BuiltRows(columns, list(map(dues.__getitem__, array("I", due_of))),
                      list(map(states.__getitem__, array("I", state_of))), search, labels, array("I", label_of),
                      array("d", updated), array("q", personal), id_keys(columns.case_ids), builder,
                      {_DEADLINE: array("I", order).tolist()})
    whats = [(urgency, day(due), large, ReminderKind(kind), text) for urgency, due, large, kind, text in what_table]
    work = WorkColumns(columns=columns, whats=list(map(whats.__getitem__, array("I", what_of))),
                       cases=array("I", work_cases))
    count = len(built.dues)
    if not (count == len(columns.case_numbers) == len(columns.names) == len(columns) == len(search)
            == len(built.states) == len(built.updated) == len(built.numbers) == len(built.label_of)
            == len(built.orders[_DEADLINE])) or len(work.whats) != len(work.cases) or (
            work.cases and max(work.cases) >= count):
        raise ValueError("columns of different lengths")
    return PreparedListing(built, work)
