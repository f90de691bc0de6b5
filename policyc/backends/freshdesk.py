"""Freshdesk: SLA policies (targets per priority in seconds, with escalations) as API
calls, and the business hours to create by hand.

- SLA policies: one per tier and group of channels with the same targets, narrowed by
  intent (as a ticket type) and segment where the policy narrows them, in match order
  (`position`). `sla_target.priority_4` is urgent, `priority_1` low; `respond_within`,
  `next_respond_within` and `resolve_within` are seconds; `business_hours` says whether
  a priority's targets run on business hours.
- Tickets are matched to tiers by company: `company_ids` holds a placeholder for the
  companies on a tier (and segment), filled from your account.
- Escalations: the levels of a ticket's escalation ladder after the first become the
  response escalation (a level triggered by a first-response breach) and resolution
  escalation levels 1 to 4; agents are placeholders for each team's agents.
- Business hours: Freshdesk's business-hours API is read-only, so `business-hours.md`
  says what to create in Admin > Business Hours and which groups to assign them to
  (Freshdesk counts business time on the hours of the ticket's group).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from policyc.backends import CompileContext, words
from policyc.backends.classes import condition_calendars, routes, routing_dimensions
from policyc.backends.helpdesk import HELPDESK, Call, HelpdeskBackend, SlaGroup, call_file, manifest, ref
from policyc.backends.lossy import ESCALATION_UNSUPPORTED, MIXED_CALENDARS
from policyc.diagnostics import Related
from policyc.ir import ChannelKind, Clock, EscalationLevel, Ladder, Metric, Policy, TriggerKind
from policyc.match import Ticket, ladder_for

SOURCES: dict[ChannelKind, tuple[int, ...]] = {
    ChannelKind.EMAIL: (1,),
    ChannelKind.PORTAL: (2,),
    ChannelKind.PHONE: (3,),
    ChannelKind.CHAT: (7,),
    ChannelKind.WEB_FORM: (9,),
    ChannelKind.SOCIAL: (5, 6),
    ChannelKind.IN_APP: (8,),
}

# The delays Freshdesk offers after a breach before it escalates, in seconds.
ESCALATION_TIMES = (0, 1800, 3600, 7200, 14400, 28800, 43200, 86400, 172800, 259200, 604800, 1209600, 2592000)
RESOLUTION_LEVELS = 4


class FreshdeskBackend(HelpdeskBackend):
    name = "freshdesk"
    vendor = "Freshdesk"
    description = "Freshdesk SLA policies with escalations, and business hours to create by hand"
    capabilities = replace(
        HELPDESK,
        metrics={"first_response": "respond_within", "next_response": "next_respond_within", "resolution": "resolve_within"},
        windows_per_day=1,
    )
    priority_names = ("priority_4", "priority_3", "priority_2", "priority_1")
    channel_ids = SOURCES
    channel_id_names = {1: "email (source 1)", 2: "portal (source 2)", 3: "phone (source 3)", 5: "Twitter (source 5)", 6: "Facebook (source 6)", 7: "chat (source 7)", 8: "Mobihelp (source 8)", 9: "feedback widget (source 9)"}

    def generate(self, policy: Policy, context: CompileContext) -> dict[str, bytes | str]:
        as_of, as_of_source = context.as_of(policy)
        groups, priorities, channels = self.sla_plan(policy, context)
        files: list[tuple[str, list[Call]]] = []
        inputs: dict[str, str] = {}
        group_calendars: list[tuple[SlaGroup, str]] = []
        for group in groups:
            sources = self.group_channel_ids(group, channels)
            if sources is None:
                continue
            targets = self.sla_target(policy, context, group, priorities)
            if not targets:
                continue
            position = len(files) + 1
            applicable: dict[str, Any] = {}
            if group.tier or group.segment:
                companies = ref("companies", "+".join(v for v in (group.tier, group.segment) if v))
                which = [f"on tier `{group.tier}`" if group.tier else "", f"in segment `{group.segment}`" if group.segment else ""]
                inputs[companies] = " ".join(["the ids of the companies", *filter(None, which)])
                applicable["company_ids"] = [companies]
            if sources:
                applicable["sources"] = sorted(sources)
            if group.intent is not None:
                intent = policy.intents[group.intent]
                applicable["ticket_types"] = [intent.name or intent.id]
            body: dict[str, Any] = {
                "name": f"policyc: {group.describe(policy)}",
                "description": f"Promised targets of {group.describe(policy)}.",
                "active": True,
                "position": position,
                "applicable_to": applicable,
                "sla_target": targets,
            }
            escalation, escalated = self.escalation(policy, context, group, inputs)
            if escalation:
                body["escalation"] = escalation
            enabled = {key for priority in escalated for key in self.vendor_priorities(priority, priorities)} if escalation else set()
            for key, target in body["sla_target"].items():
                target["escalation_enabled"] = key in enabled
            files.append((f"sla_policies/{position:02d}-{group.slug}.json", [Call("POST", "/api/v2/sla_policies", body)]))
            calendar = self.business_calendar(policy, context, group)
            if calendar is not None:
                group_calendars.append((group, calendar))

        note = self.business_hours_note(policy, context, group_calendars, as_of, as_of_source)
        notes = [
            f"Dates are as of {as_of.isoformat() if as_of else 'no date'} ({as_of_source}).",
            "Freshdesk's business-hours API is read-only: create the business hours in business-hours.md by hand, "
            "and assign them to the groups it lists, before these SLA policies take effect.",
            "Tier and segment are matched by company: fill each `$ref:companies/...` with the ids of those companies. "
            "Intents are matched by ticket type: create the ticket types these policies name.",
            "SLA policies hold promised targets only; internal objectives are in the routing table, not here.",
        ]
        output: dict[str, bytes | str] = {path: call_file(context, calls) for path, calls in files}
        output["business-hours.md"] = note
        output["manifest.json"] = manifest(context, files, inputs, notes, "https://{domain}.freshdesk.com")
        return output

    def sla_target(self, policy: Policy, context: CompileContext, group: SlaGroup, priorities: dict[str, str]) -> dict[str, Any]:
        targets: dict[str, Any] = {}
        for priority, applied_targets in group.table:
            keys = [k for k in self.vendor_priorities(priority, priorities) if k not in targets]
            if not keys:  # priorities merged by a lossy mapping keep the most urgent
                continue
            entry: dict[str, Any] = {}
            clocks = {}
            for metric, applied in applied_targets:
                name = self.metric_name(context, metric, applied)
                if name is None:
                    continue
                entry[name] = self.target_seconds(policy, context, metric, applied.target)
                clocks.setdefault(applied.target.duration.clock, applied.target)
            if not entry:
                continue
            if len(clocks) > 1:
                self.unsupported(
                    context,
                    MIXED_CALENDARS,
                    f"Freshdesk has one business-hours switch per priority, but `{priority}` targets mix business time and calendar time",
                    clocks[Clock.CALENDAR].span,
                    hint="count a priority's targets all in business time or all in calendar time",
                    lossy="every target of the priority runs on business hours",
                    related=[Related(clocks[Clock.BUSINESS].span, "this target runs on business time")],
                )
            entry["business_hours"] = Clock.BUSINESS in clocks
            for key in keys:
                targets[key] = dict(entry)
        return targets

    def escalation(self, policy: Policy, context: CompileContext, group: SlaGroup, inputs: dict[str, str]) -> tuple[dict[str, Any], set[str | None]]:
        """The group's escalation ladder as Freshdesk escalations ({} without one), and
        the priorities whose tickets follow it."""
        ladders: dict[str, Ladder] = {}
        escalated: set[str | None] = set()
        for priority, _ in group.table:
            for channel in group.channels:
                ladder = ladder_for(policy, Ticket(group.tier, channel, priority, group.intent, group.segment))
                if ladder is not None:
                    ladders.setdefault(ladder.id, ladder)
                    escalated.add(priority)
        if not ladders:
            return {}, set()
        ladder, *others = ladders.values()
        if others:
            self.unsupported(
                context,
                ESCALATION_UNSUPPORTED,
                f"a Freshdesk SLA policy has one set of escalations for all its priorities, but its tickets "
                f"follow ladders {words.join([f'`{l.id}`' for l in ladders.values()])}",
                others[0].span,
                hint="give the tickets of one tier and channel group one ladder",
                lossy=f"escalation follows `{ladder.id}`",
                related=[Related(ladder.span, f"ladder `{ladder.id}` is defined here")],
            )
        resolve_seconds = self.resolution_seconds(group)
        escalation: dict[str, Any] = {}
        resolution: dict[str, Any] = {}
        for level in ladder.levels[1:]:
            placement = self.placement(context, ladder, level, resolve_seconds)
            if placement is None:
                continue
            kind, seconds = placement
            agents = ref("agents", level.team.id)
            team = policy.teams[level.team.id]
            inputs[agents] = f"the ids of the agents of team `{team.id}` ({team.name or team.id}), who are notified"
            step = {"escalation_time": seconds, "agent_ids": [agents]}
            if kind == "response" and "response" not in escalation:
                escalation["response"] = step
            elif len(resolution) < RESOLUTION_LEVELS:
                resolution[f"level_{len(resolution) + 1}"] = step
            else:
                self.unsupported(
                    context,
                    ESCALATION_UNSUPPORTED,
                    f"Freshdesk has {RESOLUTION_LEVELS} resolution escalation levels; level `{level.name}` of ladder `{ladder.id}` is one more",
                    level.span,
                    hint="shorten the ladder",
                    lossy="the level is left out",
                )
        if resolution:
            escalation["resolution"] = resolution
        return escalation, escalated

    @staticmethod
    def resolution_seconds(group: SlaGroup) -> set[int]:
        found = set()
        for _, targets in group.table:
            for metric, applied in targets:
                if metric is Metric.RESOLUTION and not applied.target.duration.is_business_days:
                    found.add(applied.target.duration.seconds)
        return found

    def placement(self, context: CompileContext, ladder: Ladder, level: EscalationLevel, resolve_seconds: set[int]) -> tuple[str, int] | None:
        """Where a level goes in Freshdesk's escalations: ("response" | "resolution",
        seconds after that breach), or None when it cannot be placed at all."""
        trigger = level.trigger
        where = f"level `{level.name}` of ladder `{ladder.id}`"
        self.unheld_level_parts(
            context,
            ladder,
            level,
            held=(),
            what_it_holds="Freshdesk escalations notify agents and hold no targets or notifications of their own",
            hint="keep these in the contract and routing table; Freshdesk notifies the level's agents only",
        )
        if trigger.kind is TriggerKind.MANUAL:
            self.unsupported(
                context,
                ESCALATION_UNSUPPORTED,
                f"Freshdesk escalates on SLA breaches only and cannot hold {where}, which is engaged by hand",
                trigger.span or level.span,
                hint="leave manual levels to your runbook",
                lossy="the level is left out",
            )
            return None
        if trigger.kind is TriggerKind.BEFORE_BREACH:
            kind = "response" if trigger.metric is Metric.FIRST_RESPONSE else "resolution"
            if trigger.offset.amount != 0:
                self.unsupported(
                    context,
                    ESCALATION_UNSUPPORTED,
                    f"Freshdesk escalates after a breach, not {words.duration(trigger.offset)} before it ({where})",
                    trigger.span or level.span,
                    hint="trigger the level at the breach (`margin: 0m`) or after it",
                    lossy=f"the level is engaged at the {kind} breach",
                )
            return kind, 0
        # After time on the ticket: a delay after the resolution breach, the same for
        # every priority the policy escalates.
        offsets = {trigger.offset.seconds - seconds for seconds in resolve_seconds} if trigger.offset.clock is Clock.CALENDAR else set()
        if len(offsets) == 1 and (delay := offsets.pop()) in ESCALATION_TIMES:
            return "resolution", delay
        fallback = max([t for t in ESCALATION_TIMES if t <= max(0, min(offsets or {0}))])
        self.unsupported(
            context,
            ESCALATION_UNSUPPORTED,
            f"Freshdesk escalates a fixed time after the resolution breach ({', '.join(words.seconds(t) for t in ESCALATION_TIMES[1:5])}, ...); "
            f"{where} engages {words.trigger(trigger)}, which is no such time for every priority",
            trigger.span or level.span,
            hint="trigger the level a fixed time after the resolution breach",
            lossy=f"the level is engaged {words.seconds(fallback) if fallback else 'immediately'} after the resolution breach",
        )
        return "resolution", fallback

    def business_hours_note(self, policy: Policy, context: CompileContext, group_calendars: list[tuple[SlaGroup, str]], as_of: dt.date | None, as_of_source: str) -> str:
        queues = self.queues_by_calendar(policy, context, group_calendars)
        lines = [
            f"<!-- {context.banner()} -->",
            "",
            "# Freshdesk business hours to create by hand",
            "",
            "Freshdesk's business-hours API is read-only: it lists business hours but cannot create them.",
            "Create each of these in **Admin > Business Hours**, then assign it to the groups listed:",
            "Freshdesk counts a ticket's business time on the business hours of its group.",
            "",
            f"Dates are as of {words.date(as_of) if as_of else 'no date'} ({as_of_source}).",
        ]
        needed = list(dict.fromkeys([calendar for _, calendar in group_calendars] + list(condition_calendars(policy))))
        for id in needed:
            calendar = policy.calendars[id]
            hours = self.hours_of(policy, context, calendar, as_of)
            lines += ["", f"## {calendar.name or id} (`{id}`)", "", f"- Time zone: {hours['time_zone']}", "- Working hours:"]
            for day in sorted(hours["days"], key=lambda d: d.value):
                intervals = hours["days"][day]
                text = ", ".join(f"{_clock(start)}–{_clock(end)}" for start, end in intervals) or "closed"
                lines.append(f"  - {words.weekday(day)}: {text}")
            lines.append("- Holidays:" if hours["closed"] else "- Holidays: none")
            lines += [f"  - {words.date(day)}: {name}" for day, name in hours["closed"]]
            assigned = [q for q, c in queues.items() if c == id]
            names = [f"{policy.queues[q].name or q} (`{q}`)" for q in assigned]
            lines.append(f"- Assign to groups: {', '.join(names) if names else 'none (used by routing conditions only)'}")
        if not needed:
            lines += ["", "No business hours are needed: every promised target runs on calendar time."]
        return "\n".join(lines) + "\n"

    def queues_by_calendar(self, policy: Policy, context: CompileContext, group_calendars: list[tuple[SlaGroup, str]]) -> dict[str, str]:
        """The business hours each queue's group needs: the calendar of the business-time
        targets of the tickets routed to it. A queue whose tickets need two is reported."""
        chosen: dict[str, tuple[str, SlaGroup]] = {}
        calendars = condition_calendars(policy)
        for ticket in routing_dimensions(policy).tickets():
            group = next(
                (g for g, _ in group_calendars if g.matches(ticket.tier, ticket.channel, ticket.intent, ticket.segment)),
                None,
            )
            if group is None:
                continue
            calendar = dict((id(g), c) for g, c in group_calendars)[id(group)]
            for _, (queue, _) in routes(policy, ticket, calendars):
                if queue is None:
                    continue
                if queue not in chosen:
                    chosen[queue] = (calendar, group)
                elif chosen[queue][0] != calendar:
                    first, first_group = chosen[queue]
                    self.unsupported(
                        context,
                        MIXED_CALENDARS,
                        f"Freshdesk counts business time on the hours of the ticket's group, but queue `{queue}` takes tickets "
                        f"whose targets run on `{first}` ({first_group.describe(policy)}) and on `{calendar}` ({group.describe(policy)})",
                        policy.queues[queue].span,
                        hint="route tickets with business-time targets on different calendars to different queues",
                        lossy=f"group `{queue}` is given the hours of `{first}`",
                    )
        return {queue: calendar for queue, (calendar, _) in chosen.items()}


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


BACKEND = FreshdeskBackend()
