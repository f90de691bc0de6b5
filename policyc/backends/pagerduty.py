"""PagerDuty: escalation policies for the policy's escalation ladders, and on-call
schedules for the teams on them, as API calls in order (`manifest.json`).

- Schedules: one per team (and calendar) a ladder level pages, in the calendar's IANA
  zone, one weekly layer whose restrictions are the calendar's opening windows (none
  for a 24x7 calendar). The users are a placeholder for the team's rota.
- Escalation policies: one per ladder; each level becomes a rule targeting its team's
  schedule, with `escalation_delay_in_minutes` the time until the next level engages
  (at least one minute). PagerDuty escalates only incidents nobody acknowledged, on the
  wall clock; the first level is paged when the incident is raised, so raise it when
  the ladder's first level engages. The policies do not loop (`num_loops: 0`).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from policyc import tz
from policyc.backends import UNDATED, Capabilities, CompileContext, words
from policyc.backends.classes import sla_dimensions
from policyc.backends.helpdesk import Call, HelpdeskBackend, call_file, manifest, ref
from policyc.backends.lossy import ESCALATION_UNSUPPORTED
from policyc.ir import Clock, EscalationLevel, Ladder, Policy, Target, TriggerKind
from policyc.match import ladder_for, sla_targets

# Without loops the last rule's delay never elapses into anything; PagerDuty still
# requires one.
LAST_RULE_DELAY_MINUTES = 30


class PagerDutyBackend(HelpdeskBackend):
    name = "pagerduty"
    vendor = "PagerDuty"
    hours_noun = "on-call schedules"
    description = "PagerDuty escalation policies and on-call schedules"
    capabilities = Capabilities(time_unit_seconds=60, holidays=False, partial_days=False, seasons=False)
    helpdesk_time_zones = False

    def generate(self, policy: Policy, context: CompileContext) -> dict[str, bytes | str]:
        as_of, as_of_source = context.as_of(policy)
        schedules: dict[str, list[Call]] = {}
        inputs: dict[str, str] = {}
        escalations: list[tuple[str, list[Call]]] = []
        for ladder in policy.escalation.values():
            rules = []
            for level, delay in self.delays(policy, context, ladder):
                schedule = self.schedule_name(policy, level)
                if schedule not in schedules:
                    schedules[schedule] = [self.schedule_call(policy, context, level, schedule, as_of, inputs)]
                rules.append({"escalation_delay_in_minutes": delay, "targets": [{"id": ref("schedule", schedule), "type": "schedule_reference"}]})
            if not rules:
                continue
            first = ladder.levels[0]
            body = {
                "escalation_policy": {
                    "type": "escalation_policy",
                    "name": f"policyc: {ladder.name or ladder.id}",
                    "description": (
                        f"Escalation ladder `{ladder.id}`. Raise the incident when the first level engages "
                        f"({words.trigger(first.trigger)}). The last rule's delay has no effect: the policy does not loop."
                    ),
                    "num_loops": 0,
                    "escalation_rules": rules,
                }
            }
            escalations.append((f"escalation_policies/{ladder.id}.json", [Call("POST", "/escalation_policies", body, creates=ref("escalation_policy", ladder.id))]))
        files = [(f"schedules/{name}.json", calls) for name, calls in schedules.items()] + escalations
        notes = [
            f"Schedules start on {(as_of or UNDATED).isoformat()} ({as_of_source}).",
            "Fill each `$ref:users/<team>` with the PagerDuty users of that team's on-call rota, one `users` entry each.",
            "PagerDuty escalates only incidents nobody has acknowledged, and counts delays on the wall clock.",
        ]
        output: dict[str, bytes | str] = {path: call_file(context, calls) for path, calls in files}
        output["manifest.json"] = manifest(context, files, inputs, notes, "https://api.pagerduty.com")
        return output

    @staticmethod
    def schedule_name(policy: Policy, level: EscalationLevel) -> str:
        team = policy.teams[level.team.id]
        calendar = (level.calendar or team.calendar).id
        return team.id if team.calendar is not None and team.calendar.id == calendar else f"{team.id}-{calendar}"

    def schedule_call(self, policy: Policy, context: CompileContext, level: EscalationLevel, name: str, as_of: dt.date | None, inputs: dict[str, str]) -> Call:
        team = policy.teams[level.team.id]
        calendar = policy.calendars[(level.calendar or team.calendar).id]
        self.hours_of(policy, context, calendar, as_of)  # reports what a schedule cannot hold
        zone = calendar.timezone.name
        start = dt.datetime.combine(as_of or UNDATED, dt.time(), tzinfo=tz.zone(zone)).isoformat()
        restrictions = [] if calendar.always_open else [
            {
                "type": "weekly_restriction",
                "start_day_of_week": day.value + 1,
                "start_time_of_day": f"{window.start}:00",
                "duration_seconds": window.length_minutes * 60,
            }
            for day in sorted({d for entry in calendar.hours for d in entry.days})
            for window in sorted(calendar.windows_on(day), key=lambda w: w.start_minute)
        ]
        users = ref("users", team.id)
        inputs[users] = f"the PagerDuty users of team `{team.id}` ({team.name or team.id}) on call, in rota order"
        layer: dict[str, Any] = {
            "name": f"{team.name or team.id}, {calendar.name or calendar.id}",
            "start": start,
            "rotation_virtual_start": start,
            "rotation_turn_length_seconds": 7 * 86400,
            "users": [{"user": {"id": users, "type": "user_reference"}}],
        }
        if restrictions:
            layer["restrictions"] = restrictions
        body = {
            "schedule": {
                "type": "schedule",
                "name": f"policyc: {team.name or team.id} ({calendar.name or calendar.id})",
                "time_zone": zone,
                "description": f"Team `{team.id}` on call on calendar `{calendar.id}`: {'; '.join(words.weekly_hours(calendar))}.",
                "schedule_layers": [layer],
            }
        }
        return Call("POST", "/schedules", body, creates=ref("schedule", name))

    def delays(self, policy: Policy, context: CompileContext, ladder: Ladder) -> list[tuple[EscalationLevel, int]]:
        """Each level PagerDuty can page, with the minutes until the next one engages."""
        engaged = [(level, seconds) for level in ladder.levels if (seconds := self.engagement(policy, context, ladder, level)) is not None]
        result = []
        for index, (level, seconds) in enumerate(engaged):
            self.unheld_level_parts(
                context,
                ladder,
                level,
                held=("acknowledge",),
                what_it_holds="PagerDuty escalation rules page a schedule and hold no resolve or update targets and no notifications",
                hint="keep these in the contract and routing table, or in PagerDuty response plays",
            )
            if index + 1 == len(engaged):
                acknowledge = level.acknowledge
                minutes = (
                    acknowledge.duration.seconds // 60
                    if acknowledge and acknowledge.duration.clock is Clock.CALENDAR and acknowledge.duration.seconds % 60 == 0 and acknowledge.duration.seconds >= 60
                    else LAST_RULE_DELAY_MINUTES
                )
                result.append((level, minutes))
                continue
            gap = engaged[index + 1][1] - seconds
            minutes = max(1, math.ceil(gap / 60))
            if gap != minutes * 60:
                self.unsupported(
                    context,
                    ESCALATION_UNSUPPORTED,
                    f"PagerDuty escalates after whole minutes (at least one), but level `{engaged[index + 1][0].name}` of ladder "
                    f"`{ladder.id}` engages {words.seconds(gap) if gap > 0 else 'no later than'} after level `{level.name}`",
                    engaged[index + 1][0].trigger.span or engaged[index + 1][0].span,
                    hint="space the levels at least a minute apart, in whole minutes",
                    lossy=f"level `{level.name}` escalates after {words.plural(minutes, 'minute')}",
                )
            acknowledge = level.acknowledge
            if acknowledge is not None and (acknowledge.duration.is_business_days or acknowledge.duration.seconds != minutes * 60):
                self.unsupported(
                    context,
                    ESCALATION_UNSUPPORTED,
                    f"PagerDuty escalates an unacknowledged incident when the next level engages, {words.seconds(minutes * 60)} "
                    f"after level `{level.name}` of ladder `{ladder.id}`, not after its acknowledge target of {words.duration(acknowledge.duration)}",
                    acknowledge.span,
                    hint="make the acknowledge target the time until the next level engages",
                    lossy=f"the level has {words.seconds(minutes * 60)} to acknowledge",
                )
            result.append((level, minutes))
        return result

    def engagement(self, policy: Policy, context: CompileContext, ladder: Ladder, level: EscalationLevel) -> int | None:
        """Seconds after the ticket arrives at which a level engages, on the wall clock;
        None for a level PagerDuty cannot page."""
        trigger = level.trigger
        where = f"level `{level.name}` of ladder `{ladder.id}`"
        span = trigger.span or level.span
        if trigger.kind is TriggerKind.MANUAL:
            self.unsupported(
                context,
                ESCALATION_UNSUPPORTED,
                f"PagerDuty escalates on a delay and cannot hold {where}, which is engaged by hand",
                span,
                hint="leave manual levels to your runbook (responders can escalate an incident by hand)",
                lossy="the level is left out",
            )
            return None
        if trigger.kind is TriggerKind.AFTER:
            if trigger.offset.clock is Clock.BUSINESS:
                self.unsupported(
                    context,
                    ESCALATION_UNSUPPORTED,
                    f"PagerDuty counts delays on the wall clock, not in business time ({where} engages {words.trigger(trigger)})",
                    span,
                    hint="trigger the level after calendar time",
                    lossy="the delay is counted as calendar time",
                )
                return int(trigger.offset.amount * trigger.offset.unit.seconds)
            return trigger.offset.seconds
        targets, uncovered = self.breach_targets(policy, ladder, trigger.metric)
        calendar_seconds = sorted({t.duration.seconds for t in targets if t.duration.clock is Clock.CALENDAR})
        if len(targets) == 1 and calendar_seconds and not uncovered:
            return max(0, calendar_seconds[0] - trigger.offset.seconds)
        found = words.join(sorted({words.duration(t.duration) for t in targets})) if targets else ""
        found = " and ".join(part for part in (found, f"no `{trigger.metric.value}` target" if uncovered else "") if part)
        if not calendar_seconds:
            self.unsupported(
                context,
                ESCALATION_UNSUPPORTED,
                f"PagerDuty needs a fixed delay, but {where} engages {words.trigger(trigger)} and the tickets it covers have {found}",
                span,
                hint="trigger the level a fixed calendar time after the ticket arrives",
                lossy="the level is left out",
            )
            return None
        earliest = max(0, calendar_seconds[0] - trigger.offset.seconds)
        self.unsupported(
            context,
            ESCALATION_UNSUPPORTED,
            f"PagerDuty needs one fixed delay, but {where} engages {words.trigger(trigger)} and the tickets it covers have {found}",
            span,
            hint="give the ladder to tickets with one calendar-time target for that metric, or trigger it a fixed time after arrival",
            lossy=f"the level engages {words.seconds(earliest)} after the ticket arrives (the earliest)",
        )
        return earliest

    @staticmethod
    def breach_targets(policy: Policy, ladder: Ladder, metric) -> tuple[list[Target], bool]:
        """The distinct promised targets of `metric` on the tickets a ladder covers, and
        whether some of those tickets have none."""
        found: dict[tuple, Target] = {}
        uncovered = False
        for ticket in sla_dimensions(policy).tickets():
            if ladder_for(policy, ticket) is not ladder:
                continue
            applied = sla_targets(policy, ticket).get(metric)
            if applied is None:
                uncovered = True
            else:
                found.setdefault((applied.target.duration, applied.target.calendar), applied.target)
        return list(found.values()), uncovered


BACKEND = PagerDutyBackend()
