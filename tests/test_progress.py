"""Streaks and accuracy by day, in the learner's time zone, without a database."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizzes.progress import DayAccuracy, accuracy_by_day, local_day, streak

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
AUCKLAND = ZoneInfo("Pacific/Auckland")
UTC_ZONE = ZoneInfo("UTC")
TODAY = date(2025, 6, 15)


def days_ago(*offsets: int) -> set[date]:
    return {TODAY - timedelta(days=n) for n in offsets}


# --- streaks --------------------------------------------------------------------------------


def test_no_practice_is_no_streak():
    assert streak(set(), TODAY) == 0


def test_practice_today_only_is_a_one_day_streak():
    assert streak(days_ago(0), TODAY) == 1


def test_consecutive_days_ending_today_all_count():
    assert streak(days_ago(0, 1, 2, 3, 4), TODAY) == 5


def test_a_streak_last_extended_yesterday_is_still_alive_today():
    assert streak(days_ago(1), TODAY) == 1
    assert streak(days_ago(1, 2, 3), TODAY) == 3


def test_a_missed_day_breaks_the_streak():
    assert streak(days_ago(0, 1, 3, 4, 5), TODAY) == 2
    assert streak(days_ago(1, 3, 4), TODAY) == 1


def test_a_streak_last_extended_two_days_ago_is_over():
    assert streak(days_ago(2, 3, 4, 5), TODAY) == 0


def test_a_streak_runs_across_a_month_and_a_year_end():
    new_year = date(2025, 1, 1)
    practised = {date(2024, 12, 30), date(2024, 12, 31), new_year}
    assert streak(practised, new_year) == 3


# --- days in the learner's time zone -------------------------------------------------------


def test_half_past_eleven_and_half_past_midnight_in_paris_are_two_days_but_one_utc_day():
    # Winter: Paris is UTC+1.
    evening = datetime(2025, 1, 14, 22, 30, tzinfo=UTC)  # 23:30 in Paris
    after_midnight = datetime(2025, 1, 14, 23, 30, tzinfo=UTC)  # 00:30 in Paris
    assert local_day(evening, UTC_ZONE) == local_day(after_midnight, UTC_ZONE) == date(2025, 1, 14)
    assert local_day(evening, PARIS) == date(2025, 1, 14)
    assert local_day(after_midnight, PARIS) == date(2025, 1, 15)

    paris_days = {local_day(evening, PARIS), local_day(after_midnight, PARIS)}
    utc_days = {local_day(evening, UTC_ZONE), local_day(after_midnight, UTC_ZONE)}
    assert streak(paris_days, date(2025, 1, 15)) == 2
    assert streak(utc_days, date(2025, 1, 14)) == 1


def test_midnight_in_paris_moves_an_hour_with_summer_time():
    # Summer (from 30 March 2025): Paris is UTC+2, so 22:30 UTC is already the next day.
    assert local_day(datetime(2025, 3, 29, 22, 30, tzinfo=UTC), PARIS) == date(2025, 3, 29)
    assert local_day(datetime(2025, 3, 30, 21, 30, tzinfo=UTC), PARIS) == date(2025, 3, 30)
    assert local_day(datetime(2025, 3, 30, 22, 30, tzinfo=UTC), PARIS) == date(2025, 3, 31)
    # Back to winter time on 26 October 2025: 22:30 UTC is 23:30 the same day again.
    assert local_day(datetime(2025, 10, 25, 22, 30, tzinfo=UTC), PARIS) == date(2025, 10, 26)
    assert local_day(datetime(2025, 10, 26, 22, 30, tzinfo=UTC), PARIS) == date(2025, 10, 26)


def test_the_night_the_clocks_go_forward_keeps_a_streak_whole():
    # 2025-03-30 in Paris is 23 hours long: 23:30 on the 29th and 00:30 on the 31st local are
    # consecutive days at the two ends of it.
    answers = [
        datetime(2025, 3, 29, 22, 30, tzinfo=UTC),  # Sat 29, 23:30 CET
        datetime(2025, 3, 30, 0, 59, tzinfo=UTC),  # Sun 30, 01:59 CET, just before the change
        datetime(2025, 3, 30, 1, 0, tzinfo=UTC),  # Sun 30, 03:00 CEST, just after
        datetime(2025, 3, 30, 22, 30, tzinfo=UTC),  # Mon 31, 00:30 CEST
    ]
    days = [local_day(moment, PARIS) for moment in answers]
    assert days == [date(2025, 3, 29), date(2025, 3, 30), date(2025, 3, 30), date(2025, 3, 31)]
    assert streak(set(days), date(2025, 3, 31)) == 3


def test_the_same_moment_is_a_different_day_around_the_world():
    moment = datetime(2025, 6, 15, 11, 0, tzinfo=UTC)  # 23:00 in Auckland, 07:00 in New York
    assert local_day(moment, AUCKLAND) == date(2025, 6, 15)
    assert local_day(moment + timedelta(hours=2), AUCKLAND) == date(2025, 6, 16)
    late = datetime(2025, 6, 16, 3, 30, tzinfo=UTC)  # 23:30 the evening before in New York
    assert local_day(late, NEW_YORK) == date(2025, 6, 15)
    assert local_day(late, UTC_ZONE) == date(2025, 6, 16)


def test_local_day_reads_times_given_in_any_zone():
    paris_evening = datetime(2025, 1, 14, 23, 30, tzinfo=PARIS)
    assert local_day(paris_evening, UTC_ZONE) == date(2025, 1, 14)
    assert local_day(paris_evening, AUCKLAND) == date(2025, 1, 15)


# --- accuracy by day ------------------------------------------------------------------------


def test_accuracy_by_day_covers_every_day_oldest_first_with_gaps_as_zero():
    counts = {TODAY: (3, 4), TODAY - timedelta(days=2): (1, 3)}
    series = accuracy_by_day(counts, TODAY, days=5)
    assert series == [
        DayAccuracy(date(2025, 6, 11), 0, 0),
        DayAccuracy(date(2025, 6, 12), 0, 0),
        DayAccuracy(date(2025, 6, 13), 1, 3),
        DayAccuracy(date(2025, 6, 14), 0, 0),
        DayAccuracy(date(2025, 6, 15), 3, 4),
    ]
    assert [day.percent for day in series] == [None, None, 33, None, 75]


def test_accuracy_by_day_defaults_to_thirty_days_ending_today():
    series = accuracy_by_day({}, TODAY)
    assert len(series) == 30
    assert series[0].day == TODAY - timedelta(days=29)
    assert series[-1].day == TODAY
    assert all(day.total == 0 and day.percent is None for day in series)


def test_days_outside_the_window_are_left_out():
    counts = {
        TODAY - timedelta(days=7): (5, 5),  # one day too old for a 7-day window
        TODAY - timedelta(days=6): (1, 2),
        TODAY + timedelta(days=1): (4, 4),  # tomorrow: not shown
    }
    series = accuracy_by_day(counts, TODAY, days=7)
    assert [(day.right, day.total) for day in series] == [(1, 2)] + [(0, 0)] * 6


@pytest.mark.parametrize(
    ("right", "total", "percent"),
    [(0, 5, 0), (5, 5, 100), (2, 3, 67), (1, 6, 17), (0, 0, None)],
)
def test_a_days_percent_is_rounded_and_none_without_answers(right, total, percent):
    assert DayAccuracy(TODAY, right, total).percent == percent
