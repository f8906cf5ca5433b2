"""Feed URL validation and canonical article URLs."""

import pytest

from briefings.errors import InvalidFeedURL
from briefings.ingest.urls import canonical_url, is_http_url, validate_feed_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.nato.int/rss.xml", "https://www.nato.int/rss.xml"),
        ("HTTPS://WWW.NATO.INT/RSS.xml", "https://www.nato.int/RSS.xml"),
        ("http://example.org:80/feed?x=1#top", "http://example.org/feed?x=1"),
        ("https://example.org:443", "https://example.org/"),
        ("https://example.org:8443/feed", "https://example.org:8443/feed"),
        ("https://bücher.example/feed", "https://xn--bcher-kva.example/feed"),
        ("http://[::FFFF:7f00:1]:8080/", "http://[::ffff:7f00:1]:8080/"),
        ("https://example.org/feed?utm_source=x", "https://example.org/feed?utm_source=x"),
    ],
)
def test_validate_normalises_what_it_accepts(url: str, expected: str) -> None:
    assert validate_feed_url(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "not file:"),
        ("ftp://example.org/feed.xml", "not ftp:"),
        ("gopher://example.org/", "not gopher:"),
        ("javascript:alert(1)", "not javascript:"),
        ("data:text/xml,<rss/>", "not data:"),
        ("example.org/feed.xml", "without a scheme"),
        ("https://user:secret@example.org/feed", "user name or password"),
        ("https://token@example.org/feed", "user name or password"),
        ("https:///feed.xml", "no host"),
        ("https://example.org/" + "a" * 2048, "the limit is 2048"),
        ("https://example.org/feed .xml", "spaces or control characters"),
        (" https://example.org/feed", "spaces or control characters"),
        ("https://example.org/\tfeed", "spaces or control characters"),
        ("https://example.org/\x00", "spaces or control characters"),
        ("https://example.org/\u00a0", "spaces or control characters"),
        ("https://example.org:99999/", "cannot be read"),
        ("https://evil.example\\@good.example/", "user name or password"),
        ("https://good.example\\evil.example/", "host is not valid"),
        ("https://[fe80::1%25eth0]/", "host is not valid"),
        ("", "empty"),
    ],
)
def test_validate_refuses_with_a_reason(url: str, reason: str) -> None:
    with pytest.raises(InvalidFeedURL, match=reason):
        validate_feed_url(url)


def test_refusal_never_repeats_the_password() -> None:
    with pytest.raises(InvalidFeedURL) as info:
        validate_feed_url("https://user:hunter2@example.org/feed")
    assert "hunter2" not in str(info.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://Example.ORG:443/a/b?id=7&utm_source=tw&utm_medium=social#comments",
            "https://example.org/a/b?id=7",
        ),
        (
            "https://example.org/story?fbclid=x&b=2&gclid=y&a=1&mc_cid=1&mc_eid=2&igshid=3",
            "https://example.org/story?b=2&a=1",
        ),
        (
            "https://youtube.example/watch?v=abc&feature=share",
            "https://youtube.example/watch?v=abc",
        ),
        ("https://x.example/s/1?ref_src=twsrc&lang=en", "https://x.example/s/1?lang=en"),
        ("https://example.org/q?q=a%20b&UTM_Campaign=z", "https://example.org/q?q=a%20b"),
        ("https://example.org/q?flag&x=", "https://example.org/q?flag&x="),
        ("http://example.org:8080", "http://example.org:8080/"),
        ("https://user:pw@example.org/p", "https://example.org/p"),
    ],
)
def test_canonical_url_gives_one_spelling_per_article(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "url", ["mailto:press@nato.int", "ftp://example.org/a", "/relative/path", "", "https://"]
)
def test_canonical_url_is_none_for_non_http(url: str) -> None:
    assert canonical_url(url) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/", True),
        ("HTTP://example.org", True),
        ("ftp://example.org/", False),
        ("https:///nohost", False),
        ("//example.org/", False),
        ("not a url", False),
    ],
)
def test_is_http_url(url: str, expected: bool) -> None:
    assert is_http_url(url) is expected
