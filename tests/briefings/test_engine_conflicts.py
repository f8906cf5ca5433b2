import datetime as dt

from briefings.engine.candidates import ArticleInfo
from briefings.engine.figures import CONFLICT_DAYS, MAX_CONFLICTS, TROOPS, Figure, conflicts
from briefings.engine.sources import Sources
from briefings.models import Precision, Published

START = dt.date(2023, 1, 1)


def report(n: int, day: dt.date, value: int) -> Figure:
    published = Published(day, Precision.DAY)
    info = ArticleInfo(
        n, n, f"Report {n}", None, None, published, dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    )
    return Figure(TROOPS, value, "around", published, (info,))


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
