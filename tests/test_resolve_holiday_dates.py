"""Which dates of a public holiday close a calendar: `dates:` and `except:`.

4 July 2026 is a Saturday; the United States observe it on Friday 3 July."""

import datetime as dt

import pytest

import policyc

POLICY = """\
policyc: 1
organisation:
  name: Acme
  currency: USD
  timezone: America/New_York
horizon:
  start: 2026-06-01
  end: 2026-07-31
calendars:
  office:
    timezone: America/New_York
    hours:
      mon-fri: 09:00-17:00
    holidays:
      country: US
      dates: {mode}
      except: [{open_on}]
"""

JUNETEENTH = dt.date(2026, 6, 19)
FRIDAY, SATURDAY = dt.date(2026, 7, 3), dt.date(2026, 7, 4)


def closed_on(mode: str, open_on: str = "") -> list[dt.date]:
    policy = policyc.resolve(policyc.loads(POLICY.format(mode=mode, open_on=open_on)))
    return [holiday.date for holiday in policy.calendars["office"].holiday_dates]


@pytest.mark.parametrize(
    "mode, closed",
    [("observed", [JUNETEENTH, FRIDAY]), ("actual", [JUNETEENTH, SATURDAY]), ("both", [JUNETEENTH, FRIDAY, SATURDAY])],
)
def test_dates_mode(mode, closed):
    assert closed_on(mode) == closed


@pytest.mark.parametrize("mode", ["observed", "actual", "both"])
def test_except_keeps_the_actual_and_the_observed_date_open(mode):
    # ...and only that holiday: Juneteenth National Independence Day stays closed.
    assert closed_on(mode, "Independence Day") == [JUNETEENTH]
