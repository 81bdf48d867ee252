"""The one gap the local audit check accepts is the one an ``audit_continued`` entry names (s27-audithead).

A restored profile's first sync renumbers the entries written after the backup's head onto the server's head
(``AuditLog.continue_after_restore``, tests/sync/test_restored_profile_audit_chain.py through the real server). Its
own ``verify`` must still pass, and must still catch an edited entry, an entry cut out, or a gap nothing names."""

from __future__ import annotations

from pathlib import Path

from storage_support import CHEAP_KDF, PASSPHRASE

from storage.profile import Profile, create_profile

SERVER_HEAD = 9
SERVER_HASH = "ab" * 32


def _continued(tmp_path: Path) -> tuple[Profile, int]:
    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id="h1", device_id="d1", kdf=CHEAP_KDF)
    for n in range(4):
        profile.audit.record("view", detail=f"before {n}")
    restored = profile.audit.head()[0]
    for n in range(3):
        profile.audit.record("view", detail=f"after {n}")
    assert profile.audit.continue_after_restore(restored, SERVER_HEAD, SERVER_HASH) == 3
    return profile, restored


def test_the_continued_chain_verifies_and_keeps_each_entry_s_content(tmp_path: Path) -> None:
    profile, restored = _continued(tmp_path)
    try:
        entries = profile.audit.entries()
        assert [e.seq for e in entries] == [*range(1, restored + 1), *range(SERVER_HEAD + 1, SERVER_HEAD + 5)]
        assert [e.detail for e in entries[restored:restored + 3]] == ["after 0", "after 1", "after 2"]
        assert entries[restored].prev_hash == SERVER_HASH and entries[-1].action == "audit_continued"
        assert profile.audit.verify().ok
        profile.audit.record("view", detail="later")  # the chain goes on from the continuation
        assert profile.audit.verify().ok and profile.audit.head()[0] == SERVER_HEAD + 5
    finally:
        profile.close()


def test_an_edited_entry_after_the_continuation_is_still_caught(tmp_path: Path) -> None:
    profile, _ = _continued(tmp_path)
    try:
        with profile._db.transaction() as connection:
            connection.execute("UPDATE audit SET detail = 'edited' WHERE seq = ?", (SERVER_HEAD + 2,))
        verification = profile.audit.verify()
        assert not verification.ok and verification.first_broken_seq == SERVER_HEAD + 2
    finally:
        profile.close()


def test_a_gap_no_continuation_names_is_still_caught(tmp_path: Path) -> None:
    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id="h1", device_id="d1", kdf=CHEAP_KDF)
    try:
        for n in range(5):
            profile.audit.record("view", detail=f"entry {n}")
        with profile._db.transaction() as connection:
            connection.execute("DELETE FROM audit WHERE seq = 3")
        verification = profile.audit.verify()
        assert not verification.ok and verification.first_broken_seq == 3
    finally:
        profile.close()
