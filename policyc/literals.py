"""The typed literals of the policy language, read from the text the author wrote.

The YAML front end reads these from strings; the DSL grammar has them as tokens. Both
use these parsers, so `4 business hours` means the same thing in either language, and
both print them back with `format_*` in one canonical spelling.

A literal of the wrong kind (`USD 100` where a duration belongs) is reported as a wrong
unit, not as a malformed value: the author wrote something meaningful, in the wrong place.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from decimal import Decimal
from functools import lru_cache

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
from policyc.span import Span


class LiteralError(ValueError):
    """A literal that cannot be read. `wrong_kind` names what it is instead, if anything."""

    def __init__(self, message: str, hint: str | None = None, wrong_kind: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.wrong_kind = wrong_kind


# The spellings accepted here are exactly those the patterns of `$defs` in
# `schemas/policy.schema.json` accept (save what a pattern cannot say: which currency
# codes exist, that 30 February does not): editors and other validators must accept
# what policyc accepts. Digits are ASCII and the separators are spaces, as in
# JavaScript regular expressions. `tests/test_literals.py` holds both to it.

# What each kind of literal looks like, for messages and hints.
KIND_EXAMPLES = {
    "duration": "a duration such as `30m`, `4h`, `2d`, `4 business hours` or `2 business days`",
    "money": "an amount of money such as `USD 2,500`",
    "price": "a price such as `USD 799/month`, `from USD 4,500/month` or `USD 49/seat/month`",
    "percentage": "a percentage such as `95%`",
    "window": "a window of opening hours such as `09:00-17:00` (or `22:00-06:00+1` overnight)",
    "time": "a time of day such as `09:30`",
    "date": "a date such as `2026-12-24`",
    "weekdays": "a set of weekdays such as `mon-fri`, `sat`, `mon,wed,fri` or `daily`",
}

_NUMBER = r"[0-9]+(?:\.[0-9]+)?"

# --- durations ---------------------------------------------------------------------

_UNIT_WORDS = {
    "s": TimeUnit.SECONDS, "sec": TimeUnit.SECONDS, "secs": TimeUnit.SECONDS,
    "second": TimeUnit.SECONDS, "seconds": TimeUnit.SECONDS,
    "m": TimeUnit.MINUTES, "min": TimeUnit.MINUTES, "mins": TimeUnit.MINUTES,
    "minute": TimeUnit.MINUTES, "minutes": TimeUnit.MINUTES,
    "h": TimeUnit.HOURS, "hr": TimeUnit.HOURS, "hrs": TimeUnit.HOURS,
    "hour": TimeUnit.HOURS, "hours": TimeUnit.HOURS,
    "d": TimeUnit.DAYS, "day": TimeUnit.DAYS, "days": TimeUnit.DAYS,
    "w": TimeUnit.WEEKS, "week": TimeUnit.WEEKS, "weeks": TimeUnit.WEEKS,
}
_UNIT_PATTERN = "|".join(sorted(_UNIT_WORDS, key=len, reverse=True))
_CALENDAR_DURATION = re.compile(rf"({_NUMBER}) *({_UNIT_PATTERN})")
_COMPOUND = re.compile(r"(?:[0-9]+[wdhms])+")
_BUSINESS_DURATION = re.compile(rf"({_NUMBER}) +business +(minutes?|hours?|days?)")
_BUSINESS_UNITS = {"minute": TimeUnit.MINUTES, "hour": TimeUnit.HOURS, "day": TimeUnit.DAYS}


def parse_duration(text: str, span: Span | None = None) -> Duration:
    raw = text.strip()
    if match := _BUSINESS_DURATION.fullmatch(raw):
        unit = _BUSINESS_UNITS[match.group(2).rstrip("s")]
        amount = Decimal(match.group(1))
        if unit is TimeUnit.DAYS and amount != amount.to_integral_value():
            raise LiteralError(
                f"`{raw}`: business days are counted in whole days",
                hint="write a whole number of business days, or use business hours",
            )
        return Duration(amount, unit, Clock.BUSINESS, span)
    if match := _CALENDAR_DURATION.fullmatch(raw):
        return Duration(Decimal(match.group(1)), _UNIT_WORDS[match.group(2)], Clock.CALENDAR, span)
    if _COMPOUND.fullmatch(raw):
        seconds = sum(int(n) * _UNIT_WORDS[u].seconds for n, u in re.findall(r"([0-9]+)([wdhms])", raw))
        return _duration_from_seconds(seconds, span)
    if re.fullmatch(_NUMBER, raw):
        raise LiteralError(
            f"`{raw}` has no unit",
            hint=f"write `{raw}m` (minutes), `{raw}h` (hours), `{raw}d` (days) or `{raw} business hours`",
        )
    raise _wrong_kind(raw, "duration")


def _duration_from_seconds(seconds: int, span: Span | None) -> Duration:
    for unit in (TimeUnit.WEEKS, TimeUnit.DAYS, TimeUnit.HOURS, TimeUnit.MINUTES):
        if seconds % unit.seconds == 0:
            return Duration(Decimal(seconds // unit.seconds), unit, Clock.CALENDAR, span)
    return Duration(Decimal(seconds), TimeUnit.SECONDS, Clock.CALENDAR, span)


_SHORT_UNIT = {TimeUnit.SECONDS: "s", TimeUnit.MINUTES: "m", TimeUnit.HOURS: "h", TimeUnit.DAYS: "d", TimeUnit.WEEKS: "w"}


def format_duration(duration: Duration) -> str:
    amount = _plain_decimal(duration.amount)
    if duration.clock is Clock.BUSINESS:
        word = duration.unit.value.rstrip("s")
        return f"{amount} business {word}{'' if duration.amount == 1 else 's'}"
    return f"{amount}{_SHORT_UNIT[duration.unit]}"


_RANGE = re.compile(r"(.+?)(?: *(?:-|–) *| +to +)(.+)")


def parse_duration_range(text: str, bound: RangeBound | None, span: Span | None = None) -> DurationRange:
    """`24-72h`, `24h-72h`, `7-10 business days`: the unit of the high end applies to a
    bare low end."""
    raw = text.strip()
    match = _RANGE.fullmatch(raw)
    if not match:
        raise _wrong_kind(raw, "duration")
    high = parse_duration(match.group(2), span)
    low_text = match.group(1)
    try:
        low = parse_duration(low_text, span)
    except LiteralError:
        # A bare number takes the high end's unit. Only a plain number: Decimal would
        # also read `NaN`, `-Infinity`, `-5` and `1_0`.
        if not re.fullmatch(_NUMBER, low_text):
            raise _wrong_kind(raw, "duration") from None
        low = _with_amount(high, Decimal(low_text))
    return DurationRange(low, high, bound, span)


def _with_amount(duration: Duration, amount: Decimal) -> Duration:
    return Duration(amount, duration.unit, duration.clock, duration.span)


def is_range(text: str) -> bool:
    raw = text.strip()
    return bool(_RANGE.fullmatch(raw)) and not _WINDOW.fullmatch(raw)


def format_duration_range(value: DurationRange) -> str:
    if (value.low.unit, value.low.clock) == (value.high.unit, value.high.clock):
        return f"{_plain_decimal(value.low.amount)}-{format_duration(value.high)}"
    return f"{format_duration(value.low)}-{format_duration(value.high)}"


# --- money, prices, percentages ------------------------------------------------------

_MONEY = re.compile(r"([A-Za-z]{3}) *([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]{1,2}))?")
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}


def parse_money(text: str, span: Span | None = None) -> Money:
    raw = text.strip()
    match = _MONEY.fullmatch(raw)
    if not match:
        if _MONEY.fullmatch(raw.replace("-", "", 1)):
            raise _negative(raw, "an amount of money")
        if raw[:1] in _CURRENCY_SYMBOLS:
            raise _currency_symbol(raw, f"{_CURRENCY_SYMBOLS[raw[0]]} {raw[1:].strip()}")
        raise _wrong_kind(raw, "money")
    currency = match.group(1)
    if currency != currency.upper():
        raise LiteralError(f"`{raw}`: currency codes are upper case", hint=f"write `{currency.upper()} {match.group(2)}`")
    if not is_currency(currency):
        raise LiteralError(f"`{currency}` is not an ISO 4217 currency code", hint="write a code such as USD, EUR or GBP")
    amount = Decimal(match.group(2).replace(",", "") + ("." + match.group(3) if match.group(3) else ""))
    return Money(amount, currency, span)


def _negative(raw: str, kind: str) -> LiteralError:
    """Amounts, prices, thresholds, credits and caps are never negative: a refund is
    money paid back, not a negative price."""
    return LiteralError(f"`{raw}`: {kind} cannot be negative", hint=f"write `{raw.replace('-', '', 1).replace('  ', ' ')}`, without the minus sign")


def _currency_symbol(raw: str, fixed: str) -> LiteralError:
    return LiteralError(
        f"`{raw}`: write the currency as its ISO 4217 code",
        hint=f"currency symbols are ambiguous (`$` is used by many dollars, `¥` by the yen and the yuan): write `{fixed}` if that is what you mean",
    )


@lru_cache(maxsize=None)
def is_currency(code: str) -> bool:
    import pycountry  # deferred: loading its currency table is only needed for money

    return pycountry.currencies.get(alpha_3=code) is not None


def format_money(money: Money) -> str:
    amount = money.amount
    whole = int(amount)
    cents = amount - whole
    text = f"{whole:,}"
    if cents:
        text += f"{cents:.2f}"[1:]
    return f"{money.currency} {text}"


_PERIODS = {"month": Period.MONTH, "quarter": Period.QUARTER, "year": Period.YEAR}
_BASES = {"seat": PriceBasis.PER_SEAT, "user": PriceBasis.PER_SEAT, "incident": PriceBasis.PER_INCIDENT}


def parse_price(text: str, span: Span | None = None, currency: str | None = None) -> Price:
    raw = text.strip()
    if raw == "included":
        return Price(Money(Decimal(0), currency or "XXX", span), None, PriceBasis.FLAT, False, True, span)
    starting_at = False
    body = raw
    if body.startswith("from "):
        starting_at = True
        body = body[5:].strip()
    money_text, _, suffix = body.partition("/")
    money_text = money_text.strip()
    if money_text[:1] in _CURRENCY_SYMBOLS:
        code = _CURRENCY_SYMBOLS[money_text[0]]
        fixed = f"{'from ' if starting_at else ''}{code} {money_text[1:].strip()}{'/' + suffix if suffix else ''}"
        raise _currency_symbol(raw, fixed)
    if not _MONEY.fullmatch(money_text):
        if _MONEY.fullmatch(money_text.replace("-", "", 1)):
            raise _negative(raw, "a price")
        raise _wrong_kind(raw, "price")
    money = parse_money(money_text, span)
    period = None
    basis = PriceBasis.FLAT
    for part in [p.strip() for p in suffix.split("/")] if suffix else []:
        if part in _PERIODS and period is None:
            period = _PERIODS[part]
        elif part in _BASES and basis is PriceBasis.FLAT:
            basis = _BASES[part]
        else:
            raise LiteralError(
                f"`{raw}`: `/{part}` is not a price period or basis",
                hint="use /month, /quarter or /year, and /seat or /incident, e.g. `USD 49/seat/month`",
            )
    if period is None and basis is not PriceBasis.PER_INCIDENT:
        raise LiteralError(f"`{raw}`: a recurring price needs its period", hint=f"write e.g. `{raw}/month`")
    return Price(money, period, basis, starting_at, False, span)


def format_price(price: Price) -> str:
    if price.included:
        return "included"
    parts = [("from " if price.starting_at else "") + format_money(price.money)]
    if price.basis is not PriceBasis.FLAT:
        parts.append(price.basis.value)
    if price.period is not None:
        parts.append(price.period.value)
    return "/".join(parts)


_PERCENT = re.compile(rf"({_NUMBER}) *%")
_PERCENT_RANGE = re.compile(rf"({_NUMBER}) *%? *(?:-|–|to) *({_NUMBER}) *%")


def parse_percentage(text: str, span: Span | None = None) -> Percentage:
    raw = text.strip()
    match = _PERCENT.fullmatch(raw)
    if not match:
        if _PERCENT.fullmatch(raw.replace("-", "", 1)):
            raise _negative(raw, "a percentage")
        raise _wrong_kind(raw, "percentage")
    return Percentage(Decimal(match.group(1)), span)


def parse_percentage_range(text: str, span: Span | None = None) -> PercentageRange:
    raw = text.strip()
    match = _PERCENT_RANGE.fullmatch(raw)
    if match:
        return PercentageRange(Percentage(Decimal(match.group(1)), span), Percentage(Decimal(match.group(2)), span), span)
    single = parse_percentage(raw, span)
    return PercentageRange(single, single, span)


def format_percentage(value: Percentage) -> str:
    return f"{_plain_decimal(value.value)}%"


def format_percentage_range(value: PercentageRange) -> str:
    if value.low == value.high:
        return format_percentage(value.high)
    return f"{_plain_decimal(value.low.value)}-{_plain_decimal(value.high.value)}%"


def _plain_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


# --- times, windows, dates, weekdays -------------------------------------------------

_TIME = r"([0-9]{1,2}):([0-9]{2})"
_WINDOW = re.compile(rf"{_TIME} *(?:-|–|to) *{_TIME}( *\+ *1)?")


def _time(hours: str, minutes: str, raw: str, *, end: bool) -> TimeOfDay:
    h, m = int(hours), int(minutes)
    if m > 59 or h > 24 or (h == 24 and m != 0):
        raise LiteralError(f"`{raw}`: {hours}:{minutes} is not a time of day", hint="times run from 00:00 to 24:00")
    if h == 24 and not end:
        raise LiteralError(f"`{raw}`: a window cannot open at 24:00", hint="open at 00:00 of the next day instead")
    return TimeOfDay(h * 60 + m)


def parse_time(text: str, span: Span | None = None) -> TimeOfDay:
    raw = text.strip()
    match = re.fullmatch(_TIME, raw)
    if not match:
        raise _wrong_kind(raw, "time")
    return _time(match.group(1), match.group(2), raw, end=False)


def parse_window(text: str, span: Span | None = None) -> Window:
    """`09:00-17:00`; `22:00-06:00+1` crosses midnight. An end before the start without
    `+1` is kept as written: the checker reports it as an inverted window."""
    raw = text.strip()
    match = _WINDOW.fullmatch(raw)
    if not match:
        if re.fullmatch(r"[0-9]{1,2} *- *[0-9]{1,2}", raw):
            start, end = (int(x) for x in re.split(r" *- *", raw))
            raise LiteralError(
                f"`{raw}` is not a window of opening hours",
                hint=f"write the times in full: `{start:02d}:00-{end:02d}:00`",
            )
        raise _wrong_kind(raw, "window")
    start = _time(match.group(1), match.group(2), raw, end=False)
    end = _time(match.group(3), match.group(4), raw, end=True)
    overnight = match.group(5) is not None
    if overnight and end.minutes > start.minutes:
        raise LiteralError(
            f"`{raw}`: `+1` marks a window that ends the next day, but this one ends after it opens",
            hint=f"remove `+1`: `{start}-{end}`",
        )
    return Window(start, end, overnight, span)


def format_window(window: Window) -> str:
    return str(window)


_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_date(text: str, span: Span | None = None) -> dt.date:
    raw = text.strip()
    match = _DATE.fullmatch(raw)
    if not match:
        if re.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", raw):
            y, m, d = raw.split("-")
            raise LiteralError(f"`{raw}` is not a date in YYYY-MM-DD form", hint=f"write `{y}-{int(m):02d}-{int(d):02d}`")
        raise _wrong_kind(raw, "date")
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as error:
        raise LiteralError(f"`{raw}` is not a date: {error}", hint="check the month and day") from None


_DAY_NAMES = {
    "mon": Weekday.MON, "monday": Weekday.MON,
    "tue": Weekday.TUE, "tues": Weekday.TUE, "tuesday": Weekday.TUE,
    "wed": Weekday.WED, "wednesday": Weekday.WED,
    "thu": Weekday.THU, "thur": Weekday.THU, "thurs": Weekday.THU, "thursday": Weekday.THU,
    "fri": Weekday.FRI, "friday": Weekday.FRI,
    "sat": Weekday.SAT, "saturday": Weekday.SAT,
    "sun": Weekday.SUN, "sunday": Weekday.SUN,
}
_DAY_GROUPS = {
    "daily": frozenset(Weekday),
    "weekdays": frozenset(Weekday) - {Weekday.SAT, Weekday.SUN},
    "weekends": frozenset({Weekday.SAT, Weekday.SUN}),
}


def parse_weekdays(text: str, span: Span | None = None) -> frozenset[Weekday]:
    raw = text.strip()
    if raw in _DAY_GROUPS:
        return _DAY_GROUPS[raw]
    days: set[Weekday] = set()
    for part in re.split(r" *, *", raw):
        first, sep, last = part.partition("-")
        if not sep:
            first, sep, last = part.partition("–")
        try:
            start = _DAY_NAMES[first.strip()]
            end = _DAY_NAMES[last.strip()] if sep else start
        except KeyError:
            if raw != raw.lower() and _is_weekdays(raw.lower()):
                raise LiteralError(f"`{raw}`: day names are written in lower case", hint=f"write `{raw.lower()}`") from None
            raise _wrong_kind(text.strip(), "weekdays") from None
        day = start
        days.add(day)
        while day != end:  # ranges may wrap past Sunday: `fri-mon`
            day = Weekday((day + 1) % 7)
            days.add(day)
    return frozenset(days)


def _is_weekdays(text: str) -> bool:
    try:
        parse_weekdays(text)
    except LiteralError:
        return False
    return True


def format_weekdays(days: frozenset[Weekday]) -> str:
    if days == _DAY_GROUPS["daily"]:
        return "daily"
    ordered = sorted(days)
    runs: list[list[Weekday]] = []
    for day in ordered:
        if runs and runs[-1][-1] + 1 == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        f"{run[0].short}-{run[-1].short}" if len(run) > 2 else ",".join(d.short for d in run) for run in runs
    )


# --- classification ------------------------------------------------------------------

_PARSERS = {
    "window": parse_window,
    "date": parse_date,
    "time": parse_time,
    "percentage": parse_percentage,
    "money": parse_money,
    "price": parse_price,
    "duration": parse_duration,
    "weekdays": parse_weekdays,
}


_classifying = threading.local()


def classify(text: str) -> str | None:
    """Which kind of literal a text is, if any."""
    _classifying.active = True
    try:
        for kind, parse in _PARSERS.items():
            try:
                parse(text)
            except LiteralError:
                continue
            return kind
        return None
    finally:
        _classifying.active = False


def _wrong_kind(raw: str, expected: str) -> LiteralError:
    actual = None if not raw or getattr(_classifying, "active", False) else classify(raw)
    if actual is not None and actual != expected and not (expected == "price" and actual == "money"):
        return LiteralError(
            f"`{raw}` is {KIND_EXAMPLES[actual].split(' such as')[0]}, but {KIND_EXAMPLES[expected].split(' such as')[0]} belongs here",
            hint=f"write {KIND_EXAMPLES[expected]}",
            wrong_kind=actual,
        )
    return LiteralError(f"`{raw}` is not {KIND_EXAMPLES[expected].split(' such as')[0]}", hint=f"write {KIND_EXAMPLES[expected]}")
