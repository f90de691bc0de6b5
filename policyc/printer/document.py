"""The IR as a document: the policy in the YAML language's own shape, ready to print.

This is the inverse of `policyc/frontend/yaml_builder.py`: keys are the YAML keys in
the schema's order (the order `docs/language.md` documents them in, each definition
after what it refers to), values are plain (text, numbers, `True`, lists, mappings) and every
literal is spelt by `policyc/literals.py` in its canonical form. Both printers read it:
the YAML printer writes it out as it is, the DSL printer in the DSL's statements. Its
paths (`("calendars", "office", "hours")`) are also what comments attach to.

What the builder fills in is left out again, so that building the document gives back
the same IR: a range's promised end, an SLA entry's calendar on its business-time
targets (written once on the entry when all of them share it), a level's calendar on
its targets, a rule's default precedence.
"""

from __future__ import annotations

import itertools
import re
from typing import Any, Callable, Iterable, Iterator

from policyc import ir, literals

Document = dict[str, Any]


class Text(str):
    """Free text (a name, a description, a reason), as opposed to a word or literal:
    the DSL quotes it."""


def document(policy: ir.Policy) -> Document:
    doc: Document = {"policyc": policy.version, "organisation": _organisation(policy.organisation)}
    if policy.horizon is not None:
        doc["horizon"] = {"start": policy.horizon.start.isoformat(), "end": policy.horizon.end.isoformat()}
    defaults = _defaults(policy.defaults)
    if defaults:
        doc["defaults"] = defaults
    sections = {
        "calendars": (policy.calendars, _calendar),
        "intents": (policy.intents, _term),
        "data_classes": (policy.data_classes, _term),
        "segments": (policy.segments, _term),
        "channels": (policy.channels, _channel),
        "priorities": (policy.priorities, _priority),
        "tiers": (policy.tiers, _tier),
        "teams": (policy.teams, _team),
        "queues": (policy.queues, _queue),
        "roles": (policy.roles, _role),
    }
    for key, (table, convert) in sections.items():
        if table:
            doc[key] = {id: convert(item) for id, item in table.items()}
    if policy.sla:
        doc["sla"] = [_sla_entry(entry) for entry in policy.sla]
    if policy.escalation:
        doc["escalation"] = {id: _ladder(ladder) for id, ladder in policy.escalation.items()}
    routing = _routing(policy.routing)
    if routing:
        doc["routing"] = routing
    if policy.credits is not None:
        doc["credits"] = _credits(policy.credits)
    if policy.refunds is not None:
        doc["refunds"] = _refunds(policy.refunds)
    if policy.exclusions:
        doc["exclusions"] = {id: _exclusion(item) for id, item in policy.exclusions.items()}
    for suppression in policy.suppressions:
        _suppress(doc, suppression)
    return doc


def _suppress(doc: Document, suppression: ir.Suppression) -> None:
    """Put a suppression back on the definition its `place` names (`sla[2]`,
    `escalation.p1.levels[1]`: list items count from 1)."""
    node: Any = doc
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", suppression.place):
        node = node[int(index) - 1] if index else node.setdefault(name, {})
        if node is None:  # an empty definition (`P3:`) that now has a key
            raise ValueError(f"no definition at {suppression.place}")
    node.setdefault("suppress", []).append({"code": suppression.code, "reason": Text(suppression.reason)})


def _put(mapping: Document, key: str, value: Any) -> None:
    """Set `key` unless the value is absent (None, False, empty)."""
    if value is None or value is False or value == () or value == [] or value == {}:
        return
    mapping[key] = value


def _refs(refs: Iterable[ir.Ref]) -> list[str]:
    return [ref.id for ref in refs]


def _ref(ref: ir.Ref | None) -> str | None:
    return ref.id if ref is not None else None


def _text(value: str | None) -> Text | None:
    return Text(value) if value is not None else None


# --- organisation --------------------------------------------------------------------


def _organisation(organisation: ir.Organisation) -> Document:
    doc: Document = {"name": Text(organisation.name)}
    _put(doc, "currency", organisation.currency)
    _put(doc, "timezone", organisation.timezone.name if organisation.timezone else None)
    contract = organisation.contract
    body: Document = {}
    _put(body, "effective_date", contract.effective_date.isoformat() if contract.effective_date else None)
    _put(body, "version", _text(contract.version))
    _put(body, "term_months", contract.term_months)
    _put(body, "parties", {party.role: Text(party.name) for party in contract.parties})
    _put(doc, "contract", body)
    return doc


def _defaults(defaults: ir.Defaults) -> Document:
    doc: Document = {}
    _put(doc, "calendar", _ref(defaults.calendar))
    if defaults.business_day_mode is not ir.BusinessDayMode.SAME_TIME:
        doc["business_day_mode"] = defaults.business_day_mode.value
    return doc


# --- calendars -----------------------------------------------------------------------


def _calendar(calendar: ir.Calendar) -> Document:
    doc: Document = {}
    _put(doc, "name", _text(calendar.name))
    doc["timezone"] = calendar.timezone.name
    if calendar.always_open:
        doc["hours"] = "24x7"
    else:
        _put(doc, "hours", weekly_hours(calendar.hours))
    if calendar.holidays is not None:
        doc["holidays"] = _holidays(calendar.holidays)
    _put(doc, "overrides", [_override(override) for override in calendar.overrides])
    _put(doc, "seasons", [_season(season) for season in calendar.seasons])
    return doc


def weekly_hours(entries: Iterable[ir.WeeklyHours]) -> Document:
    entries = list(entries)
    keys = weekday_keys([entry.days for entry in entries])
    return {key: _windows(entry.windows) for key, entry in zip(keys, entries)}


def weekday_keys(day_sets: list[frozenset[ir.Weekday]]) -> list[str]:
    """The key of each entry of weekly hours: `mon-fri`, `sat`, `daily`.

    Two entries may name the same days in different words (`mon-fri:` and
    `weekdays:`); they keep apart in a mapping only with different keys, so a repeated
    set of days gets the next of its other spellings."""
    used: set[str] = set()
    keys = []
    for days in day_sets:
        key = next(spelling for spelling in _spellings(days) if spelling not in used)
        used.add(key)
        keys.append(key)
    return keys


def _spellings(days: frozenset[ir.Weekday]) -> Iterator[str]:
    yield literals.format_weekdays(days)
    short = [day.short for day in sorted(days)]
    yield ",".join(short)
    yield ",".join(_FULL_NAMES[day] for day in sorted(days))
    for spaces in itertools.count(1):  # as many more spellings as it takes
        if len(short) > 1:
            yield ("," + " " * spaces).join(short)
        else:  # `mon-mon` is Monday alone
            yield f"{short[0]}{' ' * (spaces - 1)}-{short[0]}"


_FULL_NAMES = {
    ir.Weekday.MON: "monday",
    ir.Weekday.TUE: "tuesday",
    ir.Weekday.WED: "wednesday",
    ir.Weekday.THU: "thursday",
    ir.Weekday.FRI: "friday",
    ir.Weekday.SAT: "saturday",
    ir.Weekday.SUN: "sunday",
}


def _windows(windows: tuple[ir.Window, ...]) -> str | list[str]:
    if not windows:
        return "closed"
    texts = [literals.format_window(window) for window in windows]
    return texts[0] if len(texts) == 1 else texts


def _holidays(rule: ir.HolidayRule) -> Document:
    doc: Document = {"country": rule.country}
    _put(doc, "subdivision", rule.subdivision)
    if rule.dates is not ir.HolidayDates.OBSERVED:
        doc["dates"] = rule.dates.value
    _put(doc, "except", [Text(name) for name in rule.except_names])
    return doc


def _override(override: ir.DateOverride) -> Document:
    doc: Document = {"date": override.date.isoformat(), "hours": _windows(override.windows)}
    _put(doc, "reason", _text(override.reason))
    return doc


def _season(season: ir.Season) -> Document:
    return {
        "name": Text(season.name),
        "from": season.start.isoformat(),
        "to": season.end.isoformat(),
        "hours": weekly_hours(season.hours),
    }


# --- definitions ---------------------------------------------------------------------


def _fields(item: Any, **conversions: Callable[[Any], Any]) -> Document:
    """Keys named after the item's fields, each value converted, absent ones left out."""
    doc: Document = {}
    for key, convert in conversions.items():
        _put(doc, key, convert(getattr(item, key)))
    return doc


def _same(value: Any) -> Any:
    return value


def _texts(values: Iterable[str]) -> list[Text]:
    return [Text(value) for value in values]


def _price(price: ir.Price | None) -> str | None:
    return literals.format_price(price) if price is not None else None


def _duration(duration: ir.Duration | None) -> str | None:
    return literals.format_duration(duration) if duration is not None else None


def _channel(channel: ir.Channel) -> Document:
    fields = _fields(channel, name=_text, calendar=_ref, paid_only=_same, data_classes=_refs, self_service=_same)
    return {"kind": channel.kind.value, **fields}


def _priority(priority: ir.Priority) -> Document:
    return _fields(priority, name=_text, definition=_text)


def _term(term: ir.Term) -> Document:
    return _fields(term, name=_text, description=_text)


def _tier(tier: ir.Tier) -> Document:
    return _fields(tier, name=_text, price=_price, description=_text, channels=_refs, coverage=_ref, extras=_texts)


def _team(team: ir.Team) -> Document:
    return _fields(team, name=_text, calendar=_ref, contact=_text)


def _queue(queue: ir.Queue) -> Document:
    return _fields(queue, name=_text, team=_ref)


def _role(role: ir.Role) -> Document:
    return _fields(role, name=_text, team=_ref)


def _exclusion(exclusion: ir.Exclusion) -> Document:
    return {"kind": exclusion.kind.value, "description": Text(exclusion.description), **_fields(exclusion, notice=_duration)}


# --- SLA and escalation --------------------------------------------------------------


def _selector(doc: Document, selector: ir.Selector) -> None:
    _put(doc, "tiers", _refs(selector.tiers))
    _put(doc, "priorities", _refs(selector.priorities))
    _put(doc, "channels", _refs(selector.channels))
    _put(doc, "intents", _refs(selector.intents))
    _put(doc, "segments", _refs(selector.segments))


def _shared(values: list[Any]) -> Any:
    """The one value all of `values` have, if they have one and it is not None."""
    return values[0] if values and values[0] is not None and all(v == values[0] for v in values) else None


def _sla_entry(entry: ir.SlaEntry) -> Document:
    doc: Document = {}
    _put(doc, "id", entry.id)
    _put(doc, "description", _text(entry.description))
    _selector(doc, entry.selector)
    business = [target for _, target in entry.targets if target.duration.clock is ir.Clock.BUSINESS]
    calendar = _shared([target.calendar for target in business])
    mode = _shared([target.business_day_mode for target in business])
    _put(doc, "calendar", _ref(calendar))
    _put(doc, "business_day_mode", mode.value if mode else None)
    for metric, target in entry.targets:
        doc[metric.value] = _target(target, calendar, mode)
    return doc


def _target(target: ir.Target, calendar: ir.Ref | None = None, mode: ir.BusinessDayMode | None = None) -> str | Document:
    """A target as written: `4h`, or a mapping when it needs more than its duration.
    `calendar` and `mode` are what the enclosing entry or level gives its business-time
    targets."""
    business = target.duration.clock is ir.Clock.BUSINESS
    if target.range is not None:
        duration = literals.format_duration_range(target.range)
    else:
        duration = literals.format_duration(target.duration)
    options: Document = {}
    # A range's bound says how to read the range, so it stays next to it.
    if target.range is not None and target.range.bound is not None:
        options["bound"] = target.range.bound.value
    if target.calendar is not None and not (business and target.calendar == calendar):
        options["calendar"] = target.calendar.id
    if target.business_day_mode is not None and not (business and target.business_day_mode == mode):
        options["business_day_mode"] = target.business_day_mode.value
    if target.goal is not None:
        options["goal"] = literals.format_percentage(target.goal)
    _put(options, "internal", target.internal)
    return {"target": duration, **options} if options else duration


def _ladder(ladder: ir.Ladder) -> Document:
    doc: Document = {}
    _put(doc, "name", _text(ladder.name))
    _selector(doc, ladder.applies_to)
    doc["levels"] = [_level(level) for level in ladder.levels]
    return doc


def _level(level: ir.EscalationLevel) -> Document:
    doc: Document = {"name": Text(level.name), "team": _ref(level.team)}
    _put(doc, "role", _ref(level.role))
    _put(doc, "contact", _text(level.contact))
    _put(doc, "calendar", _ref(level.calendar))
    trigger = level.trigger
    if trigger.kind is ir.TriggerKind.AFTER:
        doc["after"] = literals.format_duration(trigger.offset)
    elif trigger.kind is ir.TriggerKind.BEFORE_BREACH:
        doc["before_breach"] = {"metric": trigger.metric.value, "margin": literals.format_duration(trigger.offset)}
    else:
        doc["manual"] = True
    for name in ("acknowledge", "resolve", "update_interval"):
        target = getattr(level, name)
        if target is not None:
            doc[name] = _target(target, level.calendar)
    _put(doc, "notify", [{"role": note.role.id, "within": literals.format_duration(note.within)} for note in level.notify])
    return doc


# --- routing -------------------------------------------------------------------------


def _routing(routing: ir.Routing) -> Document:
    doc: Document = {}
    _put(doc, "default", _ref(routing.default))
    _put(doc, "rules", [_rule(rule) for rule in routing.rules])
    return doc


def _rule(rule: ir.RoutingRule) -> Document:
    doc: Document = {"id": rule.id}
    _put(doc, "description", _text(rule.description))
    if rule.precedence != ir.RoutingRule.__dataclass_fields__["precedence"].default:
        doc["precedence"] = rule.precedence
    match = rule.match
    when: Document = {}
    _put(when, "tiers", _refs(match.tiers))
    _put(when, "priorities", _refs(match.priorities))
    _put(when, "channels", _refs(match.channels))
    _put(when, "intents", _refs(match.intents))
    _put(when, "segments", _refs(match.segments))
    _put(when, "languages", [language.value for language in match.languages])
    _put(when, "data_classes", _refs(match.data_classes))
    _put(when, "open", _ref(match.open))
    _put(when, "closed", _ref(match.closed))
    _put(doc, "when", when)
    doc["queue"] = _ref(rule.queue)
    return doc


# --- commercial ----------------------------------------------------------------------


def _bounds(doc: Document, lower: ir.Bound | None, upper: ir.Bound | None, format) -> None:
    if lower is not None:
        doc["at_least" if lower.inclusive else "above"] = format(lower.value)
    if upper is not None:
        doc["at_most" if upper.inclusive else "below"] = format(upper.value)


def _credits(credits: ir.CreditPolicy) -> Document:
    doc: Document = {"period": credits.period.value, "metric": credits.metric.value}
    _put(doc, "tiers", _refs(credits.applies_to.tiers))
    bands = []
    for band in credits.bands:
        entry: Document = {}
        _bounds(entry, band.lower, band.upper, literals.format_percentage)
        entry["credit"] = literals.format_percentage(band.credit)
        bands.append(entry)
    doc["bands"] = bands
    repeated = credits.repeated_breach
    if repeated is not None:
        doc["repeated_breach"] = {"periods": repeated.periods, "credit": literals.format_percentage(repeated.credit)}
    _put(doc, "cap", literals.format_percentage(credits.cap) if credits.cap is not None else None)
    _put(doc, "claim_window", _duration(credits.claim_window))
    _put(doc, "exclusions", _refs(credits.exclusions))
    return doc


def _refunds(refunds: ir.RefundPolicy) -> Document:
    doc: Document = {}
    approvals = []
    for band in refunds.approvals:
        entry: Document = {}
        _bounds(entry, band.lower, band.upper, literals.format_money)
        entry["approvers"] = _refs(band.approvers)
        approvals.append(entry)
    _put(doc, "approvals", approvals)
    if refunds.processing is not None:
        doc["processing"] = _target(refunds.processing)
    _put(doc, "return_window", _duration(refunds.return_window))
    _put(doc, "restocking_fee", literals.format_percentage_range(refunds.restocking_fee) if refunds.restocking_fee is not None else None)
    return doc
