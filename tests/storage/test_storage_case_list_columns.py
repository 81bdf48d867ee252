"""Migration 0003: cases stored before it get the deadline's kind and what was applied for, closed ones included."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from storage_support import PASSPHRASE, undo_audit_head_row

from ibic.deadlines import next_deadline
from ibic.reference import load_reference_data
from ibic.vocabulary import CaseStatus
from ibic.work_list import work_items
from storage.keyfile import read_key_file, unwrap
from storage.profile import Profile, key_file_path, open_with_key
from storage.repositories.cases import applied_for_column, work_items_of


def reopened_rules():  # type: ignore[no-untyped-def]
    return load_reference_data().rules


def test_cases_stored_before_migration_3_show_their_deadline_kind_and_applied_for(
    profile: Profile, profile_dir: Path, demo
) -> None:  # type: ignore[no-untyped-def]
    people, cases = demo
    profile.people.save_many(people)
    cases[0].status = CaseStatus.CLOSED
    for case in cases:
        profile.cases.save(case)
    profile.cases.list_summaries(today=date.today())  # deadlines computed today, as an older program left them
    with profile._db.transaction() as connection:  # back to schema 2: no such columns
        connection.execute("ALTER TABLE cases DROP COLUMN next_deadline_kind")
        connection.execute("ALTER TABLE cases DROP COLUMN applied_for")
        connection.execute("ALTER TABLE cases DROP COLUMN work")
        connection.execute("PRAGMA user_version = 2")
    undo_audit_head_row(profile)  # and before 0007
    profile.lock()
    reopened = open_with_key(profile_dir, unwrap(read_key_file(key_file_path(profile_dir)), PASSPHRASE))
    try:
        shown = {s.case_id: s for s in reopened.cases.list_summaries(today=date.today())}
        for case in cases:
            summary = shown[case.id]
            assert summary.applied_for == tuple(i.insats_id or i.free_text for i in case.application.items)
            assert summary.applied_for  # every demo case applies for something
            with reopened._db.reading() as connection:
                stored = connection.execute("SELECT applied_for FROM cases WHERE id = ?", (case.id,)).fetchone()[0]
            assert stored == applied_for_column(case)  # SQL and Python write the same text: no needless rewrite
        open_kinds = {shown[c.id].next_deadline_kind for c in cases[1:]}
        assert open_kinds <= {"discharge_sip", "discharge_payment", "large_decision_follow_up"}
        assert "" not in {shown[c.id].next_deadline_kind for c in cases[1:] if shown[c.id].next_deadline}
        assert shown[cases[0].id].next_deadline_kind == ""
        for case in cases[1:]:  # the work list's rows and the next deadline, as the rules give them for today
            assert work_items_of(shown[case.id]) == work_items(case, date.today(), reopened_rules())
            reminder = next_deadline(case, date.today(), reopened_rules())
            assert reminder is not None
            assert (shown[case.id].next_deadline, shown[case.id].next_deadline_kind) == (reminder.due, reminder.kind)
        assert work_items_of(shown[cases[0].id]) == []
    finally:
        reopened.lock()


def test_every_summary_field_is_read_from_the_store(profile: Profile, demo) -> None:  # type: ignore[no-untyped-def]
    """The listing makes each summary with tuple's own ``__new__`` (no defaults filled in): a field added to
    ``CaseSummary`` without its column in the query would leave the summaries short, and this fails."""
    from storage.repositories.cases import CaseSummary

    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    listed = profile.cases.list_summaries(today=date.today())
    assert len(listed) == len(cases)
    for summary in listed:
        assert len(summary) == len(CaseSummary._fields)
        assert CaseSummary(*summary) == summary
        assert type(summary.updated_at).__name__ == "datetime" and isinstance(summary.has_conflict, bool)
