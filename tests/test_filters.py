"""The JSON filter compiler (`schema.filters`): its errors name the key and the reason."""

from __future__ import annotations

from typing import Any

import pytest

from schema.filters import MAX_FILTER_DEPTH, MAX_FILTER_LIST, FilterError, compile_filter


@pytest.mark.parametrize(
    ("filter", "message"),
    [
        ({"colour": {"equalTo": "red"}}, "filter.colour: unknown filter key (allowed: actor, "),
        ({"title": {"like": "x"}}, "filter.title.like: unknown operator (allowed: equalTo"),
        ({"title": "Riots"}, 'filter.title: expected an object of operators like {"equalTo"'),
        (
            {"type": {"equalTo": "RIOT"}},
            "filter.type.equalTo: 'RIOT' is not a value of EventType (one of BATTLES",
        ),
        ({"type": {"lessThan": "RIOTS"}}, "filter.type.lessThan: unknown operator"),
        (
            {"date": {"equalTo": "4 January"}},
            "filter.date.equalTo: expected a date like 2022-01-04",
        ),
        ({"latitude": {"equalTo": "north"}}, "filter.latitude.equalTo: expected a number"),
        ({"or": {"type": {"equalTo": "RIOTS"}}}, "filter.or: expected a list"),
        ({"actor": ["x"]}, "filter.actor: expected an object of filter keys"),
        ({"place": {"isNull": "yes"}}, "filter.place.isNull: expected true or false"),
        (
            {"slug": {"in": ["a", "b\x00"]}},
            "filter.slug.in[1]: text must not contain the NUL character (\\u0000)",
        ),
        (
            {"dataset": {"equalTo": "\x00"}},
            "filter.dataset.equalTo: text must not contain the NUL character",
        ),
        ({"latitude": {"lessThan": 10**400}}, "filter.latitude.lessThan: 1000"),
        ({"latitude": {"lessThan": float("nan")}}, "filter.latitude.lessThan: nan is out of range"),
    ],
)
def test_filter_error_names_key_and_reason(filter: dict[str, Any], message: str) -> None:
    with pytest.raises(FilterError) as raised:
        compile_filter("event", filter)
    assert str(raised.value).startswith(message)


def test_filter_depth_limit_names_itself() -> None:
    nested: dict[str, Any] = {"type": {"equalTo": "RIOTS"}}
    for _ in range(MAX_FILTER_DEPTH):
        nested = {"not": nested}
    with pytest.raises(FilterError, match="filter depth limit exceeded"):
        compile_filter("event", nested)


def test_filter_list_limit_names_itself() -> None:
    with pytest.raises(FilterError, match="filter list limit exceeded: 1001 items"):
        compile_filter("event", {"slug": {"in": ["x"] * (MAX_FILTER_LIST + 1)}})


def test_filter_accepts_graphql_names_and_stored_values() -> None:
    by_name = compile_filter("event", {"type": {"in": ["RIOTS"]}})
    by_value = compile_filter("event", {"type": {"in": ["riots"]}})
    assert str(by_name.compile(compile_kwargs={"literal_binds": True})) == str(
        by_value.compile(compile_kwargs={"literal_binds": True})
    )


def test_filter_ignores_null_operands() -> None:
    assert str(compile_filter("event", {"title": {"equalTo": None}})) == str(
        compile_filter("event", None)
    )


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**30])
def test_filter_integer_out_of_range_is_refused(value: int) -> None:
    with pytest.raises(FilterError, match=r"filter.value.equalTo: .* is out of range"):
        compile_filter("figure", {"value": {"equalTo": value}})
