"""Values written for people: "4 business hours", "USD 4,500.00 per month",
"Monday to Friday, 08:00–12:00 and 13:00–17:00".

`policyc.literals` prints the canonical spelling a policy file uses (`4h`); this module
writes the words a contract, a note to an administrator or a table cell uses.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Sequence

from policyc.ir import (
    Bound,
    Calendar,
    Clock,
    Duration,
    DurationRange,
    Money,
    Percentage,
    PercentageRange,
    Price,
    PriceBasis,
    Target,
    TimeUnit,
    Weekday,
    Window,
)

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_UNIT_WORDS = {"seconds": "second", "minutes": "minute", "hours": "hour", "days": "day", "weeks": "week"}


def sentence(text: str) -> str:
    """The text with its first letter upper case, the rest as written (`P1`, `USD`)."""
    return text[:1].upper() + text[1:]


def number(value: Decimal | int) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


def plural(amount: Decimal | int, word: str) -> str:
    return f"{number(amount)} {word}{'' if Decimal(amount) == 1 else 's'}"


def join(items: Sequence[str], conjunction: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


# A fraction of a unit reads better in the next smaller one: 90 minutes, not 1.5 hours.
_SMALLER = {TimeUnit.WEEKS: TimeUnit.DAYS, TimeUnit.DAYS: TimeUnit.HOURS, TimeUnit.HOURS: TimeUnit.MINUTES, TimeUnit.MINUTES: TimeUnit.SECONDS}


def duration(value: Duration) -> str:
    while value.amount != value.amount.to_integral_value() and value.unit in _SMALLER:
        smaller = _SMALLER[value.unit]
        value = Duration(value.amount * value.unit.seconds / smaller.seconds, smaller, value.clock)
    unit = _UNIT_WORDS[value.unit.value]
    if value.clock is Clock.BUSINESS:
        unit = f"business {unit}"
    return plural(value.amount, unit)


def duration_range(value: DurationRange) -> str:
    if (value.low.unit, value.low.clock) == (value.high.unit, value.high.clock):
        return f"{number(value.low.amount)} to {duration(value.high)}"
    return f"{duration(value.low)} to {duration(value.high)}"


def target(value: Target) -> str:
    """The promise: the contractual bound of a range, with the goal if there is one,
    how business days are counted, and the stated range."""
    text = duration(value.duration)
    if value.goal is not None:
        text = f"{text} for {percentage(value.goal)} of tickets"
    qualifiers = []
    if value.duration.is_business_days and value.business_day_mode is not None:
        qualifiers.append(value.business_day_mode.value.replace("-", " "))
    if value.range is not None:
        qualifiers.append(f"range {duration_range(value.range)}")
    return f"{text} ({'; '.join(qualifiers)})" if qualifiers else text


def seconds(amount: int) -> str:
    """A whole number of seconds in the largest unit that divides it."""
    for size, word in ((604800, "week"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if amount and amount % size == 0:
            return plural(amount // size, word)
    return plural(amount, "second")


def money(value: Money) -> str:
    return f"{value.currency} {value.amount:,.2f}"


def price(value: Price) -> str:
    if value.included:
        return "Included"
    parts = [("from " if value.starting_at else "") + money(value.money)]
    if value.basis is PriceBasis.PER_SEAT:
        parts.append("per seat")
    elif value.basis is PriceBasis.PER_INCIDENT:
        parts.append("per incident")
    if value.period is not None:
        parts.append(f"per {value.period.value}")
    return " ".join(parts)


def percentage(value: Percentage) -> str:
    return f"{number(value.value)}%"


def percentage_range(value: PercentageRange) -> str:
    if value.low == value.high:
        return percentage(value.high)
    return f"{percentage(value.low)} to {percentage(value.high)}"


def bounds(lower: Bound | None, upper: Bound | None, describe) -> str:
    """`at least 90% and below 95%`, `above USD 100.00 and at most USD 2,500.00`."""
    parts = []
    if lower is not None:
        parts.append(f"{'at least' if lower.inclusive else 'above'} {describe(lower.value)}")
    if upper is not None:
        parts.append(f"{'at most' if upper.inclusive else 'below'} {describe(upper.value)}")
    return " and ".join(parts) or "any amount"


def date(value: dt.date) -> str:
    return f"{value.day} {value.strftime('%B')} {value.year}"


def weekday(value: Weekday) -> str:
    return _DAY_NAMES[value]


def weekdays(days: frozenset[Weekday] | set[Weekday]) -> str:
    """`Monday to Friday`, `Friday to Monday`, `Monday, Wednesday and Friday`, `every day`."""
    if len(days) == 7:
        return "every day"
    runs: list[list[Weekday]] = []
    # Start after a day that is not included, so a run wrapping past Sunday stays whole.
    start = next(d for d in Weekday if Weekday((d - 1) % 7) not in days)
    for offset in range(7):
        day = Weekday((start + offset) % 7)
        if day not in days:
            continue
        if runs and (runs[-1][-1] + 1) % 7 == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    pieces = [f"{weekday(run[0])} to {weekday(run[-1])}" if len(run) > 2 else join([weekday(d) for d in run]) for run in runs]
    return join(pieces)


def window(value: Window) -> str:
    end = "24:00" if value.end.minutes == 1440 else str(value.end)
    return f"{value.start}–{end}" + (" (ending the next day)" if value.overnight else "")


def windows(values: Sequence[Window]) -> str:
    return join([window(w) for w in values]) if values else "closed"


def weekly_hours(calendar: Calendar) -> list[str]:
    """The calendar's regular week, days with the same hours together:
    `Monday to Friday: 08:00–12:00 and 13:00–17:00`."""
    if calendar.always_open:
        return ["24 hours a day, 7 days a week"]
    groups: list[tuple[set[Weekday], tuple[Window, ...]]] = []
    for day in Weekday:
        hours = tuple(sorted(calendar.windows_on(day), key=lambda w: w.start_minute))
        for days, same in groups:
            if [str(w) for w in same] == [str(w) for w in hours]:
                days.add(day)
                break
        else:
            groups.append(({day}, hours))
    return [f"{weekdays(frozenset(days))}: {windows(hours)}" for days, hours in groups]


_METRIC_WORDS = {
    "first_response": "first response",
    "next_response": "next response",
    "update_interval": "status update interval",
    "acknowledgement": "acknowledgement",
    "resolution": "resolution",
}


def metric(value) -> str:
    """`first response` for `Metric.FIRST_RESPONSE` (or its name)."""
    return _METRIC_WORDS[getattr(value, "value", value)]


def trigger(value) -> str:
    """When an escalation level is engaged, in words."""
    kind = value.kind.value
    if kind == "manual":
        return "when escalated by hand"
    if kind == "after":
        if value.offset.amount == 0:
            return "as soon as the ticket arrives"
        return f"when the ticket has been open for {duration(value.offset)}"
    return f"{duration(value.offset)} before the {metric(value.metric)} target is breached"
