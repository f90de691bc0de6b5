"""Wall clock and UTC for one IANA zone over a range of dates, as plain integer tables.

The tz database gives the UTC offset at any instant. The clock needs the reverse too:
the UTC instant of a local wall-clock time (a window edge, "the same time three business
days later"), including times the clock skips or repeats on a daylight-saving day. One
rule decides those (it is what `zoneinfo` does with `fold=0`):

- a wall time inside a skipped hour is read with the offset before the change, so it
  lands one gap later on the new clock (02:30 on a spring-forward night is 03:30);
- a wall time inside a repeated hour is its first occurrence.

Times here are integer seconds: UTC instants since the Unix epoch, and wall times as
seconds since 1970-01-01 00:00 on the local clock ("local epoch seconds").
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from policyc import tz

DAY = 86_400
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
# Coarse enough to be quick, fine enough never to step over two changes: no zone has
# changed its offset twice within six hours.
_SCAN_STEP = 6 * 3_600


def local_midnight(day: dt.date) -> int:
    """The wall time (local epoch seconds) of the midnight that starts `day`."""
    return (day.toordinal() - _EPOCH_ORDINAL) * DAY


def wall_date(wall: int) -> dt.date:
    return dt.date.fromordinal(wall // DAY + _EPOCH_ORDINAL)


@dataclass(frozen=True)
class Transition:
    """A change of UTC offset: at `instant` (UTC), the offset goes from `before` to `after`."""

    instant: int
    before: int
    after: int

    @property
    def wall_start(self) -> int:
        """The first wall time the change affects (the old clock's reading at the change)."""
        return self.instant + min(self.before, self.after)

    @property
    def wall_end(self) -> int:
        """The first wall time after the skipped or repeated stretch."""
        return self.instant + max(self.before, self.after)

    @property
    def skips(self) -> bool:
        return self.after > self.before


class ZoneTable:
    """UTC offsets of one zone between two dates, for conversions by binary search."""

    def __init__(self, name: str, first: dt.date, last: dt.date):
        self.name = name
        info = tz.zone(name)
        start = local_midnight(first) - 2 * DAY
        end = local_midnight(last) + 3 * DAY

        def offset(instant: int) -> int:
            moment = dt.datetime.fromtimestamp(instant, dt.timezone.utc).astimezone(info)
            return int(moment.utcoffset().total_seconds())

        transitions: list[Transition] = []
        previous = offset(start)
        self._initial = previous
        for probe in range(start + _SCAN_STEP, end + _SCAN_STEP, _SCAN_STEP):
            current = offset(probe)
            if current == previous:
                continue
            low, high = probe - _SCAN_STEP, probe  # offset(low) == previous != offset(high)
            while high - low > 1:
                middle = (low + high) // 2
                if offset(middle) == previous:
                    low = middle
                else:
                    high = middle
            transitions.append(Transition(high, previous, current))
            previous = current
        self.transitions = tuple(transitions)
        # UTC instants at which each offset starts, and the offsets themselves.
        self.instants = [start] + [t.instant for t in transitions]
        self.offsets = [self._initial] + [t.after for t in transitions]
        # Wall times from which each offset is the one a wall time is read with: the
        # end of the skipped or repeated stretch (see the module's rule).
        self.wall_thresholds = [start + self._initial] + [t.wall_end for t in transitions]

    def to_wall(self, instant: int) -> int:
        """The wall-clock reading at `instant`, read so that it never goes backwards:
        in the hour that repeats when clocks go back, the second pass reads as the end
        of that hour (02:00 in New York), not as a time already passed."""
        index = max(0, bisect_right(self.instants, instant) - 1)
        return max(instant + self.offsets[index], self.wall_thresholds[index])

    def to_utc(self, wall: int) -> int:
        return wall - self.offsets[max(0, bisect_right(self.wall_thresholds, wall) - 1)]

    def transitions_on(self, day: dt.date) -> list[Transition]:
        """The changes whose skipped or repeated stretch touches `day`'s wall clock."""
        start, end = local_midnight(day), local_midnight(day) + DAY
        return [t for t in self.transitions if t.wall_start < end and t.wall_end > start]


@lru_cache(maxsize=64)
def zone_table(name: str, first: dt.date, last: dt.date) -> ZoneTable:
    return ZoneTable(name, first, last)
