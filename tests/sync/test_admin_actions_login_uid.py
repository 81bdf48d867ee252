"""IT's admin commands record the kernel's login uid too (s30-admin, migration 0014): ``SUDO_USER`` and ``--by`` are
whatever the account running the command says, and that account is often the shared service account. The login uid
(/proc/self/loginuid) is set at the login and kept through sudo and runuser; the account cannot set it to another's.
On main ``list-admin-actions`` had no such field. Run as IT runs them: processes on real PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sync_support import REPO, Env

from sync.server.dev import DEMO_USER

LOGGED_IN_AS = 4321  # the uid a login (pam_loginuid) would have set, for the process the test starts


def _admin(env: Env, *arguments: str, login_uid: int | None = None, **variables: str) -> None:
    """The command as a process; with ``login_uid``, as one whose login set that uid (written before the exec, which
    needs CAP_AUDIT_CONTROL: the tests run as root, like the cluster they start)."""
    command = [sys.executable, "-m", "sync.server.admin", *arguments]
    if login_uid is not None:
        command = ["sh", "-c", f'echo {login_uid} > /proc/self/loginuid && exec "$@"', "sh", *command]
    environment = {key: value for key, value in os.environ.items() if key != "SUDO_USER"}
    environment.update(HEMBESOK_SYNC_DATABASE_URL=env.database_url, **variables)
    done = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def _actions(env: Env) -> list[dict[str, Any]]:
    done = subprocess.run([sys.executable, "-m", "sync.server.admin", "list-admin-actions"], cwd=REPO,
                          env={**os.environ, "HEMBESOK_SYNC_DATABASE_URL": env.database_url}, capture_output=True,
                          text=True, timeout=120, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def _own_login_uid() -> int | None:
    """This process's login uid as the kernel keeps it (None: unset, or no such file), which its children inherit."""
    path = Path("/proc/self/loginuid")
    if not path.exists():
        return None
    value = int(path.read_text(encoding="ascii"))
    return None if value == 4294967295 else value


def test_the_login_uid_is_recorded_beside_what_the_caller_can_say(env: Env) -> None:
    # Whoever runs as the service account can name anyone in SUDO_USER and --by; the login uid stays their own.
    _admin(env, "--by", "Kim Svensson (IT)", "set-role", DEMO_USER, "unit_reports", login_uid=LOGGED_IN_AS,
           SUDO_USER="kim.it")
    _admin(env, "set-role", DEMO_USER, "handlaggare")
    actions = _actions(env)
    assert [(a["command"], a["login_uid"], a["sudo_user"], a["by_name"]) for a in actions] == [
        ("set-role", LOGGED_IN_AS, "kim.it", "Kim Svensson (IT)"),
        ("set-role", _own_login_uid(), None, None),  # inherited from the test: unset is NULL (None), not 4294967295
    ]
