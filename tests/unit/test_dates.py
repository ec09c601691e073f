"""PartialDate: parsing, calendar checks, display formats, ordering, and date ranges."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from resumec.schema import PartialDate, Resume
from resumec.schema.model import Experience

# --- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021", PartialDate(2021)),
        ("2021-03", PartialDate(2021, 3)),
        ("2021-03-14", PartialDate(2021, 3, 14)),
        ("  2021-03  ", PartialDate(2021, 3)),
        (2021, PartialDate(2021)),
        (dt.date(2021, 3, 14), PartialDate(2021, 3, 14)),
        (dt.datetime(2021, 3, 14, 9, 30), PartialDate(2021, 3, 14)),
        (PartialDate(2021, 3), PartialDate(2021, 3)),
    ],
)
def test_parse_accepts_year_month_day_ints_and_dates(value: object, expected: PartialDate) -> None:
    assert PartialDate.parse(value) == expected


def test_parse_keeps_precision() -> None:
    year, month, day = (PartialDate.parse(v) for v in ("2021", "2021-03", "2021-03-14"))
    assert (year.month, year.day) == (None, None)
    assert (month.month, month.day) == (3, None)
    assert (day.month, day.day) == (3, 14)


@pytest.mark.parametrize(
    "value",
    ["Sept 2021", "2021-3", "21", "2021/03", "03/2021", "2021-03-14T10:00", "", "present",
     "20210", 999, 20210],
)
def test_parse_rejects_other_shapes_naming_the_expected_forms(value: object) -> None:
    with pytest.raises(ValueError, match="expected YYYY, YYYY-MM or YYYY-MM-DD") as info:
        PartialDate.parse(value)
    assert str(value).strip() in str(info.value)


@pytest.mark.parametrize("value", [True, False, None, 2021.5, [2021], {"year": 2021}])
def test_parse_rejects_non_dates(value: object) -> None:
    with pytest.raises(ValueError, match="expected YYYY, YYYY-MM or YYYY-MM-DD"):
        PartialDate.parse(value)


# --- the calendar -----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "month"), [("2020-13", 13), ("2020-00", 0), ("2020-99", 99)])
def test_month_out_of_range_is_named(value: str, month: int) -> None:
    with pytest.raises(ValueError, match=f'month {month} does not exist in "{value}"'):
        PartialDate.parse(value)


@pytest.mark.parametrize(
    "value", ["2021-02-29", "2100-02-29", "2021-04-31", "2021-01-00", "2021-01-32", "2020-13-01"]
)
def test_impossible_days_are_rejected(value: str) -> None:
    with pytest.raises(ValueError, match=r"not a calendar date|does not exist"):
        PartialDate.parse(value)


@pytest.mark.parametrize(("value", "written"), [
    ("0202-05", "0202-05"), ("0999", "0999"), ("0000-01-01", "0000-01-01"),
    (dt.date(202, 5, 3), "0202-05-03"), (dt.datetime(999, 1, 2, 3, 4), "0999-01-02"),
])
def test_years_before_1000_are_rejected_as_the_json_schema_says(value: object,
                                                                 written: str) -> None:
    """Nobody's career began before 1000: ``0202-05`` is a slip for ``2020-05``."""
    with pytest.raises(ValueError, match=f'year {written[:4]} is before 1000 in "{written}"'):
        PartialDate.parse(value)
    assert PartialDate.parse("1000-01").iso == "1000-01"


def test_february_29_error_message_names_the_date() -> None:
    with pytest.raises(ValueError, match='"2021-02-29" is not a calendar date'):
        PartialDate.parse("2021-02-29")


@pytest.mark.parametrize("value", ["2024-02-29", "2000-02-29", "2021-12-31", "2021-01-01"])
def test_real_days_are_accepted(value: str) -> None:
    assert PartialDate.parse(value).iso == value


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_real_calendar_day_round_trips(day: dt.date) -> None:
    parsed = PartialDate.parse(day.isoformat())
    assert (parsed.year, parsed.month, parsed.day) == (day.year, day.month, day.day)
    assert parsed.iso == day.isoformat()
    assert PartialDate.parse(day) == parsed
    assert PartialDate.parse(parsed.iso[:7]) == PartialDate(day.year, day.month)


# --- display ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "style", "expected"),
    [
        (PartialDate(2021, 3, 14), "short", "Mar 2021"),
        (PartialDate(2021, 3, 14), "long", "March 2021"),
        (PartialDate(2021, 3, 14), "iso", "2021-03-14"),
        (PartialDate(2021, 3, 14), "numeric", "03/2021"),
        (PartialDate(2021, 9), "short", "Sep 2021"),
        (PartialDate(2021, 9), "long", "September 2021"),
        (PartialDate(2021, 9), "iso", "2021-09"),
        (PartialDate(2021, 9), "numeric", "09/2021"),
        # Every month is cut to three letters, so dates line up ("Jun", "Jul", "Sep").
        (PartialDate(2021, 6), "short", "Jun 2021"),
        (PartialDate(2021, 5), "short", "May 2021"),
        (PartialDate(2021, 12), "short", "Dec 2021"),
    ],
)
def test_format_styles(date: PartialDate, style: str, expected: str) -> None:
    assert date.format(style) == expected


@pytest.mark.parametrize("style", ["short", "long", "iso", "numeric"])
def test_a_bare_year_formats_as_the_year_in_every_style(style: str) -> None:
    assert PartialDate(2021).format(style) == "2021"


def test_str_and_iso_are_the_written_form() -> None:
    assert str(PartialDate(2021)) == "2021"
    assert str(PartialDate(2021, 3)) == "2021-03"
    assert PartialDate(987, 1, 2).iso == "0987-01-02"


# --- ordering ---------------------------------------------------------------------------------


def test_sort_key_orders_an_unknown_month_or_day_as_its_start() -> None:
    dates = [PartialDate(2020, 5, 1), PartialDate(2021), PartialDate(2019, 12, 31),
             PartialDate(2020), PartialDate(2020, 5)]
    assert sorted(dates, key=PartialDate.sort_key) == [
        PartialDate(2019, 12, 31), PartialDate(2020), PartialDate(2020, 5),
        PartialDate(2020, 5, 1), PartialDate(2021),
    ]


def test_comparison_at_the_same_precision() -> None:
    assert PartialDate(2020, 1) < PartialDate(2020, 2) < PartialDate(2021, 1)
    assert PartialDate(2019) < PartialDate(2020)
    assert PartialDate(2020, 2, 28) < PartialDate(2020, 2, 29)


def test_comparison_across_precisions_does_not_crash() -> None:
    assert PartialDate(2020) < PartialDate(2020, 5)
    assert sorted([PartialDate(2020, 5), PartialDate(2020)]) == [PartialDate(2020),
                                                                   PartialDate(2020, 5)]


@pytest.mark.parametrize(
    ("end", "start", "before"),
    [
        (PartialDate(2019), PartialDate(2020), True),
        (PartialDate(2020, 4), PartialDate(2020, 5), True),
        (PartialDate(2020, 5, 9), PartialDate(2020, 5, 10), True),
        (PartialDate(2019, 12), PartialDate(2020), True),
        # Same year at different precision: the range may be consistent, so no error.
        (PartialDate(2020), PartialDate(2020, 5), False),
        (PartialDate(2020, 5), PartialDate(2020), False),
        (PartialDate(2020, 5), PartialDate(2020, 5, 10), False),
        (PartialDate(2020, 5), PartialDate(2020, 5), False),
        (PartialDate(2021), PartialDate(2020, 5), False),
    ],
)
def test_covers_before(end: PartialDate, start: PartialDate, before: bool) -> None:
    assert end.covers_before(start) is before


# --- ranges through the model -----------------------------------------------------------------


def _job(**dates: object) -> dict[str, object]:
    return {"name": "Ada", "experience": [{"employer": "Acme", "title": "Dev", **dates}]}


def _errors(data: dict[str, object]) -> list[tuple[tuple[object, ...], str]]:
    with pytest.raises(ValidationError) as info:
        Resume.model_validate(data)
    return [(tuple(e["loc"]), e["msg"]) for e in info.value.errors()]


@pytest.mark.parametrize(
    ("start", "end"),
    [("2020-05", "2020"), ("2020", "2020-01"), ("2020-05-10", "2020-05"), ("2020-05", "2020-05"),
     (2019, 2020), ("2020-05", "present"), ("2020", "Present"), ("2020-02-29", "2020-03-01")],
)
def test_consistent_ranges_are_accepted(start: object, end: object) -> None:
    job = Resume.model_validate(_job(start=start, end=end)).experience[0]
    assert isinstance(job.start, PartialDate)
    assert job.end == "present" or isinstance(job.end, PartialDate)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2020-05", "2020-04", "ends (2020-04) before it starts (2020-05)"),
        ("2020", "2019-12", "ends (2019-12) before it starts (2020)"),
        (2021, 2019, "ends (2019) before it starts (2021)"),
        ("2020-05-10", "2020-05-09", "ends (2020-05-09) before it starts (2020-05-10)"),
    ],
)
def test_end_before_start_is_an_error_on_end(start: object, end: object, message: str) -> None:
    assert _errors(_job(start=start, end=end)) == [(("experience", 0, "end"), message)]


def test_end_before_start_in_a_role() -> None:
    data = {"name": "Ada", "experience": [{"employer": "Acme", "roles": [
        {"title": "Lead", "start": "2022-01", "end": "present"},
        {"title": "Dev", "start": "2021-06", "end": "2021-02"},
    ]}]}
    assert _errors(data) == [(("experience", 0, "roles", 1, "end"),
                              "ends (2021-02) before it starts (2021-06)")]


def test_end_before_start_in_education() -> None:
    data = {"name": "Ada", "education": [{"institution": "Uni", "start": 2015, "end": 2012}]}
    assert _errors(data) == [(("education", 0, "end"), "ends (2012) before it starts (2015)")]


def test_end_needs_start_and_date_excludes_a_range() -> None:
    assert _errors(_job(end="2020")) == [(("experience", 0), "'end' needs a 'start'")]
    assert _errors(_job(date="2020", start="2019")) == [
        (("experience", 0), "give either 'date' or 'start'/'end', not both")]


def test_end_error_mentions_present() -> None:
    [(loc, msg)] = _errors(_job(start="2020", end="Sept 2021"))
    assert loc == ("experience", 0, "end")
    assert msg.startswith('expected YYYY, YYYY-MM, YYYY-MM-DD or "present", got ')
    assert "Sept 2021" in msg


def test_start_error_does_not_offer_present() -> None:
    [(loc, msg)] = _errors(_job(start="present"))
    assert loc == ("experience", 0, "start")
    assert "present" not in msg.split(", got")[0]


def test_calendar_error_is_located_in_the_file(issues_of) -> None:
    text = "name: Ada\nexperience:\n  - employer: Acme\n    title: Dev\n    start: 2021-02-29\n"
    [issue] = issues_of(text)
    assert (issue.line, issue.col, issue.path) == (5, 12, "experience[0].start")
    assert issue.message == '"2021-02-29" is not a calendar date'


def test_end_before_start_is_located_at_end(issues_of) -> None:
    text = ("name: Ada\nexperience:\n  - employer: Acme\n    title: Dev\n"
            "    start: 2020-05\n    end: 2020-03\n")
    [issue] = issues_of(text)
    assert (issue.line, issue.col, issue.path) == (6, 10, "experience[0].end")
    assert issue.message == "ends (2020-03) before it starts (2020-05)"


def test_same_year_different_precision_loads(load_text) -> None:
    text = ("name: Ada\nexperience:\n  - employer: Acme\n    title: Dev\n"
            "    start: 2020-05\n    end: 2020\n")
    job = load_text(text).experience[0]
    assert (job.start, job.end) == (PartialDate(2020, 5), PartialDate(2020))


def test_dates_serialise_as_written() -> None:
    job = Experience.model_validate({"employer": "A", "title": "T", "start": 2020,
                                     "end": "2021-03"})
    dumped = job.model_dump(mode="json")
    assert (dumped["start"], dumped["end"]) == ("2020", "2021-03")
    still_open = Experience.model_validate({"employer": "A", "title": "T", "start": "2020-01",
                                            "end": "present"})
    assert still_open.model_dump(mode="json")["end"] == "present"


def test_error_quotes_a_decimal_date_as_written(issues_of) -> None:
    [issue] = issues_of("name: Ada\nexperience:\n  - employer: A\n    title: T\n"
                        "    start: 2021.10\n")
    assert "2021.10" in issue.message


def test_date_error_quotes_the_value_like_the_design_example(issues_of) -> None:
    [issue] = issues_of("name: Ada\nexperience:\n  - employer: A\n    title: T\n"
                        "    start: 2020\n    end: Sept 2021\n")
    assert issue.message == 'expected YYYY, YYYY-MM, YYYY-MM-DD or "present", got "Sept 2021"'
