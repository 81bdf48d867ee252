"""IT's admin commands record the kernel's login uid too (s30-admin, migration 0014): ``SUDO_USER`` and ``--by`` are
whatever the account running the command says, and that account is often the shared service account. The login uid
(/proc/self/loginuid) is set at the login and kept through sudo and runuser; the account cannot set it to another's.
On main ``list-admin-actions`` had no such field. Run as IT runs them: processes on real PostgreSQL.

Setting a process's login uid needs CAP_AUDIT_CONTROL, which a developer running ``bash tests/run.sh`` as themself
has not, nor root in a default container (s30-radmin: the test wrote it and failed there). So the reading is tested
through the command with the file it reads put elsewhere for that process (``LOGIN_UID_FILE``: a module constant, not
an environment variable or option, which would let the caller choose what is recorded), and the real file through
a command that first tries to set its login uid: where the kernel lets it (root with the capability) the value is
the one set, elsewhere the one inherited, and either way what is recorded is what the kernel said for that process.
No test depends on who runs it, and none is skipped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sync_support import REPO, Env

from sync.server.dev import DEMO_USER

LOGGED_IN_AS = 4321  # the uid a login (pam_loginuid) would have set

# The command as ``python -m sync.server.admin`` runs it, its login uid read from the file named first.
WITH_LOGIN_UID_FILE = ("import sys, sync.server.admin_actions as actions; actions.LOGIN_UID_FILE = sys.argv.pop(1);"
                       " from sync.server.admin import main; sys.exit(main())")


def _run(env: Env, command: list[str], **variables: str) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "SUDO_USER"}
    environment.update(HEMBESOK_SYNC_DATABASE_URL=env.database_url, **variables)
    done = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def _admin_reading(env: Env, login_uid_file: Path, *arguments: str, **variables: str) -> None:
    _run(env, [sys.executable, "-c", WITH_LOGIN_UID_FILE, str(login_uid_file), *arguments], **variables)


def _actions(env: Env) -> list[dict[str, Any]]:
    done = subprocess.run([sys.executable, "-m", "sync.server.admin", "list-admin-actions"], cwd=REPO,
                          env={**os.environ, "HEMBESOK_SYNC_DATABASE_URL": env.database_url}, capture_output=True,
                          text=True, timeout=120, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_the_login_uid_is_recorded_beside_what_the_caller_can_say(env: Env, tmp_path: Path) -> None:
    # Whoever runs as the service account can name anyone in SUDO_USER and --by; the login uid stays their own.
    set_at_login, unset, absent = tmp_path / "set", tmp_path / "unset", tmp_path / "absent"
    set_at_login.write_text(f"{LOGGED_IN_AS}", encoding="ascii")  # the kernel writes it without a newline
    unset.write_text("4294967295", encoding="ascii")  # (uid_t) -1: a service, a timer, cron, a container
    _admin_reading(env, set_at_login, "--by", "Kim Svensson (IT)", "set-role", DEMO_USER, "unit_reports",
                   SUDO_USER="kim.it")
    _admin_reading(env, unset, "set-role", DEMO_USER, "handlaggare")
    _admin_reading(env, absent, "set-role", DEMO_USER, "unit_reports")  # another system, or no audit in the kernel
    assert [(a["command"], a["login_uid"], a["sudo_user"], a["by_name"]) for a in _actions(env)] == [
        ("set-role", LOGGED_IN_AS, "kim.it", "Kim Svensson (IT)"),
        ("set-role", None, None, None),
        ("set-role", None, None, None),
    ]


def test_the_login_uid_recorded_is_the_one_the_kernel_keeps_for_the_command(env: Env, tmp_path: Path) -> None:
    said = tmp_path / "loginuid"
    # Try to set it (refused without CAP_AUDIT_CONTROL: the value inherited stays), note what the kernel then says
    # for this process, and run the command in it.
    script = (f"echo {LOGGED_IN_AS} > /proc/self/loginuid 2>/dev/null; cat /proc/self/loginuid > \"$0\";"
              ' exec "$@"')
    _run(env, ["sh", "-c", script, str(said), sys.executable, "-m", "sync.server.admin", "set-role", DEMO_USER,
               "unit_reports"])
    kernel = int(said.read_text(encoding="ascii"))
    assert [a["login_uid"] for a in _actions(env)] == [None if kernel == 4294967295 else kernel]
