"""Storing an aggregate as its JSON document plus summary columns; shared by every repository and by sync."""

from __future__ import annotations

import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ibic.document_paths import Placed, replaced
from storage.errors import DamagedRecord, InvalidRecord, ProfileDamaged, UnreadableDocument

if TYPE_CHECKING:
    from pydantic import BaseModel

# The models and pydantic(-core) are imported where a document is loaded, saved or validated, not with the store:
# the unlocked list reads summaries only, and holds no pydantic (docs/architecture.md, "Steady memory after unlock").
ModelT = TypeVar("ModelT", bound="BaseModel")

# A case with every field filled is ~30 KB; a document a thousand times that is a mistake, not a case.
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
CACHE_ENTRIES = 64


@dataclass(frozen=True, eq=False)  # compared and hashed as itself: a pulled page hashes it ~2,000 times (caches)
class RecordKind:
    """How one aggregate type maps to its table: the model and the summary columns derived from it."""

    record_type: str
    table: str
    document_table: str
    model_of: Callable[[], type[BaseModel]]  # imports the model: ``model``
    summary: Callable[[Any, date], dict[str, Any]]
    case_id: Callable[[str], str | None]
    # The top-level fields ``summary`` reads (directly or through the domain's rules). A test tracks every field
    # access of the summary over many cases and dates, so a rule that starts reading another field fails loudly.
    summary_fields: frozenset[str] = frozenset()

    @cached_property  # a frozen dataclass's own __dict__: the import runs once per kind
    def model(self) -> type[BaseModel]:
        """The record's model, imported at its first use (by a load, a save or a pulled change)."""
        return self.model_of()

    @property
    def versions_table(self) -> str:
        """The narrow table of each record's version and stamp (``updated_at``), keyed by its id (migration 0010):
        what sync rewrites a record, without the row of summary columns."""
        return f"{self.record_type}_versions"

    @property
    def entries_table(self) -> str:
        """The table of pulled top-level entries not yet folded into the stored text (migration 0008)."""
        return f"{self.record_type}_pulled_entries"

    def pulled_entries(self, alias: str) -> str:
        """An SQL expression giving the pulled entries of the document row ``alias`` as one JSON object text ('{}'
        for none, the usual case), for ``folded_text`` / ``fold_into``."""
        return (f"(SELECT json_group_object(e.name, json(e.value)) FROM {self.entries_table} AS e"
                f" WHERE e.id = {alias}.id)")


# Where parts of a document sit in its text: path segments -> (start, end).
Spans = dict[tuple[str, ...], tuple[int, int]]


@dataclass
class BaseView:
    """What this program last loaded or saved of a record: the base its next save is diffed against.

    ``stamp`` is the stored row's ``updated_at`` while the stored document equals this view, None once it differs
    (sync or a merge changed it). The document is parsed from ``text`` only when a save needs it.
    """

    stamp: str | None
    document: dict[str, Any] | None = None
    text: str | None = None
    # Where the parts the last save wrote sit in ``text`` (set together with ``document``, whose text it is): the
    # next save of the same parts splices their new text in instead of writing the whole document (``placed_text``).
    spans: Spans = field(default_factory=dict)
    # The values the last save put into ``document`` (``diff_parts``' third value): typing on, they are the base.
    placed: Placed = field(default_factory=dict)
    # ``text`` holds pulled entries folded in that are still rows of their own (migration 0008): the next save
    # drops them. Known with ``stamp``: a pull that adds rows moves the stamp, and the save then reads the record.
    entries: bool = False

    def parsed(self) -> dict[str, Any]:
        if self.document is None:
            self.document = dict(from_json_text(self.text or "{}"))
        return self.document


@dataclass(frozen=True)
class HeldBase:
    """What a save of one model object is diffed against, carried to the cache of the next unlock (``DocumentCache.
    held_base`` / ``adopt``): ``view`` is None for a copy loaded before its record was withdrawn here (refused)."""

    view: BaseView | None


class DocumentCache:
    """Base views of recently loaded or saved records (personal data in memory, like the open form; cleared on lock).

    A view is kept per record and per model object: the form that loaded a case keeps its own base even when
    something else (the preview, a test) loads the same case meanwhile. With it an autosave diffs without re-reading
    the document, and a save from a form that has not seen a pulled change is merged onto that change instead of
    silently reverting it.
    """

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[str, str], BaseView] = OrderedDict()
        self._objects: dict[int, tuple[weakref.ref[Any], BaseView]] = {}
        # Model objects whose view ``forget`` dropped (a form still showing a withdrawn record): their copy predates
        # the withdrawal, so a save of it must not be diffed whole against the record arriving again. Ids only.
        self._dropped: dict[int, weakref.ref[Any]] = {}

    def get(self, record_type: str, record_id: str, owner: object | None = None) -> BaseView | None:
        """The view ``owner`` (the model object being saved) was loaded or last saved with, else the record's."""
        if owner is not None:
            entry = self._objects.get(id(owner))
            if entry is not None and entry[0]() is owner:
                return entry[1]
            if self.dropped(owner):
                return None  # a later load's view is not this stale copy's base
        return self._entries.get((record_type, record_id))

    def put(self, record_type: str, record_id: str, view: BaseView, owner: object | None = None) -> None:
        key = (record_type, record_id)
        self._entries[key] = view
        self._entries.move_to_end(key)
        while len(self._entries) > CACHE_ENTRIES:
            self._entries.popitem(last=False)
        if owner is not None:
            identity = id(owner)
            self._dropped.pop(identity, None)  # stored again (re-created after a reinstatement): its own base now
            self._objects[identity] = (weakref.ref(owner, lambda _dead: self._objects.pop(identity, None)), view)

    def forget(self, record_type: str, record_id: str) -> None:
        """Drop what is held of a record deleted here (a withdrawn case): personal data leaves memory with it."""
        self._entries.pop((record_type, record_id), None)
        for identity, (owner, _view) in list(self._objects.items()):
            held = owner()
            if held is None or str(getattr(held, "id", "")) == record_id:
                del self._objects[identity]
                if held is not None:
                    self._dropped[identity] = weakref.ref(held, self._forget_dropped(identity))

    def _forget_dropped(self, identity: int) -> Callable[[weakref.ref[Any]], None]:
        """The weakref callback that lets go of a dropped copy's id once the copy itself is gone."""
        def let_go(_dead: weakref.ref[Any]) -> None:
            self._dropped.pop(identity, None)

        return let_go

    def dropped(self, owner: object) -> bool:
        """True when ``owner``'s view was dropped by ``forget``: it was loaded before its record was deleted here."""
        held = self._dropped.get(id(owner))
        return held is not None and held() is owner

    def held_base(self, owner: object) -> HeldBase | None:
        """``owner``'s base, for ``adopt`` by another cache: a lock keeps the copy of a form whose save failed, and
        its save after the next unlock must still merge onto that base (a pull may have come in between), or be
        refused when the copy predates a withdrawal. None when this cache holds nothing of ``owner``."""
        entry = self._objects.get(id(owner))
        if entry is not None and entry[0]() is owner:
            return HeldBase(entry[1])
        return HeldBase(None) if self.dropped(owner) else None

    def adopt(self, owner: object, held: HeldBase) -> None:
        """Take ``held`` (``held_base`` of another cache) as ``owner``'s base."""
        identity = id(owner)
        if held.view is None:
            self._objects.pop(identity, None)
            self._dropped[identity] = weakref.ref(owner, self._forget_dropped(identity))
        else:
            self._dropped.pop(identity, None)
            self._objects[identity] = (weakref.ref(owner, lambda _dead: self._objects.pop(identity, None)), held.view)

    def clear(self) -> None:
        self._entries.clear()
        self._objects.clear()
        self._dropped.clear()


def now_text() -> str:
    """The current UTC time as stored in ``updated_at``."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@cache
def _core() -> Any:
    """pydantic-core, imported at the first document read or written, not with the store. A cached call, not an
    import statement in each reader: PySide6's import hook makes each import statement ~12 µs in the app."""
    import pydantic_core

    return pydantic_core


def to_json_text(document: dict[str, Any]) -> str:
    """Compact JSON text of a JSON-mode dict, as pydantic writes it (in Rust: ~4x faster than json.dumps)."""
    text: str = _core().to_json(document).decode("utf-8")
    return text


def from_json_text(text: str | bytes) -> Any:
    """Parse stored JSON text (pydantic's Rust parser: ~1.7x faster than json.loads, same result; pinned by tests).

    The one input where the two differ is an escaped lone surrogate (this raises ValueError, json.loads returns it);
    stored text never holds one because ``to_json_text`` refuses them before anything is written.
    """
    try:
        return _core().from_json(text)
    except ValueError:
        raise UnreadableDocument() from None  # the parser's message quotes the text: personal data


def validate_stored(model: type[ModelT], text: str, path: Path) -> ModelT:
    """A stored document as its model: unparseable text is a damaged file (``ProfileDamaged``: lock, offer the
    backup), text that parses but no longer validates is ``DamagedRecord`` (the backup holds the same record).
    Neither carries the validation error along: its message quotes the document."""
    try:
        return model.model_validate_json(text)
    except _core().ValidationError as error:  # pydantic's (evaluated only when the validation raised)
        if any(e["type"] == "json_invalid" for e in error.errors(include_url=False, include_input=False)):
            raise ProfileDamaged(path, "holding a document that does not parse") from None
        raise DamagedRecord(path, "holding a record that no longer validates") from None


def serialise(model: BaseModel) -> tuple[dict[str, Any], str]:
    """The model as a JSON-mode dict and as stored text; refuses what SQLite or the size limit cannot take."""
    try:
        document = model.model_dump(mode="json")
    except (UnicodeEncodeError, ValueError) as error:
        raise InvalidRecord("text holds characters that cannot be stored (unpaired surrogates)") from error
    return document, document_text(document)


def document_text(document: dict[str, Any]) -> str:
    """A JSON-mode document as stored text; refuses what SQLite or the size limit cannot take."""
    try:
        text = to_json_text(document)
    except (UnicodeEncodeError, ValueError) as error:
        raise InvalidRecord("text holds characters that cannot be stored (unpaired surrogates)") from error
    return _within_limit(text)


def _within_limit(text: str) -> str:
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InvalidRecord("the record is larger than the storage limit")
    return text


def placed_text(document: dict[str, Any], parts: list[tuple[tuple[str, ...], Any]], base_text: str | None,
                base_spans: Spans) -> tuple[str, Spans]:
    """``document_text(document)``, where ``document`` is the base document (written as ``base_text``) with each
    part (path segments, JSON value; in document order, none inside another) put in its place, and the spans
    (start, end) of the parts in that text, for the next save.

    Typing on in one field saves the same parts again: their text is then spliced into the base text at the spans
    the last save left. Otherwise the document is written once with a marker in each part's place.
    """
    try:
        if base_text is not None and parts and all(segments in base_spans for segments, _ in parts):
            return _spliced(base_text, [(base_spans[segments], segments, value) for segments, value in parts])
        return _marked(document, parts)
    except (UnicodeEncodeError, ValueError) as error:
        raise InvalidRecord("text holds characters that cannot be stored (unpaired surrogates)") from error


def _spliced(text: str, pieces: list[tuple[tuple[int, int], tuple[str, ...], Any]]) -> tuple[str, Spans]:
    """``text`` with each span replaced by its value's JSON text."""
    written: list[str] = []
    spans: Spans = {}
    position = shift = 0
    for (start, end), segments, value in sorted(pieces, key=lambda piece: piece[0]):
        part = to_json_text(value)
        written += (text[position:start], part)
        spans[segments] = (start + shift, start + shift + len(part))
        shift += len(part) - (end - start)
        position = end
    written.append(text[position:])
    return _within_limit("".join(written)), spans


def _marked(document: dict[str, Any], parts: list[tuple[tuple[str, ...], Any]]) -> tuple[str, Spans]:
    """The document written with a marker string in place of each part, then the parts spliced in at the markers."""
    token = uuid.uuid4().hex
    marked = document
    for index, (segments, _value) in enumerate(parts):
        marked = replaced(marked, segments, f"{token}-{index}")
    text = to_json_text(marked)
    pieces = []
    for index, (segments, value) in enumerate(parts):
        marker = f'"{token}-{index}"'
        start = text.find(marker)
        if start < 0 or text.find(marker, start + 1) >= 0:  # never, short of a text that holds the random token
            return document_text(document), {}
        pieces.append(((start, start + len(marker)), segments, value))
    return _spliced(text, pieces)


def drop_pulled_entries(connection: Any, kind: RecordKind, record_ids: list[str]) -> None:
    """Forget the pulled entries of records whose document is being written folded (every writer read it so)."""
    connection.executemany(f"DELETE FROM {kind.entries_table} WHERE id = ?", [(i,) for i in record_ids])


def fold_into(document: dict[str, Any], entries: str | None) -> dict[str, Any]:
    """``document`` (parsed stored text) with the pulled entries (``RecordKind.pulled_entries``' text) in place.

    A pulled entry always replaces one the stored text holds (only such entries are kept apart, see
    ``sync_rows.write_entries``), so each keeps its place in the document's order."""
    if entries and entries != "{}":
        document.update(from_json_text(entries))
    return document


def folded_text(text: str, entries: str | None) -> str:
    """The stored ``text`` of a document with its pulled entries folded in: the document every reader sees."""
    if not entries or entries == "{}":
        return text
    try:
        document = from_json_text(text)
    except UnreadableDocument:
        return text  # damaged: the caller's validation says so (ProfileDamaged)
    return to_json_text(fold_into(document, entries))


def read_row(connection: Any, kind: RecordKind, record_id: str) -> tuple[int, dict[str, Any]] | None:
    """The stored (version, document) of a record, or None."""
    row = connection.execute(
        f"SELECT v.version, d.document, {kind.pulled_entries('d')} FROM {kind.versions_table} AS v"
        f" JOIN {kind.document_table} AS d ON d.id = v.id WHERE v.id = ?",
        (record_id,),
    ).fetchone()
    return None if row is None else (int(row[0]), fold_into(from_json_text(row[1]), row[2]))


def read_summary(connection: Any, kind: RecordKind, record_id: str, columns: list[str]) -> dict[str, Any] | None:
    """The stored version, validity, update time and the given summary columns of a record, or None."""
    names = ["version", "valid", "updated_at", *columns]
    selected = ", ".join(f"t.{name}" if name == "valid" or name in columns else f"v.{name}" for name in names)
    row = connection.execute(
        f"SELECT {selected} FROM {kind.table} AS t JOIN {kind.versions_table} AS v ON v.id = t.id WHERE t.id = ?",
        (record_id,),
    ).fetchone()
    return None if row is None else dict(zip(names, row, strict=True))


def _row_upsert(kind: RecordKind, columns: list[str]) -> str:
    """INSERT .. ON CONFLICT of a record's row: (id, *columns, valid) as parameters."""
    updates = "".join(f", {c} = excluded.{c}" for c in columns)
    names = "".join(f"{c}, " for c in columns)
    marks = "".join("?, " for _ in columns)
    return (f"INSERT INTO {kind.table} (id, {names}valid) VALUES (?, {marks}?)"
            f" ON CONFLICT (id) DO UPDATE SET valid = excluded.valid{updates}")


def _versions_upsert(kind: RecordKind, with_version: bool) -> str:
    """INSERT .. ON CONFLICT of a record's version row: (id, version, updated_at) as parameters; ``with_version``
    False keeps a stored version (a new row takes the one given)."""
    version_update = ", version = excluded.version" if with_version else ""
    return (f"INSERT INTO {kind.versions_table} (id, version, updated_at) VALUES (?, ?, ?)"
            f" ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at{version_update}")


def _document_upsert(kind: RecordKind) -> str:
    return (f"INSERT INTO {kind.document_table} (id, document) VALUES (?, ?)"
            " ON CONFLICT (id) DO UPDATE SET document = excluded.document")


def write_row(connection: Any, kind: RecordKind, record_id: str, text: str, summary: dict[str, Any],
              *, version: int | None = None, valid: bool = True, stored: dict[str, Any] | None = None) -> str:
    """Write a record's document and summary columns (``version`` None keeps the stored one); returns ``updated_at``.

    With ``stored`` (the row as read in this transaction) only the columns that changed are written, so an autosave
    that leaves every summary column as it was rewrites no index.
    """
    stamp = now_text()
    if stored is None:
        connection.execute(_row_upsert(kind, list(summary)), (record_id, *summary.values(), int(valid)))
        connection.execute(_versions_upsert(kind, version is not None), (record_id, version or 0, stamp))
        connection.execute(_document_upsert(kind), (record_id, text))
        drop_pulled_entries(connection, kind, [record_id])
        return stamp
    changed = {name: value for name, value in summary.items() if stored.get(name) != value}
    if stored.get("valid") != int(valid):
        changed["valid"] = int(valid)
    if changed:  # the row of summary columns only when one of them moves: the stamp is in the versions' row
        connection.execute(
            f"UPDATE {kind.table} SET {', '.join(f'{name} = ?' for name in changed)} WHERE id = ?",
            (*changed.values(), record_id),
        )
    if version is not None and stored.get("version") != version:
        connection.execute(f"UPDATE {kind.versions_table} SET version = ?, updated_at = ? WHERE id = ?",
                           (version, stamp, record_id))
    else:
        connection.execute(f"UPDATE {kind.versions_table} SET updated_at = ? WHERE id = ?", (stamp, record_id))
    connection.execute(f"UPDATE {kind.document_table} SET document = ? WHERE id = ?", (text, record_id))
    drop_pulled_entries(connection, kind, [record_id])
    return stamp


def _whole_summary(kind: RecordKind, document: dict[str, Any], today: date) -> dict[str, Any] | None:
    """The summary columns of a document that validates as a whole, else None."""
    # Every field must be present, not only valid: a record pulled field by field would otherwise look complete
    # with defaults standing in for fields still on their way, and a local edit would push those defaults.
    if not set(kind.model.model_fields) <= document.keys():
        return None
    try:
        model = kind.model.model_validate(document)
    except ValueError:  # pydantic's ValidationError is one
        return None
    return kind.summary(model, today)


def checked_summary(kind: RecordKind, document: dict[str, Any], today: date) -> dict[str, Any] | None:
    """The summary columns of a complete document; None while fields are still missing (a record pulled field by
    field, stored hidden until the rest arrives). A complete document that is invalid raises ValidationError, and
    whatever its summary raises goes up too: the caller (sync) sets such a record aside."""
    if not set(kind.model.model_fields) <= document.keys():
        return None
    return kind.summary(kind.model.model_validate(document), today)


def store_documents(connection: Any, kind: RecordKind, records: list[tuple[str, dict[str, Any], int]],
                    today: date) -> None:
    """Write documents that arrived field by field (sync), as (id, document, version); summary columns only for a
    document that validates as a whole, the others stored as not valid (hidden). One executemany per statement."""
    store_prepared(connection, kind, [(record_id, to_json_text(document), _whole_summary(kind, document, today),
                                       version) for record_id, document, version in records])


def store_prepared(connection: Any, kind: RecordKind,
                   records: list[tuple[str, str, dict[str, Any] | None, int]]) -> None:
    """``store_documents`` for (id, document text, summary columns or None for hidden, version) already computed."""
    stamp = now_text()
    rows: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    documents: list[tuple[str, str]] = []
    for record_id, text, summary, _version in records:
        columns = summary or {}
        rows.setdefault(tuple(columns), []).append((record_id, *columns.values(), int(summary is not None)))
        documents.append((record_id, text))
    for names, group in rows.items():  # rows first: the versions and documents tables reference them
        connection.executemany(_row_upsert(kind, list(names)), group)
    connection.executemany(_versions_upsert(kind, True),
                           [(record_id, version, stamp) for record_id, _, _, version in records])
    connection.executemany(_document_upsert(kind), documents)
    drop_pulled_entries(connection, kind, [record_id for record_id, _ in documents])


def store_document(connection: Any, kind: RecordKind, record_id: str, document: dict[str, Any], version: int,
                   today: date) -> None:
    """``store_documents`` for one record."""
    store_documents(connection, kind, [(record_id, document, version)], today)


@cache  # a model's validators are fixed once its class exists
def _field_checkable(model: type[BaseModel], name: str) -> bool:
    """True when a field's value can be validated on its own: no validator of the model reads other fields."""
    decorators = model.__pydantic_decorators__
    if decorators.model_validators or decorators.root_validators:
        return False
    named = [d.info.fields for d in decorators.field_validators.values()]
    named += [d.info.fields for d in decorators.validators.values()]
    return not any(name in fields or "*" in fields for fields in named)


def unchecked_instance(model: type[BaseModel], document: dict[str, Any]) -> BaseModel:
    """A throw-away instance holding ``document`` unvalidated, as ``model_construct`` builds it (the same four
    attributes) without its per-field loop (16 -> 3.5 µs for a case); only ``validate_assignment`` ever sees it."""
    instance = model.__new__(model)
    object.__setattr__(instance, "__dict__", dict(document))
    object.__setattr__(instance, "__pydantic_fields_set__", set(document))
    object.__setattr__(instance, "__pydantic_extra__", None)
    object.__setattr__(instance, "__pydantic_private__", None)
    return instance


def summary_kept_and_valid(kind: RecordKind, document: dict[str, Any], touched: set[str]) -> bool:
    """True when ``document`` (valid as a whole before its ``touched`` top-level fields changed) is still valid and
    its summary columns are unchanged; False means: decide the slow way (``store_document``).

    Validity of the whole is the validity of each field when the model has no validator spanning fields (checked,
    else False) and the set of top-level fields is exactly the model's (every field present, none unknown): so only
    the touched fields are validated, with the model's own compiled validator (``validate_assignment``). A property
    test compares this with full validation.
    """
    if touched & kind.summary_fields or document.keys() != kind.model.model_fields.keys():
        return False
    if not touched <= document.keys():
        return False  # a field the record does not hold was removed (not the model's): the slow way decides
    return entries_kept_and_valid(kind, {name: document[name] for name in touched})


def fields_checkable_alone(kind: RecordKind, names: Collection[str]) -> bool:
    """True when these top-level fields are the model's own, outside the summary, and each validated on its own."""
    return _checkable_alone(kind, frozenset(names))


@cache  # per kind and set of names: a pulled page asks twice per record (2,000 calls were 29 ms under cProfile)
def _checkable_alone(kind: RecordKind, names: frozenset[str]) -> bool:
    fields = kind.model.model_fields
    return all(name in fields and name not in kind.summary_fields and _field_checkable(kind.model, name)
               for name in names)


def entries_kept_and_valid(kind: RecordKind, entries: dict[str, Any]) -> bool:
    """True when these top-level ``entries``, put into a record whose stored document was valid as a whole, keep it
    valid with its summary columns unchanged: each is a known field outside the summary, checkable on its own and
    valid. The rest of the document is not needed (a pulled change read and rewrites only the entries it touches).
    """
    if not fields_checkable_alone(kind, entries.keys()):
        return False
    instance = unchecked_instance(kind.model, entries)
    validator = kind.model.__pydantic_validator__
    try:
        for name, value in entries.items():
            validator.validate_assignment(instance, name, value)
    except ValueError:  # pydantic's ValidationError is one
        return False
    return True


def write_documents(connection: Any, kind: RecordKind, rows: list[tuple[str, str, int]]) -> None:
    """Write (record id, document text, version) of stored records whose summary columns and validity stay."""
    stamp = now_text()
    connection.executemany(f"UPDATE {kind.versions_table} SET version = ?, updated_at = ? WHERE id = ?",
                           [(version, stamp, record_id) for record_id, _, version in rows])
    connection.executemany(f"UPDATE {kind.document_table} SET document = ? WHERE id = ?",
                           [(text, record_id) for record_id, text, _ in rows])
    drop_pulled_entries(connection, kind, [record_id for record_id, _, _ in rows])


def pending_or_conflicts(connection: Any, record_type: str, record_id: str) -> int:
    """Unsynced local work on a record: pending journal entries plus open conflicts."""
    # OR, not IN: only then does SQLite see that the partial index journal_open (migration 0004) holds every match.
    pending = connection.execute(
        "SELECT count(*) FROM journal WHERE record_type = ? AND record_id = ?"
        " AND (state = 'pending' OR state = 'conflict')",
        (record_type, record_id),
    ).fetchone()[0]
    return int(pending)
