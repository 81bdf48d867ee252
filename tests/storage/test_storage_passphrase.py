from __future__ import annotations

import pytest

from storage.passphrase import MIN_PASSPHRASE_LENGTH, PassphraseProblem, passphrase_problems


def test_a_long_varied_passphrase_is_accepted() -> None:
    assert passphrase_problems("korrekt häst batteri häftklammer") == []


@pytest.mark.parametrize(
    ("passphrase", "problem"),
    [
        ("kort", PassphraseProblem.TOO_SHORT),
        ("a" * (MIN_PASSPHRASE_LENGTH - 1) + "b", PassphraseProblem.TOO_SIMPLE),
        ("lösenord12345", PassphraseProblem.TOO_COMMON),
        ("Password!!!!!!", PassphraseProblem.TOO_COMMON),
        ("sommarsommarsommar", PassphraseProblem.TOO_COMMON),
        ("123456789012", PassphraseProblem.TOO_SIMPLE),
        ("qwertyuiopå", PassphraseProblem.TOO_SIMPLE),
        ("abababababababab", PassphraseProblem.TOO_SIMPLE),
    ],
)
def test_weak_passphrases_are_refused_with_the_reason(passphrase: str, problem: PassphraseProblem) -> None:
    assert problem in passphrase_problems(passphrase)


def test_length_counts_characters_not_bytes() -> None:
    eleven = "åäöÅÄÖéüxyz"
    assert len(eleven) == MIN_PASSPHRASE_LENGTH - 1
    assert PassphraseProblem.TOO_SHORT in passphrase_problems(eleven)
    assert PassphraseProblem.TOO_SHORT not in passphrase_problems(eleven + "q")
