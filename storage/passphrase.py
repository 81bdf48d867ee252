"""Passphrase rules for a new profile: a minimum length and a refusal of the obvious ones."""

from __future__ import annotations

import getpass
import sys
import unicodedata
from enum import StrEnum

from storage.errors import StorageError

MIN_PASSPHRASE_LENGTH = 12
# Fewer distinct characters than this is a pattern, not a passphrase ("aaaaaaaaaaaa", "abababababab").
MIN_DISTINCT_CHARACTERS = 5

# The most common choices in leaked password lists and their Swedish counterparts, lower-cased; a passphrase that is
# one of these, or one of these followed by digits or punctuation, is refused.
_COMMON = frozenset(
    {
        "password", "passw0rd", "lösenord", "losenord", "qwerty", "qwertyuiop", "asdfghjkl", "azerty", "letmein",
        "welcome", "välkommen", "valkommen", "sommar", "vinter", "hösten", "hosten", "våren", "varen", "admin",
        "administrator", "iloveyou", "jagälskardig", "monkey", "dragon", "football", "fotboll", "hemtjänst",
        "hembesök", "hembesok", "kommunen", "socialtjänst", "socialtjanst", "handläggare", "handlaggare",
        "changeme", "secret", "hemligt", "superman", "sunshine", "princess", "trustno1", "abc123", "test",
        "testtest", "masterkey", "whatever", "stockholm", "göteborg", "goteborg", "malmö", "malmo", "sverige",
    }
)
_KEYBOARD_ROWS = ("1234567890", "qwertyuiopå", "asdfghjklöä", "zxcvbnm", "abcdefghijklmnopqrstuvwxyzåäö")


class UnreadablePassphrase(StorageError):
    """A piped passphrase that is no passphrase a person could type (the message says why, never the text)."""


def passphrase_line(line: str) -> str:
    """A passphrase as piped to IT's commands (``--passphrase-stdin``): the line without its line ending.

    A line ending is never part of a passphrase (the unlock field cannot take one). Only "\n" was removed: a
    passphrase piped with Windows line endings (a file saved on Windows, PowerShell's pipe) kept its "\r", and
    ``python -m storage.recover`` set a passphrase the user could never type. So did a NUL, a tab or another
    control character (now refused), and bytes that are not UTF-8 (stdin hands them on as lone surrogates) ended
    ``storage.restore`` in a UnicodeEncodeError traceback and ``storage.recover`` in the codec's message."""
    passphrase = line.removesuffix("\n").removesuffix("\r")
    if any(0xD800 <= ord(char) <= 0xDFFF for char in passphrase):
        raise UnreadablePassphrase("the piped passphrase is not UTF-8 text")
    if any(unicodedata.category(char) == "Cc" for char in passphrase):
        raise UnreadablePassphrase("the piped passphrase holds a control character, which the unlock field cannot"
                                   " take")
    return passphrase


def piped_passphrase() -> str:
    """The passphrase piped to IT's commands on stdin (``passphrase_line``), read as UTF-8 whatever the locale.

    Python decodes stdin by the locale: bytes that are not UTF-8 reached ``passphrase_line`` as lone surrogates
    only under the C locale; under sv_SE.UTF-8 they ended ``storage.restore`` in a UnicodeDecodeError traceback, and
    where stdin is cp1252 (a Windows pipe) a UTF-8 "lång" became "lÃ¥ng", which ``storage.recover`` set."""
    raw = sys.stdin.buffer.readline()
    if not raw:  # the input ended at once: taken as "", it was a wrong passphrase the unlock throttle counted
        raise UnreadablePassphrase("nothing was piped: the input ended before a passphrase")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadablePassphrase("the piped passphrase is not UTF-8 text") from None
    return passphrase_line(line)


def asked_secret(prompt: str) -> str:
    """A passphrase or password typed at IT's prompt (not echoed); UnreadablePassphrase when none comes.

    getpass at the end of its input (the command run from a script with nothing piped, or Ctrl+D) or interrupted
    (Ctrl+C) ended ``storage.recover`` and ``storage.restore`` in an EOFError or KeyboardInterrupt traceback; asked
    before anything is changed, so the command can say that nothing was."""
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)  # the prompt's line is left open
        raise UnreadablePassphrase("no answer at the prompt (the input ended or was interrupted)") from None


class PassphraseProblem(StrEnum):
    TOO_SHORT = "too_short"
    TOO_COMMON = "too_common"
    TOO_SIMPLE = "too_simple"
    # A line end, tab or other control character (pasted with it): the unlock field takes it only by a paste again,
    # so the profile would not open to the passphrase typed (s33-probe). A piped one is refused alike.
    UNTYPABLE = "untypable"


def same_passphrase(first: str, second: str) -> bool:
    """Whether two typings are one passphrase: "å" typed (one character) and pasted as "a" + a combining ring are the
    same to the person and to the key (``storage.keyfile.passphrase_forms``)."""
    return unicodedata.normalize("NFC", first) == unicodedata.normalize("NFC", second)


def passphrase_problems(passphrase: str) -> list[PassphraseProblem]:
    """What is wrong with ``passphrase`` for a new profile; empty when it is acceptable."""
    text = unicodedata.normalize("NFC", passphrase)
    problems: list[PassphraseProblem] = []
    if len(text) < MIN_PASSPHRASE_LENGTH:
        problems.append(PassphraseProblem.TOO_SHORT)
    if _is_common(text):
        problems.append(PassphraseProblem.TOO_COMMON)
    if _is_simple(text):
        problems.append(PassphraseProblem.TOO_SIMPLE)
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in text):
        problems.append(PassphraseProblem.UNTYPABLE)
    return problems


def _is_common(text: str) -> bool:
    core = text.lower().strip()
    stripped = core.rstrip("0123456789!?.#@*_- ")
    return core in _COMMON or stripped in _COMMON or _is_repetition_of_common(stripped)


def _is_repetition_of_common(text: str) -> bool:
    """'sommarsommarsommar' is as weak as 'sommar'."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size] in _COMMON or len(set(text[:size])) < MIN_DISTINCT_CHARACTERS
    return False


def _is_simple(text: str) -> bool:
    lowered = text.lower()
    if len(set(lowered)) < MIN_DISTINCT_CHARACTERS:
        return True
    if lowered.isdigit():
        return True
    return any(lowered in row or lowered in row[::-1] for row in _KEYBOARD_ROWS if len(lowered) >= 4)
