"""Typed literals: what they parse to, how they print, and that the schema agrees.

Laws, checked with hypothesis:
- `parse(format(v)) == v` for every IR value a literal can hold;
- `format(parse(t))` is a fixed point, and keeps the meaning of `t`, for every spelling
  the language accepts;
- the patterns in `schemas/policy.schema.json` `$defs`, run by a JavaScript-semantics
  regex engine (`regress`, what check-jsonschema uses) and by Python's, accept every
  text policyc accepts, and policyc accepts every text they accept save for what no
  pattern can say (which currency codes exist, 30 February, `+1` on a window that ends
  after it opens).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
import regress
from hypothesis import assume, example, given
from hypothesis import strategies as st

from conftest import ROOT
from policyc import literals as L
from policyc.ir import (
    Clock,
    Duration,
    DurationRange,
    Money,
    Percentage,
    PercentageRange,
    Period,
    Price,
    PriceBasis,
    RangeBound,
    TimeOfDay,
    TimeUnit,
    Weekday,
    Window,
)

SCHEMA = json.loads((ROOT / "schemas" / "policy.schema.json").read_text(encoding="utf-8"))
PATTERNS = {name: definition["pattern"] for name, definition in SCHEMA["$defs"].items() if "pattern" in definition}
PATTERNS["weekdays"] = SCHEMA["$defs"]["weekly_hours"]["propertyNames"]["pattern"]


def matches(kind: str, text: str) -> bool:
    """Whether the schema's pattern for `kind` accepts `text`, in both regex dialects
    (they must agree)."""
    ecma = regress.Regex(PATTERNS[kind]).find(text) is not None
    python = re.search(PATTERNS[kind], text) is not None
    assert ecma == python, f"JavaScript and Python read the {kind} pattern differently for {text!r}"
    return ecma


def parse_target(text: str):
    return L.parse_duration_range(text, RangeBound.UPPER) if L.is_range(text) else L.parse_duration(text)


PARSERS = {
    "duration": L.parse_duration,
    "target_duration": parse_target,
    "money": L.parse_money,
    "price": L.parse_price,
    "percentage": L.parse_percentage,
    "percentage_range": L.parse_percentage_range,
    "date": L.parse_date,
    "window": L.parse_window,
    "weekdays": L.parse_weekdays,
}


def accepts(kind: str, text: str) -> bool:
    try:
        PARSERS[kind](text)
    except L.LiteralError:
        return False
    return True


def test_patterns_use_no_engine_dependent_classes():
    """`\\d`, `\\w` and `\\s` match more in Python than in JavaScript."""
    for kind, pattern in PATTERNS.items():
        assert not re.search(r"\\[dDwWsSbB]", pattern), kind


# --- strategies for IR values --------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
whole_amounts = st.integers(min_value=0, max_value=10_000).map(Decimal)

calendar_durations = st.builds(Duration, amounts, st.sampled_from(TimeUnit), st.just(Clock.CALENDAR))
business_durations = st.one_of(
    st.builds(Duration, amounts, st.sampled_from([TimeUnit.MINUTES, TimeUnit.HOURS]), st.just(Clock.BUSINESS)),
    st.builds(Duration, whole_amounts, st.just(TimeUnit.DAYS), st.just(Clock.BUSINESS)),
)
durations = st.one_of(calendar_durations, business_durations)
duration_ranges = st.builds(DurationRange, durations, durations, st.sampled_from(RangeBound))
currencies = st.sampled_from(["USD", "EUR", "GBP", "JPY", "NOK", "CHF", "BRL", "INR"])
monies = st.builds(Money, amounts, currencies)


@st.composite
def prices(draw):
    if draw(st.booleans()) and draw(st.booleans()):
        return L.parse_price("included")
    basis = draw(st.sampled_from(PriceBasis))
    period = draw(st.sampled_from([None, *Period]) if basis is PriceBasis.PER_INCIDENT else st.sampled_from(Period))
    return Price(draw(monies), period, basis, draw(st.booleans()), False)


percentages = st.builds(Percentage, st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False))
percentage_ranges = st.one_of(
    percentages.map(lambda p: PercentageRange(p, p)),
    st.builds(PercentageRange, percentages, percentages),
)
times = st.integers(0, 1439).map(TimeOfDay)


@st.composite
def windows(draw):
    start = draw(times)
    end = TimeOfDay(draw(st.integers(0, 1440)))
    overnight = end.minutes <= start.minutes and end.minutes < 1440 and draw(st.booleans())
    return Window(start, end, overnight)


weekday_sets = st.frozensets(st.sampled_from(Weekday), min_size=1)
dates = st.dates(min_value=dt.date(1000, 1, 1))


def _format_target(value) -> str:
    return L.format_duration_range(value) if isinstance(value, DurationRange) else L.format_duration(value)


# kind -> (values, format, parse back)
ROUND_TRIPS = {
    "duration": (durations, L.format_duration, L.parse_duration),
    "target_duration": (duration_ranges, L.format_duration_range, lambda t: L.parse_duration_range(t, None)),
    "money": (monies, L.format_money, L.parse_money),
    "price": (prices(), L.format_price, L.parse_price),
    "percentage": (percentages, L.format_percentage, L.parse_percentage),
    "percentage_range": (percentage_ranges, L.format_percentage_range, L.parse_percentage_range),
    "date": (dates, dt.date.isoformat, L.parse_date),
    "window": (windows(), L.format_window, L.parse_window),
    "weekdays": (weekday_sets, L.format_weekdays, L.parse_weekdays),
}


@pytest.mark.parametrize("kind", list(ROUND_TRIPS))
@given(data=st.data())
def test_parse_of_format_is_identity(kind, data):
    values, format_, parse = ROUND_TRIPS[kind]
    value = data.draw(values)
    text = format_(value)
    parsed = parse(text)
    if kind == "target_duration":
        parsed = DurationRange(parsed.low, parsed.high, value.bound)
    assert parsed == value, text


@pytest.mark.parametrize("kind", list(ROUND_TRIPS))
@given(data=st.data())
def test_formatted_literal_matches_its_schema_pattern(kind, data):
    values, format_, _ = ROUND_TRIPS[kind]
    text = format_(data.draw(values))
    assert matches(kind, text), text
    if kind == "duration":
        assert matches("target_duration", text), text


@given(times)
def test_time_round_trip(time):
    assert L.parse_time(str(time)) == time


# --- every accepted spelling ---------------------------------------------------------

spaces = st.sampled_from(["", " ", "  "])
some_spaces = st.sampled_from([" ", "  "])
numbers = st.one_of(st.integers(0, 99_999).map(str), st.tuples(st.integers(0, 999), st.integers(0, 999)).map(lambda p: f"{p[0]}.{p[1]}"))
unit_words = st.sampled_from(sorted(L._UNIT_WORDS))


@st.composite
def duration_texts(draw):
    form = draw(st.sampled_from(["calendar", "compound", "business"]))
    if form == "calendar":
        return draw(numbers) + draw(spaces) + draw(unit_words)
    if form == "compound":
        parts = draw(st.lists(st.tuples(st.integers(0, 500), st.sampled_from("wdhms")), min_size=1, max_size=4))
        return "".join(f"{n}{u}" for n, u in parts)
    unit = draw(st.sampled_from(["minute", "minutes", "hour", "hours", "day", "days"]))
    amount = str(draw(st.integers(0, 999))) if unit.startswith("day") else draw(numbers)
    return f"{amount}{draw(some_spaces)}business{draw(some_spaces)}{unit}"


@st.composite
def target_texts(draw):
    if draw(st.booleans()):
        return draw(duration_texts())
    high = draw(duration_texts())
    low = draw(st.one_of(numbers, duration_texts()))
    separator = draw(st.sampled_from(["-", " - ", "–", " to ", "  to  "]))
    return f"{low}{separator}{high}"


def _amount_texts():
    def grouped(n: int) -> str:
        return f"{n:,}"

    whole = st.integers(0, 10_000_000).flatmap(lambda n: st.sampled_from([str(n), grouped(n)]))
    cents = st.sampled_from(["", ".5", ".05", ".50", ".99"])
    return st.tuples(whole, cents).map("".join)


money_texts = st.tuples(currencies, spaces, _amount_texts()).map("".join)


@st.composite
def price_texts(draw):
    if draw(st.integers(0, 9)) == 0:
        return "included"
    slash = draw(st.sampled_from(["/", " / ", " /"]))
    period = draw(st.sampled_from(["month", "quarter", "year"]))
    basis = draw(st.sampled_from(["seat", "user", "incident"]))
    suffix = draw(
        st.sampled_from(
            [slash + period, slash + basis + slash + period, slash + period + slash + basis, slash + "incident"]
        )
    )
    start = draw(st.sampled_from(["", "from ", "from  "]))
    return start + draw(money_texts) + suffix


percentage_texts = st.tuples(numbers, spaces).map(lambda p: f"{p[0]}{p[1]}%")
percentage_range_texts = st.one_of(
    percentage_texts,
    st.tuples(numbers, st.sampled_from(["", "%"]), st.sampled_from(["-", " - ", "–", " to ", "to"]), numbers).map(lambda p: f"{p[0]}{p[1]}{p[2]}{p[3]}%"),
)


@st.composite
def window_texts(draw):
    start = draw(st.integers(0, 1439))
    end = draw(st.integers(0, 1440))
    overnight = end <= start and end < 1440 and draw(st.booleans())

    def clock(minutes: int) -> str:
        hours = f"{minutes // 60}" if draw(st.booleans()) else f"{minutes // 60:02d}"
        return f"{hours}:{minutes % 60:02d}"

    separator = draw(st.sampled_from(["-", " - ", "–", " to ", "to"]))
    return clock(start) + separator + clock(end) + (draw(st.sampled_from(["+1", " + 1"])) if overnight else "")


day_names = st.sampled_from(sorted(L._DAY_NAMES))


@st.composite
def weekday_texts(draw):
    if draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(["daily", "weekdays", "weekends"]))
    parts = draw(
        st.lists(
            st.one_of(day_names, st.tuples(day_names, st.sampled_from(["-", " - ", "–"]), day_names).map("".join)),
            min_size=1,
            max_size=4,
        )
    )
    return draw(st.sampled_from([",", ", ", " , "])).join(parts)


date_texts = dates.map(dt.date.isoformat)

SPELLINGS = {
    "duration": (duration_texts(), L.format_duration),
    "target_duration": (target_texts(), _format_target),
    "money": (money_texts, L.format_money),
    "price": (price_texts(), L.format_price),
    "percentage": (percentage_texts, L.format_percentage),
    "percentage_range": (percentage_range_texts, L.format_percentage_range),
    "date": (date_texts, dt.date.isoformat),
    "window": (window_texts(), L.format_window),
    "weekdays": (weekday_texts(), L.format_weekdays),
}


@pytest.mark.parametrize("kind", list(SPELLINGS))
@given(data=st.data())
def test_format_of_parse_is_a_fixed_point_that_keeps_the_meaning(kind, data):
    texts, format_ = SPELLINGS[kind]
    text = data.draw(texts)
    value = PARSERS[kind](text)
    canonical = format_(value)
    again = PARSERS[kind](canonical)
    assert again == value, (text, canonical)
    assert format_(again) == canonical


@pytest.mark.parametrize("kind", list(SPELLINGS))
@given(data=st.data())
def test_schema_pattern_accepts_every_spelling_policyc_accepts(kind, data):
    texts, _ = SPELLINGS[kind]
    text = data.draw(texts)
    assert accepts(kind, text), text
    assert matches(kind, text), text
    assert matches(kind, f" {text} "), "surrounding spaces are allowed by both"


def _expressible(kind: str, text: str) -> bool:
    """False for texts a pattern accepts but no pattern could refuse (currency codes
    are made real before this is asked)."""
    if kind == "date":
        try:
            L.parse_date(text)
        except L.LiteralError as error:
            return "is not a date:" not in error.message
        return True
    if kind == "window" and "+" in text:
        start, end = (int(h) * 60 + int(m) for h, m in re.findall(r"([0-9]+):([0-9]+)", text))
        return end <= start
    return True


@pytest.mark.parametrize("kind", sorted(PARSERS))
@given(data=st.data())
def test_policyc_accepts_every_text_the_schema_pattern_accepts(kind, data):
    text = data.draw(st.from_regex(PATTERNS[kind], fullmatch=True))
    assume("\n" not in text)  # `$` before a final newline: Python-only, see the test above
    if kind in ("money", "price"):  # which codes exist is for ISO 4217 to say
        text = re.sub("[A-Z]{3}", "EUR", text, count=1)
    assume(_expressible(kind, text))
    assert accepts(kind, text), text


# --- rejected by both ----------------------------------------------------------------

REJECTED = {
    "duration": ["", "h", "4", "4 hourz", "-4h", "4h 30m", "4\th", "٤h", "4,5h", "1.5 business days", "4 business weeks", "4 business", "USD 100", "95%", "NaN h", "1e3h", "4 H"],
    "target_duration": ["24-", "-72h", "24--72h", "24to72h", "24 - 72", "NaN-72h", "Infinity-72h", "1_0-72h", "24-72h-96h", "24 and 72h"],
    "money": ["100", "USD", "US 100", "USDD 100", "USD -5", "USD 1,00", "USD 1,0000", "USD 10.555", "usd 100", "$100", "100 USD", "USD 1.2.3", "USD ١٠٠"],
    "price": ["USD 5", "USD 5/", "USD 5/week", "USD 5/month/month", "USD 5/seat/seat", "USD 5/seat", "USD 5/month/incident/seat", "from included", "free", "$5/month", "USD 5 per month", "from USD 5"],
    "percentage": ["95", "%", "95%%", "-5%", "95 percent", "0.5.5%", "NaN%", "٩٥%"],
    "percentage_range": ["0", "20", "-20%", "0-%", "0-20", "0--20%", "10%-", "a-b%"],
    "date": ["2026-1-5", "26-01-05", "2026/01/05", "2026-13-01", "2026-00-10", "2026-01-32", "20260105", "2026-01-05T00:00", "٢٠٢٦-01-05"],
    "window": ["09:00", "9-17", "09:00-", "09:60-10:00", "24:00-24:00", "25:00-26:00", "00:00-24:01", "09:00-17:00-18:00", "9.00-17.00", "09:00-17:00+2", "0900-1700"],
    "weekdays": ["", "Mon", "mon-", ",mon", "mon,,tue", "mon-fri-sat", "monday-", "funday", "daily,mon", "mo"],
}


@pytest.mark.parametrize("kind, text", [(kind, text) for kind, texts in REJECTED.items() for text in texts])
def test_rejected_by_both(kind, text):
    assert not accepts(kind, text)
    assert not matches(kind, text)


@pytest.mark.parametrize(
    "kind, text",
    [("money", "XYZ 100"), ("price", "ABC 5/month"), ("date", "2026-02-30"), ("date", "2025-02-29"), ("window", "09:00-17:00+1")],
)
def test_rejected_by_policyc_beyond_what_a_pattern_can_say(kind, text):
    assert matches(kind, text)
    assert not accepts(kind, text)


# --- examples --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("30s", Duration(Decimal(30), TimeUnit.SECONDS)),
        ("4h", Duration(Decimal(4), TimeUnit.HOURS)),
        ("4 hours", Duration(Decimal(4), TimeUnit.HOURS)),
        ("1.5h", Duration(Decimal("1.5"), TimeUnit.HOURS)),
        ("1h30m", Duration(Decimal(90), TimeUnit.MINUTES)),
        ("1d12h", Duration(Decimal(36), TimeUnit.HOURS)),
        ("1w", Duration(Decimal(1), TimeUnit.WEEKS)),
        ("90s", Duration(Decimal(90), TimeUnit.SECONDS)),
        ("4 business hours", Duration(Decimal(4), TimeUnit.HOURS, Clock.BUSINESS)),
        ("1 business day", Duration(Decimal(1), TimeUnit.DAYS, Clock.BUSINESS)),
        ("30 business minutes", Duration(Decimal(30), TimeUnit.MINUTES, Clock.BUSINESS)),
    ],
)
def test_durations(text, expected):
    assert L.parse_duration(text) == expected


def test_duration_formats():
    assert L.format_duration(Duration(Decimal("1.50"), TimeUnit.HOURS)) == "1.5h"
    assert L.format_duration(Duration(Decimal(1), TimeUnit.DAYS, Clock.BUSINESS)) == "1 business day"
    assert L.format_duration(Duration(Decimal(2), TimeUnit.DAYS, Clock.BUSINESS)) == "2 business days"
    assert L.format_duration(Duration(Decimal("1E+2"), TimeUnit.MINUTES)) == "100m"


def test_ranges_take_the_unit_of_the_high_end():
    value = L.parse_duration_range("3-7 business days", RangeBound.UPPER)
    assert value.low == Duration(Decimal(3), TimeUnit.DAYS, Clock.BUSINESS)
    assert value.high == Duration(Decimal(7), TimeUnit.DAYS, Clock.BUSINESS)
    assert L.format_duration_range(value) == "3-7 business days"
    mixed = L.parse_duration_range("4h - 2 business days", None)
    assert L.format_duration_range(mixed) == "4h-2 business days"
    assert L.is_range("24-72h") and not L.is_range("09:00-17:00") and not L.is_range("4h")


def test_business_days_are_whole():
    with pytest.raises(L.LiteralError, match="whole days"):
        L.parse_duration("1.5 business days")
    assert L.parse_duration("2.0 business days") == Duration(Decimal(2), TimeUnit.DAYS, Clock.BUSINESS)


def test_money_and_prices():
    assert L.parse_money("USD 2,500.5") == Money(Decimal("2500.50"), "USD")
    assert L.format_money(Money(Decimal("2500.5"), "USD")) == "USD 2,500.50"
    assert L.format_money(Money(Decimal("1234567"), "JPY")) == "JPY 1,234,567"
    price = L.parse_price("from USD 4,500/month")
    assert price == Price(Money(Decimal(4500), "USD"), Period.MONTH, PriceBasis.FLAT, True, False)
    assert L.parse_price("USD 49/user/month").basis is PriceBasis.PER_SEAT
    assert L.format_price(L.parse_price("USD 49 / month / user")) == "USD 49/seat/month"
    assert L.parse_price("USD 150/incident").period is None
    assert L.parse_price("included", currency="EUR").money == Money(Decimal(0), "EUR")


def test_price_mistakes_are_explained():
    with pytest.raises(L.LiteralError) as caught:
        L.parse_price("$799/month")
    assert "`USD 799/month`" in caught.value.hint
    with pytest.raises(L.LiteralError, match="needs its period"):
        L.parse_price("USD 799")
    with pytest.raises(L.LiteralError, match="/week"):
        L.parse_price("USD 799/week")


def test_percentages():
    assert L.parse_percentage("99.5 %") == Percentage(Decimal("99.5"))
    value = L.parse_percentage_range("0 to 20%")
    assert (value.low, value.high) == (Percentage(Decimal(0)), Percentage(Decimal(20)))
    assert L.format_percentage_range(value) == "0-20%"
    assert L.format_percentage_range(L.parse_percentage_range("15%")) == "15%"


def test_windows():
    assert L.parse_window("9:00 to 17:30") == Window(TimeOfDay(540), TimeOfDay(1050))
    overnight = L.parse_window("22:00-06:00 + 1")
    assert overnight.overnight and overnight.length_minutes == 480 and str(overnight) == "22:00-06:00+1"
    assert L.parse_window("00:00-24:00").length_minutes == 1440
    inverted = L.parse_window("17:00-09:00")  # kept as written: the checker reports it
    assert not inverted.overnight and inverted.length_minutes < 0


@pytest.mark.parametrize(
    "parse, text, message, hint",
    [
        (L.parse_money, "$100", "ISO 4217", "`USD 100`"),
        (L.parse_money, "usd 100", "upper case", "`USD 100`"),
        (L.parse_money, "XYZ 100", "not an ISO 4217 currency code", "USD"),
        (L.parse_window, "9-17", "not a window", "`09:00-17:00`"),
        (L.parse_window, "24:00-06:00", "cannot open at 24:00", "00:00"),
        (L.parse_window, "09:00-17:00+1", "ends after it opens", "`09:00-17:00`"),
        (L.parse_window, "09:61-10:00", "not a time of day", "00:00 to 24:00"),
    ],
)
def test_mistakes_are_explained(parse, text, message, hint):
    with pytest.raises(L.LiteralError) as caught:
        parse(text)
    assert message in caught.value.message and hint in caught.value.hint


def test_dates():
    assert L.parse_date("2026-12-24") == dt.date(2026, 12, 24)
    with pytest.raises(L.LiteralError) as caught:
        L.parse_date("2026-1-5")
    assert caught.value.hint == "write `2026-01-05`"
    with pytest.raises(L.LiteralError, match="not a date"):
        L.parse_date("2026-02-30")


def test_weekdays():
    assert L.parse_weekdays("fri-mon") == {Weekday.FRI, Weekday.SAT, Weekday.SUN, Weekday.MON}
    assert L.parse_weekdays("weekdays") == L.parse_weekdays("mon-fri") == L.parse_weekdays("monday – friday")
    assert L.format_weekdays(L.parse_weekdays("sat,sun,mon")) == "mon,sat,sun"
    assert L.format_weekdays(L.parse_weekdays("mon,tue,wed,fri")) == "mon-wed,fri"
    assert L.format_weekdays(frozenset(Weekday)) == "daily"
    with pytest.raises(L.LiteralError) as caught:
        L.parse_weekdays("Mon-Fri")
    assert caught.value.hint == "write `mon-fri`"


@pytest.mark.parametrize(
    "parse, text, kind",
    [
        (L.parse_duration, "USD 100", "money"),
        (L.parse_duration, "95%", "percentage"),
        (L.parse_window, "9:30", "time"),
        (L.parse_money, "4h", "duration"),
        (L.parse_percentage, "2026-01-01", "date"),
        (L.parse_date, "mon-fri", "weekdays"),
    ],
)
def test_a_literal_of_another_kind_is_named(parse, text, kind):
    with pytest.raises(L.LiteralError) as caught:
        parse(text)
    assert caught.value.wrong_kind == kind


@example("4 hourz")
@given(st.text(max_size=30))
def test_parsers_raise_only_literal_errors(text):
    """Whatever the text, a parser returns a value or raises LiteralError: nothing else."""
    for kind, parse in PARSERS.items():
        try:
            parse(text)
        except L.LiteralError:
            pass
    assert L.classify(text) in (None, *L.KIND_EXAMPLES)
