"""Creating, unlocking, locking and re-keying a profile."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from storage_support import CHEAP_KDF, OTHER_PASSPHRASE, PASSPHRASE

from storage.errors import (
    PassphraseRejected,
    ProfileExists,
    ProfileLocked,
    ProfileNotFound,
    UnlockThrottled,
    WrongPassphrase,
)
from storage.kdf import OWASP_MINIMUM_ITERATIONS, OWASP_MINIMUM_MEMORY_KIB, calibrate
from storage.keyfile import read_key_file
from storage.passphrase import PassphraseProblem
from storage.profile import KEY_FILE_NAME, Profile, create_profile, profile_exists, unlock_profile
from storage.throttle import FREE_FAILURES, delay_after


def test_a_new_profile_unlocks_with_its_passphrase(profile: Profile, profile_dir: Path, demo) -> None:
    people, cases = demo
    profile.people.save(people[0])
    profile.cases.save(cases[0])
    profile.lock()
    reopened = unlock_profile(profile_dir, PASSPHRASE)
    try:
        assert reopened.cases.load(cases[0].id) == cases[0]
        assert (reopened.user_id, reopened.device_id) == ("handlaggare1", "device1")
    finally:
        reopened.lock()


def test_the_key_file_is_owner_only_and_written_without_leftovers(profile: Profile, profile_dir: Path) -> None:
    mode = stat.S_IMODE((profile_dir / KEY_FILE_NAME).stat().st_mode)
    assert mode == 0o600
    assert not [p for p in profile_dir.iterdir() if p.name.endswith(".tmp")]


def test_creating_over_an_existing_profile_is_refused(profile: Profile, profile_dir: Path) -> None:
    before = (profile_dir / KEY_FILE_NAME).read_bytes()
    with pytest.raises(ProfileExists):
        create_profile(profile_dir, OTHER_PASSPHRASE, user_id="someone", kdf=CHEAP_KDF)
    assert (profile_dir / KEY_FILE_NAME).read_bytes() == before


def test_a_weak_passphrase_is_refused_and_nothing_is_created(profile_dir: Path) -> None:
    with pytest.raises(PassphraseRejected) as caught:
        create_profile(profile_dir, "sommar2024", user_id="u", kdf=CHEAP_KDF)
    assert PassphraseProblem.TOO_SHORT in caught.value.problems
    assert not profile_exists(profile_dir)


def test_unlocking_an_empty_folder_says_there_is_no_profile(tmp_path: Path) -> None:
    with pytest.raises(ProfileNotFound):
        unlock_profile(tmp_path / "nothing", PASSPHRASE)


def test_a_wrong_passphrase_is_a_typed_error(profile: Profile, profile_dir: Path) -> None:
    profile.lock()
    with pytest.raises(WrongPassphrase):
        unlock_profile(profile_dir, PASSPHRASE + "x")


def test_repeated_failures_add_a_growing_delay_that_survives_a_restart(profile: Profile, profile_dir: Path) -> None:
    profile.lock()
    now = [1_000_000.0]

    def clock() -> float:
        return now[0]

    for _ in range(FREE_FAILURES):
        with pytest.raises(WrongPassphrase):
            unlock_profile(profile_dir, "fel lösenfras igen", clock=clock)
    # The delay is read from the profile folder: even the right passphrase waits (as after a restart).
    with pytest.raises(UnlockThrottled) as caught:
        unlock_profile(profile_dir, PASSPHRASE, clock=clock)
    assert caught.value.wait_seconds == pytest.approx(delay_after(FREE_FAILURES))
    now[0] += delay_after(FREE_FAILURES) + 1
    with pytest.raises(WrongPassphrase):
        unlock_profile(profile_dir, "fel lösenfras igen", clock=clock)
    with pytest.raises(UnlockThrottled) as longer:
        unlock_profile(profile_dir, PASSPHRASE, clock=clock)
    assert longer.value.wait_seconds > caught.value.wait_seconds
    now[0] += longer.value.wait_seconds + 1
    unlock_profile(profile_dir, PASSPHRASE, clock=clock).lock()
    # Success resets the counter: the next mistake costs no wait.
    with pytest.raises(WrongPassphrase):
        unlock_profile(profile_dir, "fel lösenfras igen", clock=clock)
    unlock_profile(profile_dir, PASSPHRASE, clock=clock).lock()


def test_after_lock_every_call_raises_profile_locked(profile: Profile, demo) -> None:
    people, cases = demo
    profile.cases.save(cases[0])
    profile.lock()
    assert profile.is_locked
    calls = [
        lambda: profile.cases.load(cases[0].id),
        lambda: profile.cases.save(cases[0]),
        lambda: profile.cases.list_summaries(),
        lambda: profile.people.save(people[0]),
        lambda: profile.audit.record("view", case_id=cases[0].id),
        lambda: profile.audit.verify(),
        lambda: profile.journal.pending(),
        lambda: profile.sync.cursor(),
        lambda: profile.sync.conflicts(),
        lambda: profile.change_passphrase(PASSPHRASE, OTHER_PASSPHRASE),
    ]
    for call in calls:
        with pytest.raises(ProfileLocked):
            call()


def test_lock_overwrites_the_data_key_bytes(profile: Profile) -> None:
    key = profile._db.key
    assert any(key)
    profile.lock()
    assert bytes(key) == bytes(len(key))


def test_changing_the_passphrase_rewraps_without_rewriting_the_database(profile: Profile, profile_dir: Path,
                                                                         demo) -> None:
    profile.cases.save(demo[1][0])
    profile.lock()
    profile = unlock_profile(profile_dir, PASSPHRASE)
    database_before = (profile_dir / "profile.db").read_bytes()
    profile.change_passphrase(PASSPHRASE, OTHER_PASSPHRASE)
    assert (profile_dir / "profile.db").read_bytes() == database_before
    profile.lock()
    with pytest.raises(WrongPassphrase):
        unlock_profile(profile_dir, PASSPHRASE)
    reopened = unlock_profile(profile_dir, OTHER_PASSPHRASE)
    assert reopened.cases.load(demo[1][0].id) == demo[1][0]
    reopened.lock()


def test_a_lock_during_a_passphrase_change_never_wraps_the_wiped_key(profile: Profile, profile_dir: Path, demo,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The window closed (the store locked on the UI thread) while the change's worker wraps the key: the key
    file must still open the database, with the old passphrase or the new one (the lock overwrote the key the
    change was wrapping, and the key file then opened nothing)."""
    from storage import keyfile

    profile.cases.save(demo[1][0])
    real_wrap = keyfile.wrap

    def wrap_while_locked(*args, **kwargs):  # type: ignore[no-untyped-def]
        profile.lock()  # as the UI thread's lock would, between the check and the wrap
        return real_wrap(*args, **kwargs)

    monkeypatch.setattr(keyfile, "wrap", wrap_while_locked)
    with pytest.raises(ProfileLocked):  # the change's audit entry finds the store locked
        profile.change_passphrase(PASSPHRASE, OTHER_PASSPHRASE)
    reopened = unlock_profile(profile_dir, OTHER_PASSPHRASE)
    assert reopened.cases.load(demo[1][0].id) == demo[1][0]
    reopened.lock()


def test_changing_the_passphrase_needs_the_old_one_and_a_strong_new_one(profile: Profile, profile_dir: Path) -> None:
    before = (profile_dir / KEY_FILE_NAME).read_bytes()
    with pytest.raises(WrongPassphrase):
        profile.change_passphrase("inte den gamla frasen", OTHER_PASSPHRASE)
    with pytest.raises(PassphraseRejected):
        profile.change_passphrase(PASSPHRASE, "kort")
    assert (profile_dir / KEY_FILE_NAME).read_bytes() == before


def test_kdf_parameters_are_stored_in_the_key_file(profile: Profile, profile_dir: Path) -> None:
    assert read_key_file(profile_dir / KEY_FILE_NAME).kdf == CHEAP_KDF


def test_calibration_never_goes_below_owasp_minimum() -> None:
    parameters = calibrate(target_seconds=0.0)
    assert parameters.memory_kib >= OWASP_MINIMUM_MEMORY_KIB
    assert parameters.iterations >= OWASP_MINIMUM_ITERATIONS
    assert parameters.parallelism >= 1


def test_a_garbled_throttle_file_neither_locks_out_nor_resets_the_count(profile: Profile, profile_dir: Path) -> None:
    profile.lock()
    (profile_dir / "unlock-attempts.json").write_text("{not json")
    now = [5_000_000.0]
    with pytest.raises(UnlockThrottled) as caught:
        unlock_profile(profile_dir, PASSPHRASE, clock=lambda: now[0])
    assert caught.value.wait_seconds == pytest.approx(delay_after(FREE_FAILURES))
    now[0] += caught.value.wait_seconds + 1
    unlock_profile(profile_dir, PASSPHRASE, clock=lambda: now[0]).lock()
