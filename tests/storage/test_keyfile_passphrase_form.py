"""The key file records the Unicode form its passphrase wrap used, so a wrong passphrase with å, ä or ö costs one key
derivation, not two or three; a key file written before that record (format 1) still opens and is upgraded.

On main every unlock tried each form of the passphrase (``passphrase_forms``): a wrong Swedish passphrase cost two
Argon2id runs, in the app and in the key helper process alike.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import unicodedata
from pathlib import Path

import pytest
from keyfile_support import counting_helper_boot, helper_derivations, rewrite_as_format_1
from storage_support import PASSPHRASE

import storage.keyfile as keyfile
from storage import key_helper
from storage.errors import KeyFileTooNew, ProfileDamaged, SchemaTooNew, WrongPassphrase
from storage.keyfile import _checksum
from storage.profile import KEY_FILE_NAME, Profile, key_file_path, unlock_profile

WRONG = "korrekt häst batteri häftklamrar"  # wrong, and not the same bytes in NFC and NFD
COMPOSED = unicodedata.normalize("NFC", PASSPHRASE)
DECOMPOSED = unicodedata.normalize("NFD", PASSPHRASE)
MIXED = COMPOSED.replace("ä", unicodedata.normalize("NFD", "ä"), 1)  # neither form: one ä composed, one not


@pytest.fixture
def locked(profile: Profile, profile_dir: Path) -> Path:
    profile.lock()
    return profile_dir


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passphrase form of every key derivation in this process, in order."""
    calls: list[str] = []
    original = keyfile.derive_key

    def counted(passphrase, salt, kdf):  # type: ignore[no-untyped-def]
        calls.append(unicodedata.normalize("NFC", passphrase))  # which passphrase, not which form
        return original(passphrase, salt, kdf)

    monkeypatch.setattr(keyfile, "derive_key", counted)
    return calls


@pytest.fixture
def helper_count(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The key helper processes started from now on count their derivations in the file returned."""
    count = tmp_path / "derivations"
    monkeypatch.setattr(key_helper, "_BOOT", counting_helper_boot(count))
    monkeypatch.setattr(key_helper, "_waiting", None)  # one waiting already (another test's) would not count
    return count


def _in_helper(path: Path, passphrase: str) -> bytearray:
    """As the window unlocks (``unwrap_key``), and never falling back to the unwrap in this process."""
    return key_helper.unwrap_in_helper(path, passphrase, fallback=False)


def _body(directory: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(key_file_path(directory).read_text())


def _edit(directory: Path, **changes: object) -> bytes:
    """Change the key file's fields (None: remove it), with its checksum made to match again; the new bytes."""
    body = _body(directory)
    for name, value in changes.items():
        body.pop(name) if value is None else body.__setitem__(name, value)
    body["checksum"] = _checksum(body)
    key_file_path(directory).write_text(json.dumps(body))
    return key_file_path(directory).read_bytes()


def test_a_wrong_swedish_passphrase_costs_one_derivation(locked: Path, derivations: list[str]) -> None:
    """Fails on main: two derivations (the NFC and the NFD form)."""
    with pytest.raises(WrongPassphrase):
        unlock_profile(locked, WRONG)
    assert len(derivations) == 1
    assert _body(locked)["passphrase_form"] == "NFC"
    unlock_profile(locked, DECOMPOSED).lock()  # the right one, in the other form: one derivation too
    assert len(derivations) == 2


def test_a_wrong_swedish_passphrase_costs_one_derivation_in_the_key_helper(locked: Path, helper_count: Path) -> None:
    """Fails on main: two derivations in the helper process."""
    with pytest.raises(WrongPassphrase):
        unlock_profile(locked, WRONG, unwrap_key=_in_helper)
    assert helper_derivations(helper_count) == 1
    unlock_profile(locked, PASSPHRASE, unwrap_key=_in_helper).lock()
    assert helper_derivations(helper_count) == 2


@pytest.mark.parametrize(("wrapped", "typed", "opening"),
                         [(COMPOSED, DECOMPOSED, 1), (MIXED, MIXED, 3), (DECOMPOSED, COMPOSED, 3)],
                         ids=["nfc", "as-typed", "nfd"])
def test_a_format_1_file_opens_in_each_form_and_is_upgraded(locked: Path, derivations: list[str], wrapped: str,
                                                            typed: str, opening: int) -> None:
    """The first unlock: NFC opens an NFC wrap, which is rewrapped under the same derived key (one derivation);
    another form's wrap costs the NFC try, its own, and a fresh NFC wrap (three), once."""
    rewrite_as_format_1(key_file_path(locked), PASSPHRASE, wrapped)
    assert _body(locked)["format"] == "hembesok-keyfile/1"
    derivations.clear()
    unlock_profile(locked, typed).lock()
    assert len(derivations) == opening
    body = _body(locked)
    assert (body["format"], body["passphrase_form"]) == ("hembesok-keyfile/2", "NFC")
    derivations.clear()
    with pytest.raises(WrongPassphrase):
        unlock_profile(locked, WRONG)
    assert len(derivations) == 1
    unlock_profile(locked, typed).lock()
    assert len(derivations) == 2


def test_a_format_1_file_is_upgraded_by_the_key_helper(locked: Path, helper_count: Path) -> None:
    rewrite_as_format_1(key_file_path(locked), PASSPHRASE, DECOMPOSED)
    unlock_profile(locked, COMPOSED, unwrap_key=_in_helper).lock()
    assert _body(locked)["format"] == "hembesok-keyfile/2"
    before = helper_derivations(helper_count)
    with pytest.raises(WrongPassphrase):
        unlock_profile(locked, WRONG, unwrap_key=_in_helper)
    assert helper_derivations(helper_count) == before + 1


@pytest.mark.parametrize("error", [errno.EIO, errno.ENOSPC], ids=["io", "disk-full"])
def test_an_upgrade_cut_short_keeps_the_old_file_and_the_unlock(locked: Path, monkeypatch: pytest.MonkeyPatch,
                                                                error: int) -> None:
    """A crash between writing the new file and putting it in place (the rename fails): the format 1 file is still
    there, whole, the unlock went on, and the next unlock upgrades it. ``disk-full`` failed on s21-kdfform: ENOSPC
    becomes ``DiskFull`` (not an OSError) in ``write_atomically``, and the right passphrase failed to unlock."""
    rewrite_as_format_1(key_file_path(locked), PASSPHRASE, DECOMPOSED)
    before = key_file_path(locked).read_bytes()
    replace = os.replace

    def cut_short(source, target):  # type: ignore[no-untyped-def]
        if Path(target).name == KEY_FILE_NAME:
            raise OSError(error, "cut short")
        return replace(source, target)

    with monkeypatch.context() as crash:
        crash.setattr(os, "replace", cut_short)
        unlock_profile(locked, PASSPHRASE).lock()
    assert key_file_path(locked).read_bytes() == before
    unlock_profile(locked, PASSPHRASE).lock()
    assert _body(locked)["format"] == "hembesok-keyfile/2"


def test_a_marker_edited_to_another_form_is_damage_found_before_any_derivation(locked: Path,
                                                                               derivations: list[str]) -> None:
    edited = _edit(locked, passphrase_form="NFD")
    with pytest.raises(ProfileDamaged) as caught:
        unlock_profile(locked, DECOMPOSED)
    assert caught.value.path == key_file_path(locked) and derivations == []
    assert key_file_path(locked).read_bytes() == edited


def test_a_format_2_file_passed_off_as_format_1_does_not_open(locked: Path) -> None:
    """The marker is in the GCM associated data: without it the header is not the one the wrap authenticated, so
    even the right passphrase fails in every form, and nothing is rewritten."""
    edited = _edit(locked, format="hembesok-keyfile/1", passphrase_form=None)
    with pytest.raises(WrongPassphrase):
        unlock_profile(locked, PASSPHRASE)
    assert key_file_path(locked).read_bytes() == edited


def test_a_newer_format_is_refused_as_too_new_not_damaged(locked: Path, derivations: list[str],
                                                          helper_count: Path) -> None:
    edited = _edit(locked, format="hembesok-keyfile/3", checksum_of_later_versions="x")
    for unwrap_key in (None, _in_helper):
        with pytest.raises(KeyFileTooNew) as caught:
            unlock_profile(locked, PASSPHRASE, unwrap_key=unwrap_key)
        assert (caught.value.found, caught.value.supported) == (3, 2)
        assert isinstance(caught.value, SchemaTooNew) and not isinstance(caught.value, ProfileDamaged)
    assert derivations == [] and helper_derivations(helper_count) == 0
    assert key_file_path(locked).read_bytes() == edited


def test_a_key_file_the_old_program_wrote_is_upgraded_at_its_first_unlock(tmp_path: Path,
                                                                         derivations: list[str]) -> None:
    """``tests/fixtures/storage/profile-v9`` as commit 6b30a04 wrote it (format 1, NFC): it opens with the
    passphrase pasted decomposed in one derivation (the upgrade reuses the derived key), and then refuses a wrong
    one after one derivation too."""
    directory = tmp_path / "profile"
    shutil.copytree(Path(__file__).resolve().parent.parent / "fixtures" / "storage" / "profile-v9", directory)
    assert _body(directory)["format"] == "hembesok-keyfile/1"
    unlock_profile(directory, DECOMPOSED).lock()
    assert len(derivations) == 1 and _body(directory)["format"] == "hembesok-keyfile/2"
    with pytest.raises(WrongPassphrase):
        unlock_profile(directory, WRONG)
    assert len(derivations) == 2


def test_an_upgrade_never_overwrites_a_key_file_written_while_it_derived(locked: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The recover command (or a passphrase change) rewrites the key file while an unlock of the format 1 file is
    deriving: the upgrade must not put the old passphrase's wrap back over it. Fails on s21-kdfform: the new
    passphrase is silently undone and the old one opens the profile again."""
    rewrite_as_format_1(key_file_path(locked), PASSPHRASE, COMPOSED)
    new_passphrase = "blåbär under snötäcket i mars"
    original = keyfile.derive_key
    written: list[bytes] = []

    def meanwhile(passphrase, salt, kdf):  # type: ignore[no-untyped-def]
        key = original(passphrase, salt, kdf)
        if not written:  # as another process would, between this unlock's read and its write
            written.append(b"")
            with monkeypatch.context() as other:
                other.setattr(keyfile, "derive_key", original)
                current = keyfile.read_key_file(key_file_path(locked))
                data_key = keyfile.unwrap(current, PASSPHRASE)
                keyfile.write_key_file(key_file_path(locked),
                                       keyfile.wrap(data_key, new_passphrase, current.kdf, current.recovery))
            written[0] = key_file_path(locked).read_bytes()
        return key

    with monkeypatch.context() as racing:
        racing.setattr(keyfile, "derive_key", meanwhile)
        unlock_profile(locked, PASSPHRASE).lock()  # the unlock itself goes on: its key is the profile's key
    assert key_file_path(locked).read_bytes() == written[0]
    unlock_profile(locked, new_passphrase).lock()
    with pytest.raises(WrongPassphrase):
        unlock_profile(locked, PASSPHRASE)

