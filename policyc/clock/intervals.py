"""Open time as sets of UTC intervals, for questions about staffing rather than about one
deadline: when are both the channel and the queue's team open, when is a tier's
coverage open but no channel staffed, which closures are longer than a target.

An `OpenTime` is a sorted list of disjoint, non-touching intervals, each open from its
start up to but not including its end, in UTC seconds: what a compiled calendar holds
(`CompiledCalendar.starts` and `.ends`). Everything is bounded by the horizon the
calendars were compiled for; nothing here guesses beyond it.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable

from policyc.clock.calendar import CompiledCalendar, _merge


class OpenTime:
    """A set of instants, as sorted, disjoint, non-touching `[start, end)` intervals."""

    __slots__ = ("intervals", "starts", "ends")

    def __init__(self, intervals: Iterable[tuple[int, int]] = ()):
        self.intervals: list[tuple[int, int]] = _merge(list(intervals))
        self.starts = [start for start, _ in self.intervals]
        self.ends = [end for _, end in self.intervals]

    @classmethod
    def of(cls, calendar: CompiledCalendar) -> OpenTime:
        return cls(zip(calendar.starts, calendar.ends))

    def __bool__(self) -> bool:
        return bool(self.intervals)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OpenTime) and self.intervals == other.intervals

    def __repr__(self) -> str:
        return f"OpenTime({self.intervals!r})"

    def __or__(self, other: OpenTime) -> OpenTime:
        return OpenTime(self.intervals + other.intervals)

    def __and__(self, other: OpenTime) -> OpenTime:
        a, b = self.intervals, other.intervals
        found = []
        i = j = 0
        while i < len(a) and j < len(b):
            start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
            if start < end:
                found.append((start, end))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return OpenTime(found)

    def closed(self, lower: int, upper: int) -> OpenTime:
        """The instants from `lower` up to `upper` that are not in this set."""
        found = []
        at = lower
        for start, end in self.intervals:
            if start > at:
                found.append((at, min(start, upper)))
            at = max(at, end)
            if at >= upper:
                break
        if at < upper:
            found.append((at, upper))
        return OpenTime(found)

    def closures(self, lower: int) -> list[tuple[int, int]]:
        """The closed stretches that end with an opening: from `lower` (the start of
        the horizon) to the first opening, and from each close to the next opening.
        The stretch after the last close is left out: where it ends is beyond the
        horizon."""
        found = []
        at = lower
        for start, end in self.intervals:
            if start > at:
                found.append((at, start))
            at = max(at, end)
        return found

    def is_open(self, instant: int) -> bool:
        index = bisect_right(self.ends, instant)
        return index < len(self.starts) and self.starts[index] <= instant

    def next_open(self, instant: int) -> int | None:
        """The first instant at or after `instant` in the set; None if there is none."""
        index = bisect_right(self.ends, instant)
        if index == len(self.starts):
            return None
        return max(instant, self.starts[index])

    def first(self) -> int | None:
        return self.starts[0] if self.starts else None
