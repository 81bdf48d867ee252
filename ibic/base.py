"""Common base for domain objects."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ibic.stamps import new_id as new_id  # plain (the store imports it without pydantic); the models' default ids

_Validator = TypeVar("_Validator", bound=Callable[..., Any])
_READS = "__validator_reads__"


class DomainModel(BaseModel):
    """Strict about unknown fields (a typo must not silently vanish) and validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    def __setattr__(self, name: str, value: Any) -> None:
        # pydantic stores an assigned value before running the model's own cross-field checks and keeps it when
        # they fail; a refused assignment must leave the object as it was, or the refused state gets saved.
        before, fields_set = dict(self.__dict__), set(self.__pydantic_fields_set__)
        try:
            super().__setattr__(name, value)
        except ValidationError:
            self.__dict__.clear()
            self.__dict__.update(before)
            object.__setattr__(self, "__pydantic_fields_set__", fields_set)
            raise


def reads(*paths: str) -> Callable[[_Validator], _Validator]:
    """Names every place a model validator reads: a field, or a field of each element of a list field
    (``"sub_areas/*/code"``). Put innermost, under ``@model_validator`` (and ``@classmethod``).

    The server checks a value pushed to a field no validator reads by that field's type alone, not by validating the
    whole object (sync/server/push_checks.py): changing such a field cannot change what the validator says. Kept true
    by tests/domain/test_validator_reads.py, which hides every place not named and runs the validator."""
    def mark(validator: _Validator) -> _Validator:
        setattr(validator, _READS, frozenset(paths))
        return validator
    return mark


@cache  # a model's validators are fixed once its class exists
def validator_reads(model: type[BaseModel]) -> frozenset[str] | None:
    """The places (``reads``' paths) the model validators of ``model`` read together; None when one of them does not
    say, or when something else of the model may read any field (then any field may matter to it): a
    ``model_post_init``, a field validator taking ``info`` (its ``info.data`` holds the other fields), an old-style
    validator. (A default factory taking the validated data, ``Person.sex``'s, only fills in an absent field:
    tests/domain/test_validator_reads.py lists those there are.)"""
    decorators = model.__pydantic_decorators__
    if (decorators.root_validators or decorators.validators or model.__pydantic_post_init__ is not None
            or any(_takes_info(d.func, d.info.mode) for d in decorators.field_validators.values())):
        return None
    named: set[str] = set()
    for decorator in decorators.model_validators.values():
        paths = getattr(decorator.func, _READS, None)
        if paths is None:
            return None
        named |= paths
    return frozenset(named)


def _takes_info(validator: Callable[..., Any], mode: str) -> bool:
    """Whether a field validator takes pydantic's ``info`` (after the value, and a wrap validator's handler)."""
    try:
        parameters = inspect.signature(validator).parameters
    except (TypeError, ValueError):  # no signature to read: assume it does
        return True
    return len(parameters) > (2 if mode == "wrap" else 1)
