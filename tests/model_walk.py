"""Walking a domain object's model tree in tests: the steps (field names and list indexes) to every model object."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

Steps = tuple[Any, ...]


def model_nodes(node: BaseModel, steps: Steps = ()) -> Iterator[Steps]:
    """The steps to every model object inside ``node``, parents before their children."""
    for name in type(node).model_fields:
        child = getattr(node, name)
        if isinstance(child, BaseModel):
            yield (*steps, name)
            yield from model_nodes(child, (*steps, name))
        elif isinstance(child, list):
            for index, element in enumerate(child):
                if isinstance(element, BaseModel):
                    yield (*steps, name, index)
                    yield from model_nodes(element, (*steps, name, index))


def resolve(node: Any, steps: Steps) -> Any:
    """The object ``steps`` lead to from ``node``."""
    for step in steps:
        node = node[step] if isinstance(step, int) else getattr(node, step)
    return node
