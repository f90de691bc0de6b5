"""The contract appendix: every promise in words, nothing internal, escaped, numbered,
overridable templates, dates as of a fixed day, and a DOCX with headings and tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

import policyc
from policyc.backends import words
from policyc.backends.contract import defined_terms, interval_words, markdown_escape
from policyc.ir import Clock, Duration, Money, Percentage, Price, PriceBasis, Period, TimeUnit, Weekday

EVERY_KEY = ROOT / "tests" / "fixtures" / "every-key.policy.yaml"


def contract(path: Path = EVERY_KEY, **options) -> dict[str, bytes]:
    return policyc.compile(path, targets=["contract"], **options).files


@pytest.fixture(scope="module")
def every_key() -> dict[str, bytes]:
    return contract()


def in_contract_words(target) -> str:
    """A target as the contract writes it, in its defined terms: `4 Business Hours`."""
    return defined_terms(words.target(target))


def promised_figures(policy) -> list[str]:
    """Every promised target of a policy as the contract writes it."""
    figures = [in_contract_words(t) for entry in policy.sla for _, t in entry.targets if not t.internal]
    for ladder in policy.escalation.values():
        for level in ladder.levels:
            for name in ("acknowledge", "resolve"):
                target = getattr(level, name)
                if target is not None and not target.internal:
                    figures.append(in_contract_words(target))
            if level.update_interval is not None and not level.update_interval.internal:
                figures.append(interval_words(level.update_interval))
    if policy.refunds is not None and policy.refunds.processing is not None:
        figures.append(in_contract_words(policy.refunds.processing))
    return figures


def assert_contract_states_every_promise(path: Path, files: dict[str, bytes]) -> None:
    policy = policyc.resolve(policyc.load(path))
    markdown = files["contract/contract.md"].decode()
    html = files["contract/contract.html"].decode()
    for figure in promised_figures(policy):
        assert markdown_escape(figure) in markdown, f"{figure!r} is promised but not in contract.md"
        assert figure.replace("&", "&amp;") in html, f"{figure!r} is promised but not in contract.html"
    # Other durations the contract states (notifications, notice periods, windows) may
    # happen to read like an objective; only a figure nothing else explains is a leak.
    promised = set(promised_figures(policy))
    promised |= {words.duration(n.within) for ladder in policy.escalation.values() for level in ladder.levels for n in level.notify}
    promised |= {words.duration(e.notice) for e in policy.exclusions.values() if e.notice}
    if policy.credits is not None and policy.credits.claim_window is not None:
        promised.add(words.duration(policy.credits.claim_window))
    if policy.refunds is not None and policy.refunds.return_window is not None:
        promised.add(words.duration(policy.refunds.return_window))
    for entry in policy.sla:
        for _, target in entry.targets:
            figure = in_contract_words(target)
            if target.internal and figure not in promised and not any(figure in p for p in promised):
                assert figure not in markdown, f"the internal objective {figure!r} reached the contract"


def test_contract_states_every_promised_target(every_key):
    assert_contract_states_every_promise(EVERY_KEY, every_key)


def test_internal_objective_stays_out_of_the_contract(every_key):
    # The every-key fixture's only internal objective is 4 business hours for VIP complaints.
    assert "4 Business Hours" not in every_key["contract/contract.md"].decode()


def test_the_appendix_has_its_numbered_sections_in_order(every_key):
    markdown = every_key["contract/contract.md"].decode()
    sections = re.findall(r"^## (\d+)\. (.+)$", markdown, flags=re.MULTILINE)
    assert sections == [
        ("1", "Parties and effective date"),
        ("2", "Definitions"),
        ("3", "Support plans and service hours"),
        ("4", "Response and resolution targets"),
        ("5", "How time is measured"),
        ("6", "Escalation procedure"),
        ("7", "Service credits"),
        ("8", "Refunds"),
        ("9", "Exclusions"),
    ]
    clauses = re.findall(r"^\*\*(\d+)\.(\d+)\*\*", markdown, flags=re.MULTILINE)
    for section in {s for s, _ in clauses}:
        numbers = [int(c) for s, c in clauses if s == section]
        assert numbers == list(range(1, len(numbers) + 1)), f"section {section} clauses are not numbered 1, 2, 3..."


def test_money_durations_and_dates_are_written_for_people(every_key):
    markdown = every_key["contract/contract.md"].decode()
    for text in (
        "From USD 4,500.00 per month",
        "USD 49.00 per seat per month",
        "Above USD 100.00 and at most USD 2,500.00",
        "2 Business Days (end of day)",
        "30 seconds for 80% of Tickets",
        "72 hours (range 24 to 72 hours)",
        "takes effect on 1 January 2026",
        "| 31 December 2026 | Year-end closure |",
        "Monday to Friday: 08:00–12:00 and 13:00–17:00",
        "From 15 November 2026 to 31 December 2026 (Peak): every day: 08:00–22:00",
        "| At least 90% and below 95% | 5% |",
    ):
        assert text in markdown, text


def test_holidays_are_those_of_the_contract_period(every_key):
    markdown = every_key["contract/contract.md"].decode()
    assert "runs from 1 January 2026 to 31 December 2026" in markdown
    assert "| 25 December 2026 | Christmas Day |" in markdown
    assert "2027" not in markdown.split("## 4.")[0].split("## 3.")[1]


def test_dates_default_to_the_effective_date_and_say_so(every_key):
    assert "stated as of 1 January 2026, its effective date." in every_key["contract/contract.md"].decode()


def test_as_of_fixes_the_date_the_text_is_written_for():
    files = contract(as_of=dt.date(2026, 6, 1))
    assert "stated as of 1 June 2026." in files["contract/contract.md"].decode()


# The example policies and the fixture that uses every key: what a reader of the
# appendix is checked against below.
READ_AS_CONTRACTS = [EVERY_KEY, *sorted(EXAMPLES.glob("*/policy.yaml"))]


@pytest.fixture(scope="module", params=READ_AS_CONTRACTS, ids=lambda path: path.parent.name if path != EVERY_KEY else "every-key")
def appendix(request) -> tuple[object, str]:
    """A policy and the Markdown of its appendix."""
    return policyc.resolve(policyc.load(request.param)), contract(request.param)["contract/contract.md"].decode()


def policy_text(value) -> list[str]:
    """Every piece of text the policy itself supplies (names, definitions, descriptions,
    holiday names...): everything in the IR that is not an id."""
    found: list[str] = []
    if isinstance(value, str):
        found.append(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            if item.name != "id":
                found += policy_text(getattr(value, item.name))
    elif isinstance(value, Mapping):
        for item in value.values():
            found += policy_text(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            found += policy_text(item)
    return found


def own_words(policy, markdown: str) -> str:
    """The appendix's own wording: its Markdown without the generated-by comment and
    with every text the policy supplies blanked out, longest first."""
    text = markdown.split("-->", 1)[1]
    for piece in sorted(set(policy_text(policy)) | {words.date(day) for day, _ in _closed(policy)}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(markdown_escape(piece))}(?!\w)", " ", text)
    return text


def _closed(policy):
    from policyc.backends.helpdesk import closed_dates

    return [entry for calendar in policy.calendars.values() for entry in closed_dates(calendar)]


def named_objects(policy):
    tables = ("tiers", "channels", "priorities", "intents", "segments", "teams", "roles", "calendars", "data_classes", "escalation")
    for table in tables:
        yield from getattr(policy, table).values()


def test_no_raw_id_where_a_name_belongs(appendix):
    policy, markdown = appendix
    text = own_words(policy, markdown)
    # An id that is also a word of the appendix's own wording ("support") cannot be
    # told apart from it; every other id must not be seen.
    wording = set(re.findall(r"\w+", (ROOT / "policyc" / "templates" / "contract" / "contract.md.j2").read_text()))
    wording |= set(re.findall(r"\w+", (ROOT / "policyc" / "backends" / "contract.py").read_text()))
    for item in named_objects(policy):
        if item.name is None or item.name.lower() == item.id.lower() or item.id in wording:
            continue
        # A priority's code follows its name once, in the table of priorities: "Critical (P1)".
        text = text.replace(f"({item.id})", " ") if item in policy.priorities.values() else text
        found = re.search(rf"(?<![\w-]){re.escape(item.id)}(?![\w-])", text)
        assert found is None, f"the id {item.id!r} appears where its name {item.name!r} belongs: ...{text[max(found.start() - 60, 0):found.end() + 20]}..."


def test_an_object_without_a_name_is_called_by_its_id_in_words():
    from policyc.backends.contract import display_name
    from policyc.ir import Team

    assert display_name(Team(id="white_glove-desk")) == "White glove desk"
    assert display_name(Team(id="oncall", name="On-call rota")) == "On-call rota"


def definitions(markdown: str) -> dict[str, str]:
    """The terms clause 2.1 defines, and the definition of each."""
    return dict(re.findall(r"^- “([^”]+)” means (.*)$", markdown, flags=re.MULTILINE))


def test_every_defined_term_is_used_and_capitalised_wherever_it_is_used(appendix):
    policy, markdown = appendix
    terms = definitions(markdown)
    assert {"Ticket", "Calendar Time"} <= set(terms)
    text = own_words(policy, markdown)
    body = "\n".join(line for line in text.splitlines() if not line.startswith(("#", "- “")))
    for term in terms:
        assert term == term.title() or term == "Ticket", f"the defined term {term!r} is not capitalised"
        assert re.search(rf"\b{term}", body), f"{term!r} is defined but never used"
        lower = re.search(rf"\b{term.lower()}", body)
        assert lower is None, f"{term!r} is defined but used in lower case: ...{body[max(lower.start() - 60, 0):lower.end() + 20]}..."
    for used in ("Business Hour", "Business Day"):
        if used in body:
            assert f"{used}s" in terms or used in terms, f"{used!r} is used but not defined"


def test_no_empty_words_or_doubled_words_reach_the_reader(appendix):
    policy, markdown = appendix
    text = own_words(policy, markdown)
    assert not re.search(r"\bNone\b", text), "a cell or clause says None"
    assert not re.search(r"\b(the|a|an) (every|all|the)\b", text, flags=re.IGNORECASE)
    doubled = re.search(r"\b(\w+) \1\b", text)
    assert doubled is None, f"a word is doubled: {doubled.group(0)!r}"
    # Every clause number is followed by a capitalised sentence.
    for clause in re.findall(r"^\*\*\d+\.\d+\*\* (.)", markdown, flags=re.MULTILINE):
        assert clause.isupper() or not clause.isalpha()


def test_a_plan_without_targets_says_so():
    files = contract(EXAMPLES / "onelife" / "policy.yaml")
    assert "**4.2** No targets apply to Tickets on the Standard plan." in files["contract/contract.md"].decode()


def test_short_tables_stay_on_one_page_in_print_and_in_word(every_key):
    from docx import Document

    from policyc.backends.docx import KEEP_TOGETHER_ROWS

    html = every_key["contract/contract.html"].decode()
    assert f"table:not(:has(tbody tr:nth-child({KEEP_TOGETHER_ROWS}))) {{ break-inside: avoid;" in html
    document = Document(io.BytesIO(every_key["contract/contract.docx"]))
    short = [t for t in document.tables if len(t.rows) - 1 < KEEP_TOGETHER_ROWS]
    assert short
    for table in short:
        for row in table.rows[:-1]:
            assert all(cell.paragraphs[0].paragraph_format.keep_with_next for cell in row.cells)


def test_docx_columns_are_wide_enough_for_their_longest_word(every_key):
    from docx import Document

    document = Document(io.BytesIO(every_key["contract/contract.docx"]))
    for table in document.tables:
        grid = [column.width for column in table.columns]
        assert all(width is not None for width in grid), "LibreOffice lays tables out by the grid: every column needs a width"
        header = [cell.text for cell in table.rows[0].cells]
        for width, text in zip(grid, header):
            assert width >= len(max(text.split(), key=len)) * 6.5 * 12700, f"the {text!r} column is too narrow for its header"


def test_the_running_header_names_the_organisation_safely(tmp_path):
    from policyc.backends.contract import css_string

    assert str(css_string('A "B" </style> & C')) == '"A \\22 B\\22  \\3c /style\\3e  \\26  C"'
    path = tmp_path / "policy.yaml"
    path.write_text(HOSTILE)
    html = contract(path)["contract/contract.html"].decode()
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<script>" not in style and "@top-right { content: \"\\3c script\\3e alert('x')\\3c /script\\3e  \\26  *Co* | Ltd: Service Level Appendix\"; }" in style


def test_html_is_a_complete_page_with_print_css(every_key):
    html = every_key["contract/contract.html"].decode()
    assert html.startswith("<!DOCTYPE html>\n<!-- Generated by policyc")
    assert "@page" in html and "thead { display: table-header-group; }" in html
    assert "<h2>4. Response and resolution targets</h2>" in html
    assert "<table>" in html and "<th>Priority</th>" in html


HOSTILE = """\
policyc: 1
organisation:
  name: "<script>alert('x')</script> & *Co* | Ltd"
  currency: USD
  timezone: Europe/London
  contract:
    effective_date: 2026-01-01
defaults:
  calendar: office
calendars:
  office:
    name: "Office [hours](javascript:alert(1))"
    timezone: Europe/London
    hours:
      mon-fri: 09:00-17:00
channels:
  email:
    kind: email
    name: "E|mail_"
priorities:
  P1:
    definition: "`rm -rf` <b>down</b>"
tiers:
  pro:
    name: "Pro | *plus*"
    channels: [email]
sla:
  - tiers: [pro]
    first_response: 4 business hours
"""


def test_values_from_the_policy_cannot_inject_markup(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(HOSTILE)
    files = contract(path)
    html = files["contract/contract.html"].decode()
    assert "<script>" not in html and "<b>" not in html and "javascript:" not in html.replace("javascript:alert(1))", "")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html or "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "<a " not in html
    # Table cells stay whole: the pipes in names are text, not new columns.
    assert "<td>Pro | *plus*</td>" in html
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    assert all(row.count("<td>") in (0, 2, 3, 5) or "<th>" in row for row in rows)


def test_markdown_escape_keeps_plain_text_plain():
    assert markdown_escape("USD 4,500.00 per month") == "USD 4,500.00 per month"
    assert markdown_escape("[Customer]") == "[Customer]"
    assert markdown_escape("snake_case_name") == "snake_case_name"
    assert markdown_escape("a | b *c* `d` <e>") == r"a \| b \*c\* \`d\` \<e\>"
    assert markdown_escape("[x](y)") == r"\[x\](y)"
    assert markdown_escape("_lead") == r"\_lead"
    assert markdown_escape("line\nbreak") == "line break"


def test_templates_dir_overrides_a_shipped_template(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "contract.md.j2").write_text("# Our own appendix for {{ a.organisation }}\n")
    files = contract(templates=templates)
    assert files["contract/contract.md"].decode().endswith("# Our own appendix for Every Key Ltd\n")
    assert "<h1>Our own appendix for Every Key Ltd</h1>" in files["contract/contract.html"].decode()


def test_a_template_with_an_undefined_name_is_refused(tmp_path):
    from policyc.backends import TemplateError

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "contract.md.j2").write_text("# {{ a.organisation }}\n\n{{ a.no_such_thing }}\n")
    with pytest.raises(TemplateError, match=r"contract.md.j2, line 3: this value has no attribute 'no_such_thing'"):
        contract(templates=templates)


def test_docx_has_the_headings_and_tables_of_the_markdown(every_key):
    from docx import Document

    document = Document(io.BytesIO(every_key["contract/contract.docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[0] == "1. Parties and effective date" and headings[-1] == "9. Exclusions"
    assert len(headings) == 9
    assert document.paragraphs[0].style.name == "Title" and document.paragraphs[0].text == "Service Level Appendix"
    markdown = every_key["contract/contract.md"].decode()
    assert len(document.tables) == len(re.findall(r"^\|---", markdown, flags=re.MULTILINE))
    targets = next(t for t in document.tables if [c.text for c in t.rows[0].cells[:3]] == ["Priority", "Channels", "First Response"])
    assert targets.rows[1].cells[2].text == "2 Business Days (end of day)"
    assert document.core_properties.created == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def test_docx_bytes_do_not_depend_on_when_they_were_made(every_key):
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(every_key["contract/contract.docx"]))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "docProps/thumbnail.jpeg" not in archive.namelist()
    assert contract()["contract/contract.docx"] == every_key["contract/contract.docx"]


# --- words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (Duration(Decimal(4), TimeUnit.HOURS, Clock.BUSINESS), "4 business hours"),
        (Duration(Decimal(1), TimeUnit.DAYS, Clock.BUSINESS), "1 business day"),
        (Duration(Decimal(30), TimeUnit.SECONDS), "30 seconds"),
        (Duration(Decimal("1.5"), TimeUnit.HOURS), "90 minutes"),
        (Duration(Decimal("0.5"), TimeUnit.MINUTES, Clock.BUSINESS), "30 business seconds"),
        (Duration(Decimal("2.5"), TimeUnit.DAYS), "60 hours"),
        (Duration(Decimal(1), TimeUnit.WEEKS), "1 week"),
    ],
)
def test_durations_in_words(duration, text):
    assert words.duration(duration) == text


@pytest.mark.parametrize(
    ("price", "text"),
    [
        (Price(Money(Decimal(4500), "USD"), Period.MONTH, starting_at=True), "from USD 4,500.00 per month"),
        (Price(Money(Decimal(49), "EUR"), Period.MONTH, PriceBasis.PER_SEAT), "EUR 49.00 per seat per month"),
        (Price(Money(Decimal(150), "GBP"), None, PriceBasis.PER_INCIDENT), "GBP 150.00 per incident"),
        (Price(Money(Decimal("1234567.5"), "USD"), Period.YEAR), "USD 1,234,567.50 per year"),
        (Price(Money(Decimal(0), "USD"), None, included=True), "Included"),
    ],
)
def test_prices_in_words(price, text):
    assert words.price(price) == text


@pytest.mark.parametrize(
    ("days", "text"),
    [
        ({Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI}, "Monday to Friday"),
        ({Weekday.FRI, Weekday.SAT, Weekday.SUN, Weekday.MON}, "Friday to Monday"),
        ({Weekday.MON, Weekday.WED, Weekday.FRI}, "Monday, Wednesday and Friday"),
        ({Weekday.SAT, Weekday.SUN}, "Saturday and Sunday"),
        (set(Weekday), "every day"),
    ],
)
def test_weekdays_in_words(days, text):
    assert words.weekdays(frozenset(days)) == text


def test_seconds_in_the_largest_unit():
    assert [words.seconds(s) for s in (30, 60, 5400, 7200, 86400, 172800, 604800)] == [
        "30 seconds", "1 minute", "90 minutes", "2 hours", "1 day", "2 days", "1 week",
    ]
    assert words.percentage(Percentage(Decimal("99.50"))) == "99.5%"
