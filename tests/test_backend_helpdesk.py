"""Zendesk, Freshdesk and PagerDuty outputs: vendor units and shapes, match order,
business hours, our strict schemas and the vendors' published ones."""

from __future__ import annotations

import copy
import datetime as dt
import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

import policyc
from policyc.backends.helpdesk import day_intervals, equivalent_helpdesk_zone, helpdesk_zones, sla_groups
from policyc.backends.lossy import LOSSY_RULES
from policyc.backends.zendesk import workweek
from policyc.ir import Calendar, TimeOfDay, TimeZone, WeeklyHours, Weekday, Window

EVERY_KEY = ROOT / "tests" / "fixtures" / "every-key.policy.yaml"
LOSSY = ["PC951", "PC953", "PC954", "PC955", "PC959", "PC960"]
SCHEMAS = ROOT / "schemas" / "backends"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text())


@pytest.fixture(scope="module")
def every_key() -> dict[str, bytes]:
    return policyc.compile(EVERY_KEY, targets=["zendesk", "freshdesk", "pagerduty"], allow_lossy=LOSSY).files


def calls_of(files: dict[str, bytes], target: str):
    """(file, call) for every API call of a target, in file order."""
    for name, content in files.items():
        if name.startswith(f"{target}/") and name.endswith(".json") and not name.endswith("manifest.json"):
            for call in json.loads(content)["calls"]:
                yield name, call


def compile_text(tmp_path: Path, text: str, targets, allow_lossy=()) -> dict[str, bytes]:
    path = tmp_path / "policy.yaml"
    path.write_text(textwrap.dedent(text))
    return policyc.compile(path, targets=targets, allow_lossy=allow_lossy).files


# --- our own schemas ------------------------------------------------------------------


@pytest.mark.parametrize("target", ["zendesk", "freshdesk", "pagerduty"])
def test_every_file_is_valid_against_our_strict_schema(every_key, target):
    own = jsonschema.Draft202012Validator(schema(target))
    manifest = jsonschema.Draft202012Validator(schema("manifest"))
    names = [n for n in every_key if n.startswith(f"{target}/") and n.endswith(".json")]
    assert names
    for name in names:
        validator = manifest if name.endswith("manifest.json") else own
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(json.loads(every_key[name]))]
        assert not errors, f"{name}: {errors[:3]}"


@pytest.mark.parametrize(
    ("target", "path", "value"),
    [
        ("zendesk", ["sla_policy", "policy_metrics", 0, "priority"], "critical"),
        ("zendesk", ["sla_policy", "policy_metrics", 0, "target"], 0),
        ("zendesk", ["sla_policy", "policy_metrics", 0, "metric"], "first_response"),
        ("freshdesk", ["sla_target", "priority_4", "respond_within"], 90),
        ("pagerduty", ["escalation_policy", "escalation_rules", 0, "escalation_delay_in_minutes"], 0),
    ],
)
def test_our_schema_rejects_wrong_units_and_enums(every_key, target, path, value):
    kind = {"zendesk": "/api/v2/slas/policies", "freshdesk": "/api/v2/sla_policies", "pagerduty": "/escalation_policies"}[target]
    name, call = next((n, c) for n, c in calls_of(every_key, target) if c["path"] == kind)
    document = {"generated_by": json.loads(every_key[name])["generated_by"], "calls": [copy.deepcopy(call)]}
    node = document["calls"][0]["body"]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert list(jsonschema.Draft202012Validator(schema(target)).iter_errors(document))


def test_zendesk_schema_lists_exactly_the_zones_policyc_maps_to():
    create = schema("zendesk")["$defs"]["create_schedule"]
    zones = create["properties"]["body"]["properties"]["schedule"]["properties"]["time_zone"]["enum"]
    assert sorted(zones) == sorted(set(helpdesk_zones().values()))


# --- the vendors' published schemas -------------------------------------------------------


def _openapi(shared: Path, name: str) -> dict:
    return json.loads((shared / "vendor" / name).read_text())


def _validator(spec: dict, body_schema: dict):
    # Reading mode: PagerDuty marks reference ids read-only, so write-mode validation
    # would reject its own request examples (see the vendor folder's README).
    from openapi_schema_validator import OAS30ReadValidator

    return OAS30ReadValidator({**body_schema, "components": spec["components"]})


def _request(spec: dict, path: str) -> dict:
    return spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]


def _zendesk_schema(spec: dict, path: str) -> dict | None:
    # SLA policies and groups have no request body in the spec; their response
    # envelope has the request's shape. Schedules are not in the spec at all.
    return {
        "/api/v2/slas/policies": {"$ref": "#/components/schemas/SLAPolicyResponse"},
        "/api/v2/groups": {"$ref": "#/components/schemas/GroupResponse"},
        "/api/v2/triggers": _request(spec, "/api/v2/triggers"),
        "/api/v2/trigger_categories": _request(spec, "/api/v2/trigger_categories"),
    }.get(path)


def test_zendesk_calls_are_valid_against_zendesks_openapi(every_key, shared):
    spec = _openapi(shared, "zendesk-support-openapi.json")
    checked = 0
    for name, call in calls_of(every_key, "zendesk"):
        body_schema = _zendesk_schema(spec, call["path"])
        if body_schema is None:
            assert "business_hours/schedules" in call["path"], call["path"]
            continue
        errors = [e.message for e in _validator(spec, body_schema).iter_errors(call["body"])]
        assert not errors, f"{name}: {errors[:3]}"
        checked += 1
    assert checked >= 6


def test_pagerduty_calls_are_valid_against_pagerdutys_openapi(every_key, shared):
    spec = _openapi(shared, "pagerduty-openapiv3.json")
    calls = list(calls_of(every_key, "pagerduty"))
    assert {c["path"] for _, c in calls} == {"/schedules", "/escalation_policies"}
    for name, call in calls:
        errors = [e.message for e in _validator(spec, _request(spec, call["path"])).iter_errors(call["body"])]
        assert not errors, f"{name}: {errors[:3]}"


def test_vendor_validation_catches_a_broken_body(every_key, shared):
    """The vendor check can fail: a body the vendor would reject is caught."""
    zendesk = _openapi(shared, "zendesk-support-openapi.json")
    _, sla = next((n, c) for n, c in calls_of(every_key, "zendesk") if c["path"] == "/api/v2/slas/policies")
    broken = copy.deepcopy(sla["body"])
    broken["sla_policy"]["policy_metrics"][0]["target"] = "one hour"
    assert list(_validator(zendesk, _zendesk_schema(zendesk, sla["path"])).iter_errors(broken))
    pagerduty = _openapi(shared, "pagerduty-openapiv3.json")
    _, escalation = next((n, c) for n, c in calls_of(every_key, "pagerduty") if c["path"] == "/escalation_policies")
    broken = copy.deepcopy(escalation["body"])
    broken["escalation_policy"]["escalation_rules"][0]["targets"] = []
    assert list(_validator(pagerduty, _request(pagerduty, "/escalation_policies")).iter_errors(broken))


# --- Zendesk ----------------------------------------------------------------------


windows = st.tuples(st.integers(0, 1439), st.integers(1, 1440)).filter(lambda w: w[0] != w[1] % 1440)


@st.composite
def calendars(draw) -> Calendar:
    hours = []
    for day in Weekday:
        for start, end in draw(st.lists(windows, max_size=3)):
            overnight = end <= start
            window = Window(TimeOfDay(start), TimeOfDay(end), overnight)
            hours.append(WeeklyHours(frozenset({day}), (window,)))
    return Calendar("c", TimeZone("UTC"), hours=tuple(hours))


def _open_minutes_of_week(calendar: Calendar) -> set[int]:
    minutes = set()
    for day in Weekday:
        for window in calendar.windows_on(day):
            base = day * 1440
            minutes.update((base + m) % 10080 for m in range(window.start_minute, window.end_minute))
    return minutes


@settings(max_examples=150, deadline=None)
@given(calendars())
def test_zendesk_workweek_never_crosses_midnight_and_keeps_every_open_minute(calendar):
    intervals = workweek(day_intervals(calendar))
    covered = set()
    for interval in intervals:
        start, end = interval["start_time"], interval["end_time"]
        assert 0 <= start < end <= 10080
        assert start // 1440 == (end - 1) // 1440, f"{interval} crosses midnight"
        covered.update(range(start, end))
    # Zendesk counts from Sunday; the policy's week starts on Monday.
    expected = {(minute + 1440) % 10080 for minute in _open_minutes_of_week(calendar)}
    assert covered == expected
    assert [i["start_time"] for i in intervals] == sorted(i["start_time"] for i in intervals)


def test_zendesk_splits_an_overnight_window_at_midnight():
    saturday_night = Calendar("c", TimeZone("UTC"), hours=(WeeklyHours(frozenset({Weekday.SAT}), (Window(TimeOfDay(1320), TimeOfDay(360), True),)),))
    assert workweek(day_intervals(saturday_night)) == [
        {"start_time": 0, "end_time": 360},  # Sunday 00:00-06:00
        {"start_time": 6 * 1440 + 1320, "end_time": 7 * 1440},  # Saturday 22:00-24:00
    ]


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/London", "London"),
        ("America/New_York", "Eastern Time (US & Canada)"),
        ("America/Detroit", "Eastern Time (US & Canada)"),  # same clock as New York
        ("Europe/Kyiv", "Kyiv"),
        ("UTC", "UTC"),
        ("Australia/Lord_Howe", None),  # half-hour daylight saving: no helpdesk zone
    ],
)
def test_iana_zones_map_to_helpdesk_zones_with_the_same_clock(zone, expected):
    assert equivalent_helpdesk_zone(zone, dt.date(2026, 1, 1), dt.date(2028, 1, 1)) == expected


def test_zendesk_schedule_has_the_calendars_hours_and_holidays(every_key):
    calls = json.loads(every_key["zendesk/schedules/office.json"])["calls"]
    assert calls[0]["body"] == {"schedule": {"name": "Office hours", "time_zone": "Eastern Time (US & Canada)"}}
    intervals = calls[1]["body"]["workweek"]["intervals"]
    monday = [(i["start_time"] - 1440, i["end_time"] - 1440) for i in intervals if 1440 <= i["start_time"] < 2880]
    assert monday == [(8 * 60, 12 * 60), (13 * 60, 17 * 60)]
    holidays = [c["body"]["holiday"] for c in calls[2:]]
    assert {"name": "Year-end closure", "start_date": "2026-12-31", "end_date": "2026-12-31"} in holidays
    assert all("2026-01-01" <= h["start_date"] < "2028-01-01" for h in holidays)
    assert not any(h["name"] == "Columbus Day" for h in holidays), "`except` holidays stay open"


def test_zendesk_sla_policies_carry_promises_in_minutes_by_priority(every_key):
    policies = {c["body"]["sla_policy"]["title"]: c["body"]["sla_policy"] for _, c in calls_of(every_key, "zendesk") if "sla_policy" in c["body"]}
    pro = policies["policyc: tier Pro, via portal and phone"]
    assert pro["filter"]["all"] == [{"field": "current_tags", "operator": "includes", "value": "policyc_tier_pro"}]
    assert {c["value"] for c in pro["filter"]["any"]} == {"0", "33", "34"}
    metrics = {(m["priority"], m["metric"]): (m["target"], m["business_hours"]) for m in pro["policy_metrics"]}
    assert metrics[("urgent", "first_reply_time")] == (1, False)  # 30 seconds, rounded up as allowed
    assert metrics[("urgent", "requester_wait_time")] == (72 * 60, False)
    assert metrics[("urgent", "periodic_update_time")] == (120, False)
    assert not any(m["metric"] == "acknowledgement" for m in pro["policy_metrics"])
    assert [p["position"] for p in policies.values()] == list(range(1, len(policies) + 1))


def test_zendesk_routing_triggers_follow_precedence_and_end_with_the_default(every_key):
    triggers = [c["body"]["trigger"] for n, c in calls_of(every_key, "zendesk") if "/route-" in n]
    assert [t["title"] for t in triggers] == [
        "policyc: route p1-urgent to urgent",
        "policyc: route office-hours to general",
        "policyc: route everything else to general",
    ]
    urgent = triggers[0]["conditions"]
    assert {"field": "within_schedule", "operator": "is_not", "value": "$ref:schedule/office"} in urgent["all"]
    assert {"field": "current_tags", "operator": "includes", "value": "policyc_language_en policyc_language_pt-br"} in urgent["all"]
    for trigger in triggers:
        assert {"field": "current_tags", "operator": "not_includes", "value": "policyc_routed"} in trigger["conditions"]["all"]
        assert {"field": "current_tags", "value": "policyc_routed"} in trigger["actions"]


def test_zendesk_manifest_lists_calls_in_order_and_fills_every_placeholder(every_key):
    manifest = json.loads(every_key["zendesk/manifest.json"])
    steps = manifest["calls"]
    assert [s["step"] for s in steps] == list(range(1, len(steps) + 1))
    created_at = {s["creates"]: s["step"] for s in steps if s["creates"]}
    for step in steps:
        call = json.loads(every_key[f"zendesk/{step['file']}"])["calls"][step["call"]]
        assert (call["method"], call["path"]) == (step["method"], step["path"])
        text = json.dumps([call["path"], call["body"]])
        for placeholder, filled in manifest["placeholders"].items():
            if placeholder in text:
                assert created_at[placeholder] < step["step"], f"{placeholder} used before it exists"
                assert filled == f"the id returned by step {created_at[placeholder]}"


def _narrowed_policy() -> str:
    return """\
        policyc: 1
        organisation:
          name: Acme
          currency: USD
          timezone: Europe/London
        defaults:
          calendar: office
        calendars:
          office:
            timezone: Europe/London
            hours:
              mon-fri: 09:00-17:00
        intents:
          complaint:
            name: Complaint
        segments:
          vip:
        channels:
          email:
            kind: email
          phone:
            kind: phone
        priorities:
          P1:
          P2:
        tiers:
          pro:
            channels: [email, phone]
        sla:
          - tiers: [pro]
            first_response: 8 business hours
          - tiers: [pro]
            channels: [phone]
            first_response: 1h
          - tiers: [pro]
            intents: [complaint]
            first_response: 2 business hours
          - tiers: [pro]
            intents: [complaint]
            segments: [vip]
            channels: [email]
            first_response: 2 business hours
          - tiers: [pro]
            segments: [vip]
            channels: [email]
            first_response: 4 business hours
        """


def test_sla_groups_narrow_only_where_targets_differ_and_match_most_specific_first(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(textwrap.dedent(_narrowed_policy()))
    policy = policyc.resolve(policyc.load(path))
    groups = [(g.intent, g.segment, g.channels) for g in sla_groups(policy)]
    assert groups == [
        # A VIP complaint by email would be caught by the VIP policy (4 business hours)
        # before the complaint policy: it needs its own, with 2 business hours.
        ("complaint", "vip", ["email"]),
        # VIP tickets by phone keep the tier's phone target: no policy of their own.
        (None, "vip", ["email"]),
        # Complaints get 2 business hours on both channels: one policy.
        ("complaint", None, ["email", "phone"]),
        (None, None, ["email"]),
        (None, None, ["phone"]),
    ]


def test_zendesk_narrowed_policies_filter_on_intent_and_segment_tags(tmp_path):
    files = compile_text(tmp_path, _narrowed_policy(), ["zendesk"])
    titles = [json.loads(v)["calls"][0]["body"]["sla_policy"] for k, v in files.items() if "sla_policies/" in k]
    first = titles[0]
    assert first["position"] == 1
    tags = [c["value"] for c in first["filter"]["all"] if c["field"] == "current_tags"]
    assert tags == ["policyc_tier_pro", "policyc_intent_complaint", "policyc_segment_vip"]


# --- Freshdesk --------------------------------------------------------------------


def test_freshdesk_targets_are_seconds_under_priority_keys(every_key):
    bodies = {c["body"]["name"]: c["body"] for _, c in calls_of(every_key, "freshdesk")}
    pro = bodies["policyc: tier Pro, via portal and phone"]
    assert pro["sla_target"] == {
        "priority_4": {
            "respond_within": 60,
            "next_respond_within": 3600,
            "resolve_within": 72 * 3600,
            "business_hours": False,
            "escalation_enabled": True,
        }
    }
    assert pro["applicable_to"] == {"company_ids": ["$ref:companies/pro"], "sources": [2, 3]}
    assert pro["escalation"]["resolution"]["level_1"] == {"escalation_time": 0, "agent_ids": ["$ref:agents/oncall"]}


def test_freshdesk_says_business_hours_are_made_by_hand(every_key):
    note = every_key["freshdesk/business-hours.md"].decode()
    assert "business-hours API is read-only" in note
    assert "- Time zone: Eastern Time (US & Canada)" in note
    assert "  - Monday: 08:00–17:00" in note  # one opening a day, as the loss allowed
    assert "- Assign to groups: general (`general`)" in note
    manifest = json.loads(every_key["freshdesk/manifest.json"])
    assert any("read-only" in note for note in manifest["notes"])
    assert manifest["placeholders"]["$ref:companies/pro"] == "input: the ids of the companies on tier `pro`"


def test_freshdesk_intent_policies_match_on_ticket_type(tmp_path):
    files = compile_text(tmp_path, _narrowed_policy(), ["freshdesk"])
    bodies = [json.loads(v)["calls"][0]["body"] for k, v in files.items() if "sla_policies/" in k]
    complaint = next(b for b in bodies if "intent complaint" in b["name"] and "segment" not in b["name"])
    assert complaint["applicable_to"]["ticket_types"] == ["Complaint"]


# --- PagerDuty --------------------------------------------------------------------


def test_pagerduty_delays_are_the_time_between_levels_in_minutes(tmp_path):
    rule = LOSSY_RULES["PC960"]
    files = compile_text(tmp_path, rule.example_pass, ["pagerduty"])
    policy = json.loads(files["pagerduty/escalation_policies/standard.json"])["calls"][0]["body"]["escalation_policy"]
    assert [r["escalation_delay_in_minutes"] for r in policy["escalation_rules"]] == [30, 30]
    assert [r["targets"][0]["id"] for r in policy["escalation_rules"]] == ["$ref:schedule/agents", "$ref:schedule/managers"]
    assert policy["num_loops"] == 0
    schedule = json.loads(files["pagerduty/schedules/agents.json"])["calls"][0]["body"]["schedule"]
    assert schedule["time_zone"] == "Europe/London"
    layer = schedule["schedule_layers"][0]
    assert layer["start"] == "2026-01-01T00:00:00+00:00"
    assert layer["restrictions"] == [
        {"type": "weekly_restriction", "start_day_of_week": day, "start_time_of_day": "09:00:00", "duration_seconds": 8 * 3600}
        for day in range(1, 6)
    ]


def test_pagerduty_24x7_schedule_has_no_restrictions(every_key):
    schedule = json.loads(every_key["pagerduty/schedules/oncall.json"])["calls"][0]["body"]["schedule"]
    assert "restrictions" not in schedule["schedule_layers"][0]
    assert schedule["time_zone"] == "UTC"


def test_every_lossy_rule_compiles_with_warnings_once_allowed(tmp_path):
    for code, rule in LOSSY_RULES.items():
        path = tmp_path / f"{code}.yaml"
        path.write_text(rule.example_fail)
        result = policyc.compile(path, targets=list(rule.compile_targets), allow_lossy=[code])
        assert result.files, code
        assert result.diagnostics and all(d.code == code and d.severity.value == "warning" for d in result.diagnostics), code
        assert all(f"allowed by --allow-lossy {code}" in d.message for d in result.diagnostics)
