"""Zendesk Support: schedules with holidays, SLA policies, groups and routing triggers,
as API calls in the order they must run (`manifest.json`).

- Schedules: one per calendar a target or routing rule needs, in a Zendesk time zone;
  the workweek as minutes from Sunday 00:00, windows split at midnight; holidays and
  closure dates within Zendesk's two-year window.
- SLA policies: one per tier and group of channels with the same targets, narrowed by
  intent and segment tags where the policy narrows them, in match order (`position`).
  Priorities map in order of urgency to urgent, high, normal, low; resolution is
  measured as requester wait time (New, Open and On-hold; Pending does not count).
- Groups: one per queue. Triggers: one per routing rule in precedence order (the first
  that matches routes the ticket and tags it `policyc_routed`, which the later ones
  skip), then the default; and triggers that give tickets the schedule their
  business-time targets run on.

Zendesk has no field for a ticket's tier, intent, segment, language or data class:
tickets carry them as tags (`policyc_tier_<id>`, ...), set by your intake.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from policyc.backends import CompileContext, words
from policyc.backends.classes import condition_calendars
from policyc.backends.helpdesk import HELPDESK, Call, HelpdeskBackend, SlaGroup, call_file, manifest, ref
from policyc.backends.lossy import CHANNEL_UNSUPPORTED
from policyc.ir import ChannelKind, Clock, Policy, RoutingRule, Weekday
from policyc.match import rules_in_order

VIA_IDS: dict[ChannelKind, tuple[str, ...]] = {
    ChannelKind.WEB_FORM: ("0",),
    ChannelKind.PORTAL: ("0",),
    ChannelKind.EMAIL: ("4",),
    ChannelKind.CHAT: ("29",),
    ChannelKind.PHONE: ("33", "34"),
    ChannelKind.SMS: ("37",),
    ChannelKind.SOCIAL: ("26", "30", "38", "41"),
    ChannelKind.IN_APP: ("56",),
}
VIA_NAMES = {
    "0": "`web_form` (via_id 0)",
    "4": "`mail` (via_id 4)",
    "26": "`twitter_dm` (via_id 26)",
    "29": "`chat` (via_id 29)",
    "30": "`twitter` (via_id 30)",
    "33": "`voicemail` (via_id 33)",
    "34": "`phone_call_inbound` (via_id 34)",
    "37": "`text_message` (via_id 37)",
    "38": "`facebook_post` (via_id 38)",
    "41": "`facebook_message` (via_id 41)",
    "56": "`mobile_sdk` (via_id 56)",
}


def tag(dimension: str, value: str) -> str:
    return f"policyc_{dimension}_{value}".lower()


ROUTED = "policyc_routed"


def _tags_condition(dimension: str, values: list[str]) -> dict[str, Any]:
    # `includes` matches a ticket with at least one of the space-separated tags.
    return {"field": "current_tags", "operator": "includes", "value": " ".join(tag(dimension, v) for v in values)}


class ZendeskBackend(HelpdeskBackend):
    name = "zendesk"
    vendor = "Zendesk"
    hours_noun = "schedules"
    description = "Zendesk Support schedules, SLA policies, groups and triggers"
    capabilities = replace(
        HELPDESK,
        metrics={
            "first_response": "first_reply_time",
            "next_response": "next_reply_time",
            "update_interval": "periodic_update_time",
            "resolution": "requester_wait_time",
        },
    )
    priority_names = ("urgent", "high", "normal", "low")
    channel_ids = VIA_IDS
    channel_id_names = VIA_NAMES
    holiday_window_years = 2

    def generate(self, policy: Policy, context: CompileContext) -> dict[str, bytes | str]:
        as_of, as_of_source = context.as_of(policy)
        groups, priorities, channels = self.sla_plan(policy, context)
        files: list[tuple[str, list[Call]]] = []

        sla_files: list[tuple[str, list[Call]]] = []
        schedule_triggers: list[tuple[SlaGroup, str, dict[str, Any]]] = []
        calendars: list[str] = []
        for group in groups:
            via = self.group_channel_ids(group, channels)
            if via is None:
                continue
            metrics = self.policy_metrics(policy, context, group, priorities)
            if not metrics:
                continue
            position = len(sla_files) + 1
            conditions = self.filter(group, via)
            body = {
                "sla_policy": {
                    "title": f"policyc: {group.describe(policy)}",
                    "description": f"policyc: promised targets of {group.describe(policy)}.",
                    "position": position,
                    "filter": conditions,
                    "policy_metrics": metrics,
                }
            }
            sla_files.append((f"sla_policies/{position:02d}-{group.slug}.json", [Call("POST", "/api/v2/slas/policies", body)]))
            calendar = self.business_calendar(policy, context, group)
            if calendar is not None:
                schedule_triggers.append((group, calendar, conditions))
                if calendar not in calendars:
                    calendars.append(calendar)
        for calendar in condition_calendars(policy):
            if calendar not in calendars:
                calendars.append(calendar)

        for id in calendars:
            files.append((f"schedules/{id}.json", self.schedule_calls(policy, context, id, as_of)))
        for id, queue in policy.queues.items():
            body = {"group": {"name": queue.name or id, "description": f"policyc queue `{id}`, worked by team `{queue.team.id}`."}}
            files.append((f"groups/{id}.json", [Call("POST", "/api/v2/groups", body, creates=ref("group", id))]))
        files += sla_files
        category = {"trigger_category": {"name": f"policyc: {policy.organisation.name}"}}
        files.append(("triggers/category.json", [Call("POST", "/api/v2/trigger_categories", category, creates=ref("trigger_category", "policyc"))]))
        # Every matching trigger runs and the last schedule set wins: the most specific last.
        for number, (group, calendar, conditions) in enumerate(reversed(schedule_triggers), start=1):
            trigger = self.trigger(
                f"policyc: schedule {calendar} for {group.describe(policy)}",
                {"all": [_created(), *conditions["all"]], "any": conditions["any"]},
                [{"field": "set_schedule", "value": ref("schedule", calendar)}],
            )
            files.append((f"triggers/schedule-{number:02d}-{group.slug}.json", [Call("POST", "/api/v2/triggers", trigger)]))
        for number, (title, conditions, queue) in enumerate(self.routing(policy, context, priorities), start=1):
            actions = [{"field": "group_id", "value": ref("group", queue)}, {"field": "current_tags", "value": ROUTED}]
            trigger = self.trigger(title, conditions, actions)
            files.append((f"triggers/route-{number:02d}.json", [Call("POST", "/api/v2/triggers", trigger)]))

        output: dict[str, bytes | str] = {path: call_file(context, calls) for path, calls in files}
        output["manifest.json"] = manifest(context, files, {}, self.notes(policy, as_of, as_of_source), "https://{subdomain}.zendesk.com")
        return output

    def policy_metrics(self, policy: Policy, context: CompileContext, group: SlaGroup, priorities: dict[str, str]) -> list[dict[str, Any]]:
        metrics: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for priority, targets in group.table:
            for metric, applied in targets:
                name = self.metric_name(context, metric, applied)
                if name is None:
                    continue
                seconds = self.target_seconds(policy, context, metric, applied.target)
                for vendor_priority in self.vendor_priorities(priority, priorities):
                    # Priorities merged by a lossy mapping keep the most urgent one's target.
                    if (vendor_priority, name) in seen:
                        continue
                    seen.add((vendor_priority, name))
                    metrics.append(
                        {
                            "priority": vendor_priority,
                            "metric": name,
                            "target": seconds // 60,
                            "business_hours": applied.target.duration.clock is Clock.BUSINESS,
                        }
                    )
        return metrics

    @staticmethod
    def filter(group: SlaGroup, via: list[str]) -> dict[str, list[dict[str, Any]]]:
        conditions = [_tags_condition("tier", [group.tier])] if group.tier else []
        if group.intent is not None:
            conditions.append(_tags_condition("intent", [group.intent]))
        if group.segment is not None:
            conditions.append(_tags_condition("segment", [group.segment]))
        if len(via) == 1:
            return {"all": [*conditions, {"field": "via_id", "operator": "is", "value": via[0]}], "any": []}
        return {"all": conditions, "any": [{"field": "via_id", "operator": "is", "value": v} for v in via]}

    def schedule_calls(self, policy: Policy, context: CompileContext, id: str, as_of: dt.date | None) -> list[Call]:
        calendar = policy.calendars[id]
        hours = self.hours_of(policy, context, calendar, as_of)
        schedule = ref("schedule", id)
        calls = [
            Call("POST", "/api/v2/business_hours/schedules", {"schedule": {"name": calendar.name or id, "time_zone": hours["time_zone"]}}, creates=schedule),
            Call("PUT", f"/api/v2/business_hours/schedules/{schedule}/workweek", {"workweek": {"intervals": workweek(hours["days"])}}),
        ]
        for start, end, name in _date_runs(hours["closed"]):
            holiday = {"holiday": {"name": name, "start_date": start.isoformat(), "end_date": end.isoformat()}}
            calls.append(Call("POST", f"/api/v2/business_hours/schedules/{schedule}/holidays", holiday))
        return calls

    def routing(self, policy: Policy, context: CompileContext, priorities: dict[str, str]):
        """(title, conditions, queue) of each routing trigger, in the order they run."""
        for rule in rules_in_order(policy):
            yield from self.rule_triggers(policy, context, rule, priorities)
        if policy.routing.default is not None:
            queue = policy.routing.default.id
            yield f"policyc: route everything else to {queue}", {"all": [_created(), _unrouted()], "any": []}, queue

    def rule_triggers(self, policy: Policy, context: CompileContext, rule: RoutingRule, priorities: dict[str, str]):
        match = rule.match
        conditions = [_created(), _unrouted()]
        for dimension, refs in (("tier", match.tiers), ("intent", match.intents), ("segment", match.segments), ("data_class", match.data_classes)):
            if refs:
                conditions.append(_tags_condition(dimension, [r.id for r in refs]))
        if match.languages:
            conditions.append(_tags_condition("language", [t.value for t in match.languages]))
        if match.open is not None:
            conditions.append({"field": "within_schedule", "operator": "is", "value": ref("schedule", match.open.id)})
        if match.closed is not None:
            conditions.append({"field": "within_schedule", "operator": "is_not", "value": ref("schedule", match.closed.id)})
        via = list(dict.fromkeys(v for r in match.channels for v in self.channel_ids.get(policy.channels[r.id].kind, ())))
        if match.channels and not via:
            self.unsupported(
                context,
                CHANNEL_UNSUPPORTED,
                f"Zendesk has no channel for the tickets routing rule `{rule.id}` takes "
                f"({words.join([f'`{r.id}`' for r in match.channels])})",
                rule.span,
                hint="route these tickets outside Zendesk, or compile without zendesk (name the other targets with --target)",
                lossy="the rule has no trigger",
            )
            return
        via_conditions = [{"field": "via_id", "operator": "is", "value": v} for v in via]
        levels = list(dict.fromkeys(priorities[r.id] for r in match.priorities))
        priority_conditions = [{"field": "priority", "operator": "is", "value": p} for p in levels]
        # A trigger has one "any" group: with two multi-valued fields, one trigger per priority.
        if len(via) > 1 and len(levels) > 1:
            variants = [([p], via_conditions, f" ({p['value']})") for p in priority_conditions]
        elif len(via) > 1:
            variants = [(priority_conditions, via_conditions, "")]
        elif len(levels) > 1:
            variants = [(via_conditions, priority_conditions, "")]
        else:
            variants = [(via_conditions + priority_conditions, [], "")]
        for fixed, alternatives, suffix in variants:
            title = f"policyc: route {rule.id} to {rule.queue.id}{suffix}"
            yield title, {"all": [*conditions, *fixed], "any": alternatives}, rule.queue.id

    @staticmethod
    def trigger(title: str, conditions: dict[str, Any], actions: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "trigger": {
                "title": title,
                "active": True,
                "category_id": ref("trigger_category", "policyc"),
                "conditions": conditions,
                "actions": actions,
            }
        }

    def notes(self, policy: Policy, as_of: dt.date | None, as_of_source: str) -> list[str]:
        tags = [f"`{tag('tier', t)}` for tier {policy.tiers[t].name or t}" for t in policy.tiers]
        return [
            f"Dates are as of {as_of.isoformat() if as_of else 'no date'} ({as_of_source}); holidays are those within two years of it.",
            "Tickets carry their tier, intent, segment, language and data class as tags, set by your intake "
            f"(organisation tags, forms or triggers): {'; '.join(tags)}; likewise `policyc_intent_<id>`, `policyc_segment_<id>`, "
            "`policyc_language_<code>` and `policyc_data_class_<id>`.",
            "Resolution targets are measured as requester wait time: time in New, Open and On-hold; Pending does not count.",
            "SLA policies hold promised targets only; internal objectives are in the routing table, not here.",
            "Escalation ladders are compiled for PagerDuty (target `pagerduty`).",
        ]


def workweek(days: dict[Weekday, list[tuple[int, int]]]) -> list[dict[str, int]]:
    """Opening intervals as Zendesk stores them: minutes since Sunday 00:00."""
    return [
        {"start_time": zendesk_day * 1440 + start, "end_time": zendesk_day * 1440 + end}
        for zendesk_day, day in sorted(((day + 1) % 7, day) for day in days)
        for start, end in days[day]
    ]


def _created() -> dict[str, Any]:
    return {"field": "update_type", "operator": "is", "value": "Create"}


def _unrouted() -> dict[str, Any]:
    return {"field": "current_tags", "operator": "not_includes", "value": ROUTED}


def _date_runs(closed: list[tuple[dt.date, str]]) -> list[tuple[dt.date, dt.date, str]]:
    """Consecutive dates closed for the same reason become one multi-day holiday."""
    runs: list[tuple[dt.date, dt.date, str]] = []
    for day, name in closed:
        if runs and runs[-1][2] == name and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day, name)
        elif not (runs and runs[-1][1] >= day):
            runs.append((day, day, name))
    return runs


BACKEND = ZendeskBackend()
