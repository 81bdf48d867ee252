"""Find every translatable source string in ui/ by parsing the code (implicit concatenation included)."""

from __future__ import annotations

import ast
from pathlib import Path

UI_DIR = Path(__file__).resolve().parents[2] / "ui"
_TRANSLATING_NAMES = {"tr", "_t"}


def _first_string(node: ast.Call) -> str | None:
    args = node.args
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "translate" and len(args) >= 2:
        target = args[1]
    elif (isinstance(func, ast.Attribute) and func.attr == "tr") or (
        isinstance(func, ast.Name) and func.id in _TRANSLATING_NAMES
    ):
        target = args[0] if args else None
    else:
        return None
    if isinstance(target, ast.Constant) and isinstance(target.value, str):
        return target.value
    return None


def _counted(node: ast.Call) -> bool:
    """A call that passes a count: ``translate(context, text, "", n)``, ``self.tr(text, "", n)``, ``tr(text, n)``."""
    func = node.func
    if isinstance(func, ast.Attribute):
        return len(node.args) >= (4 if func.attr == "translate" else 3)
    return len(node.args) >= 2


def counted_source_strings(directory: Path = UI_DIR) -> set[str]:
    """Every translatable string some call counts (its catalogue entry needs its two forms)."""
    found: set[str] = set()
    for path in sorted(directory.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and (text := _first_string(node)) is not None and _counted(node):
                found.add(text)
    return found


def source_strings(directory: Path = UI_DIR) -> dict[str, str]:
    """Every translatable string, mapped to the first file that uses it."""
    found: dict[str, str] = {}
    for path in sorted(directory.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                text = _first_string(node)
                if text is not None:
                    found.setdefault(text, str(path.relative_to(directory.parent)))
    return found


IBIC_DIR = UI_DIR.parent / "ibic"


def message_keys(directory: Path = IBIC_DIR) -> dict[str, str]:
    """Every key of a domain message (``ibic.messages``): the literal first argument of each ``message(…)`` call,
    and every string with a %1 place (keys chosen by a condition or from a table)."""
    found: dict[str, str] = {}
    for path in sorted(directory.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(directory.parent))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "message":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.setdefault(first.value, where)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "%1" in node.value \
                    and "\n" not in node.value:  # not a docstring
                found.setdefault(node.value, where)
    return found


if __name__ == "__main__":
    for text in source_strings():
        print(text)
