"""Text lengths in characters, the figures ``ibic.limits`` builds its types from: generous for what a person writes,
finite so one value cannot fill a database. Plain numbers without pydantic, so the machine-wide settings, read
before the unlock page, hold a value to the same limit."""

from __future__ import annotations

from typing import Final

NAME_MAX: Final = 200  # a person's or organisation's name, a handläggare's name
PHONE_MAX: Final = 50  # one or two numbers with spaces, dashes and an extension
SHORT_TEXT_MAX: Final = 500  # a line: a role, a city, a language, a unit, a case number, a short reason
LONG_TEXT_MAX: Final = 200_000  # free text: descriptions, assessments, motivations, notes (~100 pages)
IDENTIFIER_MAX: Final = 64  # record ids and reference-data ids (the server's journal takes 1-64 characters)
CODE_MAX: Final = 64  # codes from the IBIC catalogue and qualifiers
USER_ID_MAX: Final = 64  # the handläggare's name as the profile's user id (typed when the profile is created)
