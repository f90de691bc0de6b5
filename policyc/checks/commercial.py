"""Credits, refunds and prices: bands that overlap or leave gaps, credits that do not
grow as service gets worse, caps, approvers, currencies.

Credit bands and refund approval bands are intervals whose bounds the author states
as inclusive or exclusive (`at_least`/`above`, `at_most`/`below`). They are compared
as intervals of *cuts*: every value `x` has a cut just before it (`x-`) and one just
after it (`x+`), so `at_least: 95%` starts at `95%-`, `above: 95%` at `95%+`, and a
band is empty exactly when its start is not before its end. A gap or an overlap that
is one value wide (`at_most: 100` beside `at_least: 100`) is a boundary the two bands
leave ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Generic, Iterator, TypeVar

from policyc.checks import check
from policyc.diagnostics import Diagnostic, Related, Severity
from policyc.diagnostics.rules import define, example_policy
from policyc.ir import Bound, Money, Percentage, Policy, Price
from policyc.literals import format_money, format_percentage
from policyc.span import Span

OVERLAPPING_BANDS = define(
    "PC801",
    "overlapping-bands",
    Severity.ERROR,
    "Two credit bands, or two refund approval bands, that share a range of values.",
    what="""
        Reports a credit band whose attainment range overlaps another band's, or a
        refund approval band whose amounts overlap another's, by more than one value
        (a single shared value is `PC803`).
    """,
    why="""
        "Up to $100 at Tier 1, up to $2,500 with a manager" leaves a $50 refund in both
        bands: the agent and the manager each think it is theirs to approve, and the
        contract gives two credits for one month.
    """,
    example_fail=example_policy(
        """
        roles:
          agent:
          manager:
        refunds:
          approvals:
            - at_most: USD 100
              approvers: [agent]
            - at_most: USD 2,500
              approvers: [manager]
            - above: USD 2,500
              approvers: [manager]
        """
    ),
    example_pass=example_policy(
        """
        roles:
          agent:
          manager:
        refunds:
          approvals:
            - at_most: USD 100
              approvers: [agent]
            - above: USD 100
              approvers: [manager]
        """
    ),
)

BAND_GAP = define(
    "PC802",
    "band-gap",
    Severity.ERROR,
    "Values no band covers: an attainment that earns no credit below the best band, or a refund no one may approve.",
    what="""
        Reports a range of values between bands (or below the lowest) that no band
        covers: an attainment from 0% up to the top of the best band that earns no
        credit (a month better than every band may earn none), or a refund amount,
        from zero up, that no band gives an approver.
    """,
    why="""
        A month at 85% attainment must not earn less than one at 92% because the bands
        skip from 90% to 95%; a refund of $3,000 must have someone who can approve it.
    """,
    example_fail=example_policy(
        """
        credits:
          period: month
          metric: sla_attainment
          bands:
            - at_least: 95%
              below: 99%
              credit: 5%
            - below: 90%
              credit: 15%
        """
    ),
    example_pass=example_policy(
        """
        credits:
          period: month
          metric: sla_attainment
          bands:
            - at_least: 95%
              below: 99%
              credit: 5%
            - at_least: 90%
              below: 95%
              credit: 10%
            - below: 90%
              credit: 15%
        """
    ),
)

AMBIGUOUS_BOUNDARY = define(
    "PC803",
    "ambiguous-band-boundary",
    Severity.ERROR,
    "A boundary value that falls in two neighbouring bands, or in neither.",
    what="""
        Reports two neighbouring bands that both include their shared boundary
        (`at_most: USD 100` and `at_least: USD 100`), or both exclude it (`below: 95%`
        and `above: 95%`).
    """,
    why="""
        Exactly at the boundary, the policy gives two answers or none: a refund of
        exactly $100 needs either agent or manager approval, and a month at exactly 95%
        earns either credit or none. Make one bound inclusive and the other exclusive.
    """,
    example_fail=example_policy(
        """
        roles:
          agent:
          manager:
        refunds:
          approvals:
            - at_most: USD 100
              approvers: [agent]
            - at_least: USD 100
              approvers: [manager]
        """
    ),
    example_pass=example_policy(
        """
        roles:
          agent:
          manager:
        refunds:
          approvals:
            - at_most: USD 100
              approvers: [agent]
            - above: USD 100
              approvers: [manager]
        """
    ),
)

CREDIT_NOT_MONOTONE = define(
    "PC804",
    "credit-not-monotone",
    Severity.ERROR,
    "A credit band that pays more for better service than a band below it.",
    what="""
        Reports a credit band whose credit is larger than that of a band of lower
        attainment.
    """,
    why="""
        Credits compensate for poor service: the worse the month, the larger the
        credit. Bands that pay more for a better month are usually two credits typed
        in the wrong rows.
    """,
    example_fail=example_policy(
        """
        credits:
          period: month
          metric: sla_attainment
          bands:
            - at_least: 95%
              credit: 0%
            - at_least: 90%
              below: 95%
              credit: 15%
            - below: 90%
              credit: 5%
        """
    ),
    example_pass=example_policy(
        """
        credits:
          period: month
          metric: sla_attainment
          bands:
            - at_least: 95%
              credit: 0%
            - at_least: 90%
              below: 95%
              credit: 5%
            - below: 90%
              credit: 15%
        """
    ),
)

CREDIT_ABOVE_CAP = define(
    "PC805",
    "credit-above-cap",
    Severity.ERROR,
    "A credit larger than the cap on credits.",
    what="""
        Reports a band's credit, or the repeated-breach credit, that is larger than
        `credits.cap`.
    """,
    why="""
        The cap says no period earns more than it; a band that promises more is a
        promise the cap takes back, and customers read the band.
    """,
    example_fail=example_policy(
        """
        credits:
          period: month
          metric: sla_attainment
          bands:
            - at_least: 95%
              credit: 0%
            - below: 95%
              credit: 10%
          repeated_breach:
            periods: 2
            credit: 25%
          cap: 20%
        """
    ),
    example_pass=example_policy(
        """
        credits:
          period: month
          metric: sla_attainment
          bands:
            - at_least: 95%
              credit: 0%
            - below: 95%
              credit: 10%
          repeated_breach:
            periods: 2
            credit: 20%
          cap: 20%
        """
    ),
)

ABOVE_100_PERCENT = define(
    "PC806",
    "percentage-above-100",
    Severity.ERROR,
    "A cap, credit or attainment bound above 100%.",
    what="""
        Reports a credit cap, a band's credit or repeated-breach credit, or a band's
        attainment bound larger than 100%.
    """,
    why="""
        Attainment is a share of tickets and cannot exceed 100%; a credit or cap above
        100% of the fee pays the customer to use the service, which is rarely meant
        (it is usually `10%` typed as `100%`).
    """,
    example_fail=example_policy(
        """
        credits:
          period: month
          metric: sla_attainment
          bands:
            - at_least: 95%
              credit: 0%
            - below: 95%
              credit: 10%
          cap: 150%
        """
    ),
    example_pass=example_policy(
        """
        credits:
          period: month
          metric: sla_attainment
          bands:
            - at_least: 95%
              credit: 0%
            - below: 95%
              credit: 10%
          cap: 15%
        """
    ),
)

APPROVERS_NOT_MONOTONE = define(
    "PC807",
    "refund-approvers-not-monotone",
    Severity.WARNING,
    "Larger refunds approved by fewer of the roles that smaller ones need.",
    what="""
        Reports a refund approval band whose approvers are a strict subset of those of
        a band of smaller amounts.
    """,
    why="""
        Approval thresholds exist so that larger refunds need more authority. A band of
        larger amounts that drops an approver the smaller band needs is usually two
        rows swapped.
    """,
    example_fail=example_policy(
        """
        roles:
          agent:
          manager:
        refunds:
          approvals:
            - at_most: USD 100
              approvers: [agent, manager]
            - above: USD 100
              approvers: [manager]
        """
    ),
    example_pass=example_policy(
        """
        roles:
          agent:
          manager:
        refunds:
          approvals:
            - at_most: USD 100
              approvers: [agent]
            - above: USD 100
              approvers: [manager]
        """
    ),
)

NO_APPROVER = define(
    "PC808",
    "refund-band-without-approver",
    Severity.ERROR,
    "A refund approval band that names no approver.",
    what="""
        Reports a refund approval band whose `approvers` list is empty.
    """,
    why="""
        Refunds in that range would need nobody's approval, and the contract would not
        say who decides. Name the role, or remove the band if refunds there are not
        allowed.
    """,
    example_fail=example_policy(
        """
        roles:
          agent:
        refunds:
          approvals:
            - at_most: USD 100
              approvers: []
            - above: USD 100
              approvers: [agent]
        """
    ),
    example_pass=example_policy(
        """
        roles:
          agent:
        refunds:
          approvals:
            - at_most: USD 100
              approvers: [agent]
            - above: USD 100
              approvers: [agent]
        """
    ),
)

CURRENCY_MISMATCH = define(
    "PC809",
    "currency-mismatch",
    Severity.ERROR,
    "An amount of money in another currency than the organisation's.",
    what="""
        Reports a tier's price or a refund threshold whose currency is not
        `organisation.currency`.
    """,
    why="""
        Thresholds and prices are compared with each other: a refund band in EUR beside
        bands in USD cannot say where a refund of 100 belongs without an exchange rate,
        and contracts quote one currency.
    """,
    example_fail=example_policy(
        """
        roles:
          agent:
          manager:
        refunds:
          approvals:
            - at_most: EUR 100
              approvers: [agent]
            - above: EUR 100
              approvers: [manager]
        """
    ),
    example_pass=example_policy(
        """
        roles:
          agent:
          manager:
        refunds:
          approvals:
            - at_most: USD 100
              approvers: [agent]
            - above: USD 100
              approvers: [manager]
        """
    ),
)

TIER_PRICE_ORDER = define(
    "PC810",
    "tier-price-order",
    Severity.WARNING,
    "A tier priced below a tier listed before it.",
    what="""
        Reports a tier whose price is lower than that of a tier listed before it, when
        both prices are in the same currency, per the same period and on the same
        basis (flat, per seat or per incident). Tiers are listed from cheapest to most
        expensive.
    """,
    why="""
        The order of `tiers` is how policyc knows which plan is dearer, to check that
        a dearer plan never promises less (`PC503`). A price out of order means the
        list, or the price, is wrong.
    """,
    example_fail=example_policy(
        """
        tiers:
          premium:
            price: USD 499/month
          standard:
            price: USD 199/month
        """
    ),
    example_pass=example_policy(
        """
        tiers:
          standard:
            price: USD 199/month
          premium:
            price: USD 499/month
        """
    ),
)

V = TypeVar("V")
Cut = tuple[Decimal, int]  # (x, 0) is just before x, (x, 1) just after it
_INFINITY = Decimal("Infinity")


@dataclass(frozen=True)
class Band(Generic[V]):
    """A band as an interval of cuts, with where it is written."""

    start: Cut
    end: Cut
    lower: Bound | None
    upper: Bound | None
    span: Span

    @property
    def empty(self) -> bool:
        return self.start >= self.end


def _band(lower: Bound | None, upper: Bound | None, span: Span, value: Callable[[object], Decimal]) -> Band:
    start = (Decimal(0), 0) if lower is None else (value(lower.value), 0 if lower.inclusive else 1)
    end = (_INFINITY, 0) if upper is None else (value(upper.value), 1 if upper.inclusive else 0)
    return Band(start, end, lower, upper, span)


def _range_words(start: Cut, end: Cut, show: Callable[[Decimal], str]) -> str:
    """A range of cuts as the language's bounds: "above USD 100 and below USD 200"."""
    low = f"at least {show(start[0])}" if start[1] == 0 else f"above {show(start[0])}"
    if end[0] == _INFINITY:
        return low
    high = f"below {show(end[0])}" if end[1] == 0 else f"at most {show(end[0])}"
    return high if start == (Decimal(0), 0) else f"{low} and {high}"


def _plural(noun: str) -> str:
    """"an attainment" -> "attainments"."""
    return noun.split(" ", 1)[1] + "s"


def _one_value(start: Cut, end: Cut) -> bool:
    return start[0] == end[0] and start[1] == 0 and end[1] == 1


def _compare_bands(bands: list[Band], what: str, noun: str, top: Cut | None, show: Callable[[Decimal], str]) -> Iterator[Diagnostic]:
    """Overlaps between any two bands, then gaps from zero up to `top` (None: up to
    the highest band's end)."""
    for i, later in enumerate(bands):
        for earlier in bands[:i]:
            start, end = max(later.start, earlier.start), min(later.end, earlier.end)
            if start >= end:
                continue
            if _one_value(start, end):
                yield AMBIGUOUS_BOUNDARY.diagnostic(
                    f"{noun} of exactly {show(start[0])} falls in two {what}s: both include their shared boundary",
                    later.span,
                    hint="make one of the two bounds exclusive: `at_most`/`above`, or `below`/`at_least`",
                    related=[Related(earlier.span, f"the other {what}")],
                )
            else:
                yield OVERLAPPING_BANDS.diagnostic(
                    f"{what}s overlap: {_plural(noun)} {_range_words(start, end, show)} fall in both",
                    later.span,
                    hint=f"give each {what} its own range: start it where the other one ends",
                    related=[Related(earlier.span, f"the other {what}")],
                )
    ordered = sorted(bands, key=lambda band: band.start)
    if not ordered:
        return
    reach: Cut = (Decimal(0), 0)
    before: Band | None = None
    limit = top if top is not None else max(band.end for band in ordered)
    for band in [*ordered, None]:
        start = band.start if band is not None else limit
        if start > reach and reach < limit:
            gap_end = min(start, limit)
            places = [b.span for b in (before, band) if b is not None]
            if _one_value(reach, gap_end):
                yield AMBIGUOUS_BOUNDARY.diagnostic(
                    f"{noun} of exactly {show(reach[0])} falls in no {what}: the bands on either side both exclude it",
                    places[-1],
                    hint="make one of the two bounds inclusive: `at_most`/`above`, or `below`/`at_least`",
                    related=[Related(span, f"a neighbouring {what}") for span in places[:-1]],
                )
            else:
                yield BAND_GAP.diagnostic(
                    f"{_plural(noun)} {_range_words(reach, gap_end, show)} fall in no {what}",
                    places[-1],
                    hint=f"add a {what} for them, or extend a neighbouring one",
                    related=[Related(span, f"the {what} before the gap") for span in places[:-1]],
                )
        if band is not None and band.end > reach:
            reach, before = band.end, band


def _percent(value: Decimal) -> str:
    return format_percentage(Percentage(value))


@check
def credit_bands_are_sound(policy: Policy) -> Iterator[Diagnostic]:
    credits = policy.credits
    if credits is None:
        return
    bands = [_band(b.lower, b.upper, b.span, lambda p: p.value) for b in credits.bands]
    yield from _compare_bands([b for b in bands if not b.empty], "credit band", "an attainment", None, _percent)
    ranked = sorted(zip(bands, credits.bands), key=lambda pair: pair[0].start)
    for (low, low_band), (high, high_band) in zip(ranked, ranked[1:]):
        if high_band.credit.value > low_band.credit.value:
            yield CREDIT_NOT_MONOTONE.diagnostic(
                f"attainment {_range_words(high.start, high.end, _percent)} earns {format_percentage(high_band.credit)}, "
                f"more than the {format_percentage(low_band.credit)} of the worse attainment "
                f"{_range_words(low.start, low.end, _percent)}",
                high_band.credit.span,
                hint="give lower attainment the larger credit",
                related=[Related(low_band.credit.span, "the credit for worse service")],
            )
    for credit, where in _credits(credits):
        if credits.cap is not None and credit.value > credits.cap.value:
            yield CREDIT_ABOVE_CAP.diagnostic(
                f"{where} is {format_percentage(credit)}, above the cap of {format_percentage(credits.cap)}",
                credit.span,
                hint="lower the credit to the cap, or raise the cap",
                related=[Related(credits.cap.span, "the cap")],
            )
    for value, where in [*_credits(credits), *_attainments(credits), *([(credits.cap, "the cap")] if credits.cap else [])]:
        if value.value > 100:
            yield ABOVE_100_PERCENT.diagnostic(
                f"{where} is {format_percentage(value)}, more than 100%",
                value.span,
                hint="attainment is at most 100%, and a credit or cap above 100% pays more than the fee",
            )


def _credits(credits) -> Iterator[tuple[Percentage, str]]:
    for band in credits.bands:
        yield band.credit, "the credit of this band"
    if credits.repeated_breach is not None:
        yield credits.repeated_breach.credit, "the repeated-breach credit"


def _attainments(credits) -> Iterator[tuple[Percentage, str]]:
    for band in credits.bands:
        for bound in (band.lower, band.upper):
            if bound is not None:
                yield bound.value, "this attainment bound"


@check
def refund_bands_are_sound(policy: Policy) -> Iterator[Diagnostic]:
    refunds = policy.refunds
    if refunds is None or not refunds.approvals:
        return
    currency = policy.organisation.currency
    comparable = [
        band
        for band in refunds.approvals
        if all(bound is None or bound.value.currency == currency for bound in (band.lower, band.upper))
    ]

    def show(amount: Decimal) -> str:
        return format_money(Money(amount, currency or ""))

    bands = [_band(b.lower, b.upper, b.span, lambda m: m.amount) for b in comparable]
    yield from _compare_bands([b for b in bands if not b.empty], "refund approval band", "a refund", (_INFINITY, 0), show)
    for band in refunds.approvals:
        if not band.approvers:
            yield NO_APPROVER.diagnostic(
                f"refunds {_range_words(*_cuts(band), show)} need no one's approval: the band names no approver",
                band.span,
                hint="list the roles that approve refunds in this range",
            )
    ranked = sorted(zip(bands, comparable), key=lambda pair: pair[0].start)
    for i, (high, high_band) in enumerate(ranked):
        wanted = {ref.id for ref in high_band.approvers}
        for low, low_band in ranked[:i]:
            needed = {ref.id for ref in low_band.approvers}
            if low.end <= high.start and wanted < needed:
                missing = ", ".join(f"`{role}`" for role in sorted(needed - wanted))
                yield APPROVERS_NOT_MONOTONE.diagnostic(
                    f"refunds {_range_words(high.start, high.end, show)} need fewer approvers than the smaller refunds "
                    f"{_range_words(low.start, low.end, show)}: {missing} approves the smaller ones only",
                    high_band.span,
                    hint="give larger refunds at least the approvers smaller ones need",
                    related=[Related(low_band.span, "the band of smaller refunds")],
                )
                break


def _cuts(band) -> tuple[Cut, Cut]:
    made = _band(band.lower, band.upper, band.span, lambda m: m.amount)
    return made.start, made.end


def _money(policy: Policy) -> Iterator[tuple[Money, str]]:
    for tier in policy.tiers.values():
        if tier.price is not None and not tier.price.included:
            yield tier.price.money, f"the price of tier `{tier.id}`"
    if policy.refunds is not None:
        for band in policy.refunds.approvals:
            for bound in (band.lower, band.upper):
                if bound is not None:
                    yield bound.value, "this refund threshold"


@check
def money_is_in_one_currency(policy: Policy) -> Iterator[Diagnostic]:
    currency = policy.organisation.currency
    if currency is None:
        return
    for money, where in _money(policy):
        if money.currency != currency:
            yield CURRENCY_MISMATCH.diagnostic(
                f"{where} is in {money.currency}, but the organisation's currency is {currency}",
                money.span,
                hint=f"write it in {currency} (`{format_money(Money(money.amount, currency))}` if the amount is right), "
                "or change `organisation.currency`",
            )


def _comparable(a: Price, b: Price) -> bool:
    if a.included or b.included:
        return True
    return (a.money.currency, a.period, a.basis) == (b.money.currency, b.period, b.basis)


def _amount(price: Price) -> Decimal:
    return Decimal(0) if price.included else price.money.amount


@check
def tiers_are_listed_cheapest_first(policy: Policy) -> Iterator[Diagnostic]:
    priced = [tier for tier in policy.tiers.values() if tier.price is not None]
    for i, tier in enumerate(priced):
        for earlier in priced[:i]:
            if _comparable(tier.price, earlier.price) and _amount(tier.price) < _amount(earlier.price):
                yield TIER_PRICE_ORDER.diagnostic(
                    f"tier `{tier.id}` costs less than `{earlier.id}`, which is listed before it",
                    tier.price.span,
                    hint="list tiers from cheapest to most expensive (policyc reads a later tier as the dearer one)",
                    related=[Related(earlier.price.span, f"the price of `{earlier.id}`")],
                )
                break
