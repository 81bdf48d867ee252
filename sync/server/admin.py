"""IT's command line: ``python -m sync.server.admin [--config server.toml] <command> ...``.

Commands: create-unit, create-user, assign-case, register-case, register-decision, enrollment-code,
list-devices, revoke-device, readmit-device, create-integration, list-integrations, revoke-integration, set-role,
audit-export, list-admin-actions. Documents for register-* are JSON files (the integration's export). Each command
that changes something, and each audit export, is recorded with who ran it (``admin_actions``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any

import psycopg

from sync.server import central, integrations, roles
from sync.server.access import Conn
from sync.server.admin_actions import NAME_LIMIT, OneTransaction, connect_one, list_actions, record_action
from sync.server.audit_export import ChainBreak, audit_entries
from sync.server.config import ConfigError, load_config, require
from sync.server.db import DatabaseUnreachable, MigrationLockBusy, applied_migrations, check_connection
from sync.server.db_faults import command_fault, schema_fault
from sync.server.errors import InputInvalid, ServiceError
from sync.server.migration_wait import add_wait_argument, gave_up, migrate_waiting
from sync.server.strict_json import (
    RefusedJson,
    load_document,
    undecodable_argument,
    unstorable_argument,
    written_as,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sync.server.admin",
        description="IT's commands for the central sync server's database (units, users, enrollment codes, devices,"
        " cases, integrations). Reads the same configuration as python -m sync.server (only database_url is needed).",
    )
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="TOML configuration file; HEMBESOK_SYNC_* variables override its keys")
    parser.add_argument("--by", default=None, metavar="NAME",
                        help="who runs the command, recorded with the operating-system account (admin_actions)")
    add_wait_argument(parser)
    sub = parser.add_subparsers(dest="command", required=True)
    unit = sub.add_parser("create-unit", help="create a unit")
    unit.add_argument("unit_id")
    unit.add_argument("name")
    user = sub.add_parser("create-user", help="create a handläggare account in a unit")
    user.add_argument("user_id")
    user.add_argument("unit_id")
    assign = sub.add_parser("assign-case", help="assign a case to a unit and (optionally) a handläggare")
    assign.add_argument("case_id")
    assign.add_argument("unit_id")
    assign.add_argument("--user", default=None)
    register = sub.add_parser("register-case", help="register a case and its person from JSON files")
    register.add_argument("case_json", type=Path)
    register.add_argument("person_json", type=Path)
    register.add_argument("unit_id")
    register.add_argument("--user", default=None)
    decision = sub.add_parser("register-decision", help="add a decision (JSON file) to a case")
    decision.add_argument("case_id")
    decision.add_argument("decision_json", type=Path)
    code = sub.add_parser("enrollment-code", help="issue a one-time enrollment code for a user")
    code.add_argument("user_id")
    code.add_argument("--hours", type=written_as(int, int), default=None,
                      help="how long the code is valid (default: enrollment_code_hours of the configuration, 72)")
    sub.add_parser("list-devices", help="list enrolled devices")
    revoke = sub.add_parser("revoke-device", help="retire a device or report it lost")
    revoke.add_argument("device_id")
    revoke.add_argument("kind", choices=["retire", "lost"])
    readmit = sub.add_parser("readmit-device", help="a one-time code that enrolls a known device anew (revoked, or its"
                             " laptop lost its credential); its old credential and tokens are refused once it is spent")
    readmit.add_argument("device_id")
    readmit.add_argument("--hours", type=written_as(int, int), default=None,
                         help="how long the code is valid (default: enrollment_code_hours of the configuration, 72)")
    integration = sub.add_parser("create-integration", help="a key for the case-management system (shown once)")
    integration.add_argument("integration_id")
    integration.add_argument("name")
    sub.add_parser("list-integrations", help="list integrations (never their keys)")
    revoke_integration = sub.add_parser("revoke-integration", help="refuse an integration's key from now on")
    revoke_integration.add_argument("integration_id")
    role = sub.add_parser("set-role", help="reports for a samordnare (unit_reports) or the municipality")
    role.add_argument("user_id")
    role.add_argument("role", choices=roles.ROLES)
    export = sub.add_parser("audit-export", help="a device's uploaded audit log as JSON lines, times as the laptop"
                            " signed them; the hash chain is checked (exit status 1 where it does not hold)")
    export.add_argument("device_id")
    actions = sub.add_parser("list-admin-actions", help="who ran which admin command, latest last")
    actions.add_argument("--limit", type=written_as(int, int), default=100)
    return parser


MAX_LISTED = 100_000
# The arguments recorded of each command recorded in admin_actions: ids and choices only, never a document or a file
# name (a file may be named after the person). The list commands only read.
RECORDED: dict[str, tuple[str, ...]] = {
    "create-unit": ("unit_id",),
    "create-user": ("user_id", "unit_id"),
    "assign-case": ("case_id", "unit_id", "user"),
    "register-case": ("case_id", "unit_id", "user"),
    "register-decision": ("case_id",),
    "enrollment-code": ("user_id", "hours"),
    "revoke-device": ("device_id", "kind"),
    "readmit-device": ("device_id", "hours"),
    "create-integration": ("integration_id",),
    "revoke-integration": ("integration_id",),
    "set-role": ("user_id", "role"),
    "audit-export": ("device_id",),
}


def main(argv: list[str] | None = None) -> int:
    """Run one admin command; prints results, returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    unreadable = undecodable_argument(args)
    if unreadable:
        parser.error(f"argument {unreadable} is not UTF-8 text (the terminal's or the script's encoding)")
    if args.by is not None and not 0 < len(args.by.strip()) <= NAME_LIMIT:
        parser.error(f"argument --by: give a name of 1 to {NAME_LIMIT} characters")
    if args.command == "list-admin-actions" and not 0 < args.limit <= MAX_LISTED:
        parser.error(f"argument --limit: from 1 to {MAX_LISTED}")
    try:
        # The admin commands only need the database; the token secret matters to the serving process alone.
        config = require(load_config(args.config), token_secret=False)
        check_connection(config.database_url)
    except (ConfigError, DatabaseUnreachable) as exc:
        print(f"python -m sync.server.admin: error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, ConfigError) else 1
    unstorable = unstorable_argument(args)
    if unstorable:  # before any lookup: PostgreSQL refused it mid-command, a psycopg traceback (s27-srv)
        print(f"error: argument {unstorable} holds U+0000, which no id or name can hold", file=sys.stderr)
        return 1
    try:
        migrate_waiting(config.database_url, args.migration_wait, "python -m sync.server.admin")
    except MigrationLockBusy as exc:  # a server applying them for longer than the command waits
        print(f"python -m sync.server.admin: error: {gave_up(exc)}", file=sys.stderr)
        return 1
    except psycopg.Error as exc:  # a role that may not apply them, a fault on the way: one line, not a traceback
        print(f"python -m sync.server.admin: error: {schema_fault(exc, applied_migrations(config.database_url))}",
              file=sys.stderr)
        return 1
    if args.command in ("enrollment-code", "readmit-device") and args.hours is None:
        # The configuration's setting (documented, in the sample sync.toml) was read by nothing: codes lasted 72 h.
        args.hours = config.enrollment_code_hours
    lock_timeout = ""  # the lock wait in force, once connected (a lock not granted says it)
    try:
        with connect_one(config.database_url) as conn:
            lock_timeout = conn.lock_timeout
            _run_recorded(conn, args)
    except ChainBreak as exc:  # every entry was written; each where the chain does not hold is named
        for line in exc.lines:
            print(f"error: {line}", file=sys.stderr)
        return 1
    except (ServiceError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except psycopg.Error as exc:  # a database fault: what failed in one line, never PostgreSQL's words with values
        print(f"error: {command_fault(args.command, exc, lock_timeout)}", file=sys.stderr)
        return 1
    except OSError as exc:  # a JSON file named that cannot be read: one line, not a traceback
        print(f"error: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0


def _run_recorded(conn: OneTransaction, args: argparse.Namespace) -> None:
    """Run the command and record who ran it: a change in one transaction with its record (a refused one changed
    nothing and is not recorded), an audit export committed before it is read (one that finds the chain broken was
    still run)."""
    recorded = RECORDED.get(args.command)

    def record() -> None:
        if recorded is not None:
            record_action(conn, args.command, {name: getattr(args, name) for name in recorded}, args.by)

    if args.command == "audit-export":
        record()
        conn.commit()
        _run(conn, args)
        return
    printed = io.StringIO()  # a code or key is shown once it is committed: a rolled-back one never served
    with conn.as_one(), contextlib.redirect_stdout(printed):
        _run(conn, args)
        record()
    sys.stdout.write(printed.getvalue())


def _document(path: Path, what: str) -> dict[str, Any]:
    """A JSON file of the integration's export, read by the integration API's rules (no NaN, no key twice, not too
    deep; a byte order mark or UTF-16 as Windows tools write them is fine), or InputInvalid naming the file's role.

    Read with ``json.loads`` as it was, a person file holding ``null`` or a number ended in a TypeError traceback, a
    deeply nested one in a RecursionError, and a key given twice kept its last value without a word."""
    try:
        document = load_document(path.read_bytes())
    except RefusedJson as exc:
        raise InputInvalid(f"the {what} file: {exc}") from None
    if not isinstance(document, dict):
        raise InputInvalid(f"the {what} file holds no JSON object")
    return document


def _run(conn: Conn, args: argparse.Namespace) -> None:
    command = args.command
    if command == "create-unit":
        central.create_unit(conn, args.unit_id, args.name)
    elif command == "create-user":
        central.create_user(conn, args.user_id, args.unit_id)
    elif command == "assign-case":
        central.assign_case(conn, args.case_id, args.unit_id, args.user)
    elif command == "register-case":
        case, person = _document(args.case_json, "case"), _document(args.person_json, "person")
        central.register_case(conn, case, person, args.unit_id, args.user)
        args.case_id = case["id"]  # registered: an id of the model's, recorded (the files' names may be anything)
    elif command == "register-decision":
        central.register_decision(conn, args.case_id, _document(args.decision_json, "decision"))
    elif command == "enrollment-code":
        print(central.issue_enrollment_code(conn, args.user_id, args.hours))
    elif command == "list-devices":
        for device in central.list_devices(conn):
            print(json.dumps(device, default=str))
    elif command == "revoke-device":
        changed, lapsed = central.revoke_device(conn, args.device_id, args.kind)
        if lapsed:  # IT may have handed that code out: it said "nothing changed" of a revocation run again
            print("note: the code issued earlier for this device and not yet used no longer serves", file=sys.stderr)
        if not changed:  # run twice: said, not an error
            print(f"note: the device was revoked so already{'' if lapsed else '; nothing changed'}", file=sys.stderr)
    elif command == "readmit-device":
        code, lapsed = central.readmit_device(conn, args.device_id, args.hours)
        if lapsed:
            print("note: the code issued earlier for this device and not yet used no longer serves", file=sys.stderr)
        print(code)
    elif command == "create-integration":
        print(integrations.create_integration(conn, args.integration_id, args.name))
    elif command == "list-integrations":
        for row in integrations.list_integrations(conn):
            print(json.dumps(row, default=str))
    elif command == "revoke-integration":
        if not integrations.revoke_integration(conn, args.integration_id):
            print("note: the integration was revoked already; nothing changed", file=sys.stderr)
    elif command == "set-role":
        roles.set_role(conn, args.user_id, args.role)
    elif command == "audit-export":
        problems = []
        for entry, problem in audit_entries(conn, args.device_id):
            print(json.dumps(entry))
            if problem is not None:
                problems.append(problem)
        if problems:
            raise ChainBreak(problems)
    elif command == "list-admin-actions":
        for action in list_actions(conn, args.limit):
            print(json.dumps(action, default=str))


if __name__ == "__main__":
    sys.exit(main())
