"""An escalation level works on its own calendar, else its team's; its business-time
targets run on that calendar, and only then on `defaults.calendar`."""

import textwrap

import policyc

POLICY = textwrap.dedent(
    """
    policyc: 1
    organisation:
      name: Acme
      currency: USD
      timezone: Europe/London
    defaults:
      calendar: office
    calendars:
      office:
        timezone: Europe/London
        hours:
          mon-fri: 09:00-17:00
      always:
        timezone: UTC
        hours: 24x7
      weekend:
        timezone: Europe/London
        hours:
          weekends: 10:00-16:00
    teams:
      agents:
      oncall:
        calendar: always
    escalation:
      p1:
        levels:
          - name: On call
            team: oncall
            after: 0m
            acknowledge: 1 business hour
            resolve: 8h
          - name: Weekend desk
            team: oncall
            calendar: weekend
            after: 1h
            acknowledge: 2 business hours
          - name: Agents
            team: agents
            after: 2h
            acknowledge:
              target: 4 business hours
              calendar: always
            update_interval: 1 business day
    """
)


def levels():
    policy = policyc.resolve(policyc.loads(POLICY, "escalation.policy.yaml"))
    return {level.name: level for level in policy.escalation["p1"].levels}


def test_level_without_calendar_works_on_its_teams():
    on_call = levels()["On call"]
    assert on_call.calendar.id == "always"
    assert on_call.acknowledge.calendar.id == "always"
    assert on_call.resolve.calendar is None  # calendar time needs no calendar


def test_level_calendar_beats_the_teams():
    weekend = levels()["Weekend desk"]
    assert weekend.calendar.id == "weekend"
    assert weekend.acknowledge.calendar.id == "weekend"


def test_target_calendar_beats_the_level_and_defaults_come_last():
    agents = levels()["Agents"]
    assert agents.calendar.id == "office"  # the team has none: defaults.calendar
    assert agents.acknowledge.calendar.id == "always"
    assert agents.update_interval.calendar.id == "office"
    assert agents.update_interval.business_day_mode.value == "same-time"
