import datetime as dt

from briefings.engine.candidates import ArticleInfo
from briefings.engine.figures import (
    CONFLICT_DAYS,
    MAX_CONFLICTS,
    Figure,
    conflicts,
    headline,
)
from briefings.engine.sources import Sources
from briefings.fact_kinds import FactKind
from briefings.models import Precision, Published

START = dt.date(2023, 1, 1)


def report(n: int, day: dt.date, value: int) -> Figure:
    published = Published(day, Precision.DAY)
    info = ArticleInfo(
        n, n, f"Report {n}", None, None, published, dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    )
    return Figure(FactKind.TROOPS, value, "around", published, (info,))


def test_a_steady_stream_of_slightly_different_reports_does_not_chain_into_one_group():
    # A report every ten days for a year, alternating between three values.
    found = [
        report(n, START + dt.timedelta(days=10 * n), (3700, 3800, 3900)[n % 3]) for n in range(36)
    ]
    groups = conflicts(found, Sources())
    assert 0 < len(groups) <= MAX_CONFLICTS
    for group in groups:
        days = [dt.date.fromisoformat(v["as_of"]) for v in group["values"]]
        assert max(days) - min(days) <= dt.timedelta(days=CONFLICT_DAYS)
        values = [v["value"] for v in group["values"]]
        assert len(values) == len(set(values)) >= 2
    newest = max(dt.date.fromisoformat(v["as_of"]) for v in groups[-1]["values"])
    assert newest == START + dt.timedelta(days=350)


def test_reports_far_apart_or_agreeing_are_no_conflict():
    far = [report(1, START, 3700), report(2, START + dt.timedelta(days=90), 3800)]
    same = [report(3, START, 3800), report(4, START + dt.timedelta(days=5), 3800)]
    assert conflicts(far, Sources()) == []
    assert conflicts(same, Sources()) == []


def at(days: int) -> dt.date:
    return START + dt.timedelta(days=days)


def test_a_figure_two_stories_agree_on_outranks_a_newer_lone_one():
    found = [report(1, at(0), 3800), report(2, at(20), 3800), report(3, at(50), 3900)]
    lead = headline(found)
    assert (lead.figure.value, lead.agreeing, lead.outliers) == (3800, 2, ())


def test_agreement_long_before_the_newest_report_does_not_hold_the_headline():
    found = [report(1, at(0), 3800), report(2, at(20), 3800), report(3, at(200), 3900)]
    lead = headline(found)
    assert (lead.figure.value, lead.agreeing) == (3900, 1)


def test_a_lone_report_far_from_the_years_median_is_set_aside():
    found = [report(1, at(0), 3800), report(2, at(90), 3700), report(3, at(120), 8000)]
    lead = headline(found)
    assert lead.figure.value == 3700
    assert [(ref.value, outlier.value) for ref, outlier in lead.outliers] == [(3700, 8000)]


def test_a_second_story_makes_a_large_change_the_headline():
    found = [report(1, at(0), 3800), report(2, at(90), 8000), report(3, at(100), 8000)]
    assert headline(found).figure.value == 8000


def test_a_past_strength_never_leads():
    past = Figure(
        FactKind.TROOPS,
        50000,
        "exactly",
        Published(dt.date(1999, 1, 1), Precision.YEAR),
        (),
        past=True,
    )
    found = [report(1, at(0), 3800), past]
    assert headline(found).figure.value == 3800
    assert headline([past]).figure is None
