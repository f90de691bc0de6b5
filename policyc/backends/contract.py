"""The contract SLA appendix: `contract.md`, `contract.html` and `contract.docx`.

The wording lives in one Jinja2 template, `contract.md.j2`: the legal text with the
policy's values filled in, written for people ("4 business hours", "USD 4,500.00 per
month"). The Markdown it renders is the source of the other two formats: the HTML body
is that Markdown rendered by markdown-it (raw HTML in values is escaped), placed in
`contract.html.j2` with print CSS (`contract.css`); the DOCX is built from the same
Markdown with python-docx. A legal team that edits the wording edits one file, and the
three formats cannot disagree.

Any template can be replaced with `--templates DIR`: a file there with the same name
wins (`reference.docx` there gives the DOCX its styles). Templates run with
`StrictUndefined`, so a misspelt variable is an error, not an empty clause; values in
the Markdown are escaped so a name like `*Acme*` stays text.

Internal objectives never reach the contract: only promised targets are looked up. No
date depends on the day of compiling: dates are as of `--as-of` or the policy's
effective date, and the text says which.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policyc.backends import EVERYTHING, Backend, CompileContext, TemplateError, words
from policyc.backends.classes import declared, sla_dimensions, ticket_channels
from policyc.backends.helpdesk import add_years, closed_dates
from policyc.ir import (
    BusinessDayMode,
    Clock,
    Ladder,
    Metric,
    Policy,
    Selector,
    Target,
)
from policyc.match import Ticket, sla_targets

TEMPLATES = ("contract.md.j2", "contract.html.j2", "contract.css")

_DEFINITIONS = {
    Metric.FIRST_RESPONSE: "the first reply to a Ticket by a member of the Provider's support staff, other than an automatic acknowledgement",
    Metric.NEXT_RESPONSE: "a reply by the Provider's support staff to each later message from the Customer on an open Ticket",
    Metric.UPDATE_INTERVAL: "the longest time between two updates the Provider gives the Customer on an open Ticket",
    Metric.ACKNOWLEDGEMENT: "confirmation to the Customer that a Ticket has been received and assigned to a member of the support staff",
    Metric.RESOLUTION: "the Ticket is resolved: the issue is fixed, a workaround the Customer accepts is in place, or the Customer agrees that the Ticket can be closed",
}

_EXCLUSION_TITLES = {
    "scheduled_maintenance": "scheduled maintenance",
    "force_majeure": "force majeure",
    "customer_delay": "delays caused by the Customer",
    "third_party": "third parties",
}

# What a table cell holds when the policy states nothing for it.
EMPTY_CELL = "—"

# Words the Appendix defines in clause 2 and capitalises wherever it uses them. Phrases
# written by `words` (shared with the helpdesk targets, which define nothing) are put
# in these terms by `defined_terms`.
_TERM_PATTERNS = (
    (re.compile(r"\bbusiness (second|minute|hour|day)(s?)\b"), lambda m: f"Business {m[1].capitalize()}{m[2]}"),
    (re.compile(r"\bticket(s?)\b"), lambda m: f"Ticket{m[1]}"),
    (re.compile(r"\b(the) (first response|next response|status update interval|acknowledgement|resolution) (target)\b"), lambda m: f"{m[1]} {metric_term(m[2])} {m[3]}"),
)


def defined_terms(text: str) -> str:
    """Generated words with the Appendix's defined terms capitalised: `4 business hours`
    becomes `4 Business Hours`, `the ticket` becomes `the Ticket`."""
    for pattern, replace in _TERM_PATTERNS:
        text = pattern.sub(replace, text)
    return text


def metric_term(metric: Metric | str) -> str:
    """The defined term for a metric: `First Response`."""
    return words.metric(metric).title()


def display_name(item) -> str:
    """What the Appendix calls a policy object: its name, else its id made readable
    (`night_desk` becomes `Night desk`), never a bare identifier."""
    return item.name or words.sentence(_spaced(item.id))


class Markdown(str):
    """Text that is already Markdown (a table cell built from escaped parts, a clause
    number): the template's escaping leaves it alone."""


_MARKDOWN_SPECIALS = re.compile(r"([\\`*|<>~])")


def markdown_escape(value: Any) -> str:
    """Text from the policy, made literal in Markdown: what could start emphasis, code,
    a table cell, raw HTML or a link is escaped; line breaks become spaces."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    if re.search(r"\][(\[:]", text):
        text = text.replace("[", "\\[").replace("]", "\\]")
    # An underscore inside a word never starts emphasis; elsewhere it could.
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    return re.sub(r"&(?=#?\w+;)", r"\\&", text)


class Numbering:
    """Clause numbers, handed out in the order the template asks for them, so the
    appendix numbers itself and an optional section shifts the rest."""

    def __init__(self) -> None:
        self.current_section = 0
        self.current_clause = 0

    def section(self) -> Markdown:
        self.current_section += 1
        self.current_clause = 0
        return Markdown(f"{self.current_section}.")

    def clause(self) -> Markdown:
        self.current_clause += 1
        return Markdown(f"{self.current_section}.{self.current_clause}")


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _names(table, references, conjunction: str = "and") -> str:
    return words.join([display_name(table[r.id]) for r in references], conjunction)


def _plans_words(policy: Policy, references) -> str:
    """`the Pro plan`, `the Pro and Enterprise plans`."""
    return f"the {_names(policy.tiers, references)} plan{'s' if len(references) > 1 else ''}"


def _selector_words(policy: Policy, selector: Selector) -> str:
    """`Critical priority Tickets on the Pro and Enterprise plans`."""
    if selector.priorities:
        subject = f"{_names(policy.priorities, selector.priorities, 'or')} priority Tickets"
    else:
        subject = "All Tickets"
    if selector.intents:
        subject += f" classified as {_names(policy.intents, selector.intents, 'or')}"
    if selector.channels:
        subject += f" raised by {_names(policy.channels, selector.channels, 'or')}"
    if selector.tiers:
        subject += f" on {_plans_words(policy, selector.tiers)}"
    if selector.segments:
        subject += f" from {_names(policy.segments, selector.segments, 'or')} customers"
    return subject


@dataclass
class Appendix:
    """Everything the contract templates show, in words."""

    policy: Policy
    context: CompileContext
    calendars_shown: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.as_of, self.as_of_source = self.context.as_of(self.policy)
        contract = self.policy.organisation.contract
        start = contract.effective_date or self.as_of
        if start is not None and contract.term_months:
            self.period = (start, _add_months(start, contract.term_months) - dt.timedelta(days=1))
        elif self.policy.horizon is not None:
            self.period = (self.policy.horizon.start, self.policy.horizon.end)
        elif start is not None:
            self.period = (start, add_years(start, 1) - dt.timedelta(days=1))
        else:
            self.period = None

    # -- parties and dates --------------------------------------------------------

    @property
    def organisation(self) -> str:
        return self.policy.organisation.name

    def party(self, role: str) -> str:
        for party in self.policy.organisation.contract.parties:
            if party.role == role and party.name:
                return party.name
        return f"[{role.capitalize()}]"

    @property
    def other_parties(self) -> list[dict[str, str]]:
        return [
            {"role": p.role.replace("_", " ").capitalize(), "name": p.name}
            for p in self.policy.organisation.contract.parties
            if p.role not in ("provider", "customer")
        ]

    @property
    def effective_date(self) -> str:
        date = self.policy.organisation.contract.effective_date
        return words.date(date) if date else "[Effective date]"

    @property
    def version(self) -> str | None:
        return self.policy.organisation.contract.version

    @property
    def term(self) -> str | None:
        months = self.policy.organisation.contract.term_months
        return words.plural(months, "month") if months else None

    @property
    def as_of_words(self) -> str:
        """`1 January 2026, its effective date`: the date the Appendix is written for,
        and why that date, in the Appendix's own terms."""
        if self.as_of is None:
            return "[Date]"
        date = words.date(self.as_of)
        if self.as_of == self.policy.organisation.contract.effective_date:
            return f"{date}, its effective date"
        if self.policy.horizon is not None and self.as_of == self.policy.horizon.start and self.context.options.as_of is None:
            return f"{date}, the start of the period the policy behind it covers"
        return date

    @property
    def period_words(self) -> str:
        if self.period is None:
            return "the term of the agreement"
        return f"{words.date(self.period[0])} to {words.date(self.period[1])}"

    @property
    def generated(self) -> str:
        return self.context.banner()

    # -- definitions ----------------------------------------------------------------

    @property
    def priorities(self) -> list[dict[str, str]]:
        return [
            {
                "name": display_name(p) + (f" ({p.id})" if _plain_words(p.id) != _plain_words(display_name(p)) else ""),
                "definition": p.definition or "As classified by the Provider when the Ticket is received.",
            }
            for p in self.policy.priorities.values()
        ]

    def promised(self) -> list[tuple[Metric, Target]]:
        """Every promised target of the SLA matrix, in file order."""
        return [(m, t) for entry in self.policy.sla for m, t in entry.targets if not t.internal]

    @property
    def metric_definitions(self) -> list[dict[str, str]]:
        used = {m for m, _ in self.promised()}
        return [{"term": metric_term(m), "text": _DEFINITIONS[m]} for m in Metric if m in used]

    @property
    def uses_business_time(self) -> bool:
        return any(t.duration.clock is Clock.BUSINESS for _, t in self.all_targets())

    @property
    def business_day_modes(self) -> list[str]:
        modes = {t.business_day_mode for _, t in self.all_targets() if t.duration.is_business_days and t.business_day_mode}
        return [m.value for m in BusinessDayMode if m in modes]

    @property
    def uses_goals(self) -> bool:
        return any(t.goal is not None for _, t in self.all_targets())

    @property
    def uses_ranges(self) -> bool:
        return any(t.range is not None for _, t in self.all_targets())

    def all_targets(self) -> list[tuple[str, Target]]:
        found = [(m.value, t) for m, t in self.promised()]
        for ladder in self.policy.escalation.values():
            for level in ladder.levels:
                for name in ("acknowledge", "resolve", "update_interval"):
                    target = getattr(level, name)
                    if target is not None and not target.internal:
                        found.append((name, target))
        refunds = self.policy.refunds
        if refunds is not None and refunds.processing is not None:
            found.append(("processing", refunds.processing))
        return found

    # -- plans and hours ------------------------------------------------------------

    def calendar_name(self, id: str) -> str:
        if id not in self.calendars_shown:
            self.calendars_shown.append(id)
        return display_name(self.policy.calendars[id])

    def _tier_channels(self, tier) -> list[str | None]:
        """Channels the tier's tickets arrive on ([None]: the policy names none)."""
        arriving = ticket_channels(self.policy)
        if tier is None or not tier.channels:
            return list(arriving)
        return [r.id for r in tier.channels if r.id in arriving]

    @property
    def plans(self) -> list[dict[str, Any]]:
        plans = []
        for tier in self.policy.tiers.values():
            channels = [self.policy.channels[c] for c in ([r.id for r in tier.channels] or list(self.policy.channels))]
            plans.append(
                {
                    "name": display_name(tier),
                    "price": words.sentence(words.price(tier.price)) if tier.price else "As agreed",
                    "channels": words.join([display_name(c) for c in channels]) or EMPTY_CELL,
                    "coverage": self.calendar_name(tier.coverage.id) if tier.coverage else "The hours of each channel",
                    "extras": words.join(list(tier.extras)) or EMPTY_CELL,
                    "description": tier.description,
                }
            )
        return plans

    @property
    def channels(self) -> list[dict[str, str]]:
        rows = []
        for channel in self.policy.channels.values():
            notes = []
            if channel.self_service:
                notes.append("self-service, no response targets")
            if channel.paid_only:
                notes.append("paid plans only")
            if channel.data_classes:
                notes.append(f"only for data classed as {_names(self.policy.data_classes, channel.data_classes, 'or')}")
            hours = self.calendar_name(channel.calendar.id) if channel.calendar else "Always available"
            rows.append({"name": display_name(channel), "hours": hours, "notes": words.sentence("; ".join(notes)) or EMPTY_CELL})
        return rows

    def _calendars_in_use(self) -> list[str]:
        ids: list[str] = []
        for tier in self.policy.tiers.values():
            if tier.coverage:
                ids.append(tier.coverage.id)
        ids += [c.calendar.id for c in self.policy.channels.values() if c.calendar]
        ids += [t.calendar.id for _, t in self.all_targets() if t.calendar and t.duration.clock is Clock.BUSINESS]
        for ladder in self.policy.escalation.values():
            for level in ladder.levels:
                calendar = level.calendar or self.policy.teams[level.team.id].calendar
                if calendar is not None:
                    ids.append(calendar.id)
        return list(dict.fromkeys(ids))

    @property
    def calendars(self) -> list[dict[str, Any]]:
        shown = []
        for id in self._calendars_in_use():
            calendar = self.policy.calendars[id]
            self.calendar_name(id)
            shown.append(
                {
                    "name": display_name(calendar),
                    "timezone": calendar.timezone.name,
                    "hours": [words.sentence(line) for line in words.weekly_hours(calendar)],
                    "seasons": [
                        f"From {words.date(s.start)} to {words.date(s.end)} ({s.name}): "
                        + "; ".join(f"{words.weekdays(h.days)}: {words.windows(h.windows)}" for h in s.hours)
                        for s in calendar.seasons
                        if self._in_period(s.start, s.end)
                    ],
                    "partial_days": [
                        f"{words.date(o.date)}: {words.windows(o.windows)}" + (f" ({o.reason})" if o.reason else "")
                        for o in calendar.overrides
                        if o.windows and self._in_period(o.date, o.date)
                    ],
                }
            )
        return shown

    def _in_period(self, start: dt.date, end: dt.date) -> bool:
        return self.period is None or (start <= self.period[1] and end >= self.period[0])

    @property
    def holidays(self) -> list[dict[str, Any]]:
        """Closed dates in the contract period, calendars with the same dates together."""
        groups: list[dict[str, Any]] = []
        for id in self._calendars_in_use():
            calendar = self.policy.calendars[id]
            dates = [(day, name) for day, name in closed_dates(calendar) if self._in_period(day, day)]
            if not dates or calendar.always_open:
                continue
            rows = [{"date": words.date(day), "name": name} for day, name in dates]
            for group in groups:
                if group["rows"] == rows:
                    group["calendars"].append(display_name(calendar))
                    break
            else:
                groups.append({"calendars": [display_name(calendar)], "rows": rows})
        return [
            {"calendars": f"The {words.join(g['calendars'])} calendar{'s are' if len(g['calendars']) > 1 else ' is'}", "rows": g["rows"]}
            for g in groups
        ]

    # -- targets --------------------------------------------------------------------

    def _cell(self, target: Target, calendars: set[str]) -> str:
        text = defined_terms(words.target(target))
        if target.duration.clock is Clock.BUSINESS and target.calendar and len(calendars) > 1:
            text += f" ({self.calendar_name(target.calendar.id)})"
        return text

    @property
    def targets(self) -> list[dict[str, Any]]:
        """Per plan, a table: one row per priority and group of channels with the same
        promises, then rows for the intents and segments the policy treats differently.
        Each table has its `columns` and each row its `cells`, in words."""
        dimensions = sla_dimensions(self.policy)
        priorities = declared(self.policy.priorities)
        # The tier's own targets first, then each narrower case.
        cases = sorted(
            ((i, s) for i in dimensions.intent for s in dimensions.segment),
            key=lambda case: (case[0] is not None) + (case[1] is not None),
        )
        tables = []
        for tier_id in declared(self.policy.tiers):
            tier = self.policy.tiers.get(tier_id) if tier_id else None
            channels = self._tier_channels(tier)
            lookups: dict[tuple, dict[Metric, Target]] = {}
            for priority in priorities:
                for intent, segment in cases:
                    for channel in channels:
                        applied = sla_targets(self.policy, Ticket(tier_id, channel, priority, intent, segment))
                        lookups[(priority, intent, segment, channel)] = {m: a.target for m, a in applied.items()}
            metrics = [m for m in Metric if any(m in found for found in lookups.values())]
            if not metrics:
                # The plan is still named, so a reader sees it carries no targets.
                tables.append({"plan": display_name(tier) if tier else None, "columns": [], "rows": [], "note": None})
                continue
            calendars = {t.calendar.id for found in lookups.values() for t in found.values() if t.calendar and t.duration.clock is Clock.BUSINESS}
            rows: list[tuple[str | None, list[str]]] = []
            for intent, segment in cases:
                narrowed_case = intent is not None or segment is not None
                # (priority, channel) pairs by their row of cells. A narrower case shows
                # only what differs from the tier's own targets ("As above" elsewhere),
                # so its pairs usually collapse into one row.
                grouped: dict[tuple, list[tuple[str | None, str | None]]] = {}
                for priority in priorities:
                    for channel in channels:
                        found = lookups[(priority, intent, segment, channel)]
                        if narrowed_case:
                            generic = lookups[(priority, None, None, channel)]
                            found = {m: t for m, t in found.items() if generic.get(m) != t}
                        if found:
                            grouped.setdefault(tuple(found.get(m) for m in metrics), []).append((priority, channel))
                for key, pairs in grouped.items():
                    filler = "As above" if narrowed_case else "No target"
                    cells = [self._cell(t, calendars) if t else filler for t in key]
                    for priority_words, channel_words in self._pair_rows(pairs, priorities, channels):
                        prefix = [priority_words] if priorities != (None,) else []
                        rows.append((self._case(intent, segment) or None, prefix + [channel_words] + cells))
            note = None
            if len(calendars) == 1:
                note = f"Business Hours and Business Days for these targets are those of the {self.calendar_name(next(iter(calendars)))} calendar."
            # A "Case" column only where some rows are for an intent or segment.
            narrowed = any(case for case, _ in rows)
            columns = (["Case"] if narrowed else []) + (["Priority"] if priorities != (None,) else []) + ["Channels"]
            tables.append(
                {
                    "plan": display_name(tier) if tier else None,
                    "columns": columns + [metric_term(m) for m in metrics],
                    "rows": [([case or "All Tickets"] if narrowed else []) + cells for case, cells in rows],
                    "note": note,
                }
            )
        return tables

    def _pair_rows(self, pairs, priorities, channels) -> list[tuple[str, str]]:
        """(priority, channels) cells for a set of priority and channel pairs: one row
        when they are every pairing of their priorities and channels, else one row per
        priority."""
        def channel_words(ids) -> str:
            if list(ids) == list(channels) and len(channels) > 1:
                return "All channels"
            return words.join([display_name(self.policy.channels[c]) for c in ids if c]) or "Any"

        def priority_words(ids) -> str:
            if list(ids) == list(priorities) and len(priorities) > 1:
                return "Any"
            return words.join([display_name(self.policy.priorities[p]) if p else "Any" for p in ids])

        used_priorities = [p for p in priorities if any(p == q for q, _ in pairs)]
        used_channels = [c for c in channels if any(c == d for _, d in pairs)]
        if len(pairs) == len(used_priorities) * len(used_channels) and len(used_priorities) > 1:
            return [(priority_words(used_priorities), channel_words(used_channels))]
        return [
            (priority_words([p]), channel_words([c for q, c in pairs if q == p]))
            for p in used_priorities
        ]

    def _case(self, intent: str | None, segment: str | None) -> str:
        parts = []
        if intent is not None:
            parts.append(display_name(self.policy.intents[intent]))
        if segment is not None:
            parts.append(f"{display_name(self.policy.segments[segment])} customers")
        return ", ".join(parts)

    # -- escalation -----------------------------------------------------------------

    @property
    def ladders(self) -> list[dict[str, Any]]:
        found = []
        for ladder in self.policy.escalation.values():
            levels = self._levels(ladder)
            # A contact column only where some level has a contact of its own.
            contacts = any(level["contact"] for level in levels)
            found.append(
                {
                    "name": display_name(ladder),
                    "applies": _selector_words(self.policy, ladder.applies_to),
                    "columns": ["Level", "Who"] + (["Contact"] if contacts else []) + ["Hours", "Engaged", "Commitments"],
                    "rows": [
                        [level["level"], level["who"]]
                        + ([level["contact"] or "Through the support channels"] if contacts else [])
                        + [level["hours"], level["when"], level["commitments"]]
                        for level in levels
                    ],
                }
            )
        return found

    def _levels(self, ladder: Ladder) -> list[dict[str, str]]:
        levels = []
        for number, level in enumerate(ladder.levels, start=1):
            team = self.policy.teams[level.team.id]
            who = team_name = display_name(team)
            if level.role is not None:
                role = display_name(self.policy.roles[level.role.id])
                # "Tier 1 agent" of the "Tier 1 agents" team needs no second mention.
                who = role if _plain_words(team_name).startswith(_plain_words(role)) else f"{role} ({team_name})"
            contact = level.contact or team.contact
            calendar = level.calendar or team.calendar
            commitments = []
            for name, label in (("acknowledge", "acknowledges within"), ("resolve", "resolves within")):
                target = getattr(level, name)
                if target is not None and not target.internal:
                    commitments.append(f"{label} {words.target(target)}")
            if level.update_interval is not None and not level.update_interval.internal:
                commitments.append(f"updates the Customer at least {interval_words(level.update_interval)}")
            for notification in level.notify:
                role = display_name(self.policy.roles[notification.role.id])
                commitments.append(f"notifies {role} within {words.duration(notification.within)}")
            # The level's name where it adds to who is engaged ("On-call responder").
            named = level.name and _plain_words(level.name) not in (_plain_words(team_name), _plain_words(who))
            levels.append(
                {
                    "level": f"{number}. {level.name}" if named else str(number),
                    "who": who,
                    "contact": contact,
                    "hours": self.calendar_name(calendar.id) if calendar else "As staffed",
                    "when": defined_terms(words.sentence(words.trigger(level.trigger))),
                    "commitments": defined_terms(words.sentence("; ".join(commitments))) or EMPTY_CELL,
                }
            )
        return levels

    # -- credits, refunds, exclusions ------------------------------------------------

    @property
    def credits(self) -> dict[str, Any] | None:
        credits = self.policy.credits
        if credits is None:
            return None
        return {
            "period": credits.period.value,
            "plans": _plans_words(self.policy, credits.applies_to.tiers) if credits.applies_to.tiers else "every plan",
            "bands": [
                {"attainment": words.sentence(words.bounds(b.lower, b.upper, words.percentage)), "credit": words.percentage(b.credit)}
                for b in credits.bands
            ],
            "cap": words.percentage(credits.cap) if credits.cap else None,
            "repeated": (
                {"periods": str(credits.repeated_breach.periods), "credit": words.percentage(credits.repeated_breach.credit)}
                if credits.repeated_breach
                else None
            ),
            "claim_window": words.duration(credits.claim_window) if credits.claim_window else None,
            "exclusions": words.join([self._exclusion_title(r.id) for r in credits.exclusions], "or"),
        }

    @property
    def refunds(self) -> dict[str, Any] | None:
        refunds = self.policy.refunds
        if refunds is None:
            return None
        return {
            "approvals": [
                {
                    "amount": words.sentence(words.bounds(band.lower, band.upper, words.money)),
                    "approvers": _names(self.policy.roles, band.approvers),
                }
                for band in refunds.approvals
            ],
            "processing": defined_terms(words.target(refunds.processing)) if refunds.processing and not refunds.processing.internal else None,
            "return_window": words.duration(refunds.return_window) if refunds.return_window else None,
            "restocking_fee": words.percentage_range(refunds.restocking_fee) if refunds.restocking_fee else None,
        }

    def _exclusion_title(self, id: str) -> str:
        """`scheduled maintenance`: what an exclusion is called within a sentence."""
        exclusion = self.policy.exclusions[id]
        if exclusion.kind.value in _EXCLUSION_TITLES:
            return _EXCLUSION_TITLES[exclusion.kind.value]
        return _spaced(id).lower()

    @property
    def exclusions(self) -> list[dict[str, str]]:
        return [
            {
                "title": words.sentence(self._exclusion_title(id)),
                "text": exclusion.description,
                "notice": words.duration(exclusion.notice) if exclusion.notice else None,
            }
            for id, exclusion in self.policy.exclusions.items()
        ]


def _spaced(id: str) -> str:
    """An id's words: `night_desk-rota` -> `night desk rota`."""
    return re.sub(r"[_-]+", " ", id)


def _plain_words(text: str) -> str:
    """A name or id reduced for comparison: `Tier 1 agents`, `tier_1-agents` -> `tier 1 agents`."""
    return " ".join(_spaced(text).lower().split())


def interval_words(target: Target) -> str:
    """`every 4 Business Hours`, `every week` (not `every 1 week`)."""
    text = defined_terms(words.target(target))
    return f"every {text.removeprefix('1 ') if target.duration.amount == 1 else text}"


# --- rendering ------------------------------------------------------------------------


def table_row(cells: list[Any]) -> Markdown:
    """A Markdown table row, each cell escaped: `| Critical | Service down. |`."""
    return Markdown("| " + " | ".join(markdown_escape(cell) for cell in cells) + " |")


def table_head(cells: list[Any]) -> Markdown:
    """A Markdown table header and its rule line."""
    return Markdown(table_row(cells) + "\n|" + "---|" * len(cells))


def css_string(value: Any):
    """A value as a quoted CSS string, safe inside a `<style>` element: quotes,
    backslashes, line breaks and `<` are written as CSS escapes."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>&\n\r' else c for c in str(value))
    return _markup(f'"{escaped}"')


def _environment(templates: Path | None, html: bool):
    import jinja2  # deferred: only compiling a contract needs it

    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("policyc", "templates/contract")]
    if templates is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(templates)))
    options: dict[str, Any] = {
        "loader": jinja2.ChoiceLoader(loaders),
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if html:
        environment = jinja2.Environment(autoescape=True, **options)
        environment.filters["css_string"] = css_string
        return environment
    environment = jinja2.Environment(autoescape=False, finalize=markdown_escape, **options)
    environment.globals.update(row=table_row, head=table_head)
    return environment


def markdown_renderer():
    from markdown_it import MarkdownIt  # deferred, as jinja2

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


class ContractBackend(Backend):
    name = "contract"
    description = "the numbered SLA appendix (contract.md, contract.html, contract.docx)"
    capabilities = EVERYTHING

    def generate(self, policy: Policy, context: CompileContext) -> dict[str, bytes | str]:
        import jinja2

        try:
            return self.render(policy, context)
        except jinja2.TemplateNotFound as error:
            raise TemplateError(f"contract template {error.name} not found") from None
        except jinja2.TemplateError as error:
            raise TemplateError(f"contract template {_template_place(error)}{_plain(error.message or '')}") from None

    def render(self, policy: Policy, context: CompileContext) -> dict[str, bytes | str]:
        templates = context.options.templates
        appendix = Appendix(policy, context)
        markdown = _environment(templates, html=False).get_template("contract.md.j2").render(a=appendix, number=Numbering())
        body = markdown_renderer().render(markdown)
        html_environment = _environment(templates, html=True)
        css = html_environment.loader.get_source(html_environment, "contract.css")[0]
        html = html_environment.get_template("contract.html.j2").render(a=appendix, body=_markup(body), css=_markup(css))
        from policyc.backends.docx import markdown_to_docx

        docx = markdown_to_docx(
            markdown,
            title=f"Service Level Appendix: {policy.organisation.name}",
            header=f"{policy.organisation.name}: Service Level Appendix",
            generated_by=context.generated_by,
            as_of=appendix.as_of,
            reference=templates / "reference.docx" if templates and (templates / "reference.docx").is_file() else None,
        )
        return {"contract.md": f"<!-- {context.banner()} -->\n\n{markdown}", "contract.html": html, "contract.docx": docx}


def _template_place(error) -> str:
    """`contract.md.j2, line 12: `: where in a template rendering failed."""
    name, line = getattr(error, "name", None), getattr(error, "lineno", None)
    if not (name and line):
        import traceback

        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(TEMPLATES)]
        if frames:
            name, line = Path(frames[-1].filename).name, frames[-1].lineno
    return f"{name}, line {line}: " if name and line else ""


def _plain(message: str) -> str:
    """A Jinja message without Python class names: `this value has no attribute 'x'`."""
    return re.sub(r"'[\w.]+ object'", "this value", message)


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)


BACKEND = ContractBackend()
