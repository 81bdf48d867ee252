"""The work list's summary column holds each reason as a message key and its parameters, never as rendered
Swedish, so the list shows it in the language the interface runs in; a row stored before (Swedish text) still loads
and is replaced at the daily refresh (issue 12, point 9)."""

from __future__ import annotations

import json
from datetime import timedelta

from storage_support import TODAY

from ibic.deadlines import ReminderKind
from ibic.messages import loads
from storage.profile import Profile
from storage.repositories.cases import work_items_of

OLD_REASON = "Beslutet om Hemtjänst – omvårdnadsinsatser omfattar minst 100 timmar per månad och ska följas upp."


def _stored(profile: Profile, case_id: str) -> tuple[str, str]:
    with profile._db.reading() as connection:
        row = connection.execute("SELECT work, next_deadline_text FROM cases WHERE id = ?", (case_id,)).fetchone()
    return str(row[0]), str(row[1])


def _case_with_work(profile: Profile, demo) -> str:  # type: ignore[no-untyped-def]
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    summaries = profile.cases.list_summaries(today=TODAY)
    return next(s.case_id for s in summaries if any(
        i.reminder.kind == ReminderKind.LARGE_DECISION_FOLLOW_UP for i in work_items_of(s)))


def test_stored_reasons_are_keys_with_parameters_not_swedish(profile: Profile, demo) -> None:  # type: ignore[no-untyped-def]
    case_id = _case_with_work(profile, demo)
    work, deadline_text = _stored(profile, case_id)
    reasons = [row[3] for row in json.loads(work)]
    assert reasons and all(set(reason) == {"key", "args"} for reason in reasons)
    large = next(r for r in reasons if r["key"].startswith("The decision on %1 covers at least %2 hours"))
    assert {"n": 100.0, "spec": "g"} in large["args"]
    assert not any(word in work for word in ("ska följas upp", "Beslutet om", "timmar per månad"))
    assert loads(deadline_text).key and "följas upp" not in deadline_text
    summary = next(s for s in profile.cases.list_summaries(today=TODAY) if s.case_id == case_id)
    item = next(i for i in work_items_of(summary) if i.reminder.kind == ReminderKind.LARGE_DECISION_FOLLOW_UP)
    assert item.reason.en.endswith("hours a month and must be followed up.")
    assert item.reason.sv.endswith("timmar per månad och ska följas upp.")


def test_a_row_stored_as_swedish_text_still_loads_and_the_daily_refresh_replaces_it(profile: Profile, demo) -> None:  # type: ignore[no-untyped-def]
    case_id = _case_with_work(profile, demo)
    old_row = [["large_decision_follow_up", TODAY.isoformat(), 3, OLD_REASON, None, True]]
    with profile._db.transaction() as connection:
        connection.execute("UPDATE cases SET work = ?, next_deadline_text = ? WHERE id = ?",
                           (json.dumps(old_row, ensure_ascii=False), OLD_REASON, case_id))
    summary = next(s for s in profile.cases.list_summaries(today=TODAY) if s.case_id == case_id)
    (item,) = work_items_of(summary)
    assert item.reason.sv == OLD_REASON and item.reason.en == OLD_REASON  # shown as it was until the refresh
    assert loads(summary.next_deadline_text).sv == OLD_REASON
    refreshed = next(s for s in profile.cases.list_summaries(today=TODAY + timedelta(days=1)) if s.case_id == case_id)
    assert all(isinstance(i.reason.key, str) and i.reason.key != OLD_REASON for i in work_items_of(refreshed))
    assert OLD_REASON not in _stored(profile, case_id)[0]
