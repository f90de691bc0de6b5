"""Resolution: references between sections, defaults, the horizon and public holidays.

Takes the IR as written and returns it ready for the checker and the back ends: every
reference points at a definition, business-time targets and channels know their
calendar, and each calendar carries its public holidays as dates within the horizon.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from typing import Any, Iterator

from policyc import ir, tz
from policyc.diagnostics import Diagnostic, Related, Severity
from policyc.diagnostics.rules import define, example_policy

UNKNOWN_REFERENCE = define(
    "PC201",
    "unknown-reference",
    Severity.ERROR,
    "A reference to a calendar, channel, tier, team, queue or role that is not defined.",
    what="""
        Reports a name used where a definition from another section is expected (a
        tier's channels, an SLA entry's calendar, a routing rule's queue, an
        approver's role) when no definition of that name exists, with the closest
        defined name.
    """,
    why="""
        A dangling reference is a promise that nothing delivers: a tier that includes
        a channel nobody staffs, tickets routed to a queue that does not exist.
    """,
    example_fail=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
        channels:
          email:
            kind: email
            calendar: office
        tiers:
          basic:
            channels: [emial]
        """
    ),
    example_pass=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
        channels:
          email:
            kind: email
            calendar: office
        tiers:
          basic:
            channels: [email]
        """
    ),
)

DUPLICATE_DEFINITION = define(
    "PC202",
    "duplicate-definition",
    Severity.ERROR,
    "Two definitions with the same id.",
    what="""
        Reports two SLA entries, routing rules or escalation levels (in one ladder)
        with the same id or name, or two definitions of the same name in a DSL file.
    """,
    why="""
        Diagnostics, routing output and helpdesk configurations name things by id; two
        things with one name cannot be told apart there.
    """,
    example_fail=example_policy(
        """
        sla:
          - id: standard
            first_response: 24h
          - id: standard
            resolution: 72h
        """
    ),
    example_pass=example_policy(
        """
        sla:
          - id: standard-response
            first_response: 24h
          - id: standard-resolution
            resolution: 72h
        """
    ),
)

MISSING_HORIZON = define(
    "PC203",
    "missing-horizon",
    Severity.ERROR,
    "Public holidays are used but no dates say which years the policy covers.",
    what="""
        Reports a policy whose calendars close on public holidays but that has neither
        `organisation.contract.effective_date` nor `horizon`.
    """,
    why="""
        Holidays move from year to year. policyc resolves them for an explicit period,
        never for "the current year", so that the same policy gives the same output on
        any day it is compiled.
    """,
    example_fail=example_policy(
        """
        calendars:
          office:
            timezone: America/New_York
            hours:
              mon-fri: 09:00-17:00
            holidays:
              country: US
        """, timezone="America/New_York"
    ),
    example_pass=example_policy(
        """
        calendars:
          office:
            timezone: America/New_York
            hours:
              mon-fri: 09:00-17:00
            holidays:
              country: US
        """, timezone="America/New_York", effective_date="2026-01-01"
    ),
)

MISSING_CALENDAR = define(
    "PC204",
    "missing-calendar",
    Severity.ERROR,
    "A staffed channel or a team with no calendar.",
    what="""
        Reports a channel (other than a self-service one) or a team that names no
        calendar when the policy has no `defaults.calendar` either.
    """,
    why="""
        Whether a channel is staffed, and when a team can take an escalation, depends
        on its hours. Without a calendar, coverage cannot be checked and routing cannot
        tell open from closed.
    """,
    example_fail=example_policy(
        """
        channels:
          phone:
            kind: phone
        """
    ),
    example_pass=example_policy(
        """
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
        channels:
          phone:
            kind: phone
            calendar: office
        """
    ),
)

UNKNOWN_TIME_ZONE = define(
    "PC401",
    "unknown-time-zone",
    Severity.ERROR,
    "A time zone that is not in the IANA time zone database.",
    what="""
        Reports a `timezone` that is not an IANA zone name such as `America/New_York`
        or `Europe/London`, with the closest known name.
    """,
    why="""
        Business hours are local hours. Abbreviations like `EST` or `PST` do not follow
        daylight saving time and names like `New York` are not zones, so every due
        instant computed from them would be off by an hour for half the year, or
        could not be computed at all.
    """,
    example_fail="""
        policyc: 1
        organisation:
          name: Acme
          currency: USD
          timezone: America/NewYork
    """,
    example_pass=example_policy(timezone="America/New_York"),
)

UNKNOWN_HOLIDAY_COUNTRY = define(
    "PC404",
    "unknown-holiday-country",
    Severity.ERROR,
    "A holiday country that the `holidays` package does not know.",
    what="""
        Reports a `holidays.country` that is not an ISO 3166 code with public holidays
        in the `holidays` package.
    """,
    why="""
        Without the country, the calendar would stay open on every public holiday,
        and due instants would be wrong on exactly the days customers notice.
    """,
    example_fail="""
        policyc: 1
        organisation:
          name: Acme
          currency: GBP
          timezone: Europe/London
          contract:
            effective_date: 2026-01-01
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
            holidays:
              country: EN
    """,
    example_pass="""
        policyc: 1
        organisation:
          name: Acme
          currency: GBP
          timezone: Europe/London
          contract:
            effective_date: 2026-01-01
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
            holidays:
              country: GB
              subdivision: ENG
    """,
)

UNKNOWN_HOLIDAY_SUBDIVISION = define(
    "PC405",
    "unknown-holiday-subdivision",
    Severity.ERROR,
    "A holiday subdivision (state, province, region) the country does not have.",
    what="""
        Reports a `holidays.subdivision` that is not one of the country's subdivisions
        in the `holidays` package, listing the ones it has.
    """,
    why="""
        Regional holidays differ (Scotland's bank holidays are not England's); an
        unknown subdivision would silently fall back to the national list.
    """,
    example_fail=example_policy(
        """
        calendars:
          office:
            timezone: America/New_York
            hours:
              mon-fri: 09:00-17:00
            holidays:
              country: US
              subdivision: NYC
        """, timezone="America/New_York", effective_date="2026-01-01"
    ),
    example_pass=example_policy(
        """
        calendars:
          office:
            timezone: America/New_York
            hours:
              mon-fri: 09:00-17:00
            holidays:
              country: US
              subdivision: NY
        """, timezone="America/New_York", effective_date="2026-01-01"
    ),
)

_SECTION_OF = {
    "calendar": "calendars",
    "channel": "channels",
    "priority": "priorities",
    "tier": "tiers",
    "team": "teams",
    "queue": "queues",
    "role": "roles",
    "intent": "intents",
    "data_class": "data_classes",
    "segment": "segments",
    "exclusion": "exclusions",
}


def _walk(value: Any) -> Iterator[Any]:
    """Every IR node and value below `value`, depth first, in source order."""
    yield value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in ("span", "source"):
                yield from _walk(getattr(value, f.name))
    elif isinstance(value, ir.Table):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, (tuple, list, frozenset)):
        for item in value:
            yield from _walk(item)


def references(policy: ir.Policy) -> Iterator[ir.Ref]:
    seen: set[tuple[str, str, Any]] = set()
    for node in _walk(policy):
        if isinstance(node, ir.Ref):
            key = (node.kind, node.id, node.span)
            if key not in seen:
                seen.add(key)
                yield node


def resolve(policy: ir.Policy) -> tuple[ir.Policy, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    diagnostics += _unknown_references(policy)
    diagnostics += _duplicates(policy)
    diagnostics += _unknown_zones(policy)
    policy = _apply_defaults(policy, diagnostics)
    horizon = policy.horizon or _default_horizon(policy)
    policy = dataclasses.replace(policy, horizon=horizon)
    calendars = {}
    for id, calendar in policy.calendars.items():
        if calendar.holidays is None:
            calendars[id] = calendar
            continue
        if horizon is None:
            diagnostics.append(
                MISSING_HORIZON.diagnostic(
                    f"calendar `{id}` closes on public holidays, but no dates say which years the policy covers",
                    calendar.holidays.span,
                    hint="add `effective_date:` under `organisation.contract`, or a `horizon:` with `start` and `end` dates",
                )
            )
            calendars[id] = calendar
            continue
        found, problems = _holidays(calendar.holidays, horizon)
        diagnostics += problems
        calendars[id] = dataclasses.replace(calendar, holiday_dates=found)
    return dataclasses.replace(policy, calendars=ir.Table(calendars)), diagnostics


def _unknown_references(policy: ir.Policy) -> list[Diagnostic]:
    diagnostics = []
    for ref in references(policy):
        table = policy.sections[ref.kind]
        if ref.id in table:
            continue
        section = _SECTION_OF[ref.kind]
        kind_words = ref.kind.replace("_", " ")
        close = difflib.get_close_matches(ref.id, list(table), n=1, cutoff=0.6)
        if close:
            hint = f"did you mean `{close[0]}`?"
        elif table:
            hint = f"the {section.replace('_', ' ')} defined are: {', '.join(f'`{k}`' for k in table)}"
        else:
            hint = f"define it under `{section}:`"
        diagnostics.append(
            UNKNOWN_REFERENCE.diagnostic(f"`{ref.id}` is not a {kind_words} defined in `{section}`", ref.span, hint=hint)
        )
    return diagnostics


def _zones(policy: ir.Policy) -> Iterator[tuple[str, ir.TimeZone]]:
    if policy.organisation.timezone is not None:
        yield "the organisation", policy.organisation.timezone
    for calendar in policy.calendars.values():
        yield f"calendar `{calendar.id}`", calendar.timezone


def _unknown_zones(policy: ir.Policy) -> list[Diagnostic]:
    diagnostics = []
    for owner, zone in _zones(policy):
        if tz.is_zone(zone.name):
            continue
        by_folded = {_fold(name): name for name in tz.zone_names()}
        if _fold(zone.name) in by_folded:
            close = [by_folded[_fold(zone.name)]]
        else:
            close = difflib.get_close_matches(zone.name, sorted(tz.zone_names()), n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else "use an IANA zone name such as `America/New_York` or `Europe/London`"
        diagnostics.append(UNKNOWN_TIME_ZONE.diagnostic(f"`{zone.name}` ({owner}) is not an IANA time zone", zone.span, hint=hint))
    return diagnostics


def _fold(name: str) -> str:
    return name.lower().replace(" ", "").replace("_", "")


def _duplicates(policy: ir.Policy) -> list[Diagnostic]:
    diagnostics = []

    def report(things: list[tuple[str, Any]], what: str) -> None:
        first: dict[str, Any] = {}
        for name, node in things:
            if name in first:
                diagnostics.append(
                    DUPLICATE_DEFINITION.diagnostic(
                        f"{what} `{name}` is defined twice",
                        node.span,
                        hint=f"give each {what} its own id",
                        related=[Related(first[name].span, f"{what} `{name}` first defined here")],
                    )
                )
            else:
                first[name] = node

    report([(e.id, e) for e in policy.sla if e.id], "SLA entry")
    report([(r.id, r) for r in policy.routing.rules], "routing rule")
    for ladder in policy.escalation.values():
        report([(level.name, level) for level in ladder.levels], f"level of escalation `{ladder.id}`")
    return diagnostics


def _apply_defaults(policy: ir.Policy, diagnostics: list[Diagnostic]) -> ir.Policy:
    """Fill in what the author left to `defaults:`, so later stages never re-derive it."""
    calendar = policy.defaults.calendar
    mode = policy.defaults.business_day_mode

    def target(t: ir.Target | None, works_on: ir.Ref | None = None) -> ir.Target | None:
        if t is None or t.duration.clock is not ir.Clock.BUSINESS:
            return t
        return dataclasses.replace(t, calendar=t.calendar or works_on or calendar, business_day_mode=t.business_day_mode or mode)

    def staffed(thing, what: str, needs_calendar: bool):
        if thing.calendar is not None:
            return thing
        if calendar is None:
            if needs_calendar:
                diagnostics.append(
                    MISSING_CALENDAR.diagnostic(
                        f"{what} `{thing.id}` has no calendar, so policyc cannot tell when it is staffed",
                        thing.span,
                        hint="add `calendar: <id>` to it, or set `defaults.calendar`",
                    )
                )
            return thing
        return dataclasses.replace(thing, calendar=calendar)

    channels = {id: staffed(c, "channel", not c.self_service) for id, c in policy.channels.items()}
    teams = {id: staffed(t, "team", True) for id, t in policy.teams.items()}
    sla = tuple(
        dataclasses.replace(entry, targets=tuple((metric, target(t)) for metric, t in entry.targets)) for entry in policy.sla
    )
    def level_defaults(level: ir.EscalationLevel) -> ir.EscalationLevel:
        # A level works when its team works unless it says otherwise, and its
        # business-time targets run on the hours it works.
        team = teams.get(level.team.id) if level.team is not None else None
        works_on = level.calendar or (team.calendar if team is not None else None)
        return dataclasses.replace(
            level,
            calendar=works_on,
            acknowledge=target(level.acknowledge, works_on),
            resolve=target(level.resolve, works_on),
            update_interval=target(level.update_interval, works_on),
        )

    ladders = {
        id: dataclasses.replace(ladder, levels=tuple(level_defaults(level) for level in ladder.levels))
        for id, ladder in policy.escalation.items()
    }
    refunds = policy.refunds
    if refunds is not None:
        refunds = dataclasses.replace(refunds, processing=target(refunds.processing))
    return dataclasses.replace(
        policy,
        channels=ir.Table(channels),
        teams=ir.Table(teams),
        sla=sla,
        escalation=ir.Table(ladders),
        refunds=refunds,
    )


def _default_horizon(policy: ir.Policy) -> ir.Horizon | None:
    start = policy.organisation.contract.effective_date
    if start is None:
        return None
    end = _add_years(start, 2) - dt.timedelta(days=1)
    return ir.Horizon(start, end, policy.organisation.contract.span)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- public holidays -----------------------------------------------------------------


def _country_codes() -> dict[str, str]:
    """Every country code and alias the `holidays` package accepts, to its name."""
    from holidays import registry

    codes = {}
    for entry in registry.COUNTRIES.values():
        name, *aliases = entry
        for alias in aliases:
            if len(alias) <= 3 and alias.isupper():
                codes[alias] = name
    return codes


def _holidays(rule: ir.HolidayRule, horizon: ir.Horizon) -> tuple[tuple[ir.Holiday, ...], list[Diagnostic]]:
    import holidays  # deferred: only policies with holiday calendars pay for it

    codes = _country_codes()
    if rule.country not in codes:
        close = difflib.get_close_matches(rule.country, list(codes), n=3, cutoff=0.5)
        hint = "use an ISO 3166 country code such as US, GB or DE"
        if close:
            hint += f"; close matches: {', '.join(f'{c} ({codes[c]})' for c in close)}"
        return (), [UNKNOWN_HOLIDAY_COUNTRY.diagnostic(f"`{rule.country}` is not a country the holidays calendar knows", rule.country_span, hint=hint)]

    country = holidays.country_holidays(rule.country)
    subdivision = rule.subdivision
    if subdivision is not None:
        aliases = getattr(country, "subdivisions_aliases", {}) or {}
        if subdivision in aliases:
            subdivision = aliases[subdivision]
        if subdivision not in country.subdivisions:
            close = difflib.get_close_matches(subdivision, list(country.subdivisions), n=1, cutoff=0.5)
            listed = ", ".join(country.subdivisions) or "none"
            hint = f"did you mean `{close[0]}`? " if close else ""
            hint += f"{rule.country} has these subdivisions: {listed}"
            return (), [
                UNKNOWN_HOLIDAY_SUBDIVISION.diagnostic(
                    f"`{rule.subdivision}` is not a subdivision of {rule.country} in the holidays calendar",
                    rule.subdivision_span,
                    hint=hint,
                )
            ]

    years = list(range(horizon.start.year, horizon.end.year + 1))
    language = "en_US" if "en_US" in (country.supported_languages or ()) else None

    def table(observed: bool) -> dict[dt.date, str]:
        found = holidays.country_holidays(rule.country, subdiv=subdivision, years=years, observed=observed, language=language)
        return dict(found.items())

    actual = table(False)
    with_observed = table(True)
    shifted = {day: name for day, name in with_observed.items() if day not in actual}
    # The actual date each observed date stands in for (a Saturday 4 July is observed
    # on Friday 3 July).
    stands_in_for = {
        moved: day
        for day, name in actual.items()
        for moved, moved_name in shifted.items()
        if abs((moved - day).days) <= 7 and _same_holiday(name, moved_name)
    }
    if rule.dates is ir.HolidayDates.ACTUAL:
        chosen = actual
    elif rule.dates is ir.HolidayDates.BOTH:
        chosen = with_observed
    else:  # the observed date replaces the actual one: only the Friday is a day off
        replaced = set(stands_in_for.values())
        chosen = {day: name for day, name in with_observed.items() if day not in replaced}
    excluded = set(rule.except_names)

    def names(day: dt.date, name: str) -> set[str]:
        """The holiday's names; an observed date also goes by its actual date's, so
        `except: [Independence Day]` keeps 3 July open as well as 4 July."""
        found = {part.strip() for part in name.split(";")}
        if day in stands_in_for:
            found |= {part.strip() for part in actual[stands_in_for[day]].split(";")}
        return found

    found = tuple(
        ir.Holiday(day, name)
        for day, name in sorted(chosen.items())
        if horizon.start <= day <= horizon.end and not names(day, name) & excluded
    )
    return found, []


def _same_holiday(name: str, observed_name: str) -> bool:
    return any(part.strip() and part.strip() in observed_name for part in name.split(";"))
