import datetime as dt

from briefings.ingest import backoff

NOW = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
QUARTER = dt.timedelta(minutes=15)


def test_a_good_poll_waits_the_interval_plus_at_most_a_tenth_of_jitter():
    assert backoff.after_success(NOW, QUARTER, None) == NOW + QUARTER
    latest = backoff.after_success(NOW, QUARTER, None, spread=0.999)
    assert NOW + QUARTER < latest < NOW + QUARTER + dt.timedelta(minutes=1, seconds=30)


def test_max_age_stretches_the_wait_but_never_past_a_day():
    assert backoff.after_success(NOW, QUARTER, 3600) == NOW + dt.timedelta(hours=1)
    assert backoff.after_success(NOW, QUARTER, 60) == NOW + QUARTER
    assert backoff.after_success(NOW, QUARTER, 10**7) == NOW + dt.timedelta(days=1)


def test_failures_double_the_wait_up_to_a_day_and_retry_after_is_honoured():
    waits = [backoff.after_failure(NOW, QUARTER, n, None) - NOW for n in (1, 2, 3)]
    assert waits == [dt.timedelta(minutes=30), dt.timedelta(hours=1), dt.timedelta(hours=2)]
    assert backoff.after_failure(NOW, QUARTER, 20, None) == NOW + dt.timedelta(days=1)
    assert backoff.after_failure(NOW, QUARTER, 1, 7200) == NOW + dt.timedelta(hours=2)


def test_health_turns_failing_after_a_day_and_pauses_after_a_week():
    assert backoff.health(None, False, NOW) == "ok"
    assert backoff.health(NOW - dt.timedelta(hours=23), False, NOW) == "retrying"
    assert backoff.health(NOW - dt.timedelta(hours=24), False, NOW) == "failing"
    assert backoff.health(NOW - dt.timedelta(days=2), True, NOW) == "paused"
    assert not backoff.should_pause(NOW - dt.timedelta(days=6, hours=23), NOW)
    assert backoff.should_pause(NOW - dt.timedelta(days=7), NOW)
