"""The common record of a pulled page, applied in bulk: another device's edits of whole top-level entries outside
the summary of a valid case with nothing local (no pending edit, no conflict, not held aside, none of this device's
own changes). Such a record needs nothing read but its head and nothing checked but each new entry alone, so the
whole group is decided in one pass and written with one ``executemany`` per table, with no ``Working``, ``_Plan``
or ``_apply_group`` per record. Every other record (and one this path gives back: an entry that does not validate,
a value JSON text cannot hold) takes the general path in ``storage.sync_state`` unchanged.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ibic.document_paths import APPEND_ONLY_LISTS, SEPARATOR
from storage.repositories.cases import CASE_KIND
from storage.repositories.documents import fields_checkable_alone, now_text, to_json_text, unchecked_instance
from storage.repositories.sync_rows import PulledChange

Key = tuple[str, str]


@lru_cache(maxsize=512)  # per path: a page asks once a record; bounded, as pulled paths hold element ids
def _whole_entry_alone(path: str) -> bool:
    """``path`` is a whole top-level entry of a case, not an append-only list, outside the summary and validated on
    its own (``fields_checkable_alone``): a ``set`` of it needs nothing of the stored document."""
    return SEPARATOR not in path and path not in APPEND_ONLY_LISTS and fields_checkable_alone(CASE_KIND, (path,))


@dataclass
class Settled:
    """What the claimed records write (cases only), and the records given back to the general path."""

    versions: list[tuple[int, str, str]]  # (version, stamp, id) for the versions table
    entries: list[tuple[str, str, str]]  # (id, entry, JSON text) for the pulled entries table
    applied: list[tuple[str, int, int]]  # (op id, seq, applied) for remote_applied
    given_back: list[Key]


@dataclass
class Bulk:
    """The records of one page claimed for the bulk path (cases only: a person may clash with one made here)."""

    # (key, version, {entry: its last value}, remote_applied rows): one a claimed record, in the page's order
    claimed: list[tuple[Key, int, dict[str, Any], list[tuple[str, int, int]]]] = field(default_factory=list)

    def claim(self, key: Key, version: int, group: Sequence[PulledChange], done: Collection[str],
              own: Collection[str]) -> bool:
        """Take ``key`` (stored, valid, no pending edit or conflict: the caller knows; not held) when all its
        changes not applied before are ``set``s of whole entries checkable alone, none of them this device's own."""
        if key[0] != "case":
            return False
        if len(group) == 1:  # the page's usual record: one change (the loop below, ~1 µs less a record)
            change = group[0]
            op_id, path = change.op_id, change.path
            if op_id in done or op_id in own or change.op != "set" or not _whole_entry_alone(path):
                return False
            self.claimed.append((key, max(version, change.version), {path: change.value},
                                 [(op_id, change.seq, 1)]))
            return True
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
        self.claimed.append((key, version, entries, rows))
        return True

    def settle(self) -> Settled:
        """Check every claimed record's new entries alone with the model's own validator (as ``_plan`` does for a
        record read by its entries) and give the rows to write; a record that fails is given back."""
        instance = unchecked_instance(CASE_KIND.model, {})
        validate = CASE_KIND.model.__pydantic_validator__.validate_assignment
        stamp = now_text()
        settled = Settled([], [], [], [])
        for key, version, entries, rows in self.claimed:
            record_id = key[1]
            try:
                texts = []
                for name, value in entries.items():
                    validate(instance, name, value)
                    texts.append((record_id, name, to_json_text(value)))
            except Exception:  # invalid, or not JSON text (a lone surrogate): the general path decides
                settled.given_back.append(key)
                continue
            settled.versions.append((version, stamp, record_id))
            settled.entries.extend(texts)
            settled.applied.extend(rows)
        return settled
