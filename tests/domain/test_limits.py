"""The product's limits (ibic.limits): one range of dates and a length for every text, on every stored field, and
deadlines that never overflow on a date from outside the range."""

from __future__ import annotations

import types
from datetime import date
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types
import pytest
from pydantic import AfterValidator, BaseModel, ValidationError

from ibic.application import Application
from ibic.cases import Case
from ibic.communication import Communication
from ibic.deadlines import add_months, reminders
from ibic.demo import demo_cases
from ibic.errors import DateOutOfRange
from ibic.limits import EARLIEST_EVENT, LATEST_EVENT, PHONE_MAX, check_event_date
from ibic.people import Person
from ibic.reference import load_reference_data

TODAY = date(2026, 11, 23)
FAR = date(9999, 12, 31)


def _constraints(metadata: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in metadata:
        out.extend(_constraints(list(item)) if isinstance(item, annotated_types.GroupedMetadata) else [item])
    return out


def _unlimited(annotation: Any, metadata: list[Any], where: str) -> list[str]:
    """Where a str, date or int (at any depth) has no limit from ibic.limits."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        return _unlimited(base, [*metadata, *extra], where)
    if origin in (Union, types.UnionType, list):
        return [hole for arg in get_args(annotation) for hole in _unlimited(arg, metadata, where)]
    constraints = _constraints(metadata)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _unlimited_fields(annotation, where)
    if annotation is str and not any(isinstance(c, annotated_types.MaxLen) for c in constraints):
        return [where]
    if annotation is date and not any(isinstance(c, AfterValidator) and c.func is check_event_date
                                      for c in constraints):
        return [where]
    if annotation is int and not any(isinstance(c, annotated_types.Le) for c in constraints):
        return [where]
    return []


def _unlimited_fields(model: type[BaseModel], where: str) -> list[str]:
    return [hole for name, field in model.model_fields.items()
            for hole in _unlimited(field.annotation, list(field.metadata), f"{where}.{name}")]


@pytest.mark.parametrize("model", [Case, Person])
def test_every_text_date_and_number_of_a_stored_record_has_a_limit_from_the_domain(model: type[BaseModel]) -> None:
    assert _unlimited_fields(model, model.__name__) == []


@pytest.mark.parametrize("day", [FAR, date(2100, 1, 1), date(1899, 12, 31), date(1, 1, 1)])
def test_a_date_outside_the_range_is_refused_naming_the_field_never_the_value(day: date) -> None:
    for build, field in ((lambda: Application(received_on=day), "received_on"),
                         (lambda: Communication(done_on=day), "done_on")):
        with pytest.raises(ValidationError) as caught:
            build()
        error = caught.value.errors()[0]
        assert error["loc"] == (field,)
        assert day.isoformat() not in error["msg"] and "range" in error["msg"]


def test_the_first_and_last_day_of_the_range_are_accepted() -> None:
    assert Application(received_on=EARLIEST_EVENT).received_on == EARLIEST_EVENT
    assert Communication(done_on=LATEST_EVENT).done_on == LATEST_EVENT


def test_an_assigned_far_date_is_refused_and_the_previous_value_stays() -> None:
    application = Application(received_on=TODAY)
    with pytest.raises(ValidationError):
        application.received_on = FAR
    assert application.received_on == TODAY


def test_deadlines_from_the_last_day_of_the_range_exist_and_a_far_date_is_a_typed_error() -> None:
    assert add_months(LATEST_EVENT, 6) == date(2100, 6, 30)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    with pytest.raises(DateOutOfRange):
        add_months(FAR, 6)  # was AssertionError("every month has 28 days")
    with pytest.raises(DateOutOfRange):
        add_months(date(9999, 11, 30), 1)


def test_reminders_of_a_record_stored_before_the_range_existed_leave_the_far_date_out() -> None:
    """A document written by an older version holds 9999-12-31 unchecked (model_construct stands for it)."""
    _, cases = demo_cases(TODAY)
    case = next(c for c in cases if not c.decisions and c.application.received_on)
    old = case.model_copy(update={
        "application": Application.model_construct(**{**dict(case.application), "received_on": FAR}),
        "communication": Communication.model_construct(**{**dict(case.communication), "done_on": FAR}),
    })
    found = reminders(old, TODAY, load_reference_data().rules)  # was OverflowError
    assert all(r.due.year < 9999 for r in found)


def test_a_one_megabyte_phone_number_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        Person(given_name="Tolvan", family_name="Tolvansson", personal_number="19121212-1212", phone="0" * 1_000_000)
    assert caught.value.errors()[0]["loc"] == ("phone",)
    assert Person(given_name="Tolvan", family_name="Tolvansson", personal_number="19121212-1212",
                  phone="0" * PHONE_MAX).phone
