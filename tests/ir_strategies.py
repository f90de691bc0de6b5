"""Hypothesis strategies for IR policies: every concept of the language, every option.

They generate the IR as the front ends build it from a valid file (the IR "as
written"): what the schema requires holds (ids, ISO currencies, at least one level per
ladder), what the builder derives is derived the same way (a priority's rank is its
place, a range target's duration is its promised end, `included` costs nothing in the
organisation's currency, a level's business-time targets run on the level's calendar
unless they name their own). Anything else a policy author can write, they may
generate: odd text, duplicated weekday sets, clashing targets, dangling references.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from policyc import ir

ids = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,10}", fullmatch=True)
# Free text: quotes, backslashes, `#`, line breaks, control characters, any script.
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=16)
nonempty_texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=16)
currencies = st.sampled_from(["USD", "EUR", "GBP", "JPY", "CHF", "BRL"])
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


def refs(kind: str, max_size: int = 3):
    return st.lists(ids, max_size=max_size, unique=True).map(lambda names: tuple(ir.Ref(kind, n) for n in names))


def ref(kind: str):
    return ids.map(lambda name: ir.Ref(kind, name))


def optional(strategy):
    return st.none() | strategy


def amounts(places: int = 2):
    whole = st.integers(min_value=0, max_value=10_000)
    if places == 0:
        return whole.map(Decimal)
    return st.tuples(whole, st.integers(min_value=0, max_value=10**places - 1)).map(lambda p: Decimal(f"{p[0]}.{p[1]:0{places}d}"))


# --- values ----------------------------------------------------------------------------

calendar_durations = st.builds(
    ir.Duration,
    amounts(1) | amounts(0),
    st.sampled_from(list(ir.TimeUnit)),
    st.just(ir.Clock.CALENDAR),
)
business_durations = st.one_of(
    st.builds(ir.Duration, amounts(1) | amounts(0), st.sampled_from([ir.TimeUnit.MINUTES, ir.TimeUnit.HOURS]), st.just(ir.Clock.BUSINESS)),
    st.builds(ir.Duration, amounts(0), st.just(ir.TimeUnit.DAYS), st.just(ir.Clock.BUSINESS)),
)
durations = calendar_durations | business_durations
percentages = st.builds(ir.Percentage, amounts(1) | amounts(0))
money = st.builds(ir.Money, amounts(2), currencies)


@st.composite
def windows(draw) -> ir.Window:
    start = draw(st.integers(0, 1439))
    end = draw(st.integers(0, 1440))
    overnight = end <= start and draw(st.booleans())
    return ir.Window(ir.TimeOfDay(start), ir.TimeOfDay(end), overnight)


weekday_sets = st.frozensets(st.sampled_from(list(ir.Weekday)), min_size=1)
weekly_hours = st.builds(ir.WeeklyHours, weekday_sets, st.lists(windows(), max_size=3).map(tuple))


@st.composite
def prices(draw, currency: str) -> ir.Price:
    if draw(st.booleans()):
        return ir.Price(ir.Money(Decimal(0), currency), None, ir.PriceBasis.FLAT, False, True)
    basis = draw(st.sampled_from(list(ir.PriceBasis)))
    period = draw(st.sampled_from(list(ir.Period)) | (st.none() if basis is ir.PriceBasis.PER_INCIDENT else st.nothing()))
    return ir.Price(draw(money), period, basis, draw(st.booleans()), False)


@st.composite
def targets(draw, inherited_calendar: ir.Ref | None = None) -> ir.Target:
    """A target; `inherited_calendar` is the calendar of the escalation level it is in."""
    promised = None
    if draw(st.booleans()):
        duration = draw(durations)
    else:
        promised = ir.DurationRange(draw(durations), draw(durations), draw(st.none() | st.sampled_from(list(ir.RangeBound))))
        duration = promised.low if promised.bound is ir.RangeBound.LOWER else promised.high
    calendar = draw(optional(ref("calendar")))
    if duration.clock is ir.Clock.BUSINESS and calendar is None:
        calendar = inherited_calendar
    return ir.Target(
        duration=duration,
        calendar=calendar,
        business_day_mode=draw(optional(st.sampled_from(list(ir.BusinessDayMode)))),
        goal=draw(optional(percentages)),
        internal=draw(st.booleans()),
        range=promised,
    )


def bounds(values):
    return optional(st.builds(ir.Bound, values, st.booleans()))


selectors = st.builds(
    ir.Selector,
    tiers=refs("tier"),
    priorities=refs("priority"),
    channels=refs("channel"),
    intents=refs("intent"),
    segments=refs("segment"),
)


# --- definitions -----------------------------------------------------------------------


def tables(values, max_size: int = 3):
    """A table of definitions by id, built from `values(id)`."""
    return st.lists(ids, max_size=max_size, unique=True).flatmap(
        lambda names: st.tuples(*(values(name) for name in names)).map(lambda items: ir.Table(dict(zip(names, items))))
    )


def calendars(id: str):
    hours = st.lists(weekly_hours, min_size=1, max_size=3).map(tuple)
    return st.one_of(st.just(True), st.just(False)).flatmap(
        lambda always: st.builds(
            ir.Calendar,
            id=st.just(id),
            timezone=st.builds(ir.TimeZone, st.sampled_from(["UTC", "Europe/London", "America/New_York"]) | nonempty_texts),
            name=optional(texts),
            always_open=st.just(always),
            hours=st.just(()) if always else hours,
            holidays=optional(
                st.builds(
                    ir.HolidayRule,
                    country=st.from_regex(r"[A-Z]{2,3}", fullmatch=True),
                    subdivision=optional(st.from_regex(r"[A-Z0-9]{1,3}", fullmatch=True) | nonempty_texts),
                    dates=st.sampled_from(list(ir.HolidayDates)),
                    except_names=st.lists(texts, max_size=2, unique=True).map(tuple),
                )
            ),
            overrides=st.lists(
                st.builds(ir.DateOverride, dates, st.lists(windows(), max_size=2).map(tuple), optional(texts)), max_size=2
            ).map(tuple),
            seasons=st.lists(
                st.builds(ir.Season, texts, dates, dates, st.lists(weekly_hours, min_size=1, max_size=2).map(tuple)), max_size=2
            ).map(tuple),
        )
    )


def channels(id: str):
    return st.builds(
        ir.Channel,
        id=st.just(id),
        kind=st.sampled_from(list(ir.ChannelKind)),
        calendar=optional(ref("calendar")),
        name=optional(texts),
        paid_only=st.booleans(),
        data_classes=refs("data_class"),
        self_service=st.booleans(),
    )


def terms(id: str):
    return st.builds(ir.Term, id=st.just(id), name=optional(texts), description=optional(texts))


def tiers(currency: str):
    return lambda id: st.builds(
        ir.Tier,
        id=st.just(id),
        name=optional(texts),
        price=optional(prices(currency)),
        channels=refs("channel"),
        coverage=optional(ref("calendar")),
        extras=st.lists(texts, max_size=2).map(tuple),
        description=optional(texts),
    )


def teams(id: str):
    return st.builds(ir.Team, id=st.just(id), calendar=optional(ref("calendar")), name=optional(texts), contact=optional(texts))


def queues(id: str):
    return st.builds(ir.Queue, id=st.just(id), team=ref("team"), name=optional(texts))


def roles(id: str):
    return st.builds(ir.Role, id=st.just(id), name=optional(texts), team=optional(ref("team")))


def exclusions(id: str):
    return st.builds(
        ir.Exclusion, id=st.just(id), kind=st.sampled_from(list(ir.ExclusionKind)), description=nonempty_texts, notice=optional(durations)
    )


@st.composite
def priorities(draw) -> ir.Table:
    names = draw(st.lists(ids, max_size=4, unique=True))
    return ir.Table(
        {name: ir.Priority(name, rank, draw(optional(texts)), draw(optional(texts))) for rank, name in enumerate(names, start=1)}
    )


@st.composite
def sla_entries(draw) -> ir.SlaEntry:
    metrics = draw(st.lists(st.sampled_from(list(ir.Metric)), unique=True, max_size=5))
    ordered = [metric for metric in ir.Metric if metric in metrics]  # the builder's order
    return ir.SlaEntry(
        selector=draw(selectors),
        targets=tuple((metric, draw(targets())) for metric in ordered),
        id=draw(optional(ids)),
        description=draw(optional(texts)),
    )


triggers = st.one_of(
    st.builds(ir.Trigger, st.just(ir.TriggerKind.AFTER), offset=durations),
    st.builds(ir.Trigger, st.just(ir.TriggerKind.BEFORE_BREACH), offset=durations, metric=st.sampled_from(list(ir.Metric))),
    st.just(ir.Trigger(ir.TriggerKind.MANUAL)),
)


@st.composite
def levels(draw) -> ir.EscalationLevel:
    calendar = draw(optional(ref("calendar")))
    return ir.EscalationLevel(
        name=draw(texts),
        team=draw(ref("team")),
        trigger=draw(triggers),
        role=draw(optional(ref("role"))),
        contact=draw(optional(texts)),
        calendar=calendar,
        acknowledge=draw(optional(targets(calendar))),
        resolve=draw(optional(targets(calendar))),
        update_interval=draw(optional(targets(calendar))),
        notify=tuple(draw(st.lists(st.builds(ir.Notification, ref("role"), durations), max_size=2))),
    )


def ladders(id: str):
    return st.builds(ir.Ladder, id=st.just(id), applies_to=selectors, levels=st.lists(levels(), min_size=1, max_size=3).map(tuple), name=optional(texts))


matches = st.builds(
    ir.Match,
    tiers=refs("tier"),
    channels=refs("channel"),
    priorities=refs("priority"),
    intents=refs("intent"),
    languages=st.lists(st.from_regex(r"[a-z]{2,3}(-[A-Za-z0-9]{1,4})?", fullmatch=True), max_size=2, unique=True).map(
        lambda names: tuple(ir.Text(n) for n in names)
    ),
    data_classes=refs("data_class"),
    segments=refs("segment"),
    open=optional(ref("calendar")),
    closed=optional(ref("calendar")),
)

routing = st.builds(
    ir.Routing,
    rules=st.lists(
        st.builds(ir.RoutingRule, ids, matches, ref("queue"), st.integers(0, 1000), optional(texts)), max_size=3
    ).map(tuple),
    default=optional(ref("queue")),
)

credit_policies = st.builds(
    ir.CreditPolicy,
    period=st.sampled_from(list(ir.Period)),
    metric=st.sampled_from(list(ir.CreditMetric)),
    bands=st.lists(st.builds(ir.CreditBand, percentages, bounds(percentages), bounds(percentages)), min_size=1, max_size=3).map(tuple),
    applies_to=st.builds(ir.Selector, tiers=refs("tier")),
    cap=optional(percentages),
    repeated_breach=optional(st.builds(ir.RepeatedBreach, st.integers(2, 12), percentages)),
    claim_window=optional(durations),
    exclusions=refs("exclusion"),
)

refund_policies = st.builds(
    ir.RefundPolicy,
    approvals=st.lists(st.builds(ir.ApprovalBand, refs("role"), bounds(money), bounds(money)), max_size=3).map(tuple),
    processing=optional(targets()),
    return_window=optional(durations),
    restocking_fee=optional(st.builds(ir.PercentageRange, percentages, percentages)),
)


@st.composite
def policies(draw) -> ir.Policy:
    currency = draw(currencies)
    contract = draw(
        st.just(ir.Contract())
        | st.builds(
            ir.Contract,
            effective_date=optional(dates),
            version=optional(texts),
            term_months=optional(st.integers(1, 120)),
            parties=st.dictionaries(ids, texts, max_size=2).map(lambda p: tuple(ir.Party(role, name) for role, name in p.items())),
        )
    )
    organisation = ir.Organisation(
        name=draw(nonempty_texts),
        currency=currency,
        timezone=ir.TimeZone(draw(st.sampled_from(["UTC", "Europe/Berlin"]) | nonempty_texts)),
        contract=contract,
    )
    policy = ir.Policy(
        organisation=organisation,
        defaults=draw(st.builds(ir.Defaults, optional(ref("calendar")), st.sampled_from(list(ir.BusinessDayMode)))),
        horizon=draw(optional(st.builds(ir.Horizon, dates, dates))),
        calendars=draw(tables(calendars, max_size=2)),
        channels=draw(tables(channels)),
        priorities=draw(priorities()),
        tiers=draw(tables(tiers(currency))),
        teams=draw(tables(teams)),
        queues=draw(tables(queues)),
        roles=draw(tables(roles)),
        intents=draw(tables(terms)),
        data_classes=draw(tables(terms)),
        segments=draw(tables(terms)),
        sla=tuple(draw(st.lists(sla_entries(), max_size=3))),
        escalation=draw(tables(ladders, max_size=2)),
        routing=draw(routing),
        credits=draw(optional(credit_policies)),
        refunds=draw(optional(refund_policies)),
        exclusions=draw(tables(exclusions)),
    )
    # Suppressions on some of the definitions, in the order a front end reads them.
    places = _places(policy)
    chosen = draw(st.lists(st.sampled_from(places), max_size=3)) if places else []
    codes = st.from_regex(r"PC[0-9]{3}", fullmatch=True)
    reasons = nonempty_texts.filter(lambda text: text.strip(" "))
    suppressions = [ir.Suppression(draw(codes), draw(reasons), place) for place in sorted(chosen, key=places.index)]
    return dataclasses.replace(policy, suppressions=tuple(suppressions))


def _places(policy: ir.Policy) -> list[str]:
    """Every definition a suppression can be written on, as `Suppression.place` names
    it, parents before what they contain, in the order of the file."""
    found = []
    for id, calendar in policy.calendars.items():
        found.append(f"calendars.{id}")
        found += [f"calendars.{id}.overrides[{n}]" for n in range(1, len(calendar.overrides) + 1)]
        found += [f"calendars.{id}.seasons[{n}]" for n in range(1, len(calendar.seasons) + 1)]
    for section in ("intents", "data_classes", "segments", "channels", "priorities", "tiers", "teams", "queues", "roles"):
        found += [f"{section}.{id}" for id in getattr(policy, section)]
    found += [f"sla[{n}]" for n in range(1, len(policy.sla) + 1)]
    for id, ladder in policy.escalation.items():
        found.append(f"escalation.{id}")
        found += [f"escalation.{id}.levels[{n}]" for n in range(1, len(ladder.levels) + 1)]
    if policy.routing.rules or policy.routing.default is not None:
        found.append("routing")
        found += [f"routing.rules[{n}]" for n in range(1, len(policy.routing.rules) + 1)]
    if policy.credits is not None:
        found.append("credits")
        found += [f"credits.bands[{n}]" for n in range(1, len(policy.credits.bands) + 1)]
    if policy.refunds is not None:
        found.append("refunds")
        found += [f"refunds.approvals[{n}]" for n in range(1, len(policy.refunds.approvals) + 1)]
    found += [f"exclusions.{id}" for id in policy.exclusions]
    return found
