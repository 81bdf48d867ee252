"""The reference data's files: where they lie and how one is read, and what the case list shows of them (the
vocabularies' labels and the insatser's names).

Plain Python: the unlocked case list and its kept rows read these without building ``ibic.reference.ReferenceData``
(pydantic and its validation; docs/architecture.md, "Steady memory after unlock"). The files are validated as a
whole by ``ibic.reference.load_reference_data``, which the case's workspace loads; the list reads the same
files, takes only the two tables it shows and checks those (``check_labels``, the rule both loaders run).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from ibic.errors import ReferenceDataError
from ibic.vocabulary import VOCABULARIES

DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "resources" / "reference"
SUPPORTED_SCHEMA_VERSION = 1


def read_toml(path: Path) -> dict[str, Any]:
    """One reference file's tables; ReferenceDataError when it is missing, does not parse or has another schema."""
    try:
        with path.open("rb") as handle:
            content = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ReferenceDataError(f"{path}: file is missing") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceDataError(f"{path}: {exc}") from exc
    version = content.get("schema_version")
    if version != SUPPORTED_SCHEMA_VERSION:
        raise ReferenceDataError(f"{path}: at schema_version: expected {SUPPORTED_SCHEMA_VERSION}, found {version!r}")
    return content


def check_labels(labels: Mapping[str, Any], path: Path) -> None:
    """ReferenceDataError unless every vocabulary has a label, a Swedish and an English text, for each of its values
    and for nothing else (``load_reference_data`` and the list's ``load_list_reference`` both check this)."""
    for name, enum in VOCABULARIES.items():
        table = labels.get(name)
        if not isinstance(table, Mapping):
            raise ReferenceDataError(f"{path}: at labels.{name}: table is missing")
        values = {member.value for member in enum}
        missing, extra = values - table.keys(), table.keys() - values
        if missing or extra:
            raise ReferenceDataError(f"{path}: at labels.{name}: missing {sorted(missing)}, unknown {sorted(extra)}")
        for value, pair in table.items():
            # A string of two letters would unpack as a pair: the list would show "J" for "Ja".
            if not (isinstance(pair, list | tuple) and len(pair) == 2 and all(isinstance(t, str) for t in pair)):
                raise ReferenceDataError(f"{path}: at labels.{name}.{value}: expected a Swedish and an English text")


def label_in(labels: Mapping[str, Mapping[str, Sequence[str]]], vocabulary: str, value: str, language: str) -> str:
    """The Swedish (or English) label of an enum value, from the vocabulary file's ``labels`` tables."""
    sv, en = labels[vocabulary][value]
    return sv if language == "sv" else en


class NamedInsats(Protocol):
    """What the case list reads of an insats (``ibic.reference.Insats`` has it too)."""

    @property
    def label_sv(self) -> str: ...

    @property
    def label_en(self) -> str: ...


class ListedReference(Protocol):
    """What the case list and its kept rows read of the reference data: ``ListReference`` or ``ReferenceData``."""

    def label(self, vocabulary: str, value: str, language: str = "sv") -> str: ...

    def insats(self, insats_id: str | None) -> NamedInsats | None: ...


class InsatsNames(NamedTuple):
    id: str
    label_sv: str
    label_en: str


@dataclass(frozen=True, eq=False)
class ListReference:
    """The labels and the insatser's names, as the case list shows them."""

    labels: Mapping[str, Mapping[str, Sequence[str]]]
    insatser: Mapping[str, InsatsNames]

    def label(self, vocabulary: str, value: str, language: str = "sv") -> str:
        return label_in(self.labels, vocabulary, value, language)

    def insats(self, insats_id: str | None) -> InsatsNames | None:
        return None if insats_id is None else self.insatser.get(insats_id)


@cache
def load_list_reference(directory: Path = DEFAULT_DIRECTORY) -> ListReference:
    """The list's part of the reference files (cached per directory), read as ``load_reference_data`` reads them."""
    # Checked as far as the list reads them (the whole validation, pydantic's, is load_reference_data's): a
    # damaged file fails here naming the file and the place, as load_reference_data does, not as a KeyError in a row
    # or a wrong label shown.
    path = directory / "vocabulary.toml"
    labels = read_toml(path).get("labels", {})
    check_labels(labels if isinstance(labels, Mapping) else {}, path)
    return ListReference(labels, _insats_names(directory / "insatser.toml"))


def _insats_names(path: Path) -> dict[str, InsatsNames]:
    insatser: dict[str, InsatsNames] = {}
    items = read_toml(path).get("insatser", [])
    if not isinstance(items, list):
        raise ReferenceDataError(f"{path}: at insatser: expected an array of tables")
    for index, item in enumerate(items):
        texts: list[str] = []
        for key in InsatsNames._fields:
            text = item.get(key) if isinstance(item, Mapping) else None
            if not isinstance(text, str):
                raise ReferenceDataError(f"{path}: at insatser.{index}.{key}: expected a text")
            texts.append(text)
        # The first of an id, as ReferenceData.insats finds it (that validation refuses a repeated id anyway).
        insatser.setdefault(texts[0], InsatsNames(*texts))
    return insatser
