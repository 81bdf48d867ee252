"""Hembesök: start the desktop app.

Parses arguments, sets up logging and the QApplication, opens the unlock window. Nothing else:
everything heavier is imported only when the window needs it, so start-up stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from ibic import __version__


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="hembesok", description="Hembesök – kartläggning och utredning enligt IBIC")
    parser.add_argument("--version", action="version", version=f"Hembesök {__version__}")
    parser.add_argument("--profile", metavar="DIR", help="profile folder (default: the platform's user-data folder)")
    parser.add_argument("--demo", action="store_true", help="open a throwaway profile with fictitious cases")
    parser.add_argument("--lang", choices=("sv", "en"), help="user interface language (default: sv)")
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


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    problem = missing_display(os.environ, sys.platform)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from ui.app import run  # Qt is imported only once we know a window is wanted

    return run(arguments)


if __name__ == "__main__":
    sys.exit(main())
