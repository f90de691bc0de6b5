"""Routing analysis: covering and indexing are exact, checked against brute force."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

import policyc
from policyc.checks.routing import FIELDS, RuleIndex, Space, _meet, uncovered
from policyc.ir import Match, Ref, RoutingRule
from policyc.pipeline import analyse

DOMAINS = (frozenset({("t1", "c1"), ("t1", "c2"), ("t2", "c1")}), frozenset({"P1", "P2", "P3"}), frozenset({"a", "b", None}))


def boxes(domains=DOMAINS):
    return st.tuples(*(st.frozensets(st.sampled_from(sorted(d, key=str)), min_size=1) for d in domains))


def points(box):
    return set(itertools.product(*box))


@given(boxes(), st.lists(boxes(), max_size=6))
def test_uncovered_is_exact(box, cover):
    covered = set().union(*(points(c) for c in cover)) if cover else set()
    hole = uncovered(box, cover)
    if points(box) <= covered:
        assert hole is None
    else:
        assert hole is not None
        assert points(hole) <= points(box)
        assert not points(hole) & covered, "the example given is a ticket some box takes"


@given(st.lists(boxes(), max_size=12), boxes())
def test_index_finds_exactly_the_boxes_that_meet(stored, probe):
    pad = (frozenset({0}),) * (len(FIELDS) - len(DOMAINS))
    space = Space(DOMAINS + pad, ())
    index = RuleIndex(space)
    rules = [RoutingRule(f"r{i}", Match(), Ref("queue", "q")) for i in range(len(stored))]
    for rule, box in zip(rules, stored):
        index.add(rule, box + pad)
    found = [rule.id for rule, _ in index.meeting(probe + pad)]
    expected = [rule.id for rule, box in zip(rules, stored) if _meet(box + pad, probe + pad) is not None]
    assert found == expected


HEAD = """\
policyc: 1
organisation: {name: Acme, currency: USD, timezone: Europe/London}
calendars:
  office: {timezone: Europe/London, hours: {mon-fri: "09:00-17:00"}}
defaults: {calendar: office}
tiers:
  basic: {channels: [email]}
  pro: {channels: [email, phone]}
channels:
  email: {kind: email}
  phone: {kind: phone}
intents: {billing: {}, refund: {}}
teams: {agents: {}}
queues: {general: {team: agents}, money: {team: agents}, phones: {team: agents}}
"""


def codes(routing: str) -> list[tuple[str, str]]:
    _, found = analyse(policyc.loads(HEAD + routing))
    return [(d.code, d.message) for d in found]


def test_rules_that_cover_a_rule_together_shadow_it():
    found = codes(
        """
routing:
  default: general
  rules:
    - {id: basic, precedence: 1, when: {tiers: [basic]}, queue: money}
    - {id: pro, precedence: 2, when: {tiers: [pro]}, queue: money}
    - {id: billing, precedence: 3, when: {intents: [billing]}, queue: phones}
"""
    )
    assert [c for c, _ in found] == ["PC702"]
    assert "`basic`, `pro`" in found[0][1]


def test_a_rule_for_a_channel_no_listed_tier_includes_never_matches():
    found = codes(
        """
routing:
  default: general
  rules:
    - {id: basic-phone, when: {tiers: [basic], channels: [phone]}, queue: phones}
"""
    )
    assert found == [("PC702", "routing rule `basic-phone` can never match: none of its tiers includes any of its channels")]


def test_equal_precedence_to_the_same_queue_is_not_a_conflict():
    assert codes(
        """
routing:
  default: general
  rules:
    - {id: pro, when: {tiers: [pro]}, queue: money}
    - {id: billing, when: {intents: [billing]}, queue: money}
"""
    ) == []


def test_unrouted_example_is_a_ticket_no_rule_takes():
    found = codes(
        """
routing:
  rules:
    - {id: pro, when: {tiers: [pro]}, queue: money}
    - {id: billing, when: {intents: [billing]}, queue: money}
"""
    )
    assert found == [("PC703", "no routing rule takes tickets of tier `basic` by `email` with none of the intents the rules name, and there is no default queue")]
