"""Every typed error becomes one Swedish sentence; anything else an apology with an incident id, logged safely."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ibic.errors import InvalidPersonalNumber, PersonalNumberErrorKind
from storage import errors as storage_errors
from storage.passphrase import PassphraseProblem
from ui.errors import user_message

TYPED = [
    storage_errors.WrongPassphrase(),
    storage_errors.UnlockThrottled(12.4),
    storage_errors.ProfileDamaged(Path("/tmp/x/profile.db")),
    storage_errors.SchemaTooNew(3, 1),
    storage_errors.DiskFull(),
    storage_errors.ProfileLocked(),
    storage_errors.ProfileNotFound(Path("/tmp/x")),
    storage_errors.ProfileExists(Path("/tmp/x")),
    storage_errors.PassphraseRejected([PassphraseProblem.TOO_SHORT]),
    storage_errors.InvalidRecord("unpaired surrogate"),
    storage_errors.PendingChangesExist(4),
    storage_errors.RecordNotFound("case", "abc"),
    *(InvalidPersonalNumber(kind, "detail") for kind in PersonalNumberErrorKind),
]


@pytest.mark.parametrize("error", TYPED, ids=lambda e: type(e).__name__)
def test_each_typed_error_has_its_own_swedish_sentence(error: Exception) -> None:
    message = user_message(error)
    assert message and "Något oväntat" not in message
    assert "/tmp/x" not in message


def test_throttle_message_tells_the_seconds() -> None:
    assert "12 sekunder" in user_message(storage_errors.UnlockThrottled(12.4))


def test_unexpected_error_gets_an_incident_id_and_the_log_holds_no_values(caplog, expect_unexpected_error) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.ERROR)
    message = user_message(RuntimeError("Tolvan Tolvansson 191212121212"))
    assert message.startswith("Något oväntat gick fel")
    incident = message.rsplit(" ", 1)[-1]
    record = caplog.records[-1]
    assert record.incident == incident and record.error_type == "RuntimeError"
    assert "Tolvan" not in caplog.text and "1912" not in caplog.text
    assert [e.error_type for e in expect_unexpected_error] == ["RuntimeError"]
