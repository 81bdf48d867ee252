"""One Swedish sentence per typed error; anything unexpected gets an apology and an incident id."""

from __future__ import annotations

import logging

from ibic.errors import InvalidPersonalNumber, PersonalNumberErrorKind
from ibic.ranges import EARLIEST_BIRTH
from storage import errors as storage_errors
from ui.i18n import tr
from ui.logging_setup import frames_of, new_incident_id

log = logging.getLogger(__name__)


def personal_number_message(kind: PersonalNumberErrorKind) -> str:
    messages = {
        PersonalNumberErrorKind.EMPTY: tr("Enter a personal identity number."),
        PersonalNumberErrorKind.FORMAT: tr("Write the number as YYYYMMDD-NNNN or YYMMDD-NNNN."),
        PersonalNumberErrorKind.DATE: tr("The date of birth in the number does not exist."),
        PersonalNumberErrorKind.CHECKSUM: tr("The last digit does not match: check the number for typing errors."),
        PersonalNumberErrorKind.SEPARATOR: tr("Use '+' only with 10 digits, for a person aged 100 or more."),
        PersonalNumberErrorKind.SERIAL: tr("The birth number 000 is never issued: check the number for typing errors."),
        # A date that exists, out of reach (991231+9994: 1899) was told it "does not exist" (s32-probe).
        PersonalNumberErrorKind.BIRTH_RANGE: tr(
            "The date of birth in the number is after today or before %1: check the number for typing errors."
        ).replace("%1", EARLIEST_BIRTH.isoformat()),
    }
    return messages[kind]


def save_refused_message(error: BaseException, case_number: str, name: str, *, named: bool = True) -> str:
    """``user_message`` naming the case whose save was refused when ``named``: the window names it whenever it is
    not the case on screen (a refusal said over the list, the unlock's save of what a lock kept, a new case not
    created), whatever refused it, and always for a change too large to send. The person's name is on screen only;
    a log names the case by its id (``MainWindow._say_save_refused``)."""
    message = user_message(error)
    return message + " " + tr("It concerns case %1 (%2).").replace("%1", case_number).replace("%2", name) if named \
        else message


def user_message(error: BaseException) -> str:
    """The sentence to show for ``error``; logs unexpected errors by type, incident id and
    the frames they passed through (``frames_of``), never their text."""
    if isinstance(error, InvalidPersonalNumber):
        return personal_number_message(error.kind)
    if isinstance(error, storage_errors.WrongPassphrase):
        return tr("Wrong passphrase. Check Caps Lock and try again.")
    if isinstance(error, storage_errors.UnlockThrottled):
        seconds = max(1, round(error.wait_seconds))
        return tr("Too many attempts. Wait %n second(s) and try again.", seconds)
    if isinstance(error, storage_errors.DamagedRecord):
        return tr("This record could not be read: it no longer matches the program. Nothing has been changed; "
                  "contact IT support.")
    if isinstance(error, storage_errors.ProfileDamaged):
        return tr("The profile file is damaged and cannot be opened. Nothing has been changed; contact IT support.")
    if isinstance(error, storage_errors.ProfileNotWritable):
        return tr("The profile can be read but not written, so Hembesök cannot save. Nothing already saved has "
                  "been changed; contact IT support.")
    if isinstance(error, storage_errors.ProfileNotDamaged):
        return tr("The profile file turned out to be intact, so nothing was restored. Unlock as usual.")
    if isinstance(error, storage_errors.NoSoundBackup):
        return tr("None of the backups can be opened either. Nothing has been changed; contact IT support.")
    if isinstance(error, storage_errors.SchemaTooNew):
        return tr("The profile was made by a newer version of Hembesök. Install the latest version.")
    if isinstance(error, storage_errors.DiskFull):
        return tr("The disk is full, so the latest change could not be saved. Free some space; your text is kept.")
    if isinstance(error, storage_errors.ProfileLocked):
        return tr("The profile is locked. Unlock it to continue.")
    if isinstance(error, storage_errors.ProfileNotFound):
        return tr("No profile was found in the chosen folder.")
    return _other_storage_message(error) or _unexpected(error)


def _other_storage_message(error: BaseException) -> str | None:
    if isinstance(error, storage_errors.ProfileExists):
        return tr("There is already a profile in the chosen folder. Unlock it instead.")
    if isinstance(error, storage_errors.PassphraseRejected):
        return tr("The passphrase is too weak. Choose a longer one that others would not guess.")
    if isinstance(error, storage_errors.InvalidRecord):
        return tr(
            "The text could not be saved as it is (it may be too long or hold characters that cannot be "
            "stored). It is still in the window: shorten or correct it."
        )
    if isinstance(error, storage_errors.ChangeTooLarge):
        return tr(
            "With what was written here since the last sync, the text is too large to send to the server (at most "
            "8 MB at a time). It is still in the field: sync first, and it is then saved on its own, or shorten it."
        )
    if isinstance(error, storage_errors.PendingChangesExist):
        return tr("There are changes that have not been synced yet, so nothing was removed. Sync first.")
    if isinstance(error, storage_errors.PersonalNumberHeld):
        return tr(
            "Another person on this computer already has this personal identity number. Search for them in New case."
        )
    if isinstance(error, storage_errors.RecordArriving):
        return tr("The case is being fetched again from the server, so what you typed could not be saved. It is "
                  "still in the field: copy it, and paste it in when you have opened the case again from the list.")
    if isinstance(error, storage_errors.RecordNotFound):
        return tr("The case could not be found on this computer. It may have been moved by a sync.")
    return None


def _unexpected(error: BaseException) -> str:
    incident = new_incident_id()
    log.error("unexpected error",
              extra={"incident": incident, "error_type": type(error).__name__, "frames": frames_of(error)})
    return tr("Something unexpected went wrong. What you typed is still in the window. Incident id: %1").replace(
        "%1", incident
    )


def server_error_text() -> str:
    """A server that answered with errors (5xx or 429 after the retries) or refused a request: the message after the
    sync, and the status bar's tooltip for "server_error"."""
    return tr("The server could not take the changes right now. They are kept; try again later.")


def unreached_text(state: str) -> str:
    """What went wrong when the sync did not reach the sync server (a state of ``ui.sync.status.SyncState``), what to
    do about it, and that nothing typed is lost: the message after a failed sync and the status bar's tooltip."""
    if state == "no_server":
        return tr("Nothing answers at the sync server's address: the server may be stopped for a while, or the address "
                  "is wrong. Choose Sync now again in a while; if it goes on, contact IT. Nothing you typed is lost: "
                  "your changes are kept and sent at a later sync.")
    if state == "no_answer":
        return tr("The sync server took the connection but did not answer in time. Wait a while and choose Sync now "
                  "again; if it goes on, contact IT. Nothing you typed is lost: your changes are kept and sent at a "
                  "later sync.")
    if state == "wrong_server":
        return tr("The address this computer syncs with answers, but not as Hembesök's sync server (a web page or "
                  "another service). Contact IT and tell them so. Nothing you typed is lost: your changes are kept "
                  "on this computer.")
    return tr("No connection to the sync server: this computer has no network, or the server's name was not found. "
              "Check the network (Wi-Fi) and choose Sync now again; if the network works, contact IT. Nothing you "
              "typed is lost: your changes are kept and sent when the connection is back.")


def not_connected_text(next_step: str = "") -> str:
    """The one sentence for a computer not connected to the sync server, then ``next_step`` (what the person does
    about it where it is said): the status bar's tooltip, Synka nu's reason in its menu and a sync refused for it
    (``sync_message``) had three wordings of the state (s32-tidy)."""
    said = tr("This computer is not connected to the sync server.")
    return f"{said} {next_step}" if next_step else said


def sync_message(error: BaseException, conflicts: int = 0) -> str:
    """The Swedish sentence for a sync failure (the status bar and a message); ``conflicts`` is how many the
    profile holds (a retired device kept for its unsent work alone is not told to resolve conflicts)."""
    from sync import errors as sync_errors

    for kind, state in ((sync_errors.NothingListening, "no_server"), (sync_errors.ServerTimedOut, "no_answer"),
                        (sync_errors.NotASyncServer, "wrong_server"), (sync_errors.Offline, "offline")):
        if isinstance(error, kind):
            return unreached_text(state)
    if isinstance(error, sync_errors.CertificateRejected):
        return tr("The server's certificate could not be verified, so nothing was sent. Contact IT.")
    if isinstance(error, sync_errors.AuthFailed | sync_errors.NotEnrolled):
        return not_connected_text(tr("Enter a new code from IT."))
    if isinstance(error, sync_errors.DeviceRevoked):
        if error.wiped:
            return tr("IT has revoked this computer. The profile on it has been removed.")
        if getattr(error, "restored", False):  # rebuilt from the fields the sync child sent (sync.child._error)
            return tr("IT has revoked this computer, but the profile was restored from a backup and the server did "
                      "not let it fetch its later synced text first. Nothing was sent or removed. Contact IT.")
        if conflicts:
            return tr("IT has revoked this computer. Resolve the conflicts and sync; then the profile is removed.")
        return tr("IT has revoked this computer. What is not yet sent goes at the next sync; then the profile is "
                  "removed.")
    if isinstance(error, sync_errors.ProtocolMismatch):
        return tr("Hembesök must be updated before it can sync.")
    if isinstance(error, sync_errors.AuditLogBroken):
        return tr("The audit log on this computer does not check out, so nothing was sent. Your changes are kept "
                  "here. Contact IT.")
    if isinstance(error, sync_errors.ChangeTooLarge):
        return tr("A life area saved by an earlier version of Hembesök is too large to send to the server, so the "
                  "changes after it wait. Shorten one of its texts; then everything is sent at the next sync.")
    if isinstance(error, sync_errors.ChildFailed):
        return tr("The sync stopped before it was done. Your changes are kept and sent at the next sync.")
    if isinstance(error, sync_errors.ServerBusy):
        return tr("The server is busy right now. Nothing is lost: your changes are kept and the sync is tried again "
                  "in a while.")
    if isinstance(error, sync_errors.ServerRejected | sync_errors.ServerUnavailable):
        return server_error_text()
    return user_message(error)
