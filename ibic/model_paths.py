"""Where a model object sits in its record's document: the walk over the models that ``diff_parts`` is given.

Apart from ``ibic.document_paths`` (plain JSON paths, used by the store at import) because this walks pydantic's
models: only a save of a record already loaded as a model comes here, so importing the store does not import
pydantic (docs/architecture.md, "Steady memory after unlock").
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel

from ibic.document_paths import JSON, KEY_FIELDS, FieldsOf, Located, changed_model, outermost


@cache  # a model's fields and serializers are fixed once its class exists
def _fields_dumped_alone(model: type[BaseModel]) -> dict[str, int] | None:
    """The position of each field of ``model`` in its dump, when the dump is just its fields, each dumped as its own
    value (so one field's dump is that field's part of the whole dump); None when it is not: computed fields, a
    model or field serializer (which may read other fields), an excluded field."""
    decorators = model.__pydantic_decorators__
    if model.model_computed_fields or decorators.model_serializers or decorators.field_serializers:
        return None
    if any(info.exclude for info in model.model_fields.values()):
        return None
    return {name: index for index, name in enumerate(model.model_fields)}


def located_parts(root: BaseModel, changed: Sequence[BaseModel | FieldsOf]
                  ) -> list[tuple[tuple[str, ...], BaseModel, str | None]] | None:
    """Where each changed item sits in root's document, in document order and none inside another: (path segments,
    the object, the field when only that field of it is meant, else None). None when an object is not where
    ``diff`` would address it (``locate``).
    """
    located: list[tuple[Located, tuple[BaseModel, str | None]]] = []
    for item in changed:
        model = changed_model(item)
        place = locate(root, model)
        if place is None:
            return None
        names = item.names if isinstance(item, FieldsOf) else frozenset()
        positions = _fields_dumped_alone(type(model)) if names else None
        if positions is None or not names <= positions.keys():
            located.append((place, (model, None)))
            continue
        path, order = place
        located.extend((((*path, name), (*order, positions[name])), (model, name))
                       for name in sorted(names, key=positions.__getitem__))
    return [(place[0], model, name) for place, (model, name) in outermost(located)]


def dumped_part(model: BaseModel, name: str | None) -> JSON:
    """The JSON of a located part: the whole object, or one field of it as the whole object's dump holds it."""
    if name is None:
        return model.model_dump(mode="json")
    return model.model_dump(mode="json", include={name})[name]


def locate(root: BaseModel, target: BaseModel) -> Located | None:
    """Where ``target`` (a model object held inside ``root``) sits in root's document: its path segments and its
    position in document order. None when it is not there, or sits where ``diff`` would not address it by path (in
    a list whose elements are not all keyed, in a dict, or under a model with computed fields).

    A form names the same object save after save: where it was found last time is checked first (a walk down that
    one path, the same checks as the search), before searching the model tree in document order.
    """
    known = _found.get(id(target))
    if known is not None and _still_at(root, target, known):
        return known
    found = _locate(root, target, (), ())
    if found is not None:
        if len(_found) >= _FOUND_ENTRIES:
            _found.clear()
        _found[id(target)] = found
    return found


# Where objects were last found, by id (only path keys and field positions: no values). A stale or reused id is
# harmless: ``_still_at`` checks that the path leads from this root to this very object.
_found: dict[int, Located] = {}
_FOUND_ENTRIES = 256


def _still_at(root: BaseModel, target: BaseModel, located: Located) -> bool:
    """``located`` leads from ``root`` to ``target`` through what ``_locate`` accepts: models without computed
    fields, and lists whose elements are all keyed models, each element addressed by its key."""
    path, order = located
    node: BaseModel = root
    step = 0
    while step < len(path):
        if _field_names(type(node)) is None:
            return False
        child = node.__dict__.get(path[step])
        if isinstance(child, BaseModel):
            node, step = child, step + 1
            continue
        if not isinstance(child, list) or step + 1 >= len(path) or order[step + 1] >= len(child):
            return False
        keys = [_model_key(e) if isinstance(e, BaseModel) else None for e in child]
        if any(key is None for key in keys) or keys[order[step + 1]] != path[step + 1]:
            return False
        node, step = child[order[step + 1]], step + 2
    return node is target


@cache  # a model's fields are fixed once its class exists
def _field_names(model: type[BaseModel]) -> tuple[tuple[int, str], ...] | None:
    """(position, name) of the fields of ``model`` that may hold model objects, in document order; None when it has
    computed fields (they are dumped too, and may follow any field)."""
    if model.model_computed_fields:
        return None
    return tuple((index, name) for index, (name, info) in enumerate(model.model_fields.items())
                 if _may_hold_model(info.annotation))


def _may_hold_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_may_hold_model(argument) for argument in get_args(annotation))


def _locate(node: BaseModel, target: BaseModel, path: tuple[str, ...], order: tuple[int, ...]) -> Located | None:
    if node is target:
        return path, order
    names = _field_names(type(node))
    if names is None:
        return None
    values = node.__dict__
    for index, name in names:
        child = values.get(name)
        if isinstance(child, BaseModel):
            found = _locate(child, target, (*path, name), (*order, index))
        elif isinstance(child, list) and child and isinstance(child[0], BaseModel):
            found = _locate_in_list(child, target, (*path, name), (*order, index))
        else:
            continue
        if found is not None:
            return found
    return None


def _locate_in_list(elements: list[Any], target: BaseModel, path: tuple[str, ...],
                    order: tuple[int, ...]) -> Located | None:
    for index, element in enumerate(elements):
        if not isinstance(element, BaseModel):
            return None
        found = _locate(element, target, (*path, ""), (*order, index))
        if found is None:
            continue
        keys = [_model_key(e) for e in elements]
        key = keys[index]
        if key is None or any(k is None for k in keys):
            return None  # diff treats such a list as one value
        segments = list(found[0])
        segments[len(path)] = key
        return tuple(segments), found[1]
    return None


def _model_key(element: Any) -> str | None:
    values = element.__dict__
    for field in KEY_FIELDS:
        key = values.get(field)
        if isinstance(key, str) and key:
            return key
    return None
