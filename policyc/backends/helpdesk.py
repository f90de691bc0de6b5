"""What the helpdesk back ends share: SLA policies by tier and channel group in the order
a helpdesk matches them, business hours in the shapes helpdesks take, priorities and
channels mapped to the vendor's, targets in vendor units, and API call files with a
manifest.

Everything a vendor cannot hold is reported here through `Backend.unsupported`, driven
by the back end's `Capabilities`, so each vendor module only says what its API looks
like.

Output files are API calls: `{"generated_by": ..., "calls": [{"method", "path",
"creates", "body"}]}` where `body` is exactly the vendor's request body. Ids that only
exist once an earlier call ran (a group, a schedule) or that only the account knows
(agents, users, companies) are written as placeholders `$ref:<kind>/<name>`;
`manifest.json` lists the calls in order and says what fills each placeholder.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, ClassVar, Iterator, Mapping

from policyc import tz
from policyc.backends import UNDATED, Backend, Capabilities, CompileContext, dump_json, words
from policyc.backends.classes import declared, sla_dimensions, ticket_channels
from policyc.backends.lossy import (
    ATTAINMENT_GOAL_UNSUPPORTED,
    BUSINESS_DAYS_UNSUPPORTED,
    CALENDAR_HOURS_UNSUPPORTED,
    CHANNEL_UNSUPPORTED,
    ESCALATION_UNSUPPORTED,
    HOLIDAYS_OUTSIDE_VENDOR_WINDOW,
    METRIC_UNSUPPORTED,
    MIXED_CALENDARS,
    NO_VENDOR_TIME_ZONE,
    TARGET_OUT_OF_VENDOR_RANGE,
    TOO_MANY_PRIORITIES,
)
from policyc.diagnostics import Related
from policyc.ir import BusinessDayMode, Calendar, ChannelKind, Clock, EscalationLevel, Ladder, Metric, Policy, Target, Weekday
from policyc.match import AppliedTarget, Ticket, sla_targets


def ref(kind: str, name: str) -> str:
    """A placeholder for an id the vendor assigns or the account holds."""
    return f"$ref:{kind}/{name}"


# --- API call files and the manifest -------------------------------------------------


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict[str, Any] | None
    # The placeholder the id in this call's response fills.
    creates: str | None = None

    def record(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "creates": self.creates, "body": self.body}


def call_file(context: CompileContext, calls: list[Call]) -> str:
    return dump_json({"generated_by": context.generated_by, "calls": [call.record() for call in calls]})


_PLACEHOLDER = re.compile(r"\$ref:[a-z_]+/[A-Za-z0-9_.+,-]+")


def placeholders(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield from _PLACEHOLDER.findall(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from placeholders(item)
    elif isinstance(value, list):
        for item in value:
            yield from placeholders(item)


def manifest(
    context: CompileContext,
    files: list[tuple[str, list[Call]]],
    inputs: Mapping[str, str],
    notes: list[str],
    base_url: str,
) -> str:
    """The calls of every file in the order they must run, and what fills each
    placeholder: the response of an earlier call, or an input from the account."""
    steps = []
    created: dict[str, int] = {}
    for path, calls in files:
        for index, call in enumerate(calls):
            steps.append({"step": len(steps) + 1, "file": path, "call": index, "method": call.method, "path": call.path, "creates": call.creates})
            if call.creates:
                created[call.creates] = len(steps)
    filled: dict[str, str] = {}
    for _, calls in files:
        for call in calls:
            for name in [*placeholders(call.path), *placeholders(call.body)]:
                if name in created:
                    filled.setdefault(name, f"the id returned by step {created[name]}")
                else:
                    filled.setdefault(name, f"input: {inputs.get(name, 'an id from your account')}")
    return dump_json(
        {
            "generated_by": context.generated_by,
            "base_url": base_url,
            "calls": steps,
            "placeholders": dict(sorted(filled.items())),
            "notes": notes,
        }
    )


# --- business hours ------------------------------------------------------------------


@lru_cache(maxsize=1)
def helpdesk_zones() -> dict[str, str]:
    """IANA zone -> the zone name Zendesk and Freshdesk accept."""
    text = resources.files("policyc.backends").joinpath("data/helpdesk_time_zones.json").read_text(encoding="utf-8")
    return json.loads(text)["zones"]


def equivalent_helpdesk_zone(name: str, start: dt.date, end: dt.date) -> str | None:
    """The helpdesk zone name for an IANA zone: its own, or that of a listed zone with
    the same UTC offsets at every hour between `start` and `end` (America/Detroit keeps
    New York's clock, so it is "Eastern Time (US & Canada)")."""
    zones = helpdesk_zones()
    if name in zones:
        return zones[name]
    here = tz.zone(name)
    first = dt.datetime.combine(start, dt.time(), tzinfo=dt.timezone.utc)
    hours = max(1, int((dt.datetime.combine(end, dt.time(), tzinfo=dt.timezone.utc) - first).total_seconds() // 3600))
    instants = [first + dt.timedelta(hours=h) for h in range(hours + 1)]
    offsets = [here.utcoffset(t) for t in instants]
    for candidate, vendor_name in zones.items():
        there = tz.zone(candidate) if tz.is_zone(candidate) else None
        if there is None or there.utcoffset(instants[0]) != offsets[0]:
            continue
        if all(there.utcoffset(t) == offset for t, offset in zip(instants, offsets)):
            return vendor_name
    return None


def nearest_helpdesk_zone(name: str, at: dt.date) -> str:
    """A listed zone with the same UTC offset on one date: the fallback of a lossy compile."""
    instant = dt.datetime.combine(at, dt.time(), tzinfo=dt.timezone.utc)
    offset = tz.zone(name).utcoffset(instant)
    for candidate, vendor_name in helpdesk_zones().items():
        if tz.is_zone(candidate) and tz.zone(candidate).utcoffset(instant) == offset:
            return vendor_name
    return "UTC"


def day_intervals(calendar: Calendar) -> dict[Weekday, list[tuple[int, int]]]:
    """The regular week as minutes after each weekday's midnight, windows that run past
    midnight split there, touching windows merged: the shape helpdesks store."""
    days: dict[Weekday, list[tuple[int, int]]] = {day: [] for day in Weekday}
    for day in Weekday:
        if calendar.always_open:
            days[day].append((0, 1440))
            continue
        for window in calendar.windows_on(day):
            start, end = window.start_minute, window.end_minute
            days[day].append((start, min(end, 1440)))
            if end > 1440:
                days[Weekday((day + 1) % 7)].append((0, end - 1440))
    return {day: _merged(intervals) for day, intervals in days.items()}


def _merged(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def closed_dates(calendar: Calendar) -> list[tuple[dt.date, str]]:
    """Public holidays and closure dates, in date order."""
    found = [(h.date, h.name) for h in calendar.holiday_dates]
    found += [(o.date, o.reason or "Closed") for o in calendar.overrides if not o.windows]
    return sorted(found)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- SLA policies in match order ------------------------------------------------------

# The promised targets of each priority, in priority order: what one helpdesk SLA
# policy holds for one kind of ticket.
# (None stands for every priority when the policy declares none.)
Table = tuple[tuple[str | None, tuple[tuple[Metric, AppliedTarget], ...]], ...]


@dataclass
class SlaGroup:
    """Tickets of one tier (optionally one intent and/or segment) arriving on a group
    of channels, which share every promised target."""

    tier: str | None  # None: every tier (the policy declares none)
    intent: str | None
    segment: str | None
    channels: list[str | None]  # [None]: every channel
    table: Table

    def matches(self, tier: str | None, channel: str | None, intent: str | None, segment: str | None) -> bool:
        return (
            self.tier == tier
            and channel in self.channels
            and self.intent in (None, intent)
            and self.segment in (None, segment)
        )

    @property
    def specificity(self) -> int:
        return (self.intent is not None) + (self.segment is not None)

    def describe(self, policy: Policy) -> str:
        """`tier Pro, intent complaint, via phone and portal`."""
        parts = [f"tier {policy.tiers[self.tier].name or self.tier}" if self.tier else "every tier"]
        parts += [f"intent {self.intent}"] if self.intent else []
        parts += [f"segment {self.segment}"] if self.segment else []
        channels = [c for c in self.channels if c]
        return ", ".join(parts) + (f", via {words.join(channels)}" if channels else "")

    @property
    def slug(self) -> str:
        """A file name part: `pro-complaint-phone-portal`."""
        return "-".join([self.tier or "all", *(v for v in (self.intent, self.segment, *self.channels) if v)]).lower()


def _table(policy: Policy, ticket: Ticket) -> Table:
    rows = []
    for priority in declared(policy.priorities):
        applied = sla_targets(policy, Ticket(ticket.tier, ticket.channel, priority, ticket.intent, ticket.segment))
        if applied:
            rows.append((priority, tuple(applied.items())))
    return tuple(rows)


def _comparable(table: Table) -> tuple:
    return tuple((p, tuple((m, a.target) for m, a in targets)) for p, targets in table)


def sla_groups(policy: Policy) -> list[SlaGroup]:
    """SLA policies a helpdesk that applies the first matching policy needs, in that
    order (its `position`): narrowed by intent and segment first, then by one of them,
    then the tier's own. A narrowed policy exists only for channels where its targets
    differ from those of the policy that would otherwise catch its tickets."""
    dimensions = sla_dimensions(policy)
    narrowings = sorted(
        ((i, s) for i in dimensions.intent for s in dimensions.segment),
        key=lambda pair: (pair[0] is not None) + (pair[1] is not None),
    )
    groups: list[SlaGroup] = []
    for tier in declared(policy.tiers):
        emitted: list[SlaGroup] = []  # of this tier, in match order
        for intent, segment in narrowings:
            needed: dict[tuple, SlaGroup] = {}
            for channel in ticket_channels(policy):
                table = _table(policy, Ticket(tier, channel, None, intent, segment))
                catcher = next((g for g in emitted if g.matches(tier, channel, intent, segment)), None)
                caught = catcher.table if catcher else ()
                if table and _comparable(table) != _comparable(caught):
                    key = _comparable(table)
                    if key in needed:
                        needed[key].channels.append(channel)
                    else:
                        needed[key] = SlaGroup(tier, intent, segment, [channel], table)
            # More specific policies are matched first.
            emitted = [*needed.values(), *emitted]
        groups.extend(emitted)
    return sorted(groups, key=lambda g: -g.specificity)


# --- the shared helpdesk back end -----------------------------------------------------


# What Zendesk and Freshdesk have in common: four priorities, targets in whole minutes,
# one set of business hours per ticket, whole-day holidays.
HELPDESK = Capabilities(priorities=4, time_unit_seconds=60, minimum_target_seconds=60, mixed_calendars=False, holidays=True)


class HelpdeskBackend(Backend):
    """A back end for a helpdesk with SLA policies matched in order."""

    # The vendor's priorities from most to least urgent.
    priority_names: ClassVar[tuple[str, ...]] = ()
    # Policy channel kind -> the vendor's channel ids; absent kinds have none. And
    # the vendor's names for those ids, for messages.
    channel_ids: ClassVar[Mapping[ChannelKind, tuple[Any, ...]]] = {}
    channel_id_names: ClassVar[Mapping[Any, str]] = {}
    # Zendesk and Freshdesk name time zones their own way; PagerDuty takes IANA names.
    helpdesk_time_zones: ClassVar[bool] = True
    # How many years ahead of the as-of date holidays can be set (None: no limit).
    holiday_window_years: ClassVar[int | None] = None
    # Human name of the vendor, and of what holds its hours, for messages.
    vendor: ClassVar[str] = ""
    hours_noun: ClassVar[str] = "business hours"

    def sla_plan(self, policy: Policy, context: CompileContext) -> tuple[list[SlaGroup], dict[str, str], dict[str, tuple[Any, ...]]]:
        """The SLA policies to write, in match order, with the priority and channel
        mappings they use (reporting what the vendor cannot map)."""
        groups = sla_groups(policy)
        return groups, self.priority_map(policy, context), self.channel_map(policy, context, groups)

    @staticmethod
    def group_channel_ids(group: SlaGroup, channels: dict[str, tuple[Any, ...]]) -> list[Any] | None:
        """The vendor channel ids an SLA group filters on, in order and once each: []
        when the policy names no channels (every ticket), None when none of the group's
        channels exists at the vendor (already reported: the group is left out)."""
        ids = list(dict.fromkeys(i for c in group.channels if c for i in channels.get(c, ())))
        return None if not ids and group.channels != [None] else ids

    def vendor_priorities(self, priority: str | None, mapping: dict[str, str]) -> list[str]:
        """The vendor priorities a policy priority stands for: all of them when the
        policy declares no priorities."""
        return list(self.priority_names) if priority is None else [mapping[priority]]

    def priority_map(self, policy: Policy, context: CompileContext) -> dict[str, str]:
        names = self.priority_names
        ids = list(policy.priorities)
        if len(ids) > len(names):
            extra = [policy.priorities[i] for i in ids[len(names) :]]
            self.unsupported(
                context,
                TOO_MANY_PRIORITIES,
                f"the policy has {len(ids)} priorities, {self.vendor} has {len(names)} ({', '.join(names)})",
                extra[0].span,
                hint=f"merge priorities until there are at most {len(names)}, or compile without {self.name} (name the other targets with --target)",
                lossy=f"{', '.join(f'`{p.id}`' for p in extra)} share `{names[-1]}` with `{ids[len(names) - 1]}`",
                related=[Related(p.span, f"priority `{p.id}` has no {self.vendor} priority either") for p in extra[1:]],
            )
        return {id: names[min(index, len(names) - 1)] for index, id in enumerate(ids)}

    def channel_map(self, policy: Policy, context: CompileContext, groups: list[SlaGroup]) -> dict[str, tuple[Any, ...]]:
        """The vendor channel ids of every channel an SLA group names. Channels the
        vendor has no id for, and channels it cannot tell apart although the policy
        treats them differently, are reported."""
        used = [c for c in ticket_channels(policy) if c is not None and any(c in g.channels for g in groups)]
        mapping: dict[str, tuple[Any, ...]] = {}
        for id in used:
            channel = policy.channels[id]
            ids = self.channel_ids.get(channel.kind, ())
            if not ids:
                self.unsupported(
                    context,
                    CHANNEL_UNSUPPORTED,
                    f"{self.vendor} has no channel for `{channel.kind.value}` tickets, so the targets of channel `{id}` cannot apply",
                    channel.span,
                    hint=f"remove the targets for `{id}`, or compile without {self.name} (name the other targets with --target)",
                    lossy=f"tickets from `{id}` get no {self.vendor} SLA policy",
                )
            mapping[id] = ids
        reported: set[tuple[str, str]] = set()
        for group in groups:
            for other in groups:
                if other is group or (other.tier, other.intent, other.segment) != (group.tier, group.intent, group.segment):
                    continue
                for a in group.channels:
                    for b in other.channels:
                        shared = set(mapping.get(a, ())) & set(mapping.get(b, ()))
                        pair = tuple(sorted((a, b), key=list(policy.channels).index))
                        if not shared or pair in reported:
                            continue
                        reported.add(pair)
                        first, second = pair
                        self.unsupported(
                            context,
                            CHANNEL_UNSUPPORTED,
                            f"{self.vendor} cannot tell `{first}` tickets from `{second}` tickets (both arrive as "
                            f"{words.join([self.channel_id_names.get(i, str(i)) for i in sorted(shared, key=str)], 'or')}), "
                            f"but tier `{group.tier}` gives them different targets",
                            policy.channels[second].span,
                            hint=f"give both channels the same targets, or compile without {self.name} (name the other targets with --target)",
                            lossy=f"`{second}` tickets get the targets of whichever channel's SLA policy comes first",
                            related=[Related(policy.channels[first].span, f"channel `{first}` is defined here")],
                        )
        return mapping

    def metric_name(self, context: CompileContext, metric: Metric, applied: AppliedTarget) -> str | None:
        name = self.capabilities.metrics.get(metric.value)
        if name is None:
            supported = ", ".join(f"`{m}`" for m in self.capabilities.metrics)
            self.unsupported(
                context,
                METRIC_UNSUPPORTED,
                f"{self.vendor} has no SLA metric for `{metric.value}` ({supported} only)",
                applied.target.span,
                hint=f"express the promise with one of {supported}, or compile without {self.name} (name the other targets with --target)",
                lossy=f"the `{metric.value}` target is not configured in {self.vendor}",
            )
        return name

    def target_seconds(self, policy: Policy, context: CompileContext, metric: Metric, target: Target) -> int:
        """A target in seconds, in the vendor's unit and range; what does not fit is
        reported, and the lossy value errs on the side of the promise where it can."""
        caps = self.capabilities
        if target.goal is not None and not caps.attainment_goals:
            self.unsupported(
                context,
                ATTAINMENT_GOAL_UNSUPPORTED,
                f"{self.vendor} measures every ticket against its target and cannot hold the goal "
                f"`{words.percentage(target.goal)} within {words.duration(target.duration)}` of `{metric.value}`",
                target.goal.span or target.span,
                hint="track the attainment goal in reporting; the per-ticket target is configured either way",
                lossy=f"every ticket is held to {words.duration(target.duration)}; the {words.percentage(target.goal)} goal is not configured",
            )
        if target.duration.is_business_days:
            seconds = self.business_days_seconds(policy, context, metric, target)
        else:
            seconds = target.duration.seconds
        unit = caps.time_unit_seconds
        fitted = max(caps.minimum_target_seconds, math.ceil(seconds / unit) * unit)
        if fitted != seconds:
            self.unsupported(
                context,
                TARGET_OUT_OF_VENDOR_RANGE,
                f"{self.vendor} cannot hold the `{metric.value}` target of {words.duration(target.duration)}: "
                f"targets are whole {words.seconds(unit).split(' ', 1)[1]}s"
                + (f" of at least {words.seconds(caps.minimum_target_seconds)}" if caps.minimum_target_seconds else ""),
                target.span,
                hint=f"promise a target {self.vendor} can hold, or compile without {self.name} (name the other targets with --target)",
                lossy=f"the target is configured as {words.seconds(fitted)}",
            )
        return fitted

    def business_days_seconds(self, policy: Policy, context: CompileContext, metric: Metric, target: Target) -> int:
        """N business days as business seconds. Exact when every open day of the
        calendar's week has the same hours and days are counted same-time (N days later
        at the same business moment is N open days of business time); otherwise
        reported. Seasons and partial-day hours are not looked at: the vendor's hours
        hold the regular week only, a loss reported once, for every target, as
        calendar-hours-unsupported; on the hours it holds, the conversion is exact."""
        calendar = policy.calendars[target.calendar.id]
        lengths = {sum(end - start for start, end in intervals) for intervals in day_intervals(calendar).values()} - {0}
        day_minutes = min(lengths) if lengths else 0
        exact = len(lengths) == 1 and target.business_day_mode is BusinessDayMode.SAME_TIME
        seconds = target.duration.business_days * day_minutes * 60
        if not exact:
            self.unsupported(
                context,
                BUSINESS_DAYS_UNSUPPORTED,
                f"{self.vendor} counts business time in hours and minutes and cannot hold "
                f"`{words.duration(target.duration)}` ({metric.value}, {target.business_day_mode.value if target.business_day_mode else 'same-time'}) "
                f"on calendar `{calendar.id}`, whose open days differ in length or are counted to the end of the day",
                target.span,
                hint="promise business hours instead, or use `business_day_mode: same-time` on a calendar whose open days are alike",
                lossy=f"the target is configured as {words.seconds(seconds)} of business time (its shortest open day, {words.seconds(day_minutes * 60)}, per business day)",
            )
        return seconds

    def business_calendar(self, policy: Policy, context: CompileContext, group: SlaGroup) -> str | None:
        """The one calendar a group's business-time targets run on; several are reported
        when the vendor gives one ticket one set of business hours."""
        calendars: dict[str, Target] = {}
        for _, targets in group.table:
            for _, applied in targets:
                target = applied.target
                if target.duration.clock is Clock.BUSINESS and target.calendar is not None:
                    calendars.setdefault(target.calendar.id, target)
        if len(calendars) > 1 and not self.capabilities.mixed_calendars:
            (first, first_target), *others = calendars.items()
            self.unsupported(
                context,
                MIXED_CALENDARS,
                f"{self.vendor} gives a ticket one set of business hours, but targets of tier `{group.tier}` "
                f"on {', '.join(f'`{c}`' for c in group.channels)} run on calendars {', '.join(f'`{c}`' for c in calendars)}",
                others[0][1].span,
                hint="run the business-time targets of one kind of ticket on one calendar",
                lossy=f"every business-time target of these tickets runs on `{first}`",
                related=[Related(first_target.span, f"this target runs on `{first}`")],
            )
        return next(iter(calendars), None)

    def hours_of(self, policy: Policy, context: CompileContext, calendar: Calendar, as_of: dt.date | None) -> dict[str, Any]:
        """A calendar in the shape helpdesks take, with what they cannot hold reported:
        `{"time_zone", "days": {weekday: [(start, end)]}, "closed": [(date, name)]}`."""
        caps = self.capabilities
        zone = calendar.timezone.name
        if self.helpdesk_time_zones:
            start = as_of or UNDATED
            zone_name = equivalent_helpdesk_zone(zone, start, add_years(start, 2))
            if zone_name is None:
                zone_name = nearest_helpdesk_zone(zone, start)
                self.unsupported(
                    context,
                    NO_VENDOR_TIME_ZONE,
                    f"{self.vendor} has no time zone that keeps the clock of `{zone}` (calendar `{calendar.id}`)",
                    calendar.timezone.span,
                    hint=f"use a zone {self.vendor} lists, such as one with the same rules",
                    lossy=f"the business hours use `{zone_name}`, which has the same UTC offset on {start}",
                )
        else:
            zone_name = zone
        for season in calendar.seasons if not caps.seasons else ():
            self.unsupported(
                context,
                CALENDAR_HOURS_UNSUPPORTED,
                f"{self.vendor} {self.hours_noun} have one weekly pattern and cannot hold season `{season.name}` "
                f"({season.start} to {season.end}) of calendar `{calendar.id}`",
                season.span,
                hint=f"keep seasonal hours out of calendars {self.vendor} must follow, or compile without {self.name} (name the other targets with --target)",
                lossy="the regular weekly hours apply during the season",
            )
        for override in calendar.overrides if not caps.partial_days else ():
            if override.windows:
                self.unsupported(
                    context,
                    CALENDAR_HOURS_UNSUPPORTED,
                    f"{self.vendor} {self.hours_noun} cannot hold the hours {words.windows(override.windows)} "
                    f"on {override.date} (calendar `{calendar.id}`)" + (": they close whole days only" if caps.holidays else ""),
                    override.span,
                    hint="close the whole day, or keep the regular hours on it",
                    lossy="the date keeps its regular hours",
                )
        closed = closed_dates(calendar)
        if closed and not caps.holidays:
            self.unsupported(
                context,
                CALENDAR_HOURS_UNSUPPORTED,
                f"{self.vendor} {self.hours_noun} cannot close on holidays or closure dates, but calendar `{calendar.id}` closes on {len(closed)} "
                f"(first {closed[0][0]}, {closed[0][1]})",
                (calendar.holidays.span if calendar.holidays else None) or next((o.span for o in calendar.overrides if not o.windows), calendar.span),
                hint=f"keep {self.vendor}'s calendars free of holidays, or compile without {self.name} (name the other targets with --target)",
                lossy="the hours are the same on those dates as on any other",
            )
            closed = []
        days = day_intervals(calendar)
        limit = caps.windows_per_day
        if limit is not None:
            crowded = [day for day, intervals in days.items() if len(intervals) > limit]
            if crowded:
                self.unsupported(
                    context,
                    CALENDAR_HOURS_UNSUPPORTED,
                    f"{self.vendor} {self.hours_noun} have one opening per day, but calendar `{calendar.id}` opens "
                    f"{len(days[crowded[0]])} times on {words.weekday(crowded[0])}",
                    calendar.hours[0].span if calendar.hours else calendar.span,
                    hint="give each day one opening window",
                    lossy="each day is open from its first opening to its last closing",
                )
                days = {day: [(iv[0][0], iv[-1][1])] if iv else [] for day, iv in days.items()}
        if self.holiday_window_years is not None and as_of is not None and closed:
            end = add_years(as_of, self.holiday_window_years)
            outside = [(day, name) for day, name in closed if not as_of <= day < end]
            if outside:
                self.unsupported(
                    context,
                    HOLIDAYS_OUTSIDE_VENDOR_WINDOW,
                    f"{self.vendor} takes holidays within {self.holiday_window_years} years of {as_of}; "
                    f"calendar `{calendar.id}` closes on {len(outside)} date(s) outside that window (first {outside[0][0]}, {outside[0][1]})",
                    (calendar.holidays.span if calendar.holidays else None) or calendar.span,
                    hint="shorten the policy's horizon, or compile again with a later --as-of when those dates come near",
                    lossy="those dates are left out",
                )
                closed = [(day, name) for day, name in closed if as_of <= day < end]
        return {"time_zone": zone_name, "days": days, "closed": closed}

    def unheld_level_parts(self, context: CompileContext, ladder: Ladder, level: EscalationLevel, held: tuple[str, ...], what_it_holds: str, hint: str) -> None:
        """Report an escalation level's targets and notifications the vendor's
        escalation cannot hold (all but the `held` ones)."""
        lost = [name for name in ("acknowledge", "resolve", "update_interval") if name not in held and getattr(level, name) is not None]
        if not (lost or level.notify):
            return
        what = words.join([f"`{name}` target" for name in lost] + (["notifications"] if level.notify else []))
        self.unsupported(
            context,
            ESCALATION_UNSUPPORTED,
            f"{what_it_holds}: level `{level.name}` of ladder `{ladder.id}` has {what}",
            level.span,
            hint=hint,
            lossy=f"the {what} of the level are not configured",
        )
