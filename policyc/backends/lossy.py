"""What a compile target cannot express: the PC950-PC960 rules.

Each rule is a kind of loss, reported by `Backend.unsupported(...)` with the target's
name and the policy line that cannot be carried over. It is an error unless the
policy accepts it where it occurs (a `suppress:` entry with the code and the reason,
like a suppression of the checker's diagnostics: counted, not shown), or the user
accepts that kind of loss for one run with `policyc compile --allow-lossy CODE`; then
it is a warning, still printed, and the message says what the output does instead.
"""

from __future__ import annotations

from policyc.diagnostics import Severity
from policyc.diagnostics.rules import Rule, define, example_policy

LOSSY_RULES: dict[str, Rule] = {}

_SLA = "sla:\n  - tiers: [standard]\n"
_EMAIL = "channels:\n  email:\n    kind: email\n"
_PRIORITIES = "priorities:\n  P1:\n    name: Urgent\n  P2:\n    name: Normal\n"
_TIERS = "tiers:\n  standard:\n    channels: [email]\n"


_SUPPORT_HOURS = "  support:\n    timezone: Europe/London\n    hours:\n      mon-sat: 08:00-20:00\n"
_LADDER = (
    "teams:\n  agents:\n    name: Agents\n  managers:\n    name: Managers\n"
    "escalation:\n  standard:\n    levels:\n      - name: Agents\n        team: agents\n        after: 0m\n"
    "      - name: Managers\n        team: managers\n        {second}\n"
)


def _helpdesk_example(
    sla: str = "",
    *,
    zone: str = "Europe/London",
    office: str = "",
    calendars: str = "",
    channels: str = _EMAIL,
    priorities: str = _PRIORITIES,
    tiers: str = _TIERS,
    rest: str = "",
) -> str:
    """The example organisation with an office calendar, email, two priorities and one
    tier: what every example of these rules shares. `sla` follows `- tiers: [standard]`;
    `office` adds lines to the office calendar."""
    body = (
        "defaults:\n  calendar: office\n"
        f"calendars:\n  office:\n    timezone: {zone}\n    hours:\n      mon-fri: 09:00-17:00\n{office}{calendars}"
        f"{channels}{priorities}{tiers}{_SLA + sla if sla else ''}{rest}"
    )
    return example_policy(body, effective_date="2026-01-01")


def _lossy(code: str, name: str, summary: str, *, targets: tuple[str, ...], **docs) -> Rule:
    rule = define(code, name, Severity.ERROR, summary, compile_targets=targets, **docs)
    LOSSY_RULES[code] = rule
    return rule


NO_VENDOR_TIME_ZONE = _lossy(
    "PC950",
    "no-vendor-time-zone",
    "A calendar's time zone has no equivalent among the helpdesk's time zones.",
    targets=("zendesk", "freshdesk"),
    what="""
        Zendesk and Freshdesk name time zones their own way ("Eastern Time (US &
        Canada)"). policyc maps each IANA zone to the helpdesk zone with the same UTC
        offsets, hour by hour, over two years from the as-of date. Reports a calendar
        whose zone keeps a clock no helpdesk zone keeps.
    """,
    why="""
        Business hours in the wrong zone are open at the wrong hours for part of the
        year, and every business-time target due at the wrong instant.
    """,
    example_fail=_helpdesk_example("    first_response: 4 business hours\n", zone="Australia/Lord_Howe"),
    example_pass=_helpdesk_example("    first_response: 4 business hours\n", zone="Australia/Sydney"),
)

CALENDAR_HOURS_UNSUPPORTED = _lossy(
    "PC951",
    "calendar-hours-unsupported",
    "Business hours the target's calendars cannot hold: seasons, partial days, holidays, several openings a day.",
    targets=("zendesk", "freshdesk", "pagerduty"),
    what="""
        Reports a calendar a target must follow that has what the target's business
        hours cannot hold: seasonal hours (Zendesk, Freshdesk and PagerDuty have one
        weekly pattern), a date with its own partial-day hours (they close whole days
        only), holidays or closure dates (PagerDuty schedules have none), or several
        openings on one day (Freshdesk has one per day).
    """,
    why="""
        The helpdesk would count business time, or page on-call staff, on hours the
        policy says are closed, or stop on hours it says are open.
    """,
    example_fail=_helpdesk_example("    first_response: 4 business hours\n", office="    overrides:\n      - date: 2026-12-24\n        hours: 09:00-13:00\n        reason: Christmas Eve\n"),
    example_pass=_helpdesk_example("    first_response: 4 business hours\n", office="    overrides:\n      - date: 2026-12-24\n        reason: Christmas Eve\n"),
)

HOLIDAYS_OUTSIDE_VENDOR_WINDOW = _lossy(
    "PC952",
    "holidays-outside-vendor-window",
    "Holidays the helpdesk cannot take because they are too far from the as-of date.",
    targets=("zendesk",),
    what="""
        Zendesk accepts schedule holidays within two years. Reports a calendar that
        closes on dates before the as-of date (`--as-of`, or the policy's effective
        date) or two years or more after it.
    """,
    why="""
        A holiday left out is a day the helpdesk counts as open: targets fall due on a
        day nobody works.
    """,
    example_fail=_helpdesk_example("    first_response: 4 business hours\n", office="    overrides:\n      - date: 2028-06-01\n        reason: Office move\n"),
    example_pass=_helpdesk_example("    first_response: 4 business hours\n", office="    overrides:\n      - date: 2027-06-01\n        reason: Office move\n"),
)

BUSINESS_DAYS_UNSUPPORTED = _lossy(
    "PC953",
    "business-days-unsupported",
    "A target in business days that the helpdesk can only count in business hours and minutes.",
    targets=("zendesk", "freshdesk"),
    what="""
        Zendesk and Freshdesk count business time in minutes or seconds. "N business
        days" is exactly N open days of business time only when every open day has the
        same hours and days are counted same-time (`business_day_mode: same-time`);
        policyc converts those. Reports the others: end-of-day counting, or a calendar
        whose open days differ in length in its regular week (seasons and partial-day
        hours, which the helpdesk's hours cannot hold at all, are PC951).
    """,
    why="""
        A business day is not a fixed number of hours: a Friday half-day or an
        end-of-day deadline would be missed or moved by a fixed conversion.
    """,
    example_fail=_helpdesk_example("    resolution:\n      target: 2 business days\n      business_day_mode: end-of-day\n"),
    example_pass=_helpdesk_example("    resolution:\n      target: 2 business days\n      business_day_mode: same-time\n"),
)

TARGET_OUT_OF_VENDOR_RANGE = _lossy(
    "PC954",
    "target-out-of-vendor-range",
    "A target the helpdesk cannot hold in its units or range.",
    targets=("zendesk", "freshdesk"),
    what="""
        Zendesk holds SLA targets in whole minutes; Freshdesk in seconds, in whole
        minutes as its settings offer them. Reports a promised target that does not fit
        (`30s`, `90s`).
    """,
    why="""
        Rounding a target up makes the helpdesk report tickets as on time that broke
        the promise.
    """,
    example_fail=_helpdesk_example("    first_response: 90s\n"),
    example_pass=_helpdesk_example("    first_response: 2m\n"),
)

METRIC_UNSUPPORTED = _lossy(
    "PC955",
    "metric-unsupported",
    "An SLA metric the helpdesk has no equivalent for.",
    targets=("zendesk", "freshdesk"),
    what="""
        Zendesk has first reply, next reply, periodic update and requester wait
        (resolution) times; Freshdesk first response, next response and resolution.
        Reports a promised target of another metric (acknowledgement in either; status
        update interval in Freshdesk).
    """,
    why="""
        The helpdesk would never warn about, or report on, that promise.
    """,
    example_fail=_helpdesk_example("    acknowledgement: 15m\n"),
    example_pass=_helpdesk_example("    first_response: 15m\n"),
)

TOO_MANY_PRIORITIES = _lossy(
    "PC956",
    "too-many-priorities",
    "More priorities than the helpdesk has.",
    targets=("zendesk", "freshdesk"),
    what="""
        Zendesk and Freshdesk have four priorities. policyc maps the policy's priorities
        to them in order of urgency (urgent, high, normal, low). Reports a policy with
        more than four.
    """,
    why="""
        Two priorities sharing one helpdesk priority share its targets and routing:
        one of them gets a promise it was not given.
    """,
    example_fail=_helpdesk_example("    first_response: 4 business hours\n", priorities="priorities:\n  P1:\n  P2:\n  P3:\n  P4:\n  P5:\n"),
    example_pass=_helpdesk_example("    first_response: 4 business hours\n", priorities="priorities:\n  P1:\n  P2:\n  P3:\n  P4:\n"),
)

CHANNEL_UNSUPPORTED = _lossy(
    "PC957",
    "channel-unsupported",
    "A channel the helpdesk has no channel for, or cannot tell apart from another.",
    targets=("zendesk", "freshdesk"),
    what="""
        SLA policies filter tickets on the channel they came through (Zendesk `via_id`,
        Freshdesk `source`). Reports a channel with targets that the helpdesk has no
        channel for (SMS in Freshdesk, self-service), and two channels it cannot tell
        apart (a Zendesk portal and web form both arrive as `web_form`) that the
        policy gives different targets.
    """,
    why="""
        Tickets from such a channel would get no SLA, or another channel's.
    """,
    example_fail=_helpdesk_example(
        "    channels: [portal]\n    first_response: 4 business hours\n  - tiers: [standard]\n    channels: [form]\n    first_response: 8 business hours\n",
        channels="channels:\n  portal:\n    kind: portal\n  form:\n    kind: web_form\n",
        tiers="tiers:\n  standard:\n    channels: [portal, form]\n",
    ),
    example_pass=_helpdesk_example(
        "    first_response: 4 business hours\n",
        channels="channels:\n  portal:\n    kind: portal\n  form:\n    kind: web_form\n",
        tiers="tiers:\n  standard:\n    channels: [portal, form]\n",
    ),
)

MIXED_CALENDARS = _lossy(
    "PC958",
    "mixed-calendars",
    "One ticket's business-time targets run on calendars the helpdesk cannot combine.",
    targets=("zendesk", "freshdesk"),
    what="""
        A Zendesk ticket follows one schedule and a Freshdesk ticket the business hours
        of its group. Reports tickets whose business-time targets run on different
        calendars (first response on office hours, resolution on support hours).
    """,
    why="""
        One of the targets would be counted on hours the policy did not promise.
    """,
    example_fail=_helpdesk_example(
        "    first_response: 4 business hours\n    resolution:\n      target: 40 business hours\n      calendar: support\n",
        calendars=_SUPPORT_HOURS,
    ),
    example_pass=_helpdesk_example("    first_response: 4 business hours\n    resolution: 40 business hours\n", calendars=_SUPPORT_HOURS),
)

ATTAINMENT_GOAL_UNSUPPORTED = _lossy(
    "PC959",
    "attainment-goal-unsupported",
    "An attainment goal (80% within 30 seconds) the helpdesk cannot configure.",
    targets=("zendesk", "freshdesk"),
    what="""
        Helpdesk SLA policies hold each ticket to its target; they have no setting for
        "80% of tickets". Reports a promised target with a `goal`. The per-ticket
        target is configured either way; the goal must be tracked in reporting.
    """,
    why="""
        The helpdesk shows every ticket over the target as breached, although the
        promise is kept while 80% are on time: without this note, its dashboards
        overstate breaches and nobody watches the real promise.
    """,
    example_fail=_helpdesk_example("    first_response:\n      target: 1h\n      goal: 80%\n"),
    example_pass=_helpdesk_example("    first_response: 1h\n"),
)

ESCALATION_UNSUPPORTED = _lossy(
    "PC960",
    "escalation-unsupported",
    "An escalation level the target cannot trigger or hold as the policy says.",
    targets=("pagerduty", "freshdesk"),
    what="""
        PagerDuty escalates after a delay in whole minutes (at least one) from the
        previous level, on the wall clock, and holds no resolve or update targets and
        no notifications; Freshdesk escalates a fixed time (immediately, 30 minutes, 1,
        2, 4, 8 or 12 hours, 1, 2 or 3 days, 1 or 2 weeks, 1 month) after a response
        or resolution breach. Reports a level whose trigger, targets or notifications
        do not fit: a trigger in business time, before a breach, by hand, or on a
        target that differs between the tickets the ladder covers.
    """,
    why="""
        The on-call engineer or manager would be paged at another time than the policy
        says, or never.
    """,
    example_fail=_helpdesk_example(rest=_LADDER.format(second="manual: true")),
    example_pass=_helpdesk_example(rest=_LADDER.format(second="after: 30m")),
)
