"""A case's draft (storage.drafts) in a real SQLCipher file: replaced whole, removed by an empty value, never kept
for a case the profile does not hold, bounded, gone with a case withdrawn, and read back after the store is opened
again."""

from __future__ import annotations

from pathlib import Path

import pytest
from storage_support import PASSPHRASE
from test_case_withdrawal import pulled as pulled  # the fixture: every demo record pulled, none pending

from ibic.cases import Case
from ibic.people import Person
from storage.drafts import DRAFT_MAX, DraftTooLarge
from storage.profile import Profile, unlock_profile


def test_a_draft_is_replaced_removed_and_read_after_reopening(profile: Profile, profile_dir: Path,
                                                             demo: tuple[list[Person], list[Case]]) -> None:
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    case_id = cases[0].id
    assert profile.drafts.read(case_id) == ""
    profile.drafts.keep(case_id, '{"first": "Åsa"}')
    profile.drafts.keep(case_id, '{"second": "Åke"}')
    profile.lock()
    profile = unlock_profile(profile_dir, PASSPHRASE)
    try:
        assert profile.drafts.read(case_id) == '{"second": "Åke"}' and profile.drafts.cases() == [case_id]
        profile.drafts.keep(case_id, "")
        assert profile.drafts.read(case_id) == "" and profile.drafts.cases() == []
        profile.drafts.keep("no-such-case", "{}")  # a case not here (withdrawn meanwhile): nothing kept, no error
        assert profile.drafts.cases() == []
        with pytest.raises(DraftTooLarge):
            profile.drafts.keep(case_id, "x" * (DRAFT_MAX + 1))
        assert profile.drafts.read(case_id) == ""
    finally:
        profile.lock()


def test_a_withdrawn_case_takes_its_draft_along(profile: Profile,
                                                pulled: tuple[list[Person], list[Case]]) -> None:
    cases = pulled[1]
    withdrawn, kept = cases[0].id, cases[1].id
    profile.drafts.keep(withdrawn, '{"typed": "Eva"}')
    profile.drafts.keep(kept, '{"typed": "Olle"}')
    assert profile.withdrawals.withdraw([withdrawn]).removed == (withdrawn,)
    assert profile.drafts.cases() == [kept] and profile.drafts.read(withdrawn) == ""
