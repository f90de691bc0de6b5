"""The intermediate representation: one typed, immutable model of a support policy.

Both front ends (YAML and the DSL) produce it; every check and back end consumes it and
nothing after it knows which front end was used. Every node keeps the span of the text
it came from; spans never take part in equality, so the same policy written twice (or
in both languages) gives equal IR.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Generic, Iterator, Mapping, TypeVar

from policyc.span import Span

T = TypeVar("T")


def _span() -> Span:
    return field(default=None, compare=False, repr=False)  # type: ignore[return-value]


class Table(Mapping[str, T], Generic[T]):
    """An immutable, ordered mapping of definitions by id (calendars, tiers, ...).

    Order is the order of the source; it is meaningful where the language says so
    (priorities are listed from most to least urgent).
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, T] | None = None):
        self._items: dict[str, T] = dict(items or {})

    def __getitem__(self, key: str) -> T:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Table):
            return list(self._items.items()) == list(other._items.items())
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __repr__(self) -> str:
        return f"Table({self._items!r})"


# --- values ------------------------------------------------------------------------


class Weekday(enum.IntEnum):
    MON = 0
    TUE = 1
    WED = 2
    THU = 3
    FRI = 4
    SAT = 5
    SUN = 6

    @property
    def short(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class TimeOfDay:
    """Minutes since local midnight; 1440 (`24:00`) is allowed as the end of a window."""

    minutes: int

    def __str__(self) -> str:
        return f"{self.minutes // 60:02d}:{self.minutes % 60:02d}"


@dataclass(frozen=True)
class Window:
    """An opening window within a day. An overnight window (`22:00-06:00+1`) belongs to
    the day it opens on and ends on the next day."""

    start: TimeOfDay
    end: TimeOfDay
    overnight: bool = False
    span: Span = _span()

    @property
    def start_minute(self) -> int:
        return self.start.minutes

    @property
    def end_minute(self) -> int:
        """Minutes after the opening day's midnight at which the window closes."""
        return self.end.minutes + (1440 if self.overnight else 0)

    @property
    def length_minutes(self) -> int:
        return self.end_minute - self.start_minute

    def __str__(self) -> str:
        return f"{self.start}-{self.end}{'+1' if self.overnight else ''}"


class Clock(enum.Enum):
    """Calendar time runs always; business time runs only while a calendar is open."""

    CALENDAR = "calendar"
    BUSINESS = "business"


class TimeUnit(enum.Enum):
    SECONDS = "seconds"
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"

    @property
    def seconds(self) -> int:
        return {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}[self.value]


@dataclass(frozen=True)
class Duration:
    """An amount of time on a clock: `30m`, `4h`, `2d`, `4 business hours`, `2 business days`."""

    amount: Decimal
    unit: TimeUnit
    clock: Clock = Clock.CALENDAR
    span: Span = _span()

    @property
    def is_business_days(self) -> bool:
        return self.clock is Clock.BUSINESS and self.unit is TimeUnit.DAYS

    @property
    def seconds(self) -> int:
        """Length in seconds: real seconds in calendar time, open seconds in business
        time. Business days are not a fixed number of seconds (see `business_days`)."""
        if self.is_business_days:
            raise ValueError("business days are counted in days, not seconds")
        return int(self.amount * self.unit.seconds)

    @property
    def business_days(self) -> int:
        if not self.is_business_days:
            raise ValueError("not a business-day duration")
        return int(self.amount)


class BusinessDayMode(enum.Enum):
    """How "N business days" is read (see docs/language.md)."""

    SAME_TIME = "same-time"
    END_OF_DAY = "end-of-day"


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str
    span: Span = _span()


class Period(enum.Enum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class PriceBasis(enum.Enum):
    FLAT = "flat"
    PER_SEAT = "seat"
    PER_INCIDENT = "incident"


@dataclass(frozen=True)
class Price:
    """`USD 799/month`, `from USD 4,500/month`, `USD 49/seat/month`, `USD 150/incident`,
    or `included` (no charge on top of the product)."""

    money: Money
    period: Period | None
    basis: PriceBasis = PriceBasis.FLAT
    starting_at: bool = False
    included: bool = False
    span: Span = _span()


@dataclass(frozen=True)
class Percentage:
    value: Decimal
    span: Span = _span()


@dataclass(frozen=True)
class Ref:
    """A reference by id to a definition in another section, resolved by `resolve`."""

    kind: str
    id: str
    span: Span = _span()


@dataclass(frozen=True)
class Text:
    """Free text with its span (names, definitions, descriptions)."""

    value: str
    span: Span = _span()


# --- organisation ------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    role: str
    name: str
    span: Span = _span()


@dataclass(frozen=True)
class Contract:
    effective_date: dt.date | None = None
    version: str | None = None
    term_months: int | None = None
    parties: tuple[Party, ...] = ()
    span: Span = _span()


@dataclass(frozen=True)
class TimeZone:
    """An IANA time zone name, checked against the tz database by the checker."""

    name: str
    span: Span = _span()


@dataclass(frozen=True)
class Organisation:
    name: str
    currency: str | None = None
    timezone: TimeZone | None = None
    contract: Contract = Contract()
    span: Span = _span()


@dataclass(frozen=True)
class Horizon:
    """The dates over which calendars are expanded and holidays resolved."""

    start: dt.date
    end: dt.date
    span: Span = _span()


# --- calendars ---------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklyHours:
    """Opening windows for a set of weekdays; no windows means closed on those days."""

    days: frozenset[Weekday]
    windows: tuple[Window, ...]
    span: Span = _span()


class HolidayDates(enum.Enum):
    """Which date of a public holiday closes the calendar."""

    OBSERVED = "observed"
    ACTUAL = "actual"
    BOTH = "both"


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name: str


@dataclass(frozen=True)
class HolidayRule:
    """Public holidays from the `holidays` package, resolved to dates by `resolve`."""

    country: str
    subdivision: str | None = None
    dates: HolidayDates = HolidayDates.OBSERVED
    # Holiday names (as the `holidays` package gives them) to leave open.
    except_names: tuple[str, ...] = ()
    span: Span = _span()
    country_span: Span = _span()
    subdivision_span: Span = _span()


@dataclass(frozen=True)
class DateOverride:
    """A closure (no windows) or partial day (its own windows) on one date."""

    date: dt.date
    windows: tuple[Window, ...] = ()
    reason: str | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Season:
    """Weekly hours that replace the regular ones between two dates (inclusive)."""

    name: str
    start: dt.date
    end: dt.date
    hours: tuple[WeeklyHours, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Calendar:
    id: str
    timezone: TimeZone
    name: str | None = None
    always_open: bool = False
    hours: tuple[WeeklyHours, ...] = ()
    holidays: HolidayRule | None = None
    overrides: tuple[DateOverride, ...] = ()
    seasons: tuple[Season, ...] = ()
    # Filled by `resolve`: the public holidays inside the horizon.
    holiday_dates: tuple[Holiday, ...] = ()
    span: Span = _span()

    def windows_on(self, weekday: Weekday) -> tuple[Window, ...]:
        """The regular windows opening on a weekday, in the order written."""
        return tuple(w for entry in self.hours if weekday in entry.days for w in entry.windows)


# --- vocabularies, people and places -------------------------------------------------


@dataclass(frozen=True)
class Term:
    """An entry of a declared vocabulary: intents, data classes, customer segments."""

    id: str
    name: str | None = None
    description: str | None = None
    span: Span = _span()


class ChannelKind(enum.Enum):
    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    SMS = "sms"
    PORTAL = "portal"
    IN_APP = "in_app"
    SOCIAL = "social"
    WEB_FORM = "web_form"
    KB = "kb"


@dataclass(frozen=True)
class Channel:
    id: str
    kind: ChannelKind
    calendar: Ref | None = None
    name: str | None = None
    paid_only: bool = False
    # Data classes this channel may carry; empty means any.
    data_classes: tuple[Ref, ...] = ()
    self_service: bool = False
    span: Span = _span()


@dataclass(frozen=True)
class Priority:
    id: str
    rank: int
    name: str | None = None
    definition: str | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Tier:
    id: str
    name: str | None = None
    price: Price | None = None
    channels: tuple[Ref, ...] = ()
    coverage: Ref | None = None
    extras: tuple[str, ...] = ()
    description: str | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Team:
    id: str
    calendar: Ref | None = None
    name: str | None = None
    contact: str | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Queue:
    id: str
    team: Ref
    name: str | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Role:
    id: str
    name: str | None = None
    team: Ref | None = None
    span: Span = _span()


# --- SLA matrix --------------------------------------------------------------------


class Metric(enum.Enum):
    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    UPDATE_INTERVAL = "update_interval"
    ACKNOWLEDGEMENT = "acknowledgement"
    RESOLUTION = "resolution"


class RangeBound(enum.Enum):
    """Which end of a range target is the contractual promise."""

    UPPER = "upper"
    LOWER = "lower"


@dataclass(frozen=True)
class DurationRange:
    low: Duration
    high: Duration
    # None when the author gave a range without saying which end is promised: an error.
    bound: RangeBound | None
    span: Span = _span()


@dataclass(frozen=True)
class Target:
    """A deadline: a duration on a clock, the calendar business time runs on, and how
    it is promised (an attainment goal, an internal objective, a range)."""

    duration: Duration
    calendar: Ref | None = None
    business_day_mode: BusinessDayMode | None = None
    goal: Percentage | None = None
    internal: bool = False
    range: DurationRange | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Selector:
    """Which tickets a definition applies to; an empty field matches everything."""

    tiers: tuple[Ref, ...] = ()
    priorities: tuple[Ref, ...] = ()
    channels: tuple[Ref, ...] = ()
    intents: tuple[Ref, ...] = ()
    segments: tuple[Ref, ...] = ()
    span: Span = _span()


@dataclass(frozen=True)
class SlaEntry:
    selector: Selector
    targets: tuple[tuple[Metric, Target], ...]
    id: str | None = None
    description: str | None = None
    span: Span = _span()

    def target(self, metric: Metric) -> Target | None:
        return dict(self.targets).get(metric)


# --- escalation --------------------------------------------------------------------


class TriggerKind(enum.Enum):
    AFTER = "after"
    BEFORE_BREACH = "before_breach"
    MANUAL = "manual"


@dataclass(frozen=True)
class Trigger:
    """When a ladder level is engaged: after time on the ticket, a margin before an SLA
    breach, or by hand."""

    kind: TriggerKind
    # AFTER: time on the ticket; BEFORE_BREACH: the margin before `metric` breaches.
    offset: Duration | None = None
    metric: Metric | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Notification:
    role: Ref
    within: Duration
    span: Span = _span()


@dataclass(frozen=True)
class EscalationLevel:
    name: str
    team: Ref
    trigger: Trigger
    role: Ref | None = None
    contact: str | None = None
    calendar: Ref | None = None
    acknowledge: Target | None = None
    resolve: Target | None = None
    update_interval: Target | None = None
    notify: tuple[Notification, ...] = ()
    span: Span = _span()


@dataclass(frozen=True)
class Ladder:
    id: str
    applies_to: Selector
    levels: tuple[EscalationLevel, ...]
    name: str | None = None
    span: Span = _span()


# --- routing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    tiers: tuple[Ref, ...] = ()
    channels: tuple[Ref, ...] = ()
    priorities: tuple[Ref, ...] = ()
    intents: tuple[Ref, ...] = ()
    languages: tuple[Text, ...] = ()
    data_classes: tuple[Ref, ...] = ()
    segments: tuple[Ref, ...] = ()
    # The rule applies only while this calendar is open (or closed).
    open: Ref | None = None
    closed: Ref | None = None
    span: Span = _span()


@dataclass(frozen=True)
class RoutingRule:
    id: str
    match: Match
    queue: Ref
    precedence: int = 100
    description: str | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Routing:
    rules: tuple[RoutingRule, ...] = ()
    default: Ref | None = None
    span: Span = _span()


# --- commercial --------------------------------------------------------------------


@dataclass(frozen=True)
class Bound(Generic[T]):
    """One end of an interval, inclusive or not, stated explicitly by the author."""

    value: T
    inclusive: bool
    span: Span = _span()


@dataclass(frozen=True)
class CreditBand:
    """Attainment in [lower, upper] (bounds as written) earns `credit` % of the fee."""

    credit: Percentage
    lower: Bound[Percentage] | None = None
    upper: Bound[Percentage] | None = None
    span: Span = _span()


@dataclass(frozen=True)
class RepeatedBreach:
    """Breaching in `periods` consecutive measurement periods earns `credit`."""

    periods: int
    credit: Percentage
    span: Span = _span()


class CreditMetric(enum.Enum):
    SLA_ATTAINMENT = "sla_attainment"


@dataclass(frozen=True)
class CreditPolicy:
    period: Period
    metric: CreditMetric
    bands: tuple[CreditBand, ...]
    applies_to: Selector = Selector()
    cap: Percentage | None = None
    repeated_breach: RepeatedBreach | None = None
    claim_window: Duration | None = None
    exclusions: tuple[Ref, ...] = ()
    span: Span = _span()


@dataclass(frozen=True)
class ApprovalBand:
    """Refunds whose amount lies between the bounds need these approvers."""

    approvers: tuple[Ref, ...]
    lower: Bound[Money] | None = None
    upper: Bound[Money] | None = None
    span: Span = _span()


@dataclass(frozen=True)
class PercentageRange:
    low: Percentage
    high: Percentage
    span: Span = _span()


@dataclass(frozen=True)
class RefundPolicy:
    approvals: tuple[ApprovalBand, ...] = ()
    processing: Target | None = None
    return_window: Duration | None = None
    restocking_fee: PercentageRange | None = None
    span: Span = _span()


class ExclusionKind(enum.Enum):
    SCHEDULED_MAINTENANCE = "scheduled_maintenance"
    FORCE_MAJEURE = "force_majeure"
    CUSTOMER_DELAY = "customer_delay"
    THIRD_PARTY = "third_party"
    OTHER = "other"


@dataclass(frozen=True)
class Exclusion:
    id: str
    kind: ExclusionKind
    description: str
    notice: Duration | None = None
    span: Span = _span()


# --- suppressions ------------------------------------------------------------------


@dataclass(frozen=True)
class Suppression:
    """A diagnostic the author silences on one definition, with the reason.

    `place` is the definition it is written on, as a path (`tiers.basic`, `sla[2]`,
    `escalation.p1.levels[3]`); `scope` is that definition's text: a diagnostic of
    `code` whose place is inside it is suppressed (counted, not shown).
    """

    code: str
    reason: str
    place: str
    span: Span = _span()
    scope: Span = _span()


# --- the policy --------------------------------------------------------------------


@dataclass(frozen=True)
class Defaults:
    calendar: Ref | None = None
    business_day_mode: BusinessDayMode = BusinessDayMode.SAME_TIME
    span: Span = _span()


@dataclass(frozen=True)
class Policy:
    organisation: Organisation
    version: int = 1
    defaults: Defaults = Defaults()
    horizon: Horizon | None = None
    calendars: Table[Calendar] = Table()
    channels: Table[Channel] = Table()
    priorities: Table[Priority] = Table()
    tiers: Table[Tier] = Table()
    teams: Table[Team] = Table()
    queues: Table[Queue] = Table()
    roles: Table[Role] = Table()
    intents: Table[Term] = Table()
    data_classes: Table[Term] = Table()
    segments: Table[Term] = Table()
    sla: tuple[SlaEntry, ...] = ()
    escalation: Table[Ladder] = Table()
    routing: Routing = Routing()
    credits: CreditPolicy | None = None
    refunds: RefundPolicy | None = None
    exclusions: Table[Exclusion] = Table()
    suppressions: tuple[Suppression, ...] = ()
    source: str = field(default="", compare=False)
    span: Span = _span()

    @cached_property
    def sections(self) -> Mapping[str, Table]:
        """The definition tables by reference kind, for resolving `Ref`s."""
        return {
            "calendar": self.calendars,
            "channel": self.channels,
            "priority": self.priorities,
            "tier": self.tiers,
            "team": self.teams,
            "queue": self.queues,
            "role": self.roles,
            "intent": self.intents,
            "data_class": self.data_classes,
            "segment": self.segments,
            "exclusion": self.exclusions,
        }
