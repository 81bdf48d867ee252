"""Field paths inside an aggregate's JSON document, and the diff/apply pair built on them.

Sync and the change journal work per field, so that two handläggare editing different fields of one
case never conflict, and the same field edited twice always does. A path names a leaf:
``investigation/assessments/d5/need``. Lists whose elements carry an ``id`` (or ``area_id``, or an ICF ``code``:
``investigation/assessments/d4/sub_areas/d450/qualifier``) are addressed by that key, never by position, so a path
stays valid when another device adds an element. Lists without keys are one value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ibic.errors import DecisionIsFinal, DomainError

if TYPE_CHECKING:
    from pydantic import BaseModel

JSON = Any
KEY_FIELDS = ("id", "area_id", "code")
SEPARATOR = "/"
# Elements under these lists are written once and never edited (a decision is final; statuses append).
APPEND_ONLY_LISTS = ("decisions", "decision_statuses")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class FieldEdit:
    """One edit of one path: ``set`` a value (creating list elements whole) or ``remove`` an element."""

    path: str
    op: Literal["set", "remove"]
    value: JSON = None


def element_key(element: JSON) -> str | None:
    """The key a path names a list element by: its first non-empty string of ``KEY_FIELDS``; None if it has none."""
    if isinstance(element, dict):
        for field in KEY_FIELDS:
            key = element.get(field)
            if isinstance(key, str) and key:
                return key
    return None


def unaddressable_keys(node: JSON, where: tuple[str, ...] = ()) -> list[str]:
    """Where (field names and list positions, never values) a list element's key holds the separator.

    No path can name such an element: a path ``consents/a/b/scope`` splits its key, so the handläggare's later edit
    of a consent the central system sent with the id "a/b" was refused at every push and never delivered."""
    found: list[str] = []
    if isinstance(node, dict):
        for name, value in node.items():
            found += unaddressable_keys(value, (*where, str(name)))
    elif isinstance(node, list):
        for index, element in enumerate(node):
            key = element_key(element)
            if key is not None and SEPARATOR in key:
                field = next(f for f in KEY_FIELDS if element.get(f) == key)
                found.append(SEPARATOR.join((*where, str(index), field)))
            found += unaddressable_keys(element, (*where, str(index)))
    return found


def _is_keyed_list(value: JSON) -> bool:
    return isinstance(value, list) and bool(value) and all(element_key(v) is not None for v in value)


def diff(old: dict[str, JSON], new: dict[str, JSON]) -> list[FieldEdit]:
    """The edits that turn ``old`` into ``new``, leaf by leaf."""
    edits: list[FieldEdit] = []
    _diff_dict(old, new, (), edits)
    return edits


def _diff_dict(old: dict[str, JSON], new: dict[str, JSON], prefix: tuple[str, ...], out: list[FieldEdit]) -> None:
    for key, new_value in new.items():
        _diff_value(old.get(key, MISSING), new_value, (*prefix, key), out)
    for key in old.keys() - new.keys():
        out.append(FieldEdit(SEPARATOR.join((*prefix, key)), "remove"))


def _diff_value(old: JSON, new: JSON, path: tuple[str, ...], out: list[FieldEdit]) -> None:
    if old is not MISSING and old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        _diff_dict(old, new, path, out)
    elif _keyed_lists(old, new):
        _diff_keyed_list(old or [], new or [], path, out)
    else:
        out.append(FieldEdit(SEPARATOR.join(path), "set", copy_json(new)))


def _keyed_lists(old: JSON, new: JSON) -> bool:
    both_lists = isinstance(old, list) and isinstance(new, list)
    return (
        both_lists
        and (_is_keyed_list(old) or _is_keyed_list(new))
        and all(element_key(v) is not None for v in [*old, *new])
    )


def _diff_keyed_list(old: list[JSON], new: list[JSON], path: tuple[str, ...], out: list[FieldEdit]) -> None:
    old_by_key = {element_key(e): e for e in old}
    new_keys = set()
    for element in new:
        key = element_key(element)
        assert key is not None
        new_keys.add(key)
        if key in old_by_key:
            _diff_dict(old_by_key[key], element, (*path, key), out)
        else:
            out.append(FieldEdit(SEPARATOR.join((*path, key)), "set", copy_json(element)))
    for key in old_by_key.keys() - new_keys:
        out.append(FieldEdit(SEPARATOR.join((*path, str(key))), "remove"))


def copy_json(value: JSON) -> JSON:
    """A deep copy of a JSON value (dicts, lists and immutable scalars): what ``copy.deepcopy`` gives for one, at a
    fraction of its cost (no memo, no dispatch per type); a first pull copies every value it applies."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value


def get(document: dict[str, JSON], path: str) -> JSON:
    """The value at ``path``, or ``MISSING``."""
    node: JSON = document
    for segment in path.split(SEPARATOR):
        node = _child(node, segment)
        if node is MISSING:
            return MISSING
    return node


def _child(node: JSON, segment: str) -> JSON:
    if isinstance(node, dict):
        return node.get(segment, MISSING)
    if isinstance(node, list):
        index = index_of(node, segment)
        return MISSING if index is None else node[index]
    return MISSING


def index_of(elements: list[JSON], key: str) -> int | None:
    """The position of the element keyed ``key`` (``element_key``, inlined: every op into a keyed list scans it,
    ~2× the speed of a call per element), or None."""
    for index, element in enumerate(elements):
        if isinstance(element, dict):
            for field in KEY_FIELDS:
                found = element.get(field)
                if isinstance(found, str) and found:
                    if found == key:
                        return index
                    break
    return None


def apply(document: dict[str, JSON], edit: FieldEdit) -> dict[str, JSON]:
    """A copy of ``document`` with ``edit`` applied; refuses edits to decisions already made."""
    result: dict[str, JSON] = copy_json(document)
    apply_in_place(result, edit)
    return result


def apply_in_place(document: dict[str, JSON], edit: FieldEdit) -> None:
    """``apply`` on ``document`` itself; a refused edit raises before anything is changed.

    Every refusal (append-only guard, a missing list element, a plain value on the way) is found while walking
    existing nodes, before the first missing parent is created; from there on only fresh dicts and lists follow.
    The value is copied in, so the document never shares objects with the edit.
    """
    segments = edit.path.split(SEPARATOR)
    _guard_append_only(document, segments, edit)
    parent: JSON = document
    for depth, segment in enumerate(segments[:-1]):
        child = _child(parent, segment)
        if child is MISSING:
            if not isinstance(parent, dict):
                raise DomainError(f"path has no element: {edit.path}")
            child = [] if _creates_list_element(segments, depth, edit) else {}
            parent[segment] = child
        parent = child
    _apply_leaf(parent, segments[-1], edit)


def apply_at(document: dict[str, JSON], parent: JSON, edit: FieldEdit) -> None:
    """``apply_in_place`` when ``parent``, the container the edit's last segment names a place in, was found
    already (by a caller walking the path): the same guards and leaf, without walking the path again."""
    segments = edit.path.split(SEPARATOR)
    _guard_append_only(document, segments, edit)
    _apply_leaf(parent, segments[-1], edit)


def _creates_list_element(segments: list[str], depth: int, edit: FieldEdit) -> bool:
    """A missing parent of a whole keyed element is a list: ``decisions/<id>`` on a case with no decisions yet."""
    is_direct_parent = depth == len(segments) - 2
    return is_direct_parent and edit.op == "set" and element_key(edit.value) == segments[-1]


def _apply_leaf(parent: JSON, segment: str, edit: FieldEdit) -> None:
    if isinstance(parent, dict):
        if edit.op == "remove":
            parent.pop(segment, None)
        else:
            parent[segment] = copy_json(edit.value)
        return
    if not isinstance(parent, list):
        raise DomainError(f"path goes through a plain value: {edit.path}")
    carried = element_key(edit.value) if edit.op == "set" else None
    if carried is not None and carried != segment:
        # Otherwise ``decisions/A`` could append an element keyed B: two elements under one key, or a replaced one.
        raise DomainError(f"element key does not match its path: {edit.path}")
    index = index_of(parent, segment)
    if edit.op == "remove":
        if index is not None:
            parent.pop(index)
    elif index is None:
        parent.append(copy_json(edit.value))
    else:
        parent[index] = copy_json(edit.value)


def _guard_append_only(document: dict[str, JSON], segments: list[str], edit: FieldEdit) -> None:
    if segments[0] not in APPEND_ONLY_LISTS:
        return
    if len(segments) == 1:
        _guard_whole_list(document, segments[0], edit)
        return
    existing = get(document, SEPARATOR.join(segments[:2]))
    if existing is MISSING and len(segments) == 2 and edit.op == "set":
        return
    if existing is not MISSING and len(segments) == 2 and edit.op == "set" and existing == edit.value:
        return  # re-applying the same creation is harmless
    raise DecisionIsFinal(f"{segments[0]} are append-only; path {edit.path} may not be changed")


def _guard_whole_list(document: dict[str, JSON], name: str, edit: FieldEdit) -> None:
    """Setting the whole list may only add elements: every existing one must stay, unchanged."""
    existing = document.get(name)
    if not existing:
        return
    if not isinstance(existing, list):
        # Only a corrupt or hand-made document holds a plain value here; it is not ours to overwrite.
        raise DecisionIsFinal(f"{name} holds a value that is not a list; it may not be replaced")
    kept = edit.value if edit.op == "set" and isinstance(edit.value, list) else []
    kept_by_key = {element_key(e): e for e in kept}
    for element in existing:
        key = element_key(element)
        if key is None or kept_by_key.get(key) != element:
            raise DecisionIsFinal(f"{name} are append-only; the whole list may not drop or change an element")


def leaves(document: dict[str, JSON]) -> dict[str, JSON]:
    """Every leaf path with its value: the diff from an empty document, as a mapping."""
    return {edit.path: edit.value for edit in diff({}, document)}


# --- edits known in advance -------------------------------------------------------------------------------------
# A form knows which object it just changed; diffing only that object's part of the document gives exactly the
# edits ``diff`` gives for the whole document (a property test compares the two), at a fraction of the cost.

Located = tuple[tuple[str, ...], tuple[int, ...]]


@dataclass(frozen=True, eq=False)
class FieldsOf:
    """Only these fields of ``model`` (an object inside a record) changed: what a form's binder knows of an edit.
    Saving them dumps and diffs those fields alone instead of the whole object."""

    model: BaseModel
    names: frozenset[str]


def changed_model(item: BaseModel | FieldsOf) -> BaseModel:
    """The object a changed item names."""
    return item.model if isinstance(item, FieldsOf) else item


# Where a part was put by ``diff_parts``: path segments -> (its value, whether it is a list element).
Placed = dict[tuple[str, ...], tuple[JSON, bool]]


def diff_parts(old: dict[str, JSON], parts: list[tuple[tuple[str, ...], JSON]], known: Placed | None = None
               ) -> tuple[list[FieldEdit], dict[str, JSON], Placed] | None:
    """``diff(old, new)``, ``new`` itself and where each part was put, where ``new`` is ``old`` with each part (path
    segments, new JSON value, in document order, none inside another) put in its place and nothing else changed.

    None when a part cannot be placed the way ``diff`` addresses it (the path is not in ``old``, goes through a list
    that is not keyed, or the new element carries another key): the caller then diffs the whole document.
    ``old`` is not changed; ``new`` shares every part of it that did not change.

    ``known`` is the third value of the call that made ``old`` (typing on in one field saves the same parts again):
    a part found there is not looked up in ``old`` again, since that call put it there and checked its way.
    """
    edits: list[FieldEdit] = []
    new = old
    placed_parts: Placed = {}
    for segments, value in parts:
        placed = known.get(segments) if known else None
        if placed is None:
            placed = _placed(old, segments) if segments else None
        if placed is None:
            return None
        before, in_list = placed
        if in_list and element_key(value) != segments[-1]:
            return None
        _diff_value(before, value, segments, edits)
        new = replaced(new, segments, value)
        placed_parts[segments] = (value, in_list)
    return edits, new, placed_parts


def _placed(document: JSON, segments: tuple[str, ...]) -> tuple[JSON, bool] | None:
    """The value at ``segments`` and whether it is a list element, when every list on the way is keyed as ``diff``
    sees it; else None."""
    node, in_list = document, False
    for segment in segments:
        in_list = isinstance(node, list)
        if in_list and not _is_keyed_list(node):
            return None
        node = _child(node, segment)
        if node is MISSING:
            return None
    return node, in_list


def replaced(node: JSON, segments: tuple[str, ...], value: JSON) -> JSON:
    """A copy of ``node`` with ``value`` at ``segments`` (an existing place, list elements by key): only the
    containers on the way are copied."""
    head, rest = segments[0], segments[1:]
    if isinstance(node, dict):
        copied = dict(node)
        copied[head] = replaced(node[head], rest, value) if rest else value
        return copied
    elements = list(node)
    index = next(i for i, e in enumerate(elements) if element_key(e) == head)
    elements[index] = replaced(elements[index], rest, value) if rest else value
    return elements


def outermost(located: list[tuple[Located, Any]]) -> list[tuple[Located, Any]]:
    """The located items in document order, without those inside another one (its dump already holds them)."""
    kept: list[tuple[Located, Any]] = []
    for item in sorted(located, key=lambda entry: entry[0][1]):
        path = item[0][0]
        if any(path[:len(outer[0][0])] == outer[0][0] for outer in kept):
            continue
        kept.append(item)
    return kept
