"""One term per concept (issue 12, point 9): the Swedish catalogue, the reference data and the printed documents use
the chosen word, never a rejected variant (docs/glossary.md, "Language: one term per concept")."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REJECTED = {
    "skäliga levnadsförhållanden": re.compile(r"skäliga\s+levnadsförhållanden", re.IGNORECASE),
    "synkroniseringsservern": re.compile(r"synkroniseringsserver", re.IGNORECASE),
    "synkroniseringskonflikter (for synkkonflikter)": re.compile(r"synkroniseringskonflikt", re.IGNORECASE),
    "personens (for den enskildes)": re.compile(r"\bpersonens\b", re.IGNORECASE),
    "uppkom (for aktualiserades)": re.compile(r"\buppkom\b", re.IGNORECASE),
    "aktualiserad (the status agrees with ärendet)": re.compile(r"\baktualiserad\b", re.IGNORECASE),
    "bracketed plural": re.compile(r"\w\((s|n|ar|er|or|na)\)"),
}


def _toml_texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _toml_texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _toml_texts(item)]
    return []


def _swedish_catalogue() -> list[str]:
    with (ROOT / "resources" / "translations" / "sv.toml").open("rb") as handle:
        return _toml_texts(tomllib.load(handle)["strings"])  # the Swedish side only: the keys are English


def _reference_data() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "resources" / "reference").glob("*.toml")):
        with path.open("rb") as handle:
            texts += _toml_texts(tomllib.load(handle))
    return texts


def _python_strings(*paths: Path) -> list[str]:
    """String literals of the printed documents and the conflict dialog's labels (docstrings are English)."""
    texts: list[str] = []
    for path in paths:
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            tree = ast.parse(file.read_text(encoding="utf-8"))
            texts += [node.value for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str) and "\n" not in node.value]
    return texts


def _offences(texts: list[str]) -> list[tuple[str, str]]:
    return sorted({(name, text) for text in texts for name, pattern in REJECTED.items() if pattern.search(text)})


def test_the_swedish_catalogue_uses_one_term_per_concept() -> None:
    assert _offences(_swedish_catalogue()) == []


def test_the_reference_data_uses_one_term_per_concept() -> None:
    assert _offences(_reference_data()) == []


def test_printed_documents_and_field_labels_use_one_term_per_concept() -> None:
    ibic = ROOT / "ibic"
    assert _offences(_python_strings(ibic / "documents", ibic / "field_labels.py", ibic / "reports")) == []


def test_the_chosen_terms_are_the_ones_shown() -> None:
    catalogue = " ".join(_swedish_catalogue())
    reference = " ".join(_reference_data())
    assert "skälig levnadsnivå" in catalogue and "skälig levnadsnivå" in reference
    assert "synkservern" in catalogue
    assert "Hur ärendet aktualiserades" in catalogue
    assert '"Aktualiserat"' not in catalogue and "Aktualiserat" in reference  # the status label is reference data
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert "lup.lub.lu.se/student-papers/record/9217052" in glossary  # where the law's term was checked


def test_the_detector_finds_each_rejected_variant() -> None:
    samples = ["Behövs för skäliga levnadsförhållanden?", "Anslut till synkroniseringsservern", "Personens ärende",
               "Synkroniseringskonflikter",
               "Hur ärendet uppkom", "Aktualiserad", "%n ändring(ar)"]
    assert {name for name, _text in _offences(samples)} == set(REJECTED)
