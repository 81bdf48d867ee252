"""For IT: restore access to a profile with the municipality's recovery private key and set a new passphrase.

    python -m storage.recover --profile DIR --private-key recovery.pem [--new-passphrase-stdin]

The private key's own password, if any, is read from HEMBESOK_RECOVERY_KEY_PASSWORD or asked for. No unsynced work is
lost: the database is opened with the recovered data key and only the key file is rewritten.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from storage.errors import PassphraseRejected, StorageError
from storage.keyfile import read_key_file, unwrap_with_recovery, wrap, write_key_file
from storage.passphrase import asked_secret, passphrase_problems, piped_passphrase, same_passphrase
from storage.profile import key_file_path, open_with_key, profile_exists
from storage.profile_lock import IN_USE, ProfileHeld, ProfileLock, in_use_message
from storage.throttle import UnlockThrottle

PASSWORD_VARIABLE = "HEMBESOK_RECOVERY_KEY_PASSWORD"


def load_private_key(path: Path) -> rsa.RSAPrivateKey:
    """The recovery private key (PEM), asking for its password when it is encrypted."""
    data = path.read_bytes()
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        password = os.environ.get(PASSWORD_VARIABLE) or asked_secret("Password of the recovery key: ")
        try:
            encoded = password.encode("utf-8")
        except UnicodeEncodeError:  # a variable's bytes that are not UTF-8: the codec's message said nothing of it
            raise ValueError(
                f"{PASSWORD_VARIABLE} is not UTF-8 text (the script's or the terminal's encoding)") from None
        key = serialization.load_pem_private_key(data, password=encoded)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the recovery key must be an RSA private key")
    return key


def recover(directory: Path, private_key: rsa.RSAPrivateKey, new_passphrase: str) -> None:
    """Unwrap the data key with ``private_key``, check it opens the database, re-wrap it under ``new_passphrase``."""
    problems = passphrase_problems(new_passphrase)
    if problems:
        raise PassphraseRejected(problems)
    key_path = key_file_path(directory)
    key_file = read_key_file(key_path)
    data_key = unwrap_with_recovery(key_file, private_key)
    new_key_file = wrap(data_key, new_passphrase, key_file.kdf, key_file.recovery)
    profile = open_with_key(directory, data_key)  # proves the key opens this database before anything is written
    try:
        write_key_file(key_path, new_key_file)
        UnlockThrottle(directory).reset()
        profile.audit.record("recover")
    finally:
        profile.lock()


def _read_new_passphrase(from_stdin: bool) -> str:
    if from_stdin:
        return piped_passphrase()
    first = asked_secret("New passphrase: ")
    if not same_passphrase(asked_secret("Repeat the new passphrase: "), first):  # one Unicode form, as the app
        raise SystemExit("The passphrases differ; nothing was changed.")
    return first


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    # Its docstring's first line; None under -OO (docstrings dropped), where the usage still prints.
    summary = (__doc__ or "").partition("\n")[0] or None
    parser = argparse.ArgumentParser(prog="python -m storage.recover", description=summary)
    parser.add_argument("--profile", type=Path, required=True, help="the profile folder")
    parser.add_argument("--private-key", type=Path, required=True, help="the recovery private key (PEM)")
    parser.add_argument("--new-passphrase-stdin", action="store_true", help="read the new passphrase from stdin")
    arguments = parser.parse_args(argv)
    if not profile_exists(arguments.profile):
        print("No profile in that folder.", file=sys.stderr)
        return 2
    try:
        with ProfileLock(arguments.profile):  # taken before any question: the app must not have the profile open
            private_key = load_private_key(arguments.private_key)
            recover(arguments.profile, private_key, _read_new_passphrase(arguments.new_passphrase_stdin))
    except ProfileHeld:
        print(in_use_message("Nothing was changed"), file=sys.stderr)
        return IN_USE
    except PassphraseRejected as error:
        print(f"The new passphrase is too weak ({', '.join(p.value for p in error.problems)}).", file=sys.stderr)
        return 2
    except (StorageError, ValueError, OSError) as error:
        print(f"Recovery failed: {error}", file=sys.stderr)
        return 2
    print("Access restored: the profile now opens with the new passphrase.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
