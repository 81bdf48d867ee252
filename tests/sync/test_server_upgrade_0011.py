"""A rolling upgrade to migration 0011: while a server process of the release before still answers, its every
push fails (500: ``records.document`` is renamed, it cannot write a document that would hide the rows); the
laptop keeps its IBIC edits pending and sends them again, and once a process of this release answers they are
applied once each and the laptop and the server hold the same documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_support import Env, assert_exactly_once_and_converged, make_laptop

from sync.errors import ServerUnavailable
from sync.server.dev import DEMO_USER


def test_ibic_edits_pushed_to_a_process_of_the_release_before_are_kept_and_applied_once_after(
    env: Env, tmp_path: Path
) -> None:
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    for summary in laptop.profile.cases.list_summaries():
        case = laptop.profile.cases.load(summary.case_id)
        case.investigation.ensure_assessment("d4").own_description = "Går med rollator inomhus"
        case.investigation.ensure_assessment("d1").need = "Stöd vid inköp"
        laptop.profile.cases.save(case)
    expected = {change.op_id for change in laptop.profile.journal.pending()}
    assert expected

    # What the release before's statements meet: the column it reads and writes is not there (see the migration).
    env.sql("ALTER TABLE records RENAME COLUMN document_rest TO document_renamed_by_0011")
    try:
        with pytest.raises(ServerUnavailable):
            laptop.sync()
        assert {c.op_id for c in laptop.profile.journal.pending()} == expected
        assert env.sql("SELECT count(*) AS n FROM change_log WHERE device_id = %s",
                       (laptop.profile.device_id,))[0]["n"] == 0
    finally:
        env.sql("ALTER TABLE records RENAME COLUMN document_renamed_by_0011 TO document_rest")

    laptop.sync()
    assert_exactly_once_and_converged(env, laptop.profile.device_id, expected, laptop)
