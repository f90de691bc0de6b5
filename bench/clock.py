"""Benchmark of the SLA clock and of `policyc route`'s memory, in one command:

    python -m bench.clock                 # everything, including 10 million routed rows
    python -m bench.clock --route-rows 1000000   # a shorter memory run

It measures, on the standard calendar (Mon-Fri 09:00-17:00 America/New_York with US
holidays) and on an overnight calendar (Mon-Fri 22:00-06:00+1, same zone):

- 1,000,000 due instants ("4 business hours") and 1,000,000 elapsed business times with
  the bulk clock (numpy), in nanoseconds per ticket;
- the same questions one ticket at a time (plain `bisect`), in microseconds per ticket;
- pandas `CustomBusinessHour` and `businesstimedelta` on a sample of the same inputs,
  scaled to per-ticket times and given as ratios measured in the same run;
- the peak memory of `policyc route` streaming 100,000 rows, 1,000,000 rows and
  `--route-rows` rows (default 10,000,000) of JSON Lines through a pipe.

The figures replace the `bench/clock` section of docs/performance.md, with the machine
(CPU model, cores, Python version) and the date of the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import subprocess
import sys
import time

from bench.report import PERFORMANCE, ROOT, write_section
from bench.report import machine as report_machine

BEGIN, END = "<!-- bench/clock: begin -->", "<!-- bench/clock: end -->"
ROUTE_POLICY = ROOT / "tests" / "fixtures" / "route" / "helpdesk.policy.yaml"

TICKETS = 1_000_000
SAMPLE = 2_000  # tickets given to pandas and businesstimedelta (they are slow)
TARGET_HOURS = 4
ZONE = "America/New_York"
FIRST, LAST = dt.date(2026, 1, 1), dt.date(2027, 12, 31)


BENCH_POLICY = f"""
policyc: 1
organisation: {{name: Bench, currency: USD, timezone: {ZONE}}}
horizon: {{start: {FIRST}, end: {LAST}}}
calendars:
  standard:
    timezone: {ZONE}
    hours: {{mon-fri: "09:00-17:00"}}
    holidays: {{country: US}}
  overnight:
    timezone: {ZONE}
    hours: {{mon-fri: "22:00-06:00+1"}}
    holidays: {{country: US}}
"""
HOURS = {"standard": (9, 17), "overnight": (22, 6)}


def calendars():
    """The two calendars compiled, their hours, and the holiday dates (for the others)."""
    import policyc
    from policyc.clock import compile_calendar

    policy = policyc.resolve(policyc.loads(BENCH_POLICY, "bench.policy.yaml"))
    holidays = sorted(h.date for h in policy.calendars["standard"].holiday_dates)
    return {name: (lambda name=name: compile_calendar(policy, name), hours) for name, hours in HOURS.items()}, holidays


def best(function, repeat: int = 5) -> float:
    """The fastest of `repeat` runs, in seconds (the least disturbed by other work)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def measure_clock(seed: int = 2026) -> dict:
    import numpy as np

    from policyc.clock import bulk

    specs, holidays = calendars()
    rng = np.random.default_rng(seed)
    results = {}
    for name, (compile_it, hours) in specs.items():
        compile_seconds = best(compile_it, repeat=3)
        compiled = compile_it()
        # Arrivals over the first 21 months, so every due instant lies inside the horizon.
        arrivals = rng.integers(compiled.lower, compiled.lower + 640 * 86_400, TICKETS, dtype=np.int64)
        ends = arrivals + rng.integers(0, 5 * 86_400, TICKETS, dtype=np.int64)
        seconds = TARGET_HOURS * 3600

        due_bulk = best(lambda: bulk.add(compiled, arrivals, seconds)) / TICKETS
        elapsed_bulk = best(lambda: bulk.elapsed(compiled, arrivals, ends)) / TICKETS
        singles = [int(a) for a in arrivals[:100_000]]
        single_ends = [int(e) for e in ends[:100_000]]
        due_single = best(lambda: [compiled.add(a, seconds) for a in singles], repeat=3) / len(singles)
        elapsed_single = best(lambda: [compiled.elapsed(a, e) for a, e in zip(singles, single_ends)], repeat=3) / len(singles)

        sample = arrivals[:SAMPLE]
        sample_ends = ends[:SAMPLE]
        pandas_due, pandas_checked = _pandas_due(sample, hours, holidays, compiled)
        btd_due, btd_elapsed = _businesstimedelta(sample, sample_ends, hours, holidays)
        results[name] = {
            "intervals": len(compiled.starts),
            "compile_ms": compile_seconds * 1e3,
            "due_bulk_ns": due_bulk * 1e9,
            "elapsed_bulk_ns": elapsed_bulk * 1e9,
            "due_single_us": due_single * 1e6,
            "elapsed_single_us": elapsed_single * 1e6,
            "pandas_due_us": pandas_due * 1e6,
            "pandas_agrees": pandas_checked,
            "btd_due_us": btd_due * 1e6,
            "btd_elapsed_us": btd_elapsed * 1e6,
        }
    results["api_single_us"] = _api_single() * 1e6
    return results


def _pandas_due(sample, hours, holidays, compiled) -> tuple[float, str]:
    """Seconds per ticket for pandas on naive local times (it has no time zones for
    business hours), and how many of its answers agree with policyc's."""
    import warnings

    import pandas as pd

    from policyc.clock import bulk

    start, end = hours
    offset = pd.offsets.CustomBusinessHour(
        start=f"{start:02d}:00", end=f"{end:02d}:00", weekmask="Mon Tue Wed Thu Fri", holidays=holidays
    )
    local = pd.to_datetime(sample, unit="s", utc=True).tz_convert(ZONE).tz_localize(None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Non-vectorized DateOffset": pandas says it itself
        elapsed = best(lambda: local + TARGET_HOURS * offset, repeat=3)
        answers = local + TARGET_HOURS * offset
    # pandas gives the next opening where policyc gives the closing instant: normalise.
    ours = bulk.clock_start(compiled, bulk.add(compiled, sample, TARGET_HOURS * 3600))
    ours_local = pd.to_datetime(ours, unit="s", utc=True).tz_convert(ZONE).tz_localize(None)
    agree = int((ours_local == answers).sum())
    return elapsed / len(sample), f"{agree:,} of {len(sample):,}"


def _businesstimedelta(sample, sample_ends, hours, holidays) -> tuple[float, float]:
    import businesstimedelta as btd
    import pytz

    zone = pytz.timezone(ZONE)
    start, end = hours
    rules = btd.Rules(
        [
            btd.WorkDayRule(start_time=dt.time(start), end_time=dt.time(end), working_days=[0, 1, 2, 3, 4], tz=zone),
            btd.HolidayRule(holidays, tz=zone),
        ]
    )
    arrivals = [dt.datetime.fromtimestamp(int(a), dt.timezone.utc) for a in sample]
    ends = [dt.datetime.fromtimestamp(int(e), dt.timezone.utc) for e in sample_ends]
    delta = btd.BusinessTimeDelta(rules, hours=TARGET_HOURS)
    due = best(lambda: [a + delta for a in arrivals], repeat=3) / len(arrivals)
    elapsed = best(lambda: [rules.difference(a, e) for a, e in zip(arrivals, ends)], repeat=3) / len(arrivals)
    return due, elapsed


def _api_single() -> float:
    """Seconds per `PolicyClock.due(datetime, target)`: the public API, datetimes in and out."""
    import policyc
    from policyc.clock import PolicyClock

    policy = policyc.resolve(policyc.load(ROUTE_POLICY))
    clock = PolicyClock(policy)
    target = next(t for entry in policy.sla for _, t in entry.targets if t.duration.clock.value == "business" and not t.duration.is_business_days)
    rng = random.Random(7)
    base = dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc)
    arrivals = [base + dt.timedelta(seconds=rng.randrange(600 * 86_400)) for _ in range(50_000)]
    return best(lambda: [clock.due(a, target) for a in arrivals], repeat=3) / len(arrivals)


# --- route memory -------------------------------------------------------------------------------


def _ticket_lines(count: int, seed: int = 11):
    """JSON Lines tickets for the route fixture policy, made on the fly."""
    rng = random.Random(seed)
    kinds = [
        ("basic", "email", "P2"),
        ("pro", "email", "P2"),
        ("pro", "chat", "P1"),
        ("enterprise", "phone", "P1"),
        ("enterprise", "email", "P2"),
    ]
    start = int(dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc).timestamp())
    for number in range(count):
        tier, channel, priority = kinds[number % len(kinds)]
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + rng.randrange(600 * 86_400)))
        yield (
            f'{{"id": "T-{number}", "created_at": "{created}", "tier": "{tier}", '
            f'"channel": "{channel}", "priority": "{priority}"}}\n'
        )


def measure_route(rows: int) -> dict:
    """Peak resident memory of `policyc route` fed `rows` tickets through a pipe."""
    # The child reports its own high-water mark (VmHWM) as it exits: the resource usage
    # of a forked child would also count the pages it shared with this process.
    report_peak = (
        "import sys; from policyc.cli import main; status = main(); "
        "sys.stderr.write(next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))); sys.exit(status)"
    )
    command = [sys.executable, "-c", report_peak, "route", str(ROUTE_POLICY), "--tickets", "-"]
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=sink, stderr=subprocess.PIPE)
        batch = []
        for line in _ticket_lines(rows):
            batch.append(line)
            if len(batch) == 10_000:
                process.stdin.write("".join(batch).encode())
                batch = []
        process.stdin.write("".join(batch).encode())
        process.stdin.close()
        errors = process.stderr.read().decode()
        status = process.wait()
    seconds = time.perf_counter() - started
    if status != 0 or "VmHWM" not in errors:
        raise SystemExit(f"policyc route failed ({status}): {errors[:2000]}")
    peak_kib = int(errors.split("VmHWM:")[1].split()[0])
    return {"rows": rows, "peak_mib": peak_kib / 1024, "seconds": seconds, "us_per_row": seconds / rows * 1e6}


# --- the report ---------------------------------------------------------------------------------


def machine() -> dict:
    import numpy
    import pandas

    return {**report_machine(), "numpy": numpy.__version__, "pandas": pandas.__version__}


def report(clock: dict, routes: list[dict], host: dict) -> str:
    from importlib.metadata import version

    lines = [
        BEGIN,
        "## The SLA clock (`python -m bench.clock`)",
        "",
        f"Measured on {host['date']}: {host['cpu']}, {host['cores']} cores, {host['system']}, Python {host['python']}, "
        f"numpy {host['numpy']}, pandas {host['pandas']}, businesstimedelta {version('businesstimedelta')}. "
        "Each figure is the best of several runs.",
        "",
        f"{TICKETS:,} arrivals drawn at random over 21 months, target `{TARGET_HOURS} business hours`; "
        f"elapsed business time between each arrival and an instant up to 5 days later. pandas and "
        f"businesstimedelta get the first {SAMPLE:,} of the same arrivals (they take tens of microseconds "
        "each); their per-ticket times are compared with policyc's bulk and single-ticket times from the same run.",
        "",
        "| | standard (Mon-Fri 09:00-17:00, US holidays) | overnight (Mon-Fri 22:00-06:00+1, US holidays) |",
        "|---|---|---|",
    ]
    standard, overnight = clock["standard"], clock["overnight"]

    def row(label: str, key: str, fmt: str) -> str:
        return f"| {label} | {format(standard[key], fmt)} | {format(overnight[key], fmt)} |"

    def ratio(label: str, theirs: str, ours: str, scale: float) -> str:
        return f"| {label} | {standard[theirs] * scale / standard[ours]:,.0f}x | {overnight[theirs] * scale / overnight[ours]:,.0f}x |"

    lines += [
        row("open intervals over 2 years", "intervals", ","),
        row("compile the calendar (ms)", "compile_ms", ".1f"),
        row("**bulk due instant (ns per ticket)**", "due_bulk_ns", ".0f"),
        row("**bulk elapsed (ns per ticket)**", "elapsed_bulk_ns", ".0f"),
        row("**single due instant (us per ticket)**", "due_single_us", ".2f"),
        row("single elapsed (us per ticket)", "elapsed_single_us", ".2f"),
        row("pandas `CustomBusinessHour` due instant (us per ticket)", "pandas_due_us", ".1f"),
        row("businesstimedelta due instant (us per ticket)", "btd_due_us", ".1f"),
        row("businesstimedelta elapsed (us per ticket)", "btd_elapsed_us", ".1f"),
        ratio("bulk due: faster than pandas", "pandas_due_us", "due_bulk_ns", 1000),
        ratio("bulk due: faster than businesstimedelta", "btd_due_us", "due_bulk_ns", 1000),
        ratio("bulk elapsed: faster than businesstimedelta", "btd_elapsed_us", "elapsed_bulk_ns", 1000),
        ratio("single due: faster than pandas", "pandas_due_us", "due_single_us", 1),
        ratio("single due: faster than businesstimedelta", "btd_due_us", "due_single_us", 1),
        f"| pandas answers equal to policyc's (after normalising pandas' next-opening convention) | {standard['pandas_agrees']} | {overnight['pandas_agrees']} |",
        "",
        f"The public single-ticket API, `PolicyClock.due(datetime, target)` with aware datetimes in and out: "
        f"{clock['api_single_us']:.2f} us per ticket. pandas has no business-time difference, so it has no elapsed "
        "figure. pandas works on naive local times, so on the overnight calendar, whose windows contain the hours "
        "the clocks change on two nights a year, some of its answers differ from policyc's by that hour.",
        "",
        "Goals (issue: the SLA clock): bulk at or under 300 ns per ticket, at least 1,000x faster than pandas; "
        "single ticket under 5 us.",
        "",
        "### `policyc route` memory",
        "",
        "Peak resident memory of the `policyc route` process, tickets piped in as JSON Lines (generated on the fly, "
        "never stored) and results written to /dev/null, on `tests/fixtures/route/helpdesk.policy.yaml`:",
        "",
        "| rows | peak memory (MiB) | time (s) | us per row |",
        "|---:|---:|---:|---:|",
    ]
    for run in routes:
        lines.append(f"| {run['rows']:,} | {run['peak_mib']:.1f} | {run['seconds']:.0f} | {run['us_per_row']:.1f} |")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def write_report(section: str) -> None:
    write_section(BEGIN, END, section)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--route-rows", type=int, default=10_000_000, help="rows for the largest memory run (default 10,000,000)")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of updating docs/performance.md")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    print("clock ...", file=sys.stderr)
    clock = measure_clock()
    routes = []
    for rows in sorted({100_000, 1_000_000, args.route_rows}):
        print(f"route {rows:,} rows ...", file=sys.stderr)
        routes.append(measure_route(rows))
    section = report(clock, routes, machine())
    if args.no_write:
        print(section)
    else:
        write_report(section)
        print(f"wrote {PERFORMANCE.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
