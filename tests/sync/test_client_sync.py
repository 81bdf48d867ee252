"""The real client with a real local profile against the real server: first sync, merges, conflicts, revocation."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_support import Env, Laptop, assigned_cases, case_with_decision, local_documents, make_laptop, server_documents

from storage.errors import RecordNotFound
from storage.profile import profile_exists
from sync.client.credentials import LEGACY_FILE_NAME, CredentialStore
from sync.client.enrollment import enroll
from sync.client.transport import Transport
from sync.errors import DeviceRevoked, EnrollmentFailed, UserMismatch
from sync.server import central, tokens
from sync.server.db import connect
from sync.server.dev import DEMO_USER, OTHER_USER


def _assert_converged(env: Env, *laptops: Laptop) -> None:
    server = server_documents(env, DEMO_USER)
    for laptop in laptops:
        assert local_documents(laptop.profile, server) == server


def test_first_sync_brings_the_assigned_cases_and_nothing_else(env: Env, tmp_path: Path) -> None:
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    report = laptop.sync()
    mine = assigned_cases(env, DEMO_USER)
    assert laptop.profile.cases.count() == len(mine)
    assert {s.case_id for s in laptop.profile.cases.list_summaries()} == {r["case_id"] for r in mine}
    assert report.pulled > 0 and report.pushed == 0
    _assert_converged(env, laptop)
    other = make_laptop(env, tmp_path / "b", OTHER_USER)
    other.sync()
    assert other.profile.cases.count() == 0
    with pytest.raises(RecordNotFound):
        other.profile.cases.load(mine[0]["case_id"])


def test_offline_edits_of_different_fields_merge_on_both_laptops(env: Env, tmp_path: Path) -> None:
    a, b = make_laptop(env, tmp_path / "a", DEMO_USER), make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    b.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    case_a = a.profile.cases.load(case_id)
    case_a.origin_note = "Anteckning från A"
    a.profile.cases.save(case_a)
    case_b = b.profile.cases.load(case_id)
    case_b.chosen_provider = "Utförare från B"
    b.profile.cases.save(case_b)
    a.sync()
    b.sync()
    a.sync()
    for laptop in (a, b):
        merged = laptop.profile.cases.load(case_id)
        assert (merged.origin_note, merged.chosen_provider) == ("Anteckning från A", "Utförare från B")
        assert laptop.profile.journal.pending_count() == 0
        assert laptop.profile.sync.conflicts() == []
    _assert_converged(env, a, b)


def test_same_field_conflict_is_kept_until_resolved_then_everything_converges(env: Env, tmp_path: Path) -> None:
    a, b = make_laptop(env, tmp_path / "a", DEMO_USER), make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    b.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    original = a.profile.cases.load(case_id).origin_note
    for laptop, text in ((a, "Text från A"), (b, "Text från B")):
        case = laptop.profile.cases.load(case_id)
        case.origin_note = text
        laptop.profile.cases.save(case)
    a.sync()
    report = b.sync()
    assert report.conflicts == 1
    [conflict] = b.profile.sync.conflicts()
    assert (conflict.path, conflict.base_value, conflict.local_value, conflict.server_value) == (
        "origin_note", original, "Text från B", "Text från A")
    # Nothing was overwritten silently: B still shows its own text until the user chooses.
    assert b.profile.cases.load(case_id).origin_note == "Text från B"
    b.profile.sync.resolve_conflict(conflict.conflict_id, "Text från A och B")
    b.sync()
    a.sync()
    assert b.profile.sync.conflicts() == [] and a.profile.sync.conflicts() == []
    for laptop in (a, b):
        assert laptop.profile.cases.load(case_id).origin_note == "Text från A och B"
    _assert_converged(env, a, b)


def test_a_decision_registered_centrally_reaches_the_laptop(env: Env, tmp_path: Path) -> None:
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    case_id, existing = case_with_decision(env, DEMO_USER)
    decision = {**existing, "id": "c" * 32}
    with connect(env.database_url) as conn:
        central.register_decision(conn, case_id, decision)
    laptop.sync()
    assert "c" * 32 in {d.id for d in laptop.profile.cases.load(case_id).decisions}
    _assert_converged(env, laptop)


def test_an_expired_token_is_refreshed_transparently(env: Env, tmp_path: Path) -> None:
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.session._token = tokens.issue_token(env.config.token_secret, laptop.profile.device_id, DEMO_USER, 600,
                                               now=1_000_000)
    laptop.sync()
    assert laptop.profile.cases.count() == len(assigned_cases(env, DEMO_USER))


def test_enrollment_refuses_a_code_of_another_user_and_a_spent_code(env: Env, tmp_path: Path) -> None:
    from sync_support import PASSPHRASE

    from storage.kdf import KdfParameters
    from storage.profile import create_profile

    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id=DEMO_USER,
                             kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1))
    store = CredentialStore(profile)
    with pytest.raises(UserMismatch):
        enroll(Transport(env.base_url), store, code=env.new_code(OTHER_USER), device_id=profile.device_id,
               user_id=DEMO_USER)
    assert store.load() is None
    with pytest.raises(EnrollmentFailed):
        enroll(Transport(env.base_url), store, code=env.codes[OTHER_USER] + "X", device_id="fresh-device",
               user_id=DEMO_USER)


def _revoke(env: Env, laptop: Laptop, kind: str) -> None:
    with connect(env.database_url) as conn:
        central.revoke_device(conn, laptop.profile.device_id, kind)


def test_a_lost_laptop_is_wiped_at_next_contact_even_with_pending_work(env: Env, tmp_path: Path) -> None:
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    case = laptop.profile.cases.load(case_id)
    case.origin_note = "osynkad"
    laptop.profile.cases.save(case)
    _revoke(env, laptop, "lost")
    before = env.stored_counts()
    with pytest.raises(DeviceRevoked) as raised:
        laptop.sync()
    assert raised.value.kind == "lost" and raised.value.wiped
    assert not profile_exists(laptop.directory)
    assert not (laptop.directory / LEGACY_FILE_NAME).exists()
    assert env.stored_counts()["applied_ops"] == before["applied_ops"]


# Without a token (as every sync child starts, or once its ten minutes are over) the retiring laptop must get one
# for its push: before s23-probesrv POST /v1/token answered it 410, and it never pushed nor wiped (fails on main).
@pytest.mark.parametrize("token_kept", [True, False])
def test_a_retired_laptop_pushes_its_pending_work_then_wipes(env: Env, tmp_path: Path, token_kept: bool) -> None:
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    case = laptop.profile.cases.load(case_id)
    case.origin_note = "sista ändringen"
    laptop.profile.cases.save(case)
    _revoke(env, laptop, "retire")
    if not token_kept:
        laptop.session._token = None
    with pytest.raises(DeviceRevoked) as raised:
        laptop.sync()
    assert raised.value.kind == "retire" and raised.value.wiped
    assert not profile_exists(laptop.directory)
    assert server_documents(env, DEMO_USER)[("case", case_id)]["origin_note"] == "sista ändringen"
    status = env.sql("SELECT status FROM devices WHERE id = %s", (laptop.session.credentials.device_id,))
    assert status == [{"status": "retired"}]
    audit = env.sql("SELECT count(*) AS n FROM audit_entries WHERE device_id = %s",
                    (laptop.session.credentials.device_id,))
    assert audit[0]["n"] > 0


def test_a_retired_laptop_with_an_open_conflict_is_not_wiped(env: Env, tmp_path: Path) -> None:
    a, b = make_laptop(env, tmp_path / "a", DEMO_USER), make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    b.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    for laptop, text in ((a, "A"), (b, "B")):
        case = laptop.profile.cases.load(case_id)
        case.origin_note = text
        laptop.profile.cases.save(case)
    a.sync()
    _revoke(env, b, "retire")
    with pytest.raises(DeviceRevoked) as raised:
        b.sync()
    assert not raised.value.wiped and raised.value.pending == 1
    assert profile_exists(b.directory)
    [conflict] = b.profile.sync.conflicts()
    b.profile.sync.resolve_conflict(conflict.conflict_id, "B")
    with pytest.raises(DeviceRevoked) as again:
        b.sync()
    assert again.value.wiped
    assert server_documents(env, DEMO_USER)[("case", case_id)]["origin_note"] == "B"


def test_audit_trail_reaches_the_server_with_a_verified_chain(env: Env, tmp_path: Path) -> None:
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    laptop.profile.audit.record("view", case_id=case_id, detail="utredning")
    laptop.profile.audit.record("print", case_id=case_id, detail="utredning v1, 3 pages")
    laptop.sync()
    local = laptop.profile.audit.entries()
    stored = env.sql("SELECT seq, hash FROM audit_entries WHERE device_id = %s ORDER BY seq",
                     (laptop.profile.device_id,))
    assert [(e.seq, e.hash) for e in local] == [(r["seq"], r["hash"]) for r in stored]


def test_the_device_credential_lives_encrypted_inside_the_profile(env: Env, tmp_path: Path) -> None:
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    stored = CredentialStore(laptop.profile).load()
    assert stored is not None and stored.user_id == DEMO_USER
    secret = stored.device_credential.encode("ascii")
    for path in laptop.directory.rglob("*"):
        assert not path.is_file() or secret not in path.read_bytes(), path.name
    laptop.profile.lock()
    from sync_support import PASSPHRASE

    from storage.profile import unlock_profile

    reopened = unlock_profile(laptop.directory, PASSPHRASE)
    assert CredentialStore(reopened).load() == stored
    reopened.lock()


def test_a_credential_file_from_an_earlier_version_is_moved_into_the_store(env: Env, tmp_path: Path) -> None:
    import json
    from dataclasses import asdict

    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    store = CredentialStore(laptop.profile)
    stored = store.load()
    assert stored is not None
    laptop.profile.secrets.delete("sync_device")
    legacy = laptop.directory / LEGACY_FILE_NAME
    legacy.write_text(json.dumps(asdict(stored)), encoding="utf-8")
    assert store.load() == stored
    assert not legacy.exists()
    assert laptop.profile.secrets.get("sync_device") is not None
    from sync.client.engine import open_session, sync_now

    assert sync_now(open_session(laptop.profile), laptop.profile).pulled > 0  # the adopted credential works


def test_a_credential_file_left_by_an_interrupted_adoption_is_removed_at_a_later_load(
        env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    from dataclasses import asdict, replace

    from sync.client import credentials

    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    store = CredentialStore(laptop.profile)
    stored = store.load()
    assert stored is not None
    legacy = laptop.directory / LEGACY_FILE_NAME
    # The store already holds the credential (adoption committed), the plaintext file is still there.
    legacy.write_text(json.dumps(asdict(replace(stored, device_credential="OLD-PLAINTEXT"))), encoding="utf-8")

    def held_by_an_indexer(path: object) -> None:
        raise PermissionError("in use")

    monkeypatch.setattr(credentials, "_destroy", held_by_an_indexer)
    assert store.load() == stored  # a file that cannot be removed yet does not stop sync; the store wins
    assert "OLD-PLAINTEXT" in legacy.read_text(encoding="utf-8")
    monkeypatch.undo()
    assert store.load() == stored
    assert not legacy.exists()
    assert store.load() == stored  # and with no file, load() is unchanged
