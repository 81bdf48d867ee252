"""Messages the domain gives the interface: a key and its parameters, rendered in the interface's language.

The key is the English source text, as ``tr()`` uses, with ``%1``, ``%2`` … where the parameters go; the Swedish
catalogue (``resources/translations/sv.toml``) translates it like any other interface string. So the domain decides
*what* to say and the interface *in which language*: ``--lang en`` shows English, Swedish shows Swedish.

A parameter is plain text (a date, a name the handläggare typed), a number formatted per language (decimal comma
in Swedish), or a name from the reference data in both languages. ``sv`` renders a message in Swedish without Qt,
for the Swedish documents and for code that needs the Swedish sentence; the interface renders through its
translator (``ui/messages.py``). Messages are stored as JSON (the work list's summary column), so the language is
chosen when a row is shown, not when it was computed.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

CATALOGUE = Path(__file__).resolve().parent.parent / "resources" / "translations" / "sv.toml"
_PLACE = re.compile(r"%(\d)")
EXACT = "exact"  # a Number's spec: every decimal the value holds and none added ("99.5", "100", "8.004")


def exact_decimal(value: float) -> str:
    """The shortest decimal text that reads back as ``value``: no exponent, no trailing zeros (decimal point).

    For a figure someone typed (a scope, a report's threshold): rounding it for display changed what was asked,
    e.g. a threshold of 99.5 hours titled "at least 100 hours" above a row of 99.6."""
    # + 0.0: a negative zero (a scope typed "-0") would print "-0".
    text = format(Decimal(repr(float(value) + 0.0)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Number:
    """A number shown with ``spec`` (Python's format spec): 4,2 in Swedish, 4.2 in English."""

    value: float
    spec: str = ".1f"

    def text(self, language: str) -> str:
        shown = exact_decimal(self.value) if self.spec == EXACT else format(self.value, self.spec)
        return shown.replace(".", ",") if language == "sv" else shown


@dataclass(frozen=True)
class Term:
    """A name from the reference data (a life area, an insats) in both languages; English falls back to Swedish
    (a decision keeps the Swedish name it was made with)."""

    sv: str
    en: str = ""

    def text(self, language: str) -> str:
        return self.en if language == "en" and self.en else self.sv


Arg = str | int | Number | Term


@dataclass(frozen=True)
class Message:
    """``key``: English source text with %1 … %9; ``args`` fill them in order. A message whose ``key`` is not in the
    catalogue (a row stored before messages had keys) shows as it is."""

    key: str
    args: tuple[Arg, ...] = ()

    def render(self, template: str, language: str) -> str:
        """``template`` (the key translated) with the arguments put in."""
        values = [_arg_text(arg, language) for arg in self.args]
        return _PLACE.sub(lambda m: _nth(values, int(m.group(1)), m.group(0)), template)

    @property
    def en(self) -> str:
        return self.render(self.key, "en")

    @property
    def sv(self) -> str:
        found = swedish_catalogue().get(self.key)
        return self.render(found if isinstance(found, str) else self.key, "sv")

    def __str__(self) -> str:
        return self.en


def message(key: str, *args: Arg | date | float) -> Message:
    """A message; dates become their ISO text (the same in both languages), floats a one-decimal Number."""
    return Message(key, tuple(_arg(a) for a in args))


def joined(*parts: Message) -> Message:
    """Two messages shown as "first: second" (an area or insats, then what is wrong with it)."""
    first, second = parts
    return message("%1: %2", *(_nested(first), _nested(second)))


def _nested(part: Message) -> Term:
    return Term(part.sv, part.en)


def _arg(value: Arg | date | float) -> Arg:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return Number(value)
    return value


def _arg_text(arg: Arg, language: str) -> str:
    if isinstance(arg, Number | Term):
        return arg.text(language)
    return str(arg)


def _nth(values: list[str], n: int, placeholder: str) -> str:
    return values[n - 1] if 1 <= n <= len(values) else placeholder


@cache
def swedish_catalogue() -> dict[str, str | list[str]]:
    """The interface's Swedish catalogue (the same file the interface's translator reads)."""
    with CATALOGUE.open("rb") as handle:
        strings: dict[str, str | list[str]] = tomllib.load(handle).get("strings", {})
    return strings


# ---- stored form (JSON), for the work list's summary column -----------------------------------------------------


def to_json(m: Message) -> Any:
    """A JSON value for ``m``: {"key": …, "args": [...]}, each argument tagged by its kind."""
    return {"key": m.key, "args": [_arg_json(a) for a in m.args]}


def from_json(value: Any) -> Message:
    """The message stored by ``to_json``; a plain string (stored before messages had keys) shows as it is."""
    if isinstance(value, str):
        return Message(value)
    if not isinstance(value, dict) or not isinstance(value.get("key"), str):
        return Message("")
    return Message(value["key"], tuple(_arg_from_json(a) for a in value.get("args", []) if a is not None))


def _arg_json(arg: Arg) -> Any:
    if isinstance(arg, Number):
        return {"n": arg.value, "spec": arg.spec}
    if isinstance(arg, Term):
        return {"sv": arg.sv, "en": arg.en}
    return arg


def _arg_from_json(value: Any) -> Arg:
    if isinstance(value, dict) and "n" in value:
        return Number(float(value["n"]), str(value.get("spec", ".1f")))
    if isinstance(value, dict):
        return Term(str(value.get("sv", "")), str(value.get("en", "")))
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)


def dumps(m: Message) -> str:
    return json.dumps(to_json(m), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Message:
    """A message stored by ``dumps``, or an older plain text shown as it is."""
    if not text.startswith("{"):
        return Message(text)
    try:
        return from_json(json.loads(text))
    except ValueError:
        return Message(text)
