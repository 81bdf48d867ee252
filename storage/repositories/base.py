"""The save/load/save_many shape shared by the case and person repositories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ibic.document_paths import (
    MISSING,
    FieldEdit,
    FieldsOf,
    apply,
    diff,
    diff_parts,
    get,
)
from ibic.errors import DomainError
from storage import audit, journal
from storage.database import Database
from storage.errors import PendingChangesExist, RecordArriving, RecordNotFound
from storage.journal import Author
from storage.repositories.documents import (
    BaseView,
    DocumentCache,
    HeldBase,
    RecordKind,
    drop_pulled_entries,
    fold_into,
    folded_text,
    from_json_text,
    now_text,
    pending_or_conflicts,
    placed_text,
    read_summary,
    serialise,
    validate_stored,
    write_row,
)
from storage.withdrawal import blocks_recreating

if TYPE_CHECKING:
    from pydantic import BaseModel

Model = TypeVar("Model", bound="BaseModel")  # a name: the store imports no model until one is loaded or saved


@cache
def _model_paths() -> ModuleType:
    """``ibic.model_paths`` (it walks pydantic's models), imported at the first save of known objects, not with the
    store. Cached, not an import statement a save: in the app PySide6's import hook makes one ~12 µs."""
    from ibic import model_paths

    return model_paths


@dataclass(frozen=True)
class SaveResult:
    changed_paths: tuple[str, ...]
    saved_at: datetime


class DocumentRepository(Generic[Model]):
    """Save = one transaction: diff against the stored document, journal each edit, audit the change."""

    kind: RecordKind

    def __init__(self, database: Database, author: Author, cache: DocumentCache) -> None:
        self._db = database
        self._author = author
        self._cache = cache

    def save(self, record: Model, changed: Sequence[BaseModel | FieldsOf] | None = None) -> SaveResult:
        """Store ``record``; journals one entry per changed field; a no-op when nothing changed.

        The edits are the difference between ``record`` and what this program last loaded or saved of it. If the
        stored record changed since (a pull), the edits are applied onto the stored version instead of replacing it,
        and an edit of a field that changed on both sides becomes a conflict: never a silent revert.

        ``changed``, when given, names every object inside ``record`` that may have changed since then (a form
        knows what it edited), or only some fields of one (``FieldsOf``): only their part of the document is
        diffed. The journal rows are the same as with the whole diff; whenever that cannot be assured cheaply (an
        object not found, a summary field touched, a pull since the base) the whole document is diffed after all.
        """
        record_id = str(getattr(record, "id"))  # noqa: B009 - every aggregate has an id; the generic bound does not say so
        if changed is not None:
            known = self._save_known(record, record_id, changed)
            if known is not None:
                return known
        document, text = serialise(record)
        today = self._author.today()  # the session's day when a window opened the profile
        summary = self.kind.summary(record, today)
        written = document
        with self._db.transaction() as connection:
            stored = read_summary(connection, self.kind, record_id, list(summary))
            version = 0 if stored is None else int(stored["version"])
            view = self._cache.get(self.kind.record_type, record_id, record)
            if stored is not None and (not stored["valid"] or (view is None and self._cache.dropped(record))):
                # Hidden (arriving again, or incomplete), or the copy predates a withdrawal: its base is not what is
                # stored, so it would be written whole, marking a half-pulled record valid with stale fields.
                raise RecordArriving(self.kind.record_type, record_id)
            if stored is None:
                if blocks_recreating(connection, self.kind.record_type, record_id):
                    # Reassigned away and deleted here: a form still showing it must not bring it back.
                    raise RecordNotFound(self.kind.record_type, record_id)
                base = current = {}
            elif view is not None and view.stamp == stored["updated_at"]:
                base = current = view.parsed()
            else:
                current = self._stored_document(connection, record_id)
                base = current if view is None else view.parsed()
            edits = diff(base, document)
            if not edits:
                return SaveResult((), datetime.now(UTC))
            case_id = self.kind.case_id(record_id)
            journaled = edits
            if base is not current:
                written, journaled = self._merge(connection, record_id, case_id, version, base, current, edits)
                merged = self.kind.model.model_validate(written)
                text, summary = merged.model_dump_json(), self.kind.summary(merged, today)
            if journaled:
                journal.record_edits(
                    connection, self._author, record_type=self.kind.record_type, record_id=record_id,
                    case_id=case_id, base_version=version, old=current, new=written, edits=journaled,
                )
            stamp = write_row(connection, self.kind, record_id, text, summary, stored=stored)
            audit.append(
                connection, user_id=self._author.user_id, device_id=self._author.device_id, action="change",
                case_id=case_id, detail=f"{self.kind.record_type}: {len(edits)} fields",
            )
        view = BaseView(stamp if written is document else None, document)
        self._cache.put(self.kind.record_type, record_id, view, record)
        return SaveResult(tuple(edit.path for edit in edits), datetime.now(UTC))

    def _save_known(self, record: Model, record_id: str, changed: Sequence[BaseModel | FieldsOf]
                    ) -> SaveResult | None:
        """The save when the changed objects are known; None means: use the whole diff."""
        model_paths = _model_paths()
        view = self._cache.get(self.kind.record_type, record_id, record)
        if view is None or view.stamp is None:
            return None
        located = model_paths.located_parts(record, changed)
        if located is None:
            return None
        parts = [(path, model_paths.dumped_part(model, name)) for path, model, name in located]
        if any(path[0] in self.kind.summary_fields for path, _ in parts):
            return None  # the summary columns may change: the whole path computes and compares them
        placed = diff_parts(view.parsed(), parts, view.placed)
        if placed is None:
            return None
        edits, document, placed_parts = placed
        if not edits:
            return SaveResult((), datetime.now(UTC))
        text, spans = placed_text(document, parts, view.text if view.spans else None, view.spans)
        with self._db.transaction() as connection:
            stamp = now_text()  # with the write lock held: it is the audit entry's time too, in sequence order
            # The stamp check and the row's new stamp in one statement: unchanged since the base (no pull, no
            # merge), so the base is the stored document and no summary column moves. The stamp is in the narrow
            # versions table (migration 0010); every writer of ``valid`` moves it too, so an unchanged stamp also
            # means the record is still valid, as it was when loaded. It returns what the rest of
            # the save reads, in this transaction: the record's open journal entries and the audit head (another
            # connection may have appended since).
            rows = connection.execute(  # fetchall: the statement runs to its end before anything else
                f"UPDATE {self.kind.versions_table} SET updated_at = ? WHERE id = ? AND updated_at = ?"
                f" RETURNING version, {audit.HEAD_SUBQUERY}, {journal.OPEN_ENTRIES_SUBQUERIES}",
                (stamp, record_id, view.stamp, *(self.kind.record_type, record_id) * 2),
            ).fetchall()
            row = rows[0] if rows else None
            if row is not None:
                self._write_known(connection, record_id, int(row[0]), view.parsed(), document, edits, text, stamp,
                                  audit.head_of(row[1]), journal.open_entries_of(row[2], row[3]))
                if view.entries:  # the base held pulled entries folded in: the document written holds them now
                    drop_pulled_entries(connection, self.kind, [record_id])
        if row is None:
            return None
        self._cache.put(self.kind.record_type, record_id, BaseView(stamp, document, text, spans, placed_parts),
                        record)
        return SaveResult(tuple(edit.path for edit in edits), datetime.now(UTC))

    def _write_known(self, connection: Any, record_id: str, version: int, base: dict[str, Any],
                     document: dict[str, Any], edits: list[FieldEdit], text: str, stamp: str,
                     head: tuple[int, str, int], open_entries: journal.OpenEntries) -> None:
        case_id = self.kind.case_id(record_id)
        journal.record_edits(
            connection, self._author, record_type=self.kind.record_type, record_id=record_id, case_id=case_id,
            base_version=version, old=base, new=document, edits=edits, open_entries=open_entries,
        )
        connection.execute(f"UPDATE {self.kind.document_table} SET document = ? WHERE id = ?", (text, record_id))
        audit.append(
            connection, user_id=self._author.user_id, device_id=self._author.device_id, action="change",
            case_id=case_id, detail=f"{self.kind.record_type}: {len(edits)} fields", head=head, at=stamp,
        )

    def _merge(self, connection: Any, record_id: str, case_id: str | None, version: int, base: dict[str, Any],
               current: dict[str, Any], edits: list[FieldEdit]) -> tuple[dict[str, Any], list[FieldEdit]]:
        """Apply ``edits`` (made on ``base``) onto ``current``; fields changed on both sides become conflicts."""
        merged, kept = current, []
        for edit in edits:
            before, now = get(base, edit.path), get(current, edit.path)
            wanted = MISSING if edit.op == "remove" else edit.value
            if now == wanted:
                continue  # the same change arrived from elsewhere
            if now != before:
                journal.put_conflict(
                    connection, record_type=self.kind.record_type, record_id=record_id, case_id=case_id,
                    path=edit.path, base_value=journal.encode(before), local_value=journal.encode(wanted),
                    server_value=journal.encode(now), server_version=version, op_id=None,
                )
                continue
            try:
                merged = apply(merged, edit)
            except DomainError:
                continue  # e.g. an edit of a decision already final: refused, as the server would
            kept.append(edit)
        return merged, kept

    def _stored_document(self, connection: Any, record_id: str) -> dict[str, Any]:
        row = connection.execute(
            f"SELECT document, {self.kind.pulled_entries('d')} FROM {self.kind.document_table} AS d WHERE id = ?",
            (record_id,),
        ).fetchone()
        return {} if row is None else dict(fold_into(from_json_text(row[0]), row[1]))

    def base_of(self, record: Model) -> HeldBase | None:
        """What a save of ``record`` is diffed against, for ``keep_base`` on the profile unlocked next."""
        return self._cache.held_base(record)

    def keep_base(self, record: Model, base: HeldBase) -> None:
        """Diff the next save of ``record`` against ``base`` (``base_of`` before a lock)."""
        self._cache.adopt(record, base)

    def load(self, record_id: str) -> Model:
        """The stored record; ``RecordNotFound`` when there is none (or it is still arriving from sync)."""
        with self._db.reading() as connection:
            row = connection.execute(
                f"SELECT d.document, v.updated_at, {self.kind.pulled_entries('d')} FROM {self.kind.table} AS t"
                f" JOIN {self.kind.versions_table} AS v ON v.id = t.id"
                f" JOIN {self.kind.document_table} AS d ON d.id = t.id WHERE t.id = ? AND t.valid = 1",
                (record_id,),
            ).fetchone()
        if row is None:
            raise RecordNotFound(self.kind.record_type, record_id)
        text = folded_text(row[0], row[2])  # its next save writes this text: the pulled entries are folded in then
        model = validate_stored(self.kind.model, text, self._db.path)
        # What the caller now holds is the base its next save is diffed against.
        self._cache.put(self.kind.record_type, record_id, BaseView(row[1], text=text, entries=row[2] != "{}"),
                        model)
        return model  # type: ignore[return-value]

    def save_many(self, records: list[Model]) -> None:
        """Bulk import in one transaction, without journal entries (demo data, benchmarks, records pulled whole).

        Refuses to overwrite a record that has unsynced local edits.
        """
        today = self._author.today()
        prepared = [(str(getattr(r, "id")), serialise(r)[1], self.kind.summary(r, today)) for r in records]  # noqa: B009
        with self._db.transaction() as connection:
            for record_id, text, summary in prepared:
                unsynced = pending_or_conflicts(connection, self.kind.record_type, record_id)
                if unsynced:
                    raise PendingChangesExist(unsynced)
                write_row(connection, self.kind, record_id, text, summary)
            audit.append(
                connection, user_id=self._author.user_id, device_id=self._author.device_id, action="import",
                case_id=None, detail=f"{self.kind.record_type}: {len(prepared)} records",
            )

    def count(self) -> int:
        """How many complete records are stored."""
        with self._db.reading() as connection:
            return int(connection.execute(f"SELECT count(*) FROM {self.kind.table} WHERE valid = 1").fetchone()[0])
