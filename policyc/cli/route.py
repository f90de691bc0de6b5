"""`policyc route POLICY --tickets FILE`: the queue, rule, ladder and due instants of
every ticket, streamed row by row."""

from __future__ import annotations

import csv
import io
import json
import sys
from contextlib import ExitStack
from typing import Any, TextIO

import click

from policyc.cli.common import use_color
from policyc.diagnostics import Diagnostic, Severity, exit_code
from policyc.diagnostics.render import FORMATS as DIAGNOSTIC_FORMATS
from policyc.diagnostics.render import RenderContext, render
from policyc.span import SourceMap

OUTPUT_FORMATS = ("jsonl", "json", "csv")
# Row diagnostics kept for the report; beyond this many they are only counted, so a
# file of millions of bad rows does not fill memory.
MAX_SHOWN = 1000
_PEEK = 4096


@click.command("route", short_help="Route tickets: queue, rule, ladder and due instants for each.")
@click.argument("policy_path", metavar="POLICY")
@click.option("--tickets", "tickets_path", required=True, metavar="FILE", help="Tickets as JSON Lines, a JSON array or CSV; `-` reads standard input.")
@click.option("--tickets-format", type=click.Choice(("jsonl", "json", "csv")), help="Format of the tickets  [default: from the file name, else its first character]")
@click.option("--format", "format_", type=click.Choice(OUTPUT_FORMATS), default="jsonl", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to a file (atomically) instead of standard output.")
@click.option("--objectives", is_flag=True, help="Also give internal objectives, in a field of their own.")
@click.option("--diagnostics-format", type=click.Choice(DIAGNOSTIC_FORMATS), default="text", show_default=True, help="How to report bad rows on standard error.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour text diagnostics (auto: only on a terminal).")
def command(
    policy_path: str,
    tickets_path: str,
    tickets_format: str | None,
    format_: str,
    output: str | None,
    objectives: bool,
    diagnostics_format: str,
    color: str,
) -> None:
    """Route tickets: for each, the queue, the routing rule that matched, the escalation
    ladder, and every SLA target with its clock, calendar and due instant (UTC).

    Tickets have `id`, `created_at` (ISO 8601 with an offset or Z), `tier`, `channel`,
    `priority`, and optionally `intent`, `language`, `data_class`, `segment`. A bad row
    is reported on standard error and left out; the others are still routed.

    Exit status: 0 every row routed, 1 the policy has errors or some row was bad, 2 the
    policy or the tickets file could not be read.
    """
    from policyc import PolicyError
    from policyc.pipeline import analyse, read_policy
    from policyc.router import Router

    report = _Report(diagnostics_format, color, tickets_path)
    front = read_policy(policy_path)
    if front.source is not None:
        report.sources.add(front.source)
    report.add(d for d in front.diagnostics if d.severity is Severity.ERROR)
    if front.policy is None or exit_code(front.diagnostics):
        report.finish(policy_path)
    policy, problems = analyse(front.policy)
    report.add(d for d in problems if d.severity is Severity.ERROR)
    if exit_code(problems):
        report.finish(policy_path)
    try:
        router = Router(policy, objectives=objectives)
    except PolicyError as error:
        report.add(error.diagnostics)
        report.finish(policy_path)
    with ExitStack() as stack:
        tickets = _open_tickets(tickets_path, report, stack)
        if tickets is not None:
            stream, name, detected = tickets
            out = stack.enter_context(_output(output))
            _route(router, stream, name, tickets_format or detected, _writer(format_, out, router), report)
    report.finish(tickets_path)


def _route(router, stream: TextIO, name: str, tickets_format: str, writer: _Writer, report: _Report) -> None:
    from policyc.router import Rejected, route_rows
    from policyc.tickets import TicketsUnreadable, read_rows

    writer.begin()
    try:
        for result in route_rows(router, read_rows(stream, name, tickets_format), name):
            if isinstance(result, Rejected):
                report.reject(result)
            else:
                writer.write(result)
    except TicketsUnreadable as error:
        report.add([error.diagnostic])
        if error.text and error.diagnostic.span is not None:
            report.excerpts.excerpts[error.diagnostic.span.line] = error.text
    writer.end()


def _open_tickets(path: str, report: _Report, stack: ExitStack) -> tuple[TextIO, str, str] | None:
    """The tickets as text, their name, and the format they look like."""
    from policyc.tickets import UNREADABLE_TICKETS, detect_format

    try:
        binary = sys.stdin.buffer if path == "-" else stack.enter_context(open(path, "rb"))
        if not hasattr(binary, "peek"):  # a pipe or buffer that cannot look ahead
            binary = io.BufferedReader(binary)
        head = binary.peek(_PEEK)[:_PEEK].decode("utf-8", errors="ignore")
    except OSError as error:
        report.add([UNREADABLE_TICKETS.diagnostic(f"cannot read {path}: {error.strerror or error}", None, hint="check the path given to --tickets")])
        return None
    name = "<stdin>" if path == "-" else path
    stream = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    if path != "-":
        stack.enter_context(stream)
    return stream, name, detect_format(name, head.lstrip("\ufeff"))


def _output(path: str | None):
    if path is None:
        return _Stdout()
    from policyc.write import open_atomic

    return open_atomic(path)


class _Stdout:
    """Standard output as UTF-8 with `\n` line ends, whatever the locale says."""

    def __enter__(self) -> TextIO:
        sys.stdout.flush()
        self.stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        return self.stream

    def __exit__(self, *exc) -> None:
        self.stream.flush()
        self.stream.detach()


# --- the report on standard error -------------------------------------------------------------


class _Report:
    def __init__(self, format: str, color: str, tickets_path: str):
        from policyc.tickets import ExcerptSource

        self.format = format
        self.color = color
        self.sources = SourceMap()
        self.excerpts = ExcerptSource("<stdin>" if tickets_path == "-" else tickets_path, "")
        self.sources.add(self.excerpts)
        self.diagnostics: list[Diagnostic] = []
        self.suppressed = 0

    def add(self, diagnostics) -> None:
        self.diagnostics.extend(diagnostics)

    def reject(self, rejected) -> None:
        if len(self.diagnostics) >= MAX_SHOWN:
            self.suppressed += len(rejected.diagnostics)
            return
        self.excerpts.excerpts[rejected.row.line] = rejected.row.text
        self.diagnostics.extend(rejected.diagnostics)

    def finish(self, file: str):
        """Print the report and exit with the status it calls for."""
        shown = sorted(set(self.diagnostics), key=lambda d: d.sort_key)
        if shown or self.format != "text":
            context = RenderContext(
                sources=self.sources,
                files=[file],
                color=self.format == "text" and use_color(self.color, sys.stderr),
                suppressed=self.suppressed,
            )
            click.echo(render(self.format, shown, context), nl=False, err=True)
        status = exit_code(shown)
        raise click.exceptions.Exit(max(status, 1) if self.suppressed else status)


# --- output ------------------------------------------------------------------------------------


def _iso():
    from functools import lru_cache

    from policyc.clock import iso

    # Many tickets share due instants (a closing time, the next opening).
    return lru_cache(maxsize=1 << 16)(iso)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class Records:
    """Routed tickets as the output gives them, fields in a fixed order: `record` as a
    dictionary, `json` as the very text `json.dumps(record(...))` gives, made faster
    from pieces that are the same for many tickets (a target, a routing decision)."""

    def __init__(self, objectives: bool):
        self.objectives = objectives
        self.iso = _iso()
        # By identity of the target or decision (kept alive in the value, so that an id
        # is never reused): the dictionary and its JSON text without the braces.
        self._targets: dict[int, tuple[object, dict[str, Any], str]] = {}
        self._heads: dict[tuple[int, int, str | None], tuple[object, dict[str, Any], str]] = {}

    def _target(self, deadline) -> tuple[object, dict[str, Any], str]:
        """What a deadline says about its target: the same for every ticket."""
        known = self._targets.get(id(deadline.target))
        if known is None:
            mode = deadline.business_day_mode
            fields = {
                "target": deadline.text,
                "seconds": deadline.seconds,
                "clock": deadline.target.duration.clock.value,
                "calendar": deadline.calendar,
                "business_day_mode": mode.value if mode else None,
                "line": deadline.target.span.line if deadline.target.span else None,
            }
            known = self._targets[id(deadline.target)] = (deadline.target, fields, _dumps(fields)[1:-1])
        return known

    def _head(self, routed) -> tuple[object, dict[str, Any], str]:
        """Queue, rule and ladder: the same for every ticket routed the same way."""
        key = (id(routed.rule), id(routed.ladder), routed.queue)
        known = self._heads.get(key)
        if known is None:
            rule = routed.rule
            fields = {
                "queue": routed.queue,
                "rule": rule.id if rule else None,
                "rule_line": rule.span.line if rule and rule.span else None,
                "ladder": routed.ladder.id if routed.ladder else None,
            }
            known = self._heads[key] = ((routed.rule, routed.ladder, routed.queue), fields, _dumps(fields)[1:-1])
        return known

    def _deadlines(self, deadlines) -> dict[str, Any]:
        iso = self.iso
        return {
            d.metric.value: {**self._target(d)[1], "clock_start": iso(d.clock_start), "due_at": iso(d.due_at)} for d in deadlines
        }

    def _deadlines_json(self, deadlines) -> str:
        iso = self.iso
        return "{" + ", ".join(
            f'"{d.metric.value}": {{{self._target(d)[2]}, "clock_start": "{iso(d.clock_start)}", "due_at": "{iso(d.due_at)}"}}'
            for d in deadlines
        ) + "}"

    def record(self, routed) -> dict[str, Any]:
        result = {"id": routed.row.id, "created_at": self.iso(routed.row.created_at), **self._head(routed)[1]}
        result["sla"] = self._deadlines(routed.promises)
        if self.objectives:
            result["objectives"] = self._deadlines(routed.objectives)
        return result

    def json(self, routed) -> str:
        text = (
            f'{{"id": {_dumps(routed.row.id)}, "created_at": "{self.iso(routed.row.created_at)}", '
            f'{self._head(routed)[2]}, "sla": {self._deadlines_json(routed.promises)}'
        )
        if self.objectives:
            text += f', "objectives": {self._deadlines_json(routed.objectives)}'
        return text + "}"


class _Writer:
    def __init__(self, out: TextIO, router):
        self.out = out
        self.objectives = router.objectives
        self.records = Records(router.objectives)

    def begin(self) -> None:
        pass

    def write(self, routed) -> None:
        raise NotImplementedError

    def end(self) -> None:
        pass


class _JsonLines(_Writer):
    def write(self, routed) -> None:
        self.out.write(self.records.json(routed) + "\n")


class _JsonArray(_Writer):
    first = True

    def begin(self) -> None:
        self.out.write("[")

    def write(self, routed) -> None:
        self.out.write(("\n" if self.first else ",\n") + self.records.json(routed))
        self.first = False

    def end(self) -> None:
        self.out.write("]\n" if self.first else "\n]\n")


_DEADLINE_COLUMNS = ("target", "seconds", "clock", "calendar", "business_day_mode", "line", "clock_start", "due_at")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


class _Csv(_Writer):
    """One row per ticket, a group of columns per SLA metric the policy promises."""

    def __init__(self, out: TextIO, router):
        super().__init__(out, router)
        from policyc.ir import Metric

        def used(internal: bool) -> list[Metric]:
            return [m for m in Metric if any((t := e.target(m)) is not None and t.internal == internal for e in router.policy.sla)]

        self.groups = [("", "sla", m) for m in used(False)]
        if self.objectives:
            self.groups += [("objective_", "objectives", m) for m in used(True)]
        self.writer = csv.writer(out, lineterminator="\n")

    def begin(self) -> None:
        header = ["id", "created_at", "queue", "rule", "rule_line", "ladder"]
        header += [f"{prefix}{metric.value}_{column}" for prefix, _, metric in self.groups for column in _DEADLINE_COLUMNS]
        self.writer.writerow(header)

    def write(self, routed) -> None:
        fields = self.records.record(routed)
        row = [fields[key] for key in ("id", "created_at", "queue", "rule", "rule_line", "ladder")]
        for _, section, metric in self.groups:
            deadline = fields[section].get(metric.value, {})
            row += [deadline.get(column) for column in _DEADLINE_COLUMNS]
        self.writer.writerow([_cell(value) for value in row])


def _writer(format: str, out: TextIO, router) -> _Writer:
    return {"jsonl": _JsonLines, "json": _JsonArray, "csv": _Csv}[format](out, router)
