"""Every model validator names the places it reads (ibic.base.reads), and reads nothing else.

The server checks a pushed value at a place no validator reads by its type alone (sync/server/push_checks.py): were
a validator to read a place it does not name, a value breaking it would be stored, and every laptop pulling the case
would set it aside. So each validator runs here on valid and invalid objects with every place it does not name
replaced by a poison that raises on any use (compared, hashed, tested, iterated, its attributes read); what it says
must not change.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError, ValidationInfo, field_validator, model_validator

from ibic.application import ApplicationItem
from ibic.base import DomainModel, reads, validator_reads
from ibic.cases import Case, StatusChange
from ibic.communication import Communication
from ibic.consent import Consent
from ibic.decisions import Proposal
from ibic.investigation import LifeAreaAssessment, SubAreaAssessment
from ibic.notices import DecisionNotice
from ibic.people import Person

D1, D2 = date(2026, 1, 10), date(2026, 1, 20)
# Per model: field values (read places among them) of objects its validators take and of ones they refuse.
SEEDS: dict[type[BaseModel], list[dict[str, Any]]] = {
    LifeAreaAssessment: [
        {"area_id": "d4", "qualifier": "2", "own_description": "Går med rollator", "need": "Stöd ute",
         "sub_areas": [{"code": "d450", "qualifier": "1", "text": "Går 50 m"}, {"code": "d465", "text": "Rullstol"}]},
        {"area_id": "d4", "qualifier": "5", "sub_areas": []},
        {"area_id": "d4", "qualifier": None, "sub_areas": [{"code": "d450", "qualifier": ".2", "text": "t"}]},
        {"area_id": "e1", "qualifier": ".2", "sub_areas": [{"code": "e110", "qualifier": "+3", "text": "t"}]},
        {"area_id": "e1", "qualifier": "2", "sub_areas": []},
        {"area_id": "d4", "qualifier": "9", "sub_areas": [{"code": "d510", "qualifier": None, "text": ""}]},
        {"area_id": "d4", "sub_areas": [{"code": "d450", "text": "a"}, {"code": "d450", "text": "b"}]},
        {"area_id": "d4", "sub_area_codes": ["d450", "d465"], "sub_areas": [{"code": "d450", "text": "Går"}]},
        {"area_id": "d4", "sub_area_codes": None, "goal": "Gå själv"},
        {"area_id": "d4", "sub_area_codes": 5, "goal": "Gå själv"},
        {"area_id": "d4", "sub_area_codes": ["d450", ["d465"]], "sub_areas": [{"code": "d450", "text": "Går"}]},
        {"area_id": "d4", "sub_area_codes": ["d450"], "sub_areas": [{"code": ["d450"], "text": "Går"}]},
        {"area_id": "d4", "sub_area_codes": ["d450"], "sub_areas": 5, "goal": "Gå själv"},
    ],
    SubAreaAssessment: [
        {"code": "d450", "qualifier": "2", "text": "Går"}, {"code": "d450", "qualifier": "5", "text": "Går"},
        {"code": "e110", "qualifier": ".2", "text": ""}, {"code": "e110", "qualifier": "2", "text": ""},
        {"code": "d450", "qualifier": None, "text": ""},
    ],
    DecisionNotice: [{"sent_on": D1, "notified_on": D2, "note": "Lämnat"}, {"sent_on": D2, "notified_on": D1},
                     {"sent_on": D1, "notified_on": None}],
    Communication: [{"done_on": D1, "reply_by": D2, "response": "Inget"}, {"done_on": D2, "reply_by": D1},
                    {"done_on": None, "reply_by": D1}],
    Proposal: [{"starts_on": D1, "ends_on": D2, "motivation": "Behov"}, {"starts_on": D2, "ends_on": D1},
               {"starts_on": D1, "ends_on": None}],
    ApplicationItem: [{"insats_id": "hemtjanst", "free_text": ""}, {"insats_id": None, "free_text": "  "},
                      {"insats_id": None, "free_text": "Hjälp att handla"}, {"insats_id": "", "free_text": ""}],
    StatusChange: [{"status": "closed", "on": D1, "reason": "moved"}, {"status": "closed", "on": D1},
                   {"status": "investigation", "on": D1, "reason": "died"},
                   {"status": "closed", "on": D1, "reason": "other", "reason_note": " "},
                   {"status": "closed", "on": D1, "reason": "other", "reason_note": "Bor hos dottern i Norge"},
                   {"status": "closed", "on": D1, "reason": "died", "reason_note": "Text"},
                   {"status": "closed", "on": D1, "reason": "died", "closed_from": "implementation"},
                   {"status": "closed", "on": D1, "reason": "died", "closed_from": "closed"},
                   {"status": "decided", "on": D1, "closed_from": "investigation"}],
    Consent: [{"given_on": D1, "withdrawn_on": D2, "scope": "Vården"}, {"given_on": D2, "withdrawn_on": D1},
              {"given_on": D1, "withdrawn_on": None}],
}


class Touched(Exception):
    """A validator used a place it does not name."""


class Poison:
    """Stands in for a value at a place a validator does not name: any use of it raises Touched."""

    def __init__(self, where: str, value: Any) -> None:
        object.__setattr__(self, "_where", where)
        object.__setattr__(self, "_value", value)

    def _touched(self, *_args: Any, **_kwargs: Any) -> Any:
        raise Touched(object.__getattribute__(self, "_where"))

    def __getattr__(self, _name: str) -> Any:
        self._touched()

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = __bool__ = __len__ = __iter__ = _touched
    __contains__ = __getitem__ = __str__ = __format__ = __add__ = __radd__ = __int__ = __index__ = _touched


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    """``model`` and every model its fields hold, at any depth."""
    if model in seen:
        return
    seen.add(model)
    yield model
    for field in model.model_fields.values():
        yield from (found for inner in _inner_models(field.annotation) for found in _models(inner, seen))


def _inner_models(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _inner_models(arg)


def _element_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The model of a field's elements (a list of models), or of the field itself."""
    found = list(_inner_models(model.model_fields[name].annotation)) if name in model.model_fields else []
    return found[0] if len(found) == 1 else None


def _poisoned(model: type[BaseModel], data: Any, read: set[tuple[str, ...]], where: str, as_objects: bool) -> Any:
    """``data`` (a model's field values) with every place ``read`` does not name poisoned; as model objects built
    without validation (an after validator's ``self``) or as plain dicts (a before validator's input)."""
    values: dict[str, Any] = {}
    for name in {*model.model_fields, *data}:
        if name not in data and not as_objects:
            continue  # a before validator meets only what was sent
        below = {path[1:] for path in read if path[0] == name}
        value = data[name] if name in data else _default(model, name)
        if () in below:
            values[name] = _built(model, name, value) if as_objects else value
        elif below and isinstance(value, list) and (inner := _element_model(model, name)) is not None:
            elements = {path[1:] for path in below if path[0] == "*"}
            assert all(path[0] == "*" for path in below), "reads below a list name its elements: name/*/field"
            values[name] = [_poisoned(inner, e, elements, f"{where}{name}/*/", as_objects) for e in value]
        elif below and not as_objects:
            values[name] = value  # not a list: reading its elements' fields reads what it is (its type refuses it)
        else:
            values[name] = Poison(f"{where}{name}", value)
    return model.model_construct(**values) if as_objects else values


def _default(model: type[BaseModel], name: str) -> Any:
    return model.model_fields[name].get_default(call_default_factory=True)


def _built(model: type[BaseModel], name: str, value: Any) -> Any:
    """A read value as the validator meets it after validation: a list of models as model objects."""
    inner = _element_model(model, name)
    if inner is None or not isinstance(value, list):
        return value
    return [inner.model_construct(**e) for e in value]


def _unpoisoned(value: Any) -> Any:
    if isinstance(value, Poison):
        return object.__getattribute__(value, "_value")
    if isinstance(value, dict):
        return {k: _unpoisoned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unpoisoned(v) for v in value]
    return value


def _outcome(call: Any, argument: Any) -> Any:
    """What a validator says: its result (a before validator's output) or the error it raises."""
    try:
        result = call(argument)
    except ValueError as exc:
        return ("refused", str(exc))
    return ("taken", None if isinstance(result, BaseModel) else _unpoisoned(result))


VALIDATED = [m for m in {*_models(Case, set()), *_models(Person, set())} if m.__pydantic_decorators__.model_validators]


def test_every_model_validator_names_what_it_reads_and_has_seeds() -> None:
    assert {m.__name__ for m in VALIDATED} == {m.__name__ for m in SEEDS}  # a new validator needs seeds here
    for model in VALIDATED:
        assert validator_reads(model) is not None, model.__name__
        modes = {d.info.mode for d in model.__pydantic_decorators__.model_validators.values()}
        assert modes <= {"before", "after"}, model.__name__


@pytest.mark.parametrize("model", sorted(SEEDS, key=lambda m: m.__name__), ids=lambda m: m.__name__)
def test_a_model_validator_reads_nothing_it_does_not_name(model: type[BaseModel]) -> None:
    for name, decorator in model.__pydantic_decorators__.model_validators.items():
        read = {tuple(path.split("/")) for path in decorator.func.__validator_reads__}
        after = decorator.info.mode == "after"
        outcomes = []
        for seed in SEEDS[model]:
            if after and not _types_hold(model, seed):
                continue  # an after validator meets only values of the fields' types
            seed = seed if not after else {k: v for k, v in seed.items() if k in model.model_fields}
            whole = _built_all(model, seed) if after else dict(seed)
            hidden = _poisoned(model, seed, read, "", as_objects=after)
            try:
                said = _outcome(decorator.func, hidden)
            except Touched as exc:
                pytest.fail(f"{model.__name__}.{name} reads {exc}, which it does not name")
            assert said == _outcome(decorator.func, whole), (model.__name__, name, seed)
            outcomes.append(said[0])
        if after:  # the seeds show both what it takes and what it refuses
            assert set(outcomes) == {"taken", "refused"}, (model.__name__, name)


def _types_hold(model: type[BaseModel], seed: dict[str, Any]) -> bool:
    """Whether the seed's values are of their fields' types (refused, if at all, by a validator's ValueError;
    fields the seed leaves out may be missing)."""
    try:
        model.model_validate(seed)
    except ValidationError as exc:
        return all(error["type"] in ("value_error", "missing") for error in exc.errors())
    return True


def _built_all(model: type[BaseModel], seed: dict[str, Any]) -> BaseModel:
    """The seed as the validator meets it unpoisoned (fields it leaves out at their defaults)."""
    return model.model_construct(**{name: _built(model, name, value) for name, value in seed.items()})


def test_a_poison_raises_on_use() -> None:
    poison = Poison("somewhere", "text")
    for use in (lambda: poison == "text", lambda: hash(poison), lambda: bool(poison), lambda: poison.strip(),
                lambda: "a" in poison, lambda: poison < "b", lambda: list(poison), lambda: f"{poison}"):
        with pytest.raises(Touched):
            use()


class _Marked(DomainModel):
    start: date
    end: date
    note: str = ""

    @model_validator(mode="after")
    @reads("start", "end")
    def _in_order(self) -> _Marked:
        if self.end < self.start:
            raise ValueError("end before start")
        return self


class _PostInit(_Marked):
    def model_post_init(self, context: Any, /) -> None:
        if self.note == "x":
            raise ValueError("no x")


class _InfoValidator(_Marked):
    @field_validator("end")
    @classmethod
    def _after_start(cls, value: date, info: ValidationInfo) -> date:
        if value < info.data["start"]:
            raise ValueError("end before start")
        return value


class _ValueValidator(_Marked):
    @field_validator("note")
    @classmethod
    def _stripped(cls, value: str) -> str:
        return value.strip()


def test_a_model_whose_other_checks_may_read_any_field_says_none() -> None:
    # Fails before s20-ribiccheck: a model_post_init or a field validator's info.data read fields no marker names.
    assert validator_reads(_Marked) == frozenset({"start", "end"})
    assert validator_reads(_ValueValidator) == frozenset({"start", "end"})
    assert validator_reads(_PostInit) is None
    assert validator_reads(_InfoValidator) is None


# Attributes through which a validator could see fields without reading them by name (the poison would miss it).
AROUND = frozenset({"__dict__", "model_fields_set", "__pydantic_fields_set__", "model_dump", "model_dump_json",
                    "model_extra", "__pydantic_extra__", "model_copy", "getattr", "vars", "__getattribute__",
                    "model_fields", "__fields__", "dict", "json", "copy", "items", "values", "keys"})


def _names(code: types.CodeType) -> set[str]:
    """Every global and attribute name ``code`` and the code nested in it (comprehensions, lambdas) use."""
    found = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= _names(const)
    return found


def _reaches_around(validator: Any) -> set[str]:
    return _names(getattr(validator, "__func__", validator).__code__) & AROUND


def test_no_model_validator_reaches_fields_around_their_names() -> None:
    for model in VALIDATED:
        for name, decorator in model.__pydantic_decorators__.model_validators.items():
            if decorator.info.mode == "after":  # a before validator meets a dict: .get and items are its reads
                assert not _reaches_around(decorator.func), (model.__name__, name)


def test_the_guard_sees_a_validator_reaching_around() -> None:
    def sneaky(self: Any) -> Any:
        return [v for v in self.__dict__.values()] or self.model_fields_set

    assert _reaches_around(sneaky) == {"__dict__", "values", "model_fields_set"}
    assert not _reaches_around(_Marked._in_order)


def test_default_factories_reading_other_fields_are_only_those_known() -> None:
    # Person.sex from the personal number: it only fills in an absent sex and cannot refuse a valid number. A new
    # one is read here before the server checks its model's fields alone (push_checks).
    found = {(model.__name__, name) for model in {*_models(Case, set()), *_models(Person, set())}
             for name, field in model.model_fields.items() if field.default_factory_takes_validated_data}
    assert found == {("Person", "sex")}
