"""A push's reads of the journal: pending entries in journal order, past settled ones, from the first or after one.

The reads walk the journal's primary key from the first pending entry (``storage/journal.py``); these pin what they
return when settled entries lie between pending ones (a batch answered beside one that failed leaves exactly that).
"""

from __future__ import annotations

import uuid

import pytest

from ibic.cases import Case
from ibic.document_paths import diff
from ibic.people import Person
from storage.journal import EncodedEntries
from storage.profile import Profile
from storage.sync_state import PushOutcome, RemoteChange
from sync.client.push import _EncodedPush
from sync.protocol import PushRequest


def _six_entries(profile: Profile, demo: tuple[list[Person], list[Case]]) -> list[str]:
    """The demo's three cases pulled, then two fields edited in each: six pending entries' op ids, oldest first."""
    people, cases = demo
    profile.people.save_many(people)
    _pulled(profile, cases)
    ops = _edited(profile, cases)
    assert len(ops) == 6
    return ops


def _pulled(profile: Profile, cases: list[Case]) -> None:
    """The cases as pulled from the server at version 1: nothing pending."""
    edits = [(case, edit) for case in cases for edit in diff({}, case.model_dump(mode="json"))]
    changes = [RemoteChange("case", case.id, edit.path, "set", edit.value, 1, seq, uuid.uuid4().hex)
               for seq, (case, edit) in enumerate(edits, start=1)]
    profile.sync.apply_remote(changes, new_cursor=len(changes))
    assert profile.journal.pending_count() == 0


def _edited(profile: Profile, cases: list[Case]) -> list[str]:
    """Two fields edited in each case, one save each, in this order; the entries' op ids."""
    for number, case in enumerate(cases):
        case.origin_note = f"Anteckning {number}"
        profile.cases.save(case)
        case.caseworker = f"Handläggare {number}"
        profile.cases.save(case)
    return [change.op_id for change in profile.journal.pending(limit=100)]


def _applied(profile: Profile, op_ids: list[str]) -> None:
    profile.sync.record_push_outcomes([PushOutcome(op_id, "applied", new_version=2) for op_id in op_ids])


def test_pending_reads_skip_settled_entries_between_pending_ones_in_journal_order(profile: Profile, demo) -> None:
    ops = _six_entries(profile, demo)
    _applied(profile, [ops[1], ops[3]])  # settled between pending ones, as beside a batch that failed

    assert [c.op_id for c in profile.journal.pending()] == [ops[0], ops[2], ops[4], ops[5]]
    assert [c.op_id for c in profile.journal.pending(limit=2)] == [ops[0], ops[2]]
    encoded = profile.journal.encoded_pending
    assert [c.op_id for c in encoded(after=ops[0]).entries] == [ops[2], ops[4], ops[5]]
    assert [c.op_id for c in encoded().entries] == [ops[0], ops[2], ops[4], ops[5]]
    assert [c.op_id for c in encoded(limit=2).entries] == [ops[0], ops[2]]
    assert [c.op_id for c in encoded(after=ops[1]).entries] == [ops[2], ops[4], ops[5]]
    assert [c.op_id for c in encoded(limit=1, after=ops[2]).entries] == [ops[4]]

    _applied(profile, [ops[0], ops[2], ops[4], ops[5]])
    assert profile.journal.pending() == []
    assert profile.journal.encoded_pending() == EncodedEntries([], "[]")
    assert profile.journal.encoded_pending(after=ops[0]) == EncodedEntries([], "[]")


def test_the_first_pending_entry_may_be_older_than_many_settled_ones(profile: Profile, demo) -> None:
    ops = _six_entries(profile, demo)
    _applied(profile, ops[1:5])

    assert [c.op_id for c in profile.journal.pending()] == [ops[0], ops[5]]
    assert [c.op_id for c in profile.journal.pending(limit=1)] == [ops[0]]
    assert [c.op_id for c in profile.journal.encoded_pending(after=ops[0]).entries] == [ops[5]]


def test_a_push_sends_the_entries_pending_reads_as_they_are(profile: Profile, demo) -> None:
    """The push's body is made by SQLite from the stored columns and JSON: the server reads from it exactly the
    changes ``pending`` gives (values of every JSON type and awkward text included), in journal order."""
    people, cases = demo
    profile.people.save_many(people)
    _pulled(profile, cases)
    case = cases[0]
    case.origin_note = 'Citat "så" \\ och\tflik\nrad \u2028 \U0001f600 \x00 slut'
    profile.cases.save(case)
    profile.cases.save(case.model_copy(update={"caseworker": "Å"}))
    pending = profile.journal.pending(limit=100)
    assert len(pending) >= 2
    encoded = profile.journal.encoded_pending(limit=100)
    sent = PushRequest.model_validate_json(_EncodedPush.of(encoded).model_dump_json())
    assert [c.model_dump() for c in sent.changes] == [c.model_dump() for c in pending] and sent.closing is False
    assert [entry.op_id for entry in encoded.entries] == [change.op_id for change in pending]
    assert [(e.record_type, e.record_id, e.path) for e in encoded.entries] == [
        (c.record_type, c.record_id, c.path) for c in pending]


def test_a_push_read_of_many_bytes_stops_before_the_entry_that_would_pass_them(profile: Profile, demo) -> None:
    """``max_bytes`` bounds the request's change array as UTF-8 (the server refuses a body past its limit); the
    first entry is read whatever its size, and the entries left out are read after the last one read."""
    ops = _six_entries(profile, demo)
    read = profile.journal.encoded_pending
    whole, first_two = read(), read(limit=2)
    size = len(first_two.changes.encode("utf-8"))
    assert read(max_bytes=size) == first_two
    assert [e.op_id for e in read(max_bytes=size - 1).entries] == ops[:1]
    assert [e.op_id for e in read(max_bytes=1).entries] == ops[:1]
    assert [e.op_id for e in read(max_bytes=1, after=ops[0]).entries] == ops[1:2]
    assert read(max_bytes=len(whole.changes.encode("utf-8"))) == whole
    assert [e.op_id for e in read(max_bytes=len(whole.changes.encode("utf-8")) - 1).entries] == ops[:5]


def test_a_push_request_dumped_in_another_layout_is_refused_not_sent_empty(profile: Profile, demo) -> None:
    """The request's entries go in where pydantic wrote an empty change list: a layout without that text (indent)
    would otherwise be a body with no entries at all."""
    ops = _six_entries(profile, demo)
    request = _EncodedPush.of(profile.journal.encoded_pending())
    sent = PushRequest.model_validate_json(request.model_dump_json())
    assert [change.op_id for change in sent.changes] == ops
    with pytest.raises(ValueError, match="change list was not found"):
        request.model_dump_json(indent=2)
