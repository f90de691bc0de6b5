"""IANA time zones, always from the `tzdata` package.

The tz database changes several times a year. Reading it from `tzdata` (a pinned
dependency) rather than from the operating system means a policy compiles to the
same due instants on every machine with the same policyc installation.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo


class UnknownZone(LookupError):
    pass


@lru_cache(maxsize=None)
def zone(name: str) -> ZoneInfo:
    if not is_zone(name):
        raise UnknownZone(name)
    with resources.files("tzdata.zoneinfo").joinpath(*name.split("/")).open("rb") as handle:
        return ZoneInfo.from_file(handle, key=name)


@lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    text = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def is_zone(name: str) -> bool:
    return name in zone_names()
