"""The routing table: every ticket class the policy tells apart, with its queue, its
SLA targets and its escalation ladder, as JSON and as CSV.

One row per ticket class (see `policyc.backends.classes`). A class whose queue depends
on whether a calendar is open (`when: open: office`) has one row per state of the
calendars that decide it, and says which in `calendar_state`. Queues come from
`policyc.match.route` and targets from `policyc.match.sla_targets`, the same functions
`policyc route` and the checker use, so the table and the router cannot disagree.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any, Iterator

from policyc.backends import EVERYTHING, Backend, CompileContext, dump_json
from policyc.backends import words
from policyc.backends.classes import FIELDS, condition_calendars, label, routes, routing_dimensions
from policyc.ir import Clock, Ladder, Metric, Policy, SlaEntry, Target
from policyc.match import ladder_for, sla_targets

# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def entry_label(policy: Policy, entry: SlaEntry) -> str:
    """An SLA entry's id, or its position in the `sla` list when it has none."""
    if entry.id:
        return entry.id
    return f"#{next(i for i, e in enumerate(policy.sla) if e is entry) + 1}"


def json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def target_record(target: Target) -> dict[str, Any]:
    """A target in machine units: seconds, or whole business days (which are not a
    fixed number of seconds), with the clock and calendar it runs on."""
    days = target.duration.is_business_days
    business = target.duration.clock is Clock.BUSINESS
    record = {
        "seconds": None if days else target.duration.seconds,
        "business_days": target.duration.business_days if days else None,
        "clock": target.duration.clock.value,
        "calendar": target.calendar.id if business and target.calendar else None,
        "business_day_mode": target.business_day_mode.value if days and target.business_day_mode else None,
        "goal_percent": json_number(target.goal.value) if target.goal else None,
    }
    # What does not apply is left out: the table has a row per ticket class, and most
    # targets have no goal, no calendar or no business-day mode.
    return {key: value for key, value in record.items() if value is not None}


def ladder_record(ladder: Ladder) -> dict[str, Any]:
    levels = []
    for number, level in enumerate(ladder.levels, start=1):
        trigger = level.trigger
        levels.append(
            {
                "level": number,
                "name": level.name,
                "team": level.team.id,
                "role": level.role.id if level.role else None,
                "contact": level.contact,
                "calendar": level.calendar.id if level.calendar else None,
                "trigger": {
                    "kind": trigger.kind.value,
                    "metric": trigger.metric.value if trigger.metric else None,
                    "offset": _offset(trigger.offset) if trigger.offset else None,
                },
                "acknowledge": target_record(level.acknowledge) if level.acknowledge else None,
                "resolve": target_record(level.resolve) if level.resolve else None,
                "update_interval": target_record(level.update_interval) if level.update_interval else None,
                "notify": [{"role": n.role.id, "within": _offset(n.within)} for n in level.notify],
            }
        )
    return {"name": ladder.name or ladder.id, "levels": levels}


def _offset(duration) -> dict[str, Any]:
    days = duration.is_business_days
    return {
        "seconds": None if days else duration.seconds,
        "business_days": duration.business_days if days else None,
        "clock": duration.clock.value,
    }


def ladder_summary(ladder: Ladder) -> str:
    """The ladder in one cell: `1 Agents (agents): as soon as the ticket arrives; ...`."""
    return "; ".join(
        f"{number} {level.name} ({level.team.id}): {words.trigger(level.trigger)}"
        for number, level in enumerate(ladder.levels, start=1)
    )


class RoutingBackend(Backend):
    name = "routing"
    description = "the fully expanded decision table (routing.json, routing.csv)"
    capabilities = EVERYTHING

    def generate(self, policy: Policy, context: CompileContext) -> dict[str, bytes | str]:
        rows = list(self.rows(policy))
        return {"routing.json": self.json(policy, context, rows), "routing.csv": self.csv(policy, context, rows)}

    def rows(self, policy: Policy) -> Iterator[dict[str, Any]]:
        dimensions = routing_dimensions(policy)
        calendars = condition_calendars(policy)
        lookups: dict[tuple, tuple] = {}
        for ticket in dimensions.tickets():
            # SLA targets and ladders do not depend on language or data class.
            key = (ticket.tier, ticket.channel, ticket.priority, ticket.intent, ticket.segment)
            if key not in lookups:
                ladder = ladder_for(policy, ticket)
                lookups[key] = (
                    {m.value: (t.target, t.entry) for m, t in sla_targets(policy, ticket).items()},
                    {m.value: (t.target, t.entry) for m, t in sla_targets(policy, ticket, internal=True).items()},
                    ladder.id if ladder else None,
                )
            targets, objectives, ladder = lookups[key]
            tier = policy.tiers.get(ticket.tier) if ticket.tier else None
            included = tier is None or not tier.channels or any(ref.id == ticket.channel for ref in tier.channels)
            for state, (queue, rule) in routes(policy, ticket, calendars):
                yield {
                    **{name: label(getattr(ticket, name)) for name in FIELDS},
                    "calendar_state": state,
                    "channel_included": included,
                    "queue": queue,
                    "team": policy.queues[queue].team.id if queue in policy.queues else None,
                    "rule": rule,
                    "targets": {m: {**target_record(t), "entry": entry_label(policy, e)} for m, (t, e) in targets.items()},
                    "objectives": {m: {**target_record(t), "entry": entry_label(policy, e)} for m, (t, e) in objectives.items()},
                    "ladder": ladder,
                }

    def json(self, policy: Policy, context: CompileContext, rows: list[dict[str, Any]]) -> str:
        dimensions = routing_dimensions(policy)
        head = {
            "generated_by": context.generated_by,
            "organisation": policy.organisation.name,
            "other": "the value `(other)` stands for every value no SLA entry, ladder or routing rule names",
            "dimensions": {name: [label(v) for v in getattr(dimensions, name)] for name in FIELDS},
            "calendar_conditions": list(condition_calendars(policy)),
            "default_queue": policy.routing.default.id if policy.routing.default else None,
            "queues": {id: {"name": q.name or id, "team": q.team.id} for id, q in policy.queues.items()},
            "ladders": {id: ladder_record(ladder) for id, ladder in policy.escalation.items()},
        }
        # One row per line: the table stays readable and a change shows as a changed row.
        lines = [json.dumps(row, ensure_ascii=False) for row in rows]
        body = "[\n    " + ",\n    ".join(lines) + "\n  ]" if lines else "[]"
        return dump_json(head).rstrip().removesuffix("}").rstrip() + f',\n  "rows": {body}\n}}\n'


    def csv(self, policy: Policy, context: CompileContext, rows: list[dict[str, Any]]) -> str:
        metrics = [m.value for m in Metric if any(m.value in row["targets"] for row in rows)]
        objectives = [m.value for m in Metric if any(m.value in row["objectives"] for row in rows)]
        parts = ("seconds", "business_days", "clock", "calendar", "business_day_mode", "goal_percent", "entry")
        header = [*FIELDS, "calendar_state", "channel_included", "queue", "team", "rule"]
        header += [f"{m}_{p}" for m in metrics for p in parts]
        header += [f"objective_{m}_{p}" for m in objectives for p in parts]
        header += ["ladder", "ladder_levels"]
        stream = io.StringIO()
        stream.write(f"# {context.banner()}\n")
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            cells: list[Any] = [row[name] for name in FIELDS]
            cells.append("; ".join(f"{calendar}={state}" for calendar, state in row["calendar_state"].items()))
            cells += ["yes" if row["channel_included"] else "no", row["queue"], row["team"], row["rule"]]
            for group, names in (("targets", metrics), ("objectives", objectives)):
                for m in names:
                    record = row[group].get(m, {})
                    cells += [record.get(p) for p in parts]
            ladder = row["ladder"]
            cells += [ladder, ladder_summary(policy.escalation[ladder]) if ladder else None]
            writer.writerow([safe_cell(cell) for cell in cells])
        return stream.getvalue()


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character is escaped
    with an apostrophe, as OWASP recommends for CSV injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


BACKEND = RoutingBackend()
