"""The audit chain's head and the save count live in the audit table's head row (migration 0007, issue 14): a
profile written by the previous program (schema 6, both in ``meta``) upgrades with its chain and count intact, and
every save after it writes the head row instead of ``meta``."""

from __future__ import annotations

from pathlib import Path

from storage_support import PASSPHRASE, TODAY
from test_journal_pages import old_profile, raw_rows

from storage.profile import database_path, unlock_profile
from storage.save_counter import counter_path, outside_count

# Every head row there is: exactly one, right after the newest entry (seq = head_seq + 1).
HEAD_ROW = "SELECT head_seq, hash, save_count FROM audit WHERE head_seq IS NOT NULL AND seq = head_seq + 1"
HEAD_ROWS = "SELECT count(*) FROM audit WHERE head_seq IS NOT NULL"


def test_a_version_6_profile_keeps_its_chain_and_save_count_and_saves_into_the_head_row(tmp_path: Path) -> None:
    directory = old_profile("profile-v6", tmp_path / "profile")
    version, meta, entries = raw_rows(
        directory, "PRAGMA user_version",
        "SELECT key, value FROM meta WHERE key IN ('audit_head_seq', 'audit_head_hash', 'save_count')",
        "SELECT seq, entry_id, at, action, hash FROM audit ORDER BY seq")
    old = dict(meta)
    assert version == [(6,)] and len(entries) >= 4
    assert old["audit_head_seq"] == str(entries[-1][0]) and old["audit_head_hash"] == entries[-1][-1]
    saves = int(old["save_count"])
    assert outside_count(database_path(directory)) == saves > 0

    profile = unlock_profile(directory, PASSPHRASE)
    try:
        assert profile.audit.verify().ok
        assert [(e.seq, e.entry_id, e.action, e.hash) for e in profile.audit.entries()] == \
            [(seq, entry_id, action, digest) for seq, entry_id, _at, action, digest in entries]
        with profile._db.reading() as connection:
            assert connection.execute(HEAD_ROW).fetchone() == (entries[-1][0], entries[-1][-1], saves)
            assert connection.execute(HEAD_ROWS).fetchone() == (1,)
            assert connection.execute("SELECT count(*) FROM meta WHERE key IN"
                                      " ('audit_head_seq', 'audit_head_hash', 'save_count')").fetchone() == (0,)
        assert profile._db._saves.count == saves

        cases = [profile.cases.load(s.case_id) for s in profile.cases.list_summaries(today=TODAY, refresh=False)]
        case = next(c for c in cases if c.investigation.assessments)
        assessment = case.investigation.assessments[0]
        assessment.need = "Skrivet efter uppgraderingen"
        profile.cases.save(case, [assessment])
        last = profile.audit.entries()[-1]
        assert (last.seq, last.action) == (entries[-1][0] + 1, "change")
        with profile._db.reading() as connection:
            assert connection.execute(HEAD_ROW).fetchone() == (last.seq, last.hash, saves + 1)
            assert connection.execute(HEAD_ROWS).fetchone() == (1,)
        assert outside_count(database_path(directory)) == saves + 1
        assert profile.audit.verify().ok
    finally:
        profile.lock()
    again = unlock_profile(directory, PASSPHRASE, backup=False)  # the count outside agrees with the head row's
    try:
        assert again.audit.verify().ok and again._db._saves.count == saves + 1
    finally:
        again.lock()
    assert counter_path(database_path(directory)).exists()
