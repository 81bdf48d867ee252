"""Hembesök: start the desktop app.

Parses arguments, sets up logging and the QApplication, opens the unlock window. Nothing else:
everything heavier is imported only when the window needs it, so start-up stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
import types
from collections.abc import Mapping
from typing import Any, NoReturn

from ibic import __version__


class ArgumentParser(argparse.ArgumentParser):
    """Prints as usual, or shows a message box when there is no console (the Windows GUI build)."""

    def _print_message(self, message: str, file: Any = None) -> None:
        from ui.no_console import has_console, show_message

        if message and not has_console(file or sys.stderr):
            show_message(message)
        else:
            super()._print_message(message, file)

    def error(self, message: str) -> NoReturn:
        """Usage and error in one box, not two in a row."""
        from ui.no_console import has_console, show_message

        if not has_console(sys.stderr):
            show_message(f"{self.format_usage()}{self.prog}: error: {message}")
            raise SystemExit(2)
        super().error(message)


def folder(text: str) -> str:
    """A folder named on the command line; a blank one is refused. Taken as "not given", ``--smoke-test ""`` (an
    empty variable in IT's script) opened the app on the user's own profile instead of checking the installation."""
    if not text.strip():
        raise argparse.ArgumentTypeError("a folder is needed, not a blank name")
    return text


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = ArgumentParser(prog="hembesok", description="Hembesök – kartläggning och utredning enligt IBIC")
    parser.add_argument("--version", action="version", version=f"Hembesök {__version__}")
    parser.add_argument("--profile", metavar="DIR", type=folder,
                        help="profile folder (default: the platform's user-data folder)")
    parser.add_argument("--demo", action="store_true",
                        help="open a throwaway profile with fictitious cases (with --profile: created in DIR, kept)")
    parser.add_argument("--lang", choices=("sv", "en"), help="user interface language (default: sv)")
    parser.add_argument("--smoke-test", metavar="DIR", type=folder,
                        help="check this installation offscreen in a throwaway profile under DIR (create, save, "
                        "reopen and print a case), then exit 0 or 1")
    parser.add_argument("--quit-when-shown", action="store_true", help="quit as soon as the first window is "
                        "shown (start-up timing: bench/bench_bundle.py)")
    return parser.parse_args(argv)


def missing_display(environ: Mapping[str, str], platform: str) -> str:
    """One line saying why no window can open here (Linux/BSD without a graphical session), or ""."""
    # Without this, Qt's xcb plugin aborts the process (rc 134) with a message that blames a library.
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return ""
    if any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return ""
    return ("hembesok: no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set): start it from a desktop"
            " session, or set QT_QPA_PLATFORM=offscreen to run without a screen")


PYDANTIC_PLUGIN_LOADER = "pydantic.plugin._loader"


def load_no_pydantic_plugins() -> None:
    """This process builds its pydantic models without looking for pydantic plugins (before any model is built).

    At the first model it builds, pydantic imports its plugin loader, which imports ``importlib.metadata`` (and with
    it email, csv, socket and importlib.resources: ~1 MiB resident the unlocked window keeps, issue 14) to read the
    ``pydantic`` entry points of every installed distribution and import what they name. Hembesök uses no pydantic
    plugin, and a process holding decrypted personal data should not run code because some installed package calls
    itself one. pydantic's own switch (``PYDANTIC_DISABLE_PLUGINS``) skips the search but still imports the loader,
    so the loader is given here as one that finds no plugins; pydantic asks it for nothing else
    (``tests/ui/test_no_pydantic_plugins.py`` fails if that changes). Not for a process whose loader is loaded.
    """
    if PYDANTIC_PLUGIN_LOADER in sys.modules:
        return
    loader = types.ModuleType(PYDANTIC_PLUGIN_LOADER, "Hembesök's: no pydantic plugins (main.load_no_pydantic_plugins)")
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules[PYDANTIC_PLUGIN_LOADER] = loader


OPENSSL_HASHES = "_hashlib"


def load_builtin_hashes() -> None:
    """hashlib and hmac in this process use Python's own SHA-2, SHA-1, MD5 and BLAKE2, not OpenSSL's (before any
    import of hashlib, hmac or secrets).

    The store's ``secrets`` (keys, device ids) → ``hmac`` → ``_hashlib`` would map the system's ``libcrypto.so.3``
    (+3.3 MiB resident the unlocked window keeps, issue 14) beside the OpenSSL sqlcipher3 carries linked in, for the
    audit chain's and the changes' SHA-256 over a few hundred bytes at a save, which the built-in does in ~1 µs
    against OpenSSL's ~0.5. The digests are the same; nothing here needs what only OpenSSL offers (``scrypt``,
    OpenSSL-only names, and from Python 3.12 on ``pbkdf2_hmac``; the KDF is Argon2, in the key helper's process or
    here should it fail, the key file's AES and RSA are the ``cryptography`` package's). Marking ``_hashlib`` as
    absent is Python's documented way to refuse an import: hashlib and hmac then take their built-in fallbacks.
    ``ssl`` loads libcrypto itself, but syncs run in their own process (``sync.child``, started before this block
    by ``--sync-child`` in the bundle), so this one maps it only while an enrollment dialog connects. Only the app's
    window process: the key helper, the server and the tests are unchanged (``tests/ui/test_builtin_hashes.py``; every
    hashing path of this process: ``tests/sync/test_app_process_builtin_hashes.py``). Not for a process that has
    already loaded it."""
    if OPENSSL_HASHES not in sys.modules:
        sys.modules[OPENSSL_HASHES] = None  # type: ignore[assignment]


def no_core_dumps() -> None:
    """No core dump of this process nor of the helpers it starts (they inherit the limit): a native crash of the
    unlocked app (Qt, QtPdf, SQLCipher) would otherwise write its whole memory to a file the system keeps (the
    working folder, or systemd-coredump's and apport's stores, which honour the limit too): every name, personnummer
    and text on screen or in the caches, and the data key. Windows' error reporting keeps a minidump (the stacks,
    no heap) unless IT configures full dumps (docs/deployment.md)."""
    if sys.platform == "win32":
        return
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # lowering a limit needs no privilege: it cannot be refused


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    no_core_dumps()
    load_no_pydantic_plugins()
    if argv[:1] == ["--key-helper"]:  # the bundle started as storage.key_helper's process (unlock), not the app
        from storage.key_helper import serve

        serve()
        return 0
    if argv[:1] == ["--sync-child"]:  # the bundle started as sync.child's process (one sync run)
        from sync.child import serve as serve_sync

        serve_sync()
        return 0
    load_builtin_hashes()
    arguments = parse_arguments(argv)
    if arguments.smoke_test is not None:
        from pathlib import Path

        from ui.smoke import run_smoke

        return run_smoke(Path(arguments.smoke_test))  # offscreen by itself: needs no display
    problem = missing_display(os.environ, sys.platform)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from ui.common.collection import pause_for_start

    pause_for_start()  # no cycle collection until the unlock page is up (ui/app.py resumes it): nothing to find
    from ui.binding import note_standard_library  # Qt is imported only once we know a window is wanted

    note_standard_library()  # before the window's modules are imported: see ui/binding.py
    from ui.app import run

    return run(arguments)


if __name__ == "__main__":
    sys.exit(main())
