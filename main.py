"""Hembesök: start the desktop app.

Parses arguments, sets up logging and the QApplication, opens the unlock window. Nothing else:
everything heavier is imported only when the window needs it, so start-up stays fast.
"""

from __future__ import annotations

import argparse
import sys

from ibic import __version__


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="hembesok", description="Hembesök – kartläggning och utredning enligt IBIC")
    parser.add_argument("--version", action="version", version=f"Hembesök {__version__}")
    parser.add_argument("--profile", metavar="DIR", help="profile folder (default: the platform's user-data folder)")
    parser.add_argument("--demo", action="store_true",
                        help="open a throwaway profile with fictitious cases (with --profile: created in DIR, kept)")
    parser.add_argument("--lang", choices=("sv", "en"), help="user interface language (default: sv)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    from ui.app import run  # Qt is imported only once we know a window is wanted

    return run(arguments)


if __name__ == "__main__":
    sys.exit(main())
