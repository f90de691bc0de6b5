"""Benchmark of the routing analysis on a large policy, in one command:

    python -m bench.routing              # 10,000 rules; updates docs/performance.md
    python -m bench.routing --no-write   # print the section instead

The policy routes by intent, language and tier to 200 queues. For each of 98 intents
it has 100 rules, one per language (20) and tier (5), all of precedence 100 (so none
may share a ticket with another and send it elsewhere), and a fallback by intent alone;
every second intent has a rule for VIP P1 tickets, and some rules are wrong on
purpose: every third intent has one that shares tickets with rules of its precedence
and sends them elsewhere (`PC701`, 33 in all), every fifth one that rules above it
take every ticket of (`PC702`, 20). 10,000 rules; the run checks that exactly those 53
are reported.

It measures reading the file, resolving it, the routing checks (overlaps and
shadowing, with the rules indexed by the values they accept), the same analysis
without the index (every rule against every rule before it) on the first 1,000 and
2,000 rules, the search for a ticket no rule takes (the policy as if it had no default
queue), and the whole of `policyc check`. The figures replace the `bench/routing`
section of docs/performance.md, with the machine and the date of the run.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import sys
import time

from bench.report import PERFORMANCE, ROOT, machine, write_section

BEGIN, END = "<!-- bench/routing: begin -->", "<!-- bench/routing: end -->"

TIERS = [f"t{i}" for i in range(5)]
CHANNELS = ["email", "chat", "phone", "portal", "sms", "social"]
LANGUAGES = ["en", "es", "pt", "fr", "de", "it", "nl", "sv", "da", "fi", "pl", "cs", "hu", "ro", "el", "tr", "ja", "ko", "zh", "ar"]
INTENTS = [f"i{i}" for i in range(98)]
QUEUES = 200


def policy_text() -> str:
    """The benchmark policy, 10,000 routing rules, as YAML."""
    lines = [
        "policyc: 1",
        "organisation: {name: Bench, currency: USD, timezone: America/New_York}",
        "calendars:",
        "  office: {timezone: America/New_York, hours: {mon-fri: '09:00-17:00'}}",
        "defaults: {calendar: office}",
        "channels:",
        *(f"  {c}: {{kind: {c}}}" for c in CHANNELS),
        "priorities: {P1: {}, P2: {}, P3: {}, P4: {}}",
        "tiers:",
        *(f"  {t}: {{channels: [{', '.join(CHANNELS)}]}}" for t in TIERS),
        "segments: {vip: {}, public_sector: {}}",
        "intents:",
        *(f"  {i}: {{}}" for i in INTENTS),
        "teams: {agents: {}}",
        "queues:",
        *(f"  q{q}: {{team: agents}}" for q in range(QUEUES)),
        "routing:",
        "  default: q0",
        "  rules:",
    ]
    rule = 0

    def add(when: str, queue: int, precedence: int) -> None:
        nonlocal rule
        lines.append(f"    - {{id: r{rule}, precedence: {precedence}, when: {{{when}}}, queue: q{queue % QUEUES}}}")
        rule += 1

    # Intent by intent, so that the first rules of the file are a smaller policy of the
    # same make-up (the growth figures time such prefixes).
    for i, intent in enumerate(INTENTS):
        for l, language in enumerate(LANGUAGES):
            for t, tier in enumerate(TIERS):
                add(f"intents: [{intent}], languages: [{language}], tiers: [{tier}]", i * 7 + l * 3 + t, 100)
        add(f"intents: [{intent}]", i, 200)
        if i % 2 == 0:
            add(f"priorities: [P1], segments: [vip], intents: [{intent}], channels: [{CHANNELS[i % len(CHANNELS)]}]", 150 + i, 10)
        if i % 3 == 0:  # shares tickets with 100 rules of precedence 100, sends them elsewhere
            add(f"intents: [{intent}], segments: [public_sector]", 199 - i, 100)
        if i % 5 == 0:  # every ticket of it is taken by a rule of precedence 100
            add(f"intents: [{intent}], languages: [{LANGUAGES[i % 20]}], tiers: [{TIERS[i % 5]}], channels: [email]", 1, 150)
    return "\n".join(lines) + "\n"


def best(function, repeat: int = 3) -> tuple[float, object]:
    """The fastest of `repeat` runs, in seconds, and what the last run returned."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def naive(ordered) -> list[str]:
    """The overlap and shadowing analysis without the index: each rule against every
    rule tried before it."""
    from policyc.checks.routing import _meet, uncovered

    found = []
    for n, (rule, box) in enumerate(ordered):
        before = [(other, other_box) for other, other_box in ordered[:n] if _meet(box, other_box) is not None]
        if uncovered(box, [b for _, b in before]) is None:
            found.append(("PC702", rule.id))
        elif any(o.precedence == rule.precedence and o.queue.id != rule.queue.id for o, _ in before):
            found.append(("PC701", rule.id))
    return found


def measure() -> dict:
    import policyc
    from policyc.checks import routing as checks
    from policyc.pipeline import analyse
    from policyc.resolve import resolve

    text = policy_text()
    read_s, written = best(lambda: policyc.loads(text, "bench.policy.yaml"), repeat=3)
    with _without_libyaml():
        reference_read_s, _ = best(lambda: policyc.loads(text, "bench.policy.yaml"), repeat=1)
    resolve_s, (resolved, _) = best(lambda: resolve(written), repeat=1)
    rules = len(resolved.routing.rules)

    def indexed():
        fresh = dataclasses.replace(resolved)  # a policy of its own: nothing cached from an earlier run
        return [(d.code, d.span.line) for d in checks.rules_do_not_fight(fresh)]

    index_s, found = best(indexed)
    codes = sorted(code for code, _ in found)
    assert codes == ["PC701"] * 33 + ["PC702"] * 20, f"expected 33 PC701 and 20 PC702, found {codes}"
    analysis = checks.Routing(resolved)
    naive_runs = {}
    for size in (1_000, 2_000):
        naive_runs[size], _ = best(lambda: naive(analysis.ordered[:size]), repeat=1)

    def sweep(subset):
        index = checks.RuleIndex(analysis.space)
        for rule, box in subset:
            before = list(index.meeting(box))
            checks.uncovered(box, [b for _, b in before])
            index.add(rule, box)

    scaled = {size: best(lambda: sweep(analysis.ordered[:size]))[0] for size in (1_000, 2_000, 5_000, rules)}
    hole_s, hole = best(lambda: checks.uncovered(analysis.space.domains, [box for _, box in analysis.ordered]))
    check_s, diagnostics = best(lambda: analyse(written)[1], repeat=1)
    return {
        "rules": rules,
        "read_s": read_s,
        "reference_read_s": reference_read_s,
        "resolve_s": resolve_s,
        "index_s": index_s,
        "scaled": scaled,
        "naive": naive_runs,
        "hole_s": hole_s,
        "hole": hole is not None,
        "check_s": check_s,
        "diagnostics": len(diagnostics),
        "lines": text.count("\n"),
    }


@contextlib.contextmanager
def _without_libyaml():
    """Reads as policyc does where PyYAML was built without libyaml: with the Python parser."""
    from policyc.frontend import yaml_loader

    fast, yaml_loader._FastComposer = yaml_loader._FastComposer, None
    try:
        yield
    finally:
        yaml_loader._FastComposer = fast


def report(figures: dict, host: dict) -> str:
    rules = figures["rules"]
    naive_1k, naive_2k = figures["naive"][1_000], figures["naive"][2_000]
    # Without the index the work grows with the square of the rules: from 2,000 rules
    # to 10,000 it is 25 times as much.
    naive_all = naive_2k * (rules / 2_000) ** 2
    lines = [
        BEGIN,
        "## Routing analysis (`python -m bench.routing`)",
        "",
        f"Measured on {host['date']}: {host['cpu']}, {host['cores']} cores, {host['system']}, Python {host['python']}. "
        "Times are the best of three runs, except resolving and the whole check (one run each).",
        "",
        f"A policy of {rules:,} routing rules ({figures['lines']:,} lines of YAML) that route by intent, language and "
        "tier to 200 queues, with 33 rules that share tickets with a rule of the same precedence and send them "
        "elsewhere and 20 that rules above them shadow (see the module's docstring); every one of those 53 is "
        "reported, and nothing else.",
        "",
        "| | seconds |",
        "|---|---:|",
        f"| read, validate and build the IR | {figures['read_s']:.2f} |",
        f"| the same, had PyYAML no libyaml (one run) | {figures['reference_read_s']:.2f} |",
        f"| resolve | {figures['resolve_s']:.2f} |",
        f"| **overlaps and shadowing, {rules:,} rules: the rules' boxes, the index, the search, the messages** | **{figures['index_s']:.2f}** |",
        f"| a ticket no rule takes, if there were no default queue (exact search) | {figures['hole_s']:.2f} |",
        f"| the whole `policyc check` after reading ({figures['diagnostics']} diagnostics) | {figures['check_s']:.2f} |",
        "",
        "How the search grows with the number of rules (the first rules of the policy, which are a smaller policy "
        "of the same make-up; the boxes already built), indexed and comparing every rule with every rule before it:",
        "",
        "| rules | indexed (s) | every pair (s) |",
        "|---:|---:|---:|",
    ]
    for size, seconds in sorted(figures["scaled"].items()):
        pairs = {1_000: f"{naive_1k:.2f}", 2_000: f"{naive_2k:.2f}"}.get(size, f"about {naive_all:,.0f} (n² from 2,000)" if size == rules else "")
        lines.append(f"| {size:,} | {seconds:.2f} | {pairs} |")
    half, full = figures["scaled"][5_000], figures["scaled"][rules]
    lines += [
        "",
        f"From 5,000 to {rules:,} rules the indexed search takes {full / half:.1f} times as long; comparing every "
        f"pair would take {(rules / 5_000) ** 2:.0f} times as long. A rule is compared only with the rules that accept "
        "one of its values in its most selective field, so the work follows how many rules share values, not the "
        "square of their number.",
        "",
        "Goal (issue: conflict analysis): a benchmark with 10,000 rules; do not compare all pairs when the rules "
        "can be indexed by their match fields.",
        "",
        END,
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true", help="print the section instead of updating docs/performance.md")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    section = report(measure(), machine())
    if args.no_write:
        print(section)
    else:
        write_section(BEGIN, END, section)
        print(f"wrote {PERFORMANCE.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
