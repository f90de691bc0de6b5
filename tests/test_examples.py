"""The five example policies: clean, valid for editors and independent validators, and
faithful to the playbooks they were written from.

The playbook tests assert facts on the IR (prices, calendars, the targets the matching
rules give real tickets, routing, ladders, credits, refunds). Each organisation's
`PLAYBOOK_QUOTES` are the playbook sentences those facts come from; a test checks that
they are quoted exactly from the playbooks (when the shared playbooks are present).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from functools import lru_cache

import pytest

import policyc
from conftest import EXAMPLES, ROOT
from policyc import ir
from policyc.cli import main as cli_main
from policyc.literals import format_duration, format_money
from policyc.match import Ticket, ladder_for, route, sla_targets

ORGANISATIONS = ("aeroflow", "bleusalt", "dignifi", "flexfacts", "onelife")
SCHEMA = ROOT / "schemas" / "policy.schema.json"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/policy.schema.json"


def path_of(org: str):
    return EXAMPLES / org / "policy.yaml"


@lru_cache(maxsize=None)
def written(org: str) -> ir.Policy:
    return policyc.load(path_of(org))


@lru_cache(maxsize=None)
def resolved(org: str) -> ir.Policy:
    return policyc.resolve(written(org))


# --- clean and valid ------------------------------------------------------------------


def test_every_organisation_has_an_example():
    assert sorted(p.parent.name for p in EXAMPLES.glob("*/policy.yaml")) == list(ORGANISATIONS)


@pytest.mark.parametrize("org", ORGANISATIONS)
def test_example_checks_clean_through_the_api(org):
    assert policyc.check(written(org)) == []


def test_examples_check_clean_through_the_cli(capsys):
    paths = [str(path_of(org)) for org in ORGANISATIONS]
    status = cli_main(["check", "--strict", "--format", "json", *paths])
    report = json.loads(capsys.readouterr().out)
    assert report["diagnostics"] == []
    assert report["summary"] == {"error": 0, "warning": 0, "info": 0, "suppressed": 0}
    assert status == 0


def test_examples_validate_with_check_jsonschema():
    paths = [str(path_of(org)) for org in ORGANISATIONS]
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMA), *paths],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_schema_passes_the_metaschema():
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--check-metaschema", str(SCHEMA)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("org", ORGANISATIONS)
def test_example_starts_with_the_schema_line(org):
    assert path_of(org).read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE


def test_resolve_stays_callable_after_a_check():
    # Loading the resolve stage once used to replace `policyc.resolve` with the module.
    policy = written("aeroflow")
    policyc.check(policy)
    assert policyc.resolve(policy) == policyc.resolve(policy)


# --- faithful to the playbooks ------------------------------------------------------------

PLAYBOOK_QUOTES = {
    "flexfacts": [
        "Basic (email tickets only, $199/month, 48-hour response)",
        "Pro (chat + phone during business hours, $799/month, 4-hour SLA for P2)",
        "Enterprise (24/7 support, dedicated CSM, custom pricing starting at $4,500/month, guaranteed 1-hour response for P1)",
        "phone for paid plans",
        "a dedicated SLA-backed portal for enterprise accounts",
        "live chat response < 2 minutes during business hours",
        "phone answer rate ≥ 85% within 60 seconds for paid customers",
        "First Response Time (FRT): target ≤ 30 minutes for tickets",
        "route enterprise tickets directly to Tier 2 during business hours",
        "create separate queues for billing, technical, and feature requests",
        "5–15% credit of monthly fees for repeated breaches",
        "Service Level Agreement (SLA) compliance: ≥ 95% on agreed time windows",
        "Tier 1 (handled within 4 hours), Tier 2 (escalate within 2 hours, resolve within 24 hours), Tier 3 (engineering, acknowledge within 1 hour, roadmap decision within 5 business days)",
        "Maintain a 24/7 on-call rotation for P1 incidents",
        "We aim to respond to all formal complaints within 24 hours.",
    ],
    "dignifi": [
        "Standard customers — 24-hour email SLA, live-chat response <60 seconds, phone IVR wait <3 minutes during business hours",
        "Premium customers — 4-hour email SLA, chat <30 seconds, direct-dial support with dedicated queue",
        "VIP customers routed to senior agents",
        "Service Level (80/20 or 90/30 depending on scale)",
        "Tier 1 – agent resolution within 0–1 business day; Tier 2 – specialist 1–2 business days; Tier 3 – product/engineering 3–7 business days",
        "with weekly status updates",
        "up to $100 handled at Tier 1, up to $2,500 requires manager approval, above $2,500 requires finance/legal sign-off",
        "San Francisco, CA",
    ],
    "onelife": [
        "phone/chat 24/7 for outages and safety issues; standard account help 08:00–20:00 local time (Mon–Sun)",
        "at least 3 languages at launch (English, Spanish, Portuguese)",
        "first response — live chat < 1 minute, phone < 2 minutes hold time, email/ticket < 4 business hours for high priority and < 24 hours for standard",
        "simple issues < 24 hours, complex / compliance cases < 72 hours, regulatory escalations 7–14 days with interim status updates every 48 hours",
        "In-app messaging — 0–6 hours depending on routing",
        "Tier 2 response within 4 business hours, Tier 3 acknowledgment within 24 hours and a written action plan within 72 hours for any issue impacting >1% of users",
        "escalation SLA compliance ≥95%",
        "a subscription plan at $49–$199/month per seat for SLA guarantees and priority routing, or per-incident concierge pricing $75–$250 depending on complexity",
        "24/7 white-glove escalation",
    ],
    "bleusalt": [
        "8am–10pm local time, seven days a week",
        "extend live coverage by 30–50% for 4–8 weeks",
        "80% of calls answered within 30 seconds; 90% of chats answered within 60 seconds",
        "Initial response within 1 business hour for high-priority, within 24 hours for standard",
        "Critical (safety/recall): 0–2 hour response, stakeholder call within 1 hour, C-level notification within 2 hours",
        "High (lost shipment, payment failure for subscription): 4–12 hour response, resolution or documented plan within 24 hours",
        "Standard (product questions, account updates): initial response within 1 business hour, resolution within 3 business days",
        "acknowledge within 1 hour, investigate within 24–72 hours",
        "Standard (included), Premium ($199/month — 24/7 email + 12-hour SLA), Enterprise ($499/month — dedicated CSM, 4-hour SLA, quarterly reviews)",
        "warranty or legal issues go to Level 2",
    ],
    "aeroflow": [
        "secure portal for PHI and order history",
        "target live-answer rate for priority lines is 80% within 30 seconds during business hours",
        "chat (initial response <60s",
        "secure portal (acknowledge within 4 business hours, resolve within 24–72 hours)",
        "email (acknowledge within 8 business hours, resolve within 24–72 hours)",
        "define a 1-hour escalation SLA and a 24/7 duty rota",
        "standard return window 30 days for non-defective consumables, restocking fee 0–20% depending on product",
        "set target RMA decision within 3 business days",
        "Typical insurance verification lead time is 2–7 business days",
        "within 7–10 business days of approval",
    ],
}


@pytest.mark.parametrize("org", ORGANISATIONS)
def test_the_facts_asserted_below_are_quoted_from_the_playbook(org, shared):
    playbook = (shared / "seeds" / f"{org}.txt").read_text(encoding="utf-8")
    missing = [quote for quote in PLAYBOOK_QUOTES[org] if quote not in playbook]
    assert missing == []


def promised(policy, **ticket) -> dict[str, str]:
    """The promised targets a ticket gets, as written (`4 business hours`)."""
    return {m.value: _spell(a.target) for m, a in sla_targets(policy, Ticket(**ticket)).items()}


def objectives(policy, **ticket) -> dict[str, str]:
    return {m.value: _spell(a.target) for m, a in sla_targets(policy, Ticket(**ticket), internal=True).items()}


def _spell(target: ir.Target) -> str:
    text = format_duration(target.duration)
    if target.goal is not None:
        text = f"{target.goal.value}% within {text}"
    return text


def calendar_of(policy, owner) -> ir.Calendar:
    """The calendar a reference names, or the one a channel, team or target runs on."""
    ref = owner if isinstance(owner, ir.Ref) else owner.calendar
    return policy.calendars[ref.id]


def queue_for(policy, *, open_: bool, **ticket) -> str:
    queue, _ = route(policy, Ticket(**ticket), lambda calendar: open_)
    return queue


def staffed_24x7(policy, queue_id: str) -> bool:
    team = policy.teams[policy.queues[queue_id].team.id]
    return calendar_of(policy, team).always_open


def price(policy, tier: str) -> tuple:
    p = policy.tiers[tier].price
    return (
        "included" if p.included else format_money(p.money),
        p.period.value if p.period else None,
        p.basis.value,
        p.starting_at,
    )


def test_flexfacts():
    policy = resolved("flexfacts")
    assert list(policy.tiers) == ["basic", "pro", "enterprise"]
    assert price(policy, "basic") == ("USD 199", "month", "flat", False)
    assert price(policy, "pro") == ("USD 799", "month", "flat", False)
    assert price(policy, "enterprise") == ("USD 4,500", "month", "flat", True)
    assert policy.tiers["enterprise"].extras == ("Dedicated CSM",)

    # Basic is email tickets only; phone is for paid plans; the portal is Enterprise's.
    channels = {tier: {ref.id for ref in t.channels} for tier, t in policy.tiers.items()}
    assert {"chat", "phone", "portal"}.isdisjoint(channels["basic"])
    assert {"chat", "phone"} <= channels["pro"] and "portal" not in channels["pro"]
    assert "portal" in channels["enterprise"]
    assert policy.channels["phone"].paid_only

    # 24/7 for Enterprise P1 on the portal; business hours everywhere else.
    assert calendar_of(policy, policy.tiers["enterprise"].coverage).always_open
    assert calendar_of(policy, policy.channels["portal"]).always_open
    business = policy.calendars["business"]
    assert business.timezone.name == "America/New_York"
    closed = {h.date for h in business.holiday_dates}
    assert {dt.date(2026, 11, 26), dt.date(2026, 7, 3), dt.date(2026, 12, 25)} <= closed

    assert promised(policy, tier="enterprise", channel="portal", priority="P1") == {"first_response": "1h"}
    assert promised(policy, tier="enterprise", channel="email", priority="P1") == {"first_response": "1 business hour"}
    assert promised(policy, tier="pro", channel="email", priority="P2") == {"first_response": "4 business hours"}
    assert promised(policy, tier="basic", channel="email", priority="P2") == {"first_response": "2 business days"}
    p1 = sla_targets(policy, Ticket(tier="enterprise", channel="portal", priority="P1"))[ir.Metric.FIRST_RESPONSE]
    assert p1.target.duration.clock is ir.Clock.CALENDAR
    basic = sla_targets(policy, Ticket(tier="basic", channel="email", priority="P3"))[ir.Metric.FIRST_RESPONSE]
    assert basic.target.calendar.id == "business"

    assert objectives(policy, tier="pro", channel="chat", priority="P3") == {"first_response": "2 business minutes"}
    assert objectives(policy, tier="pro", channel="phone", priority="P3") == {"first_response": "85% within 1 business minute"}
    assert objectives(policy, tier="basic", channel="web_form", priority="P3")["first_response"] == "30 business minutes"
    assert objectives(policy, tier="basic", channel="email", priority="P4", intent="complaint")["resolution"] == "1 business day"
    assert promised(policy, tier="basic", channel="email", priority="P4", intent="complaint") == {"first_response": "2 business days"}

    # Every P1 goes to the 24/7 on-call rotation; Enterprise reaches Tier 2 in business hours.
    for tier in policy.tiers:
        assert queue_for(policy, open_=False, tier=tier, channel="email", priority="P1") == "p1"
    assert staffed_24x7(policy, "p1")
    assert queue_for(policy, open_=True, tier="enterprise", channel="email", priority="P3") == "enterprise"
    assert queue_for(policy, open_=False, tier="enterprise", channel="email", priority="P3") == "general"
    assert queue_for(policy, open_=True, tier="pro", channel="chat", priority="P3", intent="billing") == "billing"
    assert queue_for(policy, open_=True, tier="pro", channel="chat", priority="P3", intent="feature_request") == "feature_requests"

    p1_ladder = ladder_for(policy, Ticket(tier="basic", channel="email", priority="P1"))
    assert p1_ladder.id == "p1"
    assert all(calendar_of(policy, policy.teams[level.team.id]).always_open for level in p1_ladder.levels)
    standard = ladder_for(policy, Ticket(tier="pro", channel="email", priority="P2"))
    assert [level.team.id for level in standard.levels] == ["tier1", "tier2", "engineering"]
    assert format_duration(standard.levels[1].trigger.offset) == "2 business hours"
    assert standard.levels[2].trigger.kind is ir.TriggerKind.MANUAL
    assert format_duration(standard.levels[2].acknowledge.duration) == "1 business hour"
    assert format_duration(standard.levels[2].resolve.duration) == "5 business days"

    credits = policy.credits
    assert credits.period is ir.Period.MONTH
    bands = [(b.lower and (b.lower.value.value, b.lower.inclusive), b.upper and (b.upper.value.value, b.upper.inclusive), b.credit.value) for b in credits.bands]
    assert bands == [((Decimal(95), True), None, Decimal(0)), (None, (Decimal(95), False), Decimal(5))]
    assert (credits.repeated_breach.periods, credits.repeated_breach.credit.value) == (2, Decimal(15))
    assert credits.cap.value == Decimal(15)
    assert {policy.exclusions[ref.id].kind for ref in credits.exclusions} == {
        ir.ExclusionKind.SCHEDULED_MAINTENANCE,
        ir.ExclusionKind.FORCE_MAJEURE,
        ir.ExclusionKind.CUSTOMER_DELAY,
    }
    assert list(policy.priorities) == ["P1", "P2", "P3", "P4"]
    assert all(priority.definition for priority in policy.priorities.values())


def test_dignifi():
    policy = resolved("dignifi")
    assert list(policy.tiers) == ["standard", "premium"]
    assert not policy.priorities
    business = policy.calendars["business"]
    assert business.timezone.name == "America/Los_Angeles"
    assert (business.holidays.country, business.holidays.subdivision) == ("US", "CA")
    assert dt.date(2026, 3, 31) in {h.date for h in business.holiday_dates}  # Cesar Chavez Day

    assert promised(policy, tier="standard", channel="email") == {"first_response": "1 business day"}
    assert promised(policy, tier="premium", channel="email") == {"first_response": "4 business hours"}
    assert promised(policy, tier="standard", channel="chat") == {"first_response": "1 business minute"}
    assert promised(policy, tier="premium", channel="chat") == {"first_response": "0.5 business minutes"}
    for tier in ("standard", "premium"):
        assert promised(policy, tier=tier, channel="phone") == {"first_response": "3 business minutes"}
        assert objectives(policy, tier=tier, channel="phone") == {"first_response": "90% within 0.5 business minutes"}

    assert queue_for(policy, open_=True, tier="standard", channel="email", segment="vip") == "vip"
    assert queue_for(policy, open_=True, tier="premium", channel="phone") == "premium_line"
    assert policy.queues["vip"].team.id == policy.queues["premium_line"].team.id == "senior"
    assert queue_for(policy, open_=True, tier="standard", channel="phone") == "general"

    ladder = ladder_for(policy, Ticket(tier="standard", channel="email"))
    upper_ends = [format_duration(level.resolve.range.high) for level in ladder.levels]
    assert upper_ends == ["1 business day", "2 business days", "7 business days"]
    assert all(level.resolve.range.bound is ir.RangeBound.UPPER for level in ladder.levels)
    assert format_duration(ladder.levels[2].update_interval.duration) == "1w"

    approvals = [
        (
            b.lower and (format_money(b.lower.value), b.lower.inclusive),
            b.upper and (format_money(b.upper.value), b.upper.inclusive),
            [ref.id for ref in b.approvers],
        )
        for b in policy.refunds.approvals
    ]
    assert approvals == [
        (None, ("USD 100", True), ["agent"]),
        (("USD 100", False), ("USD 2,500", True), ["support_manager"]),
        (("USD 2,500", False), None, ["finance", "legal"]),
    ]


def test_onelife():
    policy = resolved("onelife")
    support = policy.calendars["support"]
    assert {day for entry in support.hours for day in entry.days} == set(ir.Weekday)
    assert [str(w) for w in support.windows_on(ir.Weekday.SUN)] == ["08:00-20:00"]
    for channel in ("phone", "chat"):
        assert calendar_of(policy, policy.channels[channel]).always_open
    assert calendar_of(policy, policy.channels["email"]).id == "support"

    assert price(policy, "standard") == ("included", None, "flat", False)
    assert price(policy, "premium") == ("USD 49", "month", "seat", True)
    assert price(policy, "concierge") == ("USD 75", None, "incident", True)

    # Objectives for everyone, promises on the premium plans only.
    for tier in ("standard", "premium", "concierge"):
        assert objectives(policy, tier=tier, channel="chat", priority="critical")["first_response"] == "1m"
        assert objectives(policy, tier=tier, channel="phone", priority="critical")["first_response"] == "2m"
        assert objectives(policy, tier=tier, channel="email", priority="high")["first_response"] == "4 business hours"
        assert objectives(policy, tier=tier, channel="email", priority="standard")["first_response"] == "24h"
    assert promised(policy, tier="standard", channel="chat", priority="critical") == {}
    for tier in ("premium", "concierge"):
        assert promised(policy, tier=tier, channel="chat", priority="critical") == {"first_response": "1m", "resolution": "24h"}
        assert promised(policy, tier=tier, channel="email", priority="standard", intent="complex")["resolution"] == "72h"
        assert promised(policy, tier=tier, channel="email", priority="standard", intent="regulatory") == {
            "first_response": "24h",
            "update_interval": "48h",
            "resolution": "14d",
        }
    in_app = sla_targets(policy, Ticket(tier="premium", channel="in_app", priority="high"))[ir.Metric.FIRST_RESPONSE].target
    assert (format_duration(in_app.range.low), format_duration(in_app.range.high), in_app.range.bound) == (
        "0 business hours",
        "6 business hours",
        ir.RangeBound.UPPER,
    )

    assert queue_for(policy, open_=False, tier="standard", channel="phone", priority="critical") == "critical"
    assert staffed_24x7(policy, "critical")
    assert queue_for(policy, open_=True, tier="standard", channel="chat", priority="standard", language="es") == "spanish"
    assert queue_for(policy, open_=True, tier="standard", channel="chat", priority="standard", language="pt") == "portuguese"
    assert queue_for(policy, open_=True, tier="standard", channel="chat", priority="standard", language="en") == "general"
    assert queue_for(policy, open_=True, tier="premium", channel="email", priority="standard") == "premium"

    standard = ladder_for(policy, Ticket(tier="standard", channel="email", priority="high"))
    tier2 = standard.levels[1]
    assert (format_duration(tier2.acknowledge.duration), tier2.acknowledge.goal.value) == ("4 business hours", Decimal(95))
    widespread = ladder_for(policy, Ticket(tier="standard", channel="email", priority="high", intent="widespread"))
    (tier3,) = widespread.levels
    assert format_duration(tier3.acknowledge.duration) == "24h" and format_duration(tier3.resolve.duration) == "72h"
    premium = ladder_for(policy, Ticket(tier="premium", channel="email", priority="high"))
    assert any(calendar_of(policy, policy.teams[level.team.id]).always_open and level.role for level in premium.levels)


def test_bleusalt():
    policy = resolved("bleusalt")
    live = policy.calendars["live"]
    assert live.timezone.name == "America/Los_Angeles"
    assert [str(w) for w in live.windows_on(ir.Weekday.SAT)] == ["08:00-22:00"]
    assert live.holidays is None  # seven days a week
    for season in live.seasons:
        assert (season.end - season.start).days + 1 == 42  # six weeks, inside 4-8
        (peak,) = season.hours
        (window,) = peak.windows
        assert window.overnight and 1.3 <= window.length_minutes / (14 * 60) <= 1.5
    assert {ref.id for ref in policy.tiers["premium"].channels} >= {"email"}
    assert calendar_of(policy, policy.channels["email"]).always_open
    assert calendar_of(policy, policy.tiers["premium"].coverage).always_open

    assert [price(policy, t) for t in policy.tiers] == [
        ("included", None, "flat", False),
        ("USD 199", "month", "flat", False),
        ("USD 499", "month", "flat", False),
    ]
    for tier in policy.tiers:
        assert promised(policy, tier=tier, channel="email", priority="critical") == {"first_response": "2h"}
        assert promised(policy, tier=tier, channel="email", priority="high")["resolution"] == "24h"
        assert promised(policy, tier=tier, channel="chat", priority="standard") == {"resolution": "3 business days"}
    assert promised(policy, tier="standard", channel="email", priority="high")["first_response"] == "12h"
    assert promised(policy, tier="standard", channel="email", priority="standard")["first_response"] == "24h"
    assert promised(policy, tier="premium", channel="email", priority="standard")["first_response"] == "12h"
    assert promised(policy, tier="enterprise", channel="email", priority="standard")["first_response"] == "4h"

    assert objectives(policy, tier="standard", channel="phone", priority="standard") == {"first_response": "80% within 0.5 business minutes"}
    assert objectives(policy, tier="standard", channel="chat", priority="standard") == {"first_response": "90% within 1 business minute"}
    complaint = objectives(policy, tier="standard", channel="email", priority="standard", intent="complaint")
    assert complaint == {"first_response": "1 business hour", "acknowledgement": "1h", "resolution": "24h"}
    plan = sla_targets(policy, Ticket(tier="standard", channel="chat", priority="standard", intent="complaint"), internal=True)
    assert plan[ir.Metric.RESOLUTION].target.range.bound is ir.RangeBound.LOWER

    (duty,) = ladder_for(policy, Ticket(tier="standard", channel="email", priority="critical")).levels
    assert calendar_of(policy, policy.teams[duty.team.id]).always_open
    assert {(n.role.id, format_duration(n.within)) for n in duty.notify} == {("stakeholders", "1h"), ("c_level", "2h")}

    # Email with a deadline shorter than the overnight closure goes to the 24/7 desk.
    for open_ in (True, False):
        assert queue_for(policy, open_=open_, tier="enterprise", channel="email", priority="standard") == "duty"
        assert queue_for(policy, open_=open_, tier="standard", channel="email", priority="standard", intent="complaint") == "duty"
    assert staffed_24x7(policy, "duty")
    assert queue_for(policy, open_=True, tier="standard", channel="chat", priority="standard", intent="warranty") == "level2"
    assert queue_for(policy, open_=True, tier="standard", channel="chat", priority="standard", intent="subscription") == "subscription"


def test_aeroflow():
    policy = resolved("aeroflow")
    assert not policy.tiers
    carries_phi = {id for id, channel in policy.channels.items() if any(ref.id == "phi" for ref in channel.data_classes)}
    assert carries_phi == {"portal", "phone"}
    for channel in ("email", "sms", "chat"):
        assert [ref.id for ref in policy.channels[channel].data_classes] == ["general"]
    for rule in policy.routing.rules:
        if any(ref.id == "phi" for ref in rule.match.data_classes):
            assert not {ref.id for ref in rule.match.channels} & {"email", "sms", "chat"}
    assert queue_for(policy, open_=True, channel="portal", data_class="phi") == "phi"

    assert promised(policy, channel="phone") == {"first_response": "80% within 0.5 business minutes"}
    assert promised(policy, channel="chat") == {"first_response": "1 business minute"}
    assert promised(policy, channel="portal") == {"acknowledgement": "4 business hours", "resolution": "3 business days"}
    assert promised(policy, channel="email") == {"acknowledgement": "8 business hours", "resolution": "3 business days"}
    assert promised(policy, channel="email", intent="insurance_verification")["resolution"] == "7 business days"
    assert promised(policy, channel="phone", intent="warranty_claim")["resolution"] == "3 business days"

    (duty,) = ladder_for(policy, Ticket(channel="phone", intent="clinical")).levels
    assert format_duration(duty.acknowledge.duration) == "1h"
    assert calendar_of(policy, policy.teams[duty.team.id]).always_open
    assert queue_for(policy, open_=False, channel="phone", intent="clinical") == "clinical"
    assert staffed_24x7(policy, "clinical")

    refunds = policy.refunds
    assert (format_duration(refunds.processing.duration), refunds.processing.range.bound) == ("10 business days", ir.RangeBound.UPPER)
    assert format_duration(refunds.return_window) == "30d"
    assert (refunds.restocking_fee.low.value, refunds.restocking_fee.high.value) == (Decimal(0), Decimal(20))
    assert {e.kind for e in policy.exclusions.values()} == {ir.ExclusionKind.CUSTOMER_DELAY, ir.ExclusionKind.THIRD_PARTY}
