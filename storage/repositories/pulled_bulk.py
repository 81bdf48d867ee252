"""The common record of a pulled page, applied in bulk: another device's edits of whole top-level entries outside
the summary of a valid case with nothing local (no pending edit, no conflict, not held aside, none of this device's
own changes). Such a record needs nothing read but its head and nothing checked but each new entry alone, so the
whole group is decided in one pass and written with one ``executemany`` per table (``write_entries``), without a
``_Plan`` or ``_apply_group`` per record. Every other record (and one this path declines: an entry that does not
validate, a value JSON cannot hold) takes the general path in ``storage.sync_state`` unchanged.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from ibic.document_paths import APPEND_ONLY_LISTS, SEPARATOR
from storage.repositories.cases import CASE_KIND
from storage.repositories.documents import fields_checkable_alone, to_json_text, unchecked_instance
from storage.repositories.sync_rows import Working


@cache  # per path: a page asks once a record
def _whole_entry_alone(path: str) -> bool:
    """``path`` is a whole top-level entry of a case, not an append-only list, outside the summary and validated on
    its own (``fields_checkable_alone``): a ``set`` of it needs nothing of the stored document."""
    return SEPARATOR not in path and path not in APPEND_ONLY_LISTS and fields_checkable_alone(CASE_KIND, (path,))


class _Change(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def op(self) -> str: ...
    @property
    def value(self) -> Any: ...
    @property
    def version(self) -> int: ...
    @property
    def seq(self) -> int: ...
    @property
    def op_id(self) -> str: ...


@dataclass(slots=True)
class _Claimed:
    record_id: str
    version: int
    entries: dict[str, Any]  # top-level entry -> its last value on the page
    rows: list[tuple[str, int, int]]  # (op id, seq, applied) for remote_applied


@dataclass
class Bulk:
    """The records of one page claimed for the bulk path (cases only: a person may clash with one made here)."""

    claimed: dict[tuple[str, str], _Claimed] = field(default_factory=dict)

    def claim(self, key: tuple[str, str], record: Working, group: Sequence[_Change], done: Collection[str],
              own: Collection[str]) -> bool:
        """Take ``key`` when it is the common record (see the module doc); one pass over its changes."""
        if key[0] != "case" or not record.exists or not record.valid or record.pending or record.conflicts:
            return False
        if len(group) == 1:  # the page's usual record: one change (the loop below, ~1 µs less a record)
            change = group[0]
            op_id, path = change.op_id, change.path
            if op_id in done or op_id in own or change.op != "set" or not _whole_entry_alone(path):
                return False
            version = change.version if change.version > record.version else record.version
            self.claimed[key] = _Claimed(key[1], version, {path: change.value}, [(op_id, change.seq, 1)])
            return True
        version = record.version
        entries: dict[str, Any] = {}
        rows: list[tuple[str, int, int]] = []
        seen: set[str] = set()
        for change in group:
            op_id = change.op_id
            if op_id in done or op_id in seen:
                continue
            if op_id in own:
                return False
            path = change.path
            if change.op != "set" or not _whole_entry_alone(path):
                return False
            seen.add(op_id)
            entries[path] = change.value  # in server order: the last one stays, as applying them in turn leaves
            if change.version > version:
                version = change.version
            rows.append((op_id, change.seq, 1))
        if not entries:
            return False
        self.claimed[key] = _Claimed(key[1], version, entries, rows)
        return True

    def settle(self) -> tuple[list[tuple[str, dict[str, str], int]], list[tuple[str, int, int]]]:
        """Check every claimed record's new entries alone with the model's own validator, and give the rows to write:
        (id, {entry: JSON text}, version) for ``write_entries`` and remote_applied's rows. A record that fails
        is released (no longer claimed) for the general path, which then decides it as before."""
        instance = unchecked_instance(CASE_KIND.model, {})
        validate = CASE_KIND.model.__pydantic_validator__.validate_assignment
        writes: list[tuple[str, dict[str, str], int]] = []
        rows: list[tuple[str, int, int]] = []
        released: list[tuple[str, str]] = []
        for key, claimed in self.claimed.items():
            try:
                for name, value in claimed.entries.items():
                    validate(instance, name, value)
                texts = {name: to_json_text(value) for name, value in claimed.entries.items()}
            except Exception:  # invalid, or not JSON text (a lone surrogate): the general path decides
                released.append(key)
                continue
            writes.append((claimed.record_id, texts, claimed.version))
            rows.extend(claimed.rows)
        for key in released:
            del self.claimed[key]
        return writes, rows
