"""Builds the IR from a schema-valid YAML tree.

Validation has already accepted the shape and every literal, so this module only maps
keys to IR fields; it writes down what the author wrote (defaults are applied later, by
`resolve`), so that printing the IR back gives the same policy.
"""

from __future__ import annotations

from typing import Callable, Iterator, TypeVar

from policyc import ir, literals
from policyc.frontend.yaml_loader import YMap, YNode, YScalar, YSeq, path_text
from policyc.span import Span

T = TypeVar("T")


def build_policy(root: YMap, source: str) -> ir.Policy:
    return _Builder(root).policy(source)


class _Builder:
    def __init__(self, root: YMap):
        self.root = root
        organisation = root.get("organisation")
        currency = organisation.get("currency") if isinstance(organisation, YMap) else None
        self.currency = currency.value if isinstance(currency, YScalar) else None

    # --- small readers ---------------------------------------------------------------

    @staticmethod
    def text(node: YNode | None) -> str | None:
        if isinstance(node, YScalar) and node.value is not None:
            return str(node.value)
        return None

    @staticmethod
    def flag(node: YNode | None, default: bool = False) -> bool:
        return node.value if isinstance(node, YScalar) and isinstance(node.value, bool) else default

    @staticmethod
    def integer(node: YNode | None, default: int | None = None) -> int | None:
        if isinstance(node, YScalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
            return node.value
        # JSON Schema counts `10.0` as an integer, so validation (and every editor)
        # accepts it: it must mean 10 here too, not fall back to the default.
        if isinstance(node, YScalar) and isinstance(node.value, float) and node.value.is_integer():
            return int(node.value)
        return default

    @staticmethod
    def ref(kind: str, node: YNode | None) -> ir.Ref | None:
        if isinstance(node, YScalar) and node.value is not None:
            return ir.Ref(kind, str(node.value), node.span)
        return None

    def refs(self, kind: str, node: YNode | None) -> tuple[ir.Ref, ...]:
        if isinstance(node, YSeq):
            return tuple(ref for item in node.items if (ref := self.ref(kind, item)) is not None)
        return ()

    @staticmethod
    def literal(node: YNode | None, parse: Callable[..., T]) -> T | None:
        if isinstance(node, YScalar) and isinstance(node.value, str):
            return parse(node.value, node.span)
        return None

    def table(self, node: YNode | None, build: Callable[[str, YNode, Span], T]) -> ir.Table[T]:
        if not isinstance(node, YMap):
            return ir.Table()
        return ir.Table({key.value: build(key.value, value, Span.covering(key.span, value.span)) for key, value in node.entries})

    @staticmethod
    def mapping(node: YNode | None) -> YMap:
        return node if isinstance(node, YMap) else YMap(node.span if node else Span("", 0, 0, 0, 0), [])

    # --- the policy --------------------------------------------------------------------

    def policy(self, source: str) -> ir.Policy:
        root = self.root
        return ir.Policy(
            organisation=self.organisation(root.get("organisation")),
            version=self.integer(root.get("policyc"), 1) or 1,
            defaults=self.defaults(root.get("defaults")),
            horizon=self.horizon(root.get("horizon")),
            calendars=self.table(root.get("calendars"), self.calendar),
            channels=self.table(root.get("channels"), self.channel),
            priorities=self.priorities(root.get("priorities")),
            tiers=self.table(root.get("tiers"), self.tier),
            teams=self.table(root.get("teams"), self.team),
            queues=self.table(root.get("queues"), self.queue),
            roles=self.table(root.get("roles"), self.role),
            intents=self.table(root.get("intents"), self.term),
            data_classes=self.table(root.get("data_classes"), self.term),
            segments=self.table(root.get("segments"), self.term),
            sla=tuple(self.sla_entry(item) for item in _items(root.get("sla"))),
            escalation=self.table(root.get("escalation"), self.ladder),
            routing=self.routing(root.get("routing")),
            credits=self.credits(root.get("credits")),
            refunds=self.refunds(root.get("refunds")),
            exclusions=self.table(root.get("exclusions"), self.exclusion),
            suppressions=tuple(self.suppressions(root, [], root.span)),
            source=source,
            span=root.span,
        )

    def organisation(self, node: YNode | None) -> ir.Organisation:
        m = self.mapping(node)
        zone = m.get("timezone")
        return ir.Organisation(
            name=self.text(m.get("name")) or "",
            currency=self.text(m.get("currency")),
            timezone=ir.TimeZone(zone.value, zone.span) if isinstance(zone, YScalar) and zone.value else None,
            contract=self.contract(m.get("contract")),
            span=m.span,
        )

    def contract(self, node: YNode | None) -> ir.Contract:
        if node is None:
            return ir.Contract()
        m = self.mapping(node)
        parties = self.mapping(m.get("parties"))
        return ir.Contract(
            effective_date=self.literal(m.get("effective_date"), literals.parse_date),
            version=self.text(m.get("version")),
            term_months=self.integer(m.get("term_months")),
            parties=tuple(ir.Party(key.value, self.text(value) or "", Span.covering(key.span, value.span)) for key, value in parties.entries),
            span=m.span,
        )

    def defaults(self, node: YNode | None) -> ir.Defaults:
        if node is None:
            return ir.Defaults()
        m = self.mapping(node)
        mode = self.text(m.get("business_day_mode"))
        return ir.Defaults(
            calendar=self.ref("calendar", m.get("calendar")),
            business_day_mode=ir.BusinessDayMode(mode) if mode else ir.BusinessDayMode.SAME_TIME,
            span=m.span,
        )

    def horizon(self, node: YNode | None) -> ir.Horizon | None:
        if node is None:
            return None
        m = self.mapping(node)
        start = self.literal(m.get("start"), literals.parse_date)
        end = self.literal(m.get("end"), literals.parse_date)
        if start is None or end is None:
            return None
        return ir.Horizon(start, end, m.span)

    # --- calendars -----------------------------------------------------------------------

    def calendar(self, id: str, node: YNode, span: Span) -> ir.Calendar:
        m = self.mapping(node)
        zone = m.get("timezone")
        hours = m.get("hours")
        always_open = isinstance(hours, YScalar) and hours.value == "24x7"
        return ir.Calendar(
            id=id,
            timezone=ir.TimeZone(self.text(zone) or "", zone.span if zone else span),
            name=self.text(m.get("name")),
            always_open=always_open,
            hours=() if always_open else self.weekly_hours(hours),
            holidays=self.holidays(m.get("holidays")),
            overrides=tuple(self.override(item) for item in _items(m.get("overrides"))),
            seasons=tuple(self.season(item) for item in _items(m.get("seasons"))),
            span=span,
        )

    def weekly_hours(self, node: YNode | None) -> tuple[ir.WeeklyHours, ...]:
        if not isinstance(node, YMap):
            return ()
        return tuple(
            ir.WeeklyHours(literals.parse_weekdays(key.value, key.span), self.windows(value), Span.covering(key.span, value.span))
            for key, value in node.entries
        )

    def windows(self, node: YNode | None) -> tuple[ir.Window, ...]:
        if isinstance(node, YScalar):
            if node.value == "closed" or node.value is None:
                return ()
            return (literals.parse_window(str(node.value), node.span),)
        return tuple(literals.parse_window(str(item.value), item.span) for item in _items(node) if isinstance(item, YScalar))

    def holidays(self, node: YNode | None) -> ir.HolidayRule | None:
        if node is None:
            return None
        m = self.mapping(node)
        country, subdivision = m.get("country"), m.get("subdivision")
        dates = self.text(m.get("dates"))
        return ir.HolidayRule(
            country=self.text(country) or "",
            subdivision=self.text(subdivision),
            dates=ir.HolidayDates(dates) if dates else ir.HolidayDates.OBSERVED,
            except_names=tuple(self.text(item) or "" for item in _items(m.get("except"))),
            span=m.span,
            country_span=country.span if country else m.span,
            subdivision_span=subdivision.span if subdivision else m.span,
        )

    def override(self, node: YNode) -> ir.DateOverride:
        m = self.mapping(node)
        return ir.DateOverride(
            date=self.literal(m.get("date"), literals.parse_date),
            windows=self.windows(m.get("hours")),
            reason=self.text(m.get("reason")),
            span=m.span,
        )

    def season(self, node: YNode) -> ir.Season:
        m = self.mapping(node)
        return ir.Season(
            name=self.text(m.get("name")) or "",
            start=self.literal(m.get("from"), literals.parse_date),
            end=self.literal(m.get("to"), literals.parse_date),
            hours=self.weekly_hours(m.get("hours")),
            span=m.span,
        )

    # --- definitions ---------------------------------------------------------------------

    def channel(self, id: str, node: YNode, span: Span) -> ir.Channel:
        m = self.mapping(node)
        return ir.Channel(
            id=id,
            kind=ir.ChannelKind(self.text(m.get("kind"))),
            calendar=self.ref("calendar", m.get("calendar")),
            name=self.text(m.get("name")),
            paid_only=self.flag(m.get("paid_only")),
            data_classes=self.refs("data_class", m.get("data_classes")),
            self_service=self.flag(m.get("self_service")),
            span=span,
        )

    def priorities(self, node: YNode | None) -> ir.Table[ir.Priority]:
        if not isinstance(node, YMap):
            return ir.Table()
        built = {}
        for rank, (key, value) in enumerate(node.entries, start=1):
            m = self.mapping(value)
            built[key.value] = ir.Priority(
                id=key.value,
                rank=rank,
                name=self.text(m.get("name")),
                definition=self.text(m.get("definition")),
                span=Span.covering(key.span, value.span),
            )
        return ir.Table(built)

    def tier(self, id: str, node: YNode, span: Span) -> ir.Tier:
        m = self.mapping(node)
        price = m.get("price")
        return ir.Tier(
            id=id,
            name=self.text(m.get("name")),
            price=literals.parse_price(price.value, price.span, self.currency) if isinstance(price, YScalar) else None,
            channels=self.refs("channel", m.get("channels")),
            coverage=self.ref("calendar", m.get("coverage")),
            extras=tuple(self.text(item) or "" for item in _items(m.get("extras"))),
            description=self.text(m.get("description")),
            span=span,
        )

    def team(self, id: str, node: YNode, span: Span) -> ir.Team:
        m = self.mapping(node)
        return ir.Team(id=id, calendar=self.ref("calendar", m.get("calendar")), name=self.text(m.get("name")), contact=self.text(m.get("contact")), span=span)

    def queue(self, id: str, node: YNode, span: Span) -> ir.Queue:
        m = self.mapping(node)
        return ir.Queue(id=id, team=self.ref("team", m.get("team")), name=self.text(m.get("name")), span=span)

    def role(self, id: str, node: YNode, span: Span) -> ir.Role:
        m = self.mapping(node)
        return ir.Role(id=id, name=self.text(m.get("name")), team=self.ref("team", m.get("team")), span=span)

    def term(self, id: str, node: YNode, span: Span) -> ir.Term:
        m = self.mapping(node)
        return ir.Term(id=id, name=self.text(m.get("name")), description=self.text(m.get("description")), span=span)

    def exclusion(self, id: str, node: YNode, span: Span) -> ir.Exclusion:
        m = self.mapping(node)
        return ir.Exclusion(
            id=id,
            kind=ir.ExclusionKind(self.text(m.get("kind"))),
            description=self.text(m.get("description")) or "",
            notice=self.literal(m.get("notice"), literals.parse_duration),
            span=span,
        )

    # --- SLA -----------------------------------------------------------------------------

    def selector(self, m: YMap) -> ir.Selector:
        return ir.Selector(
            tiers=self.refs("tier", m.get("tiers")),
            priorities=self.refs("priority", m.get("priorities")),
            channels=self.refs("channel", m.get("channels")),
            intents=self.refs("intent", m.get("intents")),
            segments=self.refs("segment", m.get("segments")),
            span=m.span,
        )

    def sla_entry(self, node: YNode) -> ir.SlaEntry:
        m = self.mapping(node)
        calendar = self.ref("calendar", m.get("calendar"))
        mode = self.text(m.get("business_day_mode"))
        targets = []
        for metric in ir.Metric:
            value = m.get(metric.value)
            if value is not None:
                targets.append((metric, self.target(value, calendar, ir.BusinessDayMode(mode) if mode else None)))
        return ir.SlaEntry(
            selector=self.selector(m),
            targets=tuple(targets),
            id=self.text(m.get("id")),
            description=self.text(m.get("description")),
            span=m.span,
        )

    def target(self, node: YNode, calendar: ir.Ref | None = None, mode: ir.BusinessDayMode | None = None) -> ir.Target:
        """A target in short form (`4h`) or long form (`{target: 4h, goal: 80%}`). The
        calendar and business-day mode of the enclosing entry apply to business-time
        targets that do not give their own (calendar time needs neither)."""
        if isinstance(node, YScalar):
            duration, promised = self.target_duration(node, None)
            business = duration.clock is ir.Clock.BUSINESS
            return ir.Target(duration, calendar if business else None, mode if business else None, range=promised, span=node.span)
        m = self.mapping(node)
        bound = self.text(m.get("bound"))
        duration_node = m.get("target")
        duration, promised = self.target_duration(duration_node, ir.RangeBound(bound) if bound else None)
        business = duration.clock is ir.Clock.BUSINESS
        own_mode = self.text(m.get("business_day_mode"))
        return ir.Target(
            duration=duration,
            calendar=self.ref("calendar", m.get("calendar")) or (calendar if business else None),
            business_day_mode=ir.BusinessDayMode(own_mode) if own_mode else (mode if business else None),
            goal=self.literal(m.get("goal"), literals.parse_percentage),
            internal=self.flag(m.get("internal")),
            range=promised,
            span=m.span,
        )

    @staticmethod
    def target_duration(node: YNode | None, bound: ir.RangeBound | None) -> tuple[ir.Duration, ir.DurationRange | None]:
        assert isinstance(node, YScalar)
        text = str(node.value)
        if literals.is_range(text):
            promised = literals.parse_duration_range(text, bound, node.span)
            return (promised.low if bound is ir.RangeBound.LOWER else promised.high), promised
        return literals.parse_duration(text, node.span), None

    # --- escalation ----------------------------------------------------------------------

    def ladder(self, id: str, node: YNode, span: Span) -> ir.Ladder:
        m = self.mapping(node)
        return ir.Ladder(
            id=id,
            applies_to=self.selector(m),
            levels=tuple(self.level(item) for item in _items(m.get("levels"))),
            name=self.text(m.get("name")),
            span=span,
        )

    def level(self, node: YNode) -> ir.EscalationLevel:
        m = self.mapping(node)
        calendar = self.ref("calendar", m.get("calendar"))
        return ir.EscalationLevel(
            name=self.text(m.get("name")) or "",
            team=self.ref("team", m.get("team")),
            trigger=self.trigger(m),
            role=self.ref("role", m.get("role")),
            contact=self.text(m.get("contact")),
            calendar=calendar,
            acknowledge=self.optional_target(m.get("acknowledge"), calendar),
            resolve=self.optional_target(m.get("resolve"), calendar),
            update_interval=self.optional_target(m.get("update_interval"), calendar),
            notify=tuple(
                ir.Notification(
                    role=self.ref("role", n.get("role")),
                    within=self.literal(n.get("within"), literals.parse_duration),
                    span=n.span,
                )
                for n in (self.mapping(item) for item in _items(m.get("notify")))
            ),
            span=m.span,
        )

    def optional_target(self, node: YNode | None, calendar: ir.Ref | None) -> ir.Target | None:
        return None if node is None else self.target(node, calendar)

    def trigger(self, m: YMap) -> ir.Trigger:
        if (after := m.get("after")) is not None:
            return ir.Trigger(ir.TriggerKind.AFTER, offset=self.literal(after, literals.parse_duration), span=Span.covering(m.key_node("after").span, after.span))
        if (before := m.get("before_breach")) is not None:
            b = self.mapping(before)
            return ir.Trigger(
                ir.TriggerKind.BEFORE_BREACH,
                offset=self.literal(b.get("margin"), literals.parse_duration),
                metric=ir.Metric(self.text(b.get("metric"))),
                span=b.span,
            )
        manual = m.get("manual")
        return ir.Trigger(ir.TriggerKind.MANUAL, span=manual.span if manual else m.span)

    # --- routing -------------------------------------------------------------------------

    def routing(self, node: YNode | None) -> ir.Routing:
        if node is None:
            return ir.Routing()
        m = self.mapping(node)
        return ir.Routing(
            rules=tuple(self.rule(item) for item in _items(m.get("rules"))),
            default=self.ref("queue", m.get("default")),
            span=m.span,
        )

    def rule(self, node: YNode) -> ir.RoutingRule:
        m = self.mapping(node)
        when = self.mapping(m.get("when")) if m.get("when") is not None else YMap(m.span, [])
        selector = self.selector(when)
        return ir.RoutingRule(
            id=self.text(m.get("id")) or "",
            match=ir.Match(
                tiers=selector.tiers,
                channels=selector.channels,
                priorities=selector.priorities,
                intents=selector.intents,
                languages=tuple(ir.Text(str(item.value), item.span) for item in _items(when.get("languages")) if isinstance(item, YScalar)),
                data_classes=self.refs("data_class", when.get("data_classes")),
                segments=selector.segments,
                open=self.ref("calendar", when.get("open")),
                closed=self.ref("calendar", when.get("closed")),
                span=when.span,
            ),
            queue=self.ref("queue", m.get("queue")),
            precedence=self.integer(m.get("precedence"), 100),
            description=self.text(m.get("description")),
            span=m.span,
        )

    # --- commercial ----------------------------------------------------------------------

    def bounds(self, m: YMap, parse: Callable[..., T]) -> tuple[ir.Bound[T] | None, ir.Bound[T] | None]:
        def bound(inclusive_key: str, exclusive_key: str) -> ir.Bound[T] | None:
            for key, inclusive in ((inclusive_key, True), (exclusive_key, False)):
                node = m.get(key)
                if node is not None:
                    return ir.Bound(self.literal(node, parse), inclusive, Span.covering(m.key_node(key).span, node.span))
            return None

        return bound("at_least", "above"), bound("at_most", "below")

    def credits(self, node: YNode | None) -> ir.CreditPolicy | None:
        if node is None:
            return None
        m = self.mapping(node)
        bands = []
        for item in _items(m.get("bands")):
            b = self.mapping(item)
            lower, upper = self.bounds(b, literals.parse_percentage)
            bands.append(ir.CreditBand(self.literal(b.get("credit"), literals.parse_percentage), lower, upper, b.span))
        repeated = m.get("repeated_breach")
        r = self.mapping(repeated) if repeated is not None else None
        return ir.CreditPolicy(
            period=ir.Period(self.text(m.get("period"))),
            metric=ir.CreditMetric(self.text(m.get("metric"))),
            bands=tuple(bands),
            applies_to=ir.Selector(tiers=self.refs("tier", m.get("tiers")), span=m.span),
            cap=self.literal(m.get("cap"), literals.parse_percentage),
            repeated_breach=ir.RepeatedBreach(self.integer(r.get("periods")), self.literal(r.get("credit"), literals.parse_percentage), r.span) if r else None,
            claim_window=self.literal(m.get("claim_window"), literals.parse_duration),
            exclusions=self.refs("exclusion", m.get("exclusions")),
            span=m.span,
        )

    def refunds(self, node: YNode | None) -> ir.RefundPolicy | None:
        if node is None:
            return None
        m = self.mapping(node)
        approvals = []
        for item in _items(m.get("approvals")):
            a = self.mapping(item)
            lower, upper = self.bounds(a, literals.parse_money)
            approvals.append(ir.ApprovalBand(self.refs("role", a.get("approvers")), lower, upper, a.span))
        processing = m.get("processing")
        return ir.RefundPolicy(
            approvals=tuple(approvals),
            processing=self.target(processing) if processing is not None else None,
            return_window=self.literal(m.get("return_window"), literals.parse_duration),
            restocking_fee=self.literal(m.get("restocking_fee"), literals.parse_percentage_range),
            span=m.span,
        )


    # --- suppressions ------------------------------------------------------------------

    def suppressions(self, node: YNode, path: list, scope: Span) -> Iterator[ir.Suppression]:
        """The `suppress:` lists of every definition, in file order. A definition's
        scope runs from its key (`basic:`) or list dash to its last value."""
        if isinstance(node, YMap):
            for item in _items(node.get("suppress")):
                m = self.mapping(item)
                yield ir.Suppression(
                    code=self.text(m.get("code")) or "",
                    reason=self.text(m.get("reason")) or "",
                    place=path_text(path),
                    span=item.span,
                    scope=scope,
                )
            for key, value in node.entries:
                if key.value != "suppress":
                    yield from self.suppressions(value, [*path, key.value], Span.covering(key.span, value.span))
        elif isinstance(node, YSeq):
            for index, item in enumerate(node.items):
                yield from self.suppressions(item, [*path, index], item.span)


def _items(node: YNode | None) -> list[YNode]:
    return node.items if isinstance(node, YSeq) else []

