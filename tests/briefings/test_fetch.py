"""The fetcher against real loopback servers: caps, timeouts, redirects, errors and the network guard."""

import datetime as dt
import email.utils
import math
import socket
import time
import tracemalloc
from collections.abc import AsyncIterator
from urllib.parse import quote

import pytest

from briefings.errors import (
    BlockedAddress,
    FeedError,
    FeedHTTPError,
    FeedTimeout,
    FeedTooLarge,
    InvalidFeedURL,
    TooManyRedirects,
)
from briefings.ingest import backoff
from briefings.ingest.fetch import Fetcher, FetchLimits, default_user_agent, parse_retry_after
from tests.fakes.feed_server import MIB, SAMPLE_RSS, FakeDNS, Feed, FeedServer, Listener

# The test servers live on 127.0.0.1; allowing exactly that address keeps every other internal
# address (127.0.0.2, ::1, 10/8, metadata) blocked, so redirects into them can be tested.
LOOPBACK_ONLY = FetchLimits(allowed_networks=("127.0.0.1/32",), total_timeout=5)

INTERNAL_SPELLINGS = [
    "127.1",
    "0x7f000001",
    "2130706433",
    "0177.0.0.1",
    "0x7f.1",
    "017700000001",
    "0",
    "127.0.0.1",
    "127.0.0.1.",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[64:ff9b::7f00:1]",
    "[2002:7f00:1::]",
    "[::]",
    "[::1]",
    "localhost",
    "LOCALHOST.",
    "feeds.localhost",
    "0.0.0.0",
    "169.254.169.254",
    "[::ffff:169.254.169.254]",
    "100.64.0.1",
    "[fe80::1]",
    "[fd00::1]",
    "224.0.0.1",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "198.18.0.1",
]


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as feed_server:
        yield feed_server


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(LOOPBACK_ONLY) as loopback_fetcher:
        yield loopback_fetcher


@pytest.fixture
async def listener() -> AsyncIterator[Listener]:
    async with Listener() as counting:
        yield counting


async def test_fetch_returns_body_headers_and_validators(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.add_feed(
        "/kfor.xml",
        Feed(
            SAMPLE_RSS,
            etag='"v1"',
            last_modified="Tue, 30 May 2023 10:00:00 GMT",
            headers={"Cache-Control": "public, max-age=900"},
        ),
    )
    result = await fetcher.fetch(server.url("/kfor.xml"))
    assert result.status == 200
    assert result.body == SAMPLE_RSS
    assert result.url == server.url("/kfor.xml")
    assert result.headers["content-type"] == "application/rss+xml"
    assert result.etag == '"v1"'
    assert result.last_modified == "Tue, 30 May 2023 10:00:00 GMT"
    assert result.max_age == 900


async def test_server_sees_user_agent_and_accepted_encodings(
    server: FeedServer, fetcher: Fetcher
) -> None:
    await fetcher.fetch(server.url())
    headers = server.requests[-1].headers
    assert headers["User-Agent"] == default_user_agent()
    assert headers["User-Agent"].startswith("kfor-bot/")
    assert "+https://github.com/kfor-bot/kfor-bot" in headers["User-Agent"]
    assert headers["Accept-Encoding"] == "gzip, deflate"
    assert "Cookie" not in headers


async def test_conditional_get_round_trips_the_etag(server: FeedServer, fetcher: Fetcher) -> None:
    server.add_feed("/etag.xml", Feed(SAMPLE_RSS, etag='"abc"', last_modified="Mon, 01 May 2023"))
    first = await fetcher.fetch(server.url("/etag.xml"))
    second = await fetcher.fetch(
        server.url("/etag.xml"), etag=first.etag, last_modified=first.last_modified
    )
    assert second.status == 304
    assert second.body is None
    assert second.etag == '"abc"'
    assert server.requests[-1].headers["If-None-Match"] == '"abc"'
    assert server.requests[-1].headers["If-Modified-Since"] == "Mon, 01 May 2023"


async def test_gzip_body_is_decoded(server: FeedServer, fetcher: Fetcher) -> None:
    result = await fetcher.fetch(server.url("/gzip-bomb?mib=1"))
    assert result.body == b"\0" * MIB


async def test_five_redirects_are_followed(server: FeedServer, fetcher: Fetcher) -> None:
    result = await fetcher.fetch(server.url("/redirect/5"))
    assert result.body == SAMPLE_RSS
    assert result.url == server.url("/feed.xml")


async def test_six_redirects_are_too_many(server: FeedServer, fetcher: Fetcher) -> None:
    with pytest.raises(TooManyRedirects, match="more than 5"):
        await fetcher.fetch(server.url("/redirect/6"))
    assert len(server.requests) == 6


async def test_redirect_loop_is_refused(server: FeedServer, fetcher: Fetcher) -> None:
    with pytest.raises(TooManyRedirects, match="loop"):
        await fetcher.fetch(server.url("/loop/a"))
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "answered 404 Not Found"),
        (410, "answered 410 Gone: the feed was removed"),
        (500, "answered 500 Internal Server Error"),
    ],
)
async def test_http_errors_carry_status_and_plain_message(
    server: FeedServer, fetcher: Fetcher, status: int, message: str
) -> None:
    with pytest.raises(FeedHTTPError, match=message) as info:
        await fetcher.fetch(server.url(f"/status/{status}"))
    assert info.value.status == status
    assert info.value.retry_after is None
    assert "\n" not in str(info.value)


async def test_429_retry_after_seconds(server: FeedServer, fetcher: Fetcher) -> None:
    with pytest.raises(FeedHTTPError) as info:
        await fetcher.fetch(server.url("/status/429?retry_after=120"))
    assert info.value.status == 429
    assert info.value.retry_after == 120


async def test_503_retry_after_http_date(server: FeedServer, fetcher: Fetcher) -> None:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    date = email.utils.format_datetime(later, usegmt=True)
    with pytest.raises(FeedHTTPError) as info:
        await fetcher.fetch(server.url(f"/status/503?retry_after={quote(date)}"))
    assert info.value.retry_after is not None
    assert 590 <= info.value.retry_after <= 600


def test_retry_after_in_the_past_or_garbled() -> None:
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    assert parse_retry_after("Sun, 31 Dec 2023 23:00:00 GMT", now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


@pytest.mark.parametrize("value", ["9" * 20, "9" * 5000])
def test_retry_after_beyond_any_clock_is_read_as_a_week(value: str) -> None:
    assert parse_retry_after(value, dt.datetime(2024, 1, 1, tzinfo=dt.UTC)) == 7 * 24 * 3600


async def test_max_age_beyond_any_clock_is_read_as_a_week(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.add_feed(
        "/cached.xml", Feed(SAMPLE_RSS, headers={"Cache-Control": "max-age=" + "9" * 20})
    )
    result = await fetcher.fetch(server.url("/cached.xml"))
    assert result.max_age == 7 * 24 * 3600


@pytest.mark.parametrize(
    ("max_age", "retry_after"), [(10**20, None), (None, 1e20), (None, math.inf), (None, math.nan)]
)
def test_the_next_poll_waits_at_most_a_day_whatever_the_server_says(max_age, retry_after) -> None:
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    interval = dt.timedelta(minutes=15)
    if max_age is not None:
        assert backoff.after_success(now, interval, max_age) == now + dt.timedelta(hours=24)
    else:
        assert backoff.after_failure(now, interval, 1, retry_after) == now + dt.timedelta(hours=24)


async def test_redirect_to_a_host_name_dns_cannot_hold_is_refused_in_one_line(
    server: FeedServer, fetcher: Fetcher
) -> None:
    """A 64-character label made the HTTP client raise UnicodeError, which stopped a whole poll."""
    for host in ("a" * 64 + ".example", ".".join(["a" * 60] * 5)):
        with pytest.raises(InvalidFeedURL, match="labels of 1 to 63 characters") as refused:
            await fetcher.fetch(server.url(f"/redirect-to?url=http://{host}/feed.xml"))
        assert "\n" not in str(refused.value)


async def test_announced_oversize_body_is_refused_before_reading(
    server: FeedServer, fetcher: Fetcher
) -> None:
    with pytest.raises(FeedTooLarge, match="larger than 10 MiB"):
        await fetcher.fetch(server.url("/announce-large"))


async def test_50_mib_stream_stops_at_the_cap(server: FeedServer, fetcher: Fetcher) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(FeedTooLarge):
            await fetcher.fetch(server.url("/stream?mib=50"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 25 * MIB
    assert server.bytes_sent < 30 * MIB


async def test_gzip_bomb_stops_at_the_cap_after_decompression(
    server: FeedServer, fetcher: Fetcher
) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(FeedTooLarge, match="larger than 10 MiB"):
            await fetcher.fetch(server.url("/gzip-bomb?mib=50"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert server.bytes_sent < MIB  # the wire carried little; the cap is on decoded bytes
    assert peak < 25 * MIB


async def test_endless_chunked_response_stops_at_the_cap(
    server: FeedServer, fetcher: Fetcher
) -> None:
    with pytest.raises(FeedTooLarge):
        await fetcher.fetch(server.url("/endless"))
    assert server.bytes_sent < 30 * MIB


async def test_smaller_cap_is_honoured(server: FeedServer) -> None:
    limits = FetchLimits(allowed_networks=("127.0.0.1/32",), max_bytes=100)
    async with Fetcher(limits) as small:
        with pytest.raises(FeedTooLarge, match="larger than 100 bytes"):
            await small.fetch(server.url())


async def test_server_that_never_answers_times_out(listener: Listener) -> None:
    limits = FetchLimits(allowed_networks=("127.0.0.1/32",), total_timeout=0.5)
    started = time.monotonic()
    async with Fetcher(limits) as impatient:
        with pytest.raises(FeedTimeout, match=r"within 0\.5 s"):
            await impatient.fetch(f"http://127.0.0.1:{listener.port}/feed.xml")
    assert time.monotonic() - started < 10  # gave up, rather than waiting for the server
    assert listener.accepted == 1


async def test_server_that_stalls_mid_body_times_out() -> None:
    limits = FetchLimits(allowed_networks=("127.0.0.1/32",), total_timeout=0.5)
    stall = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n<rss>"
    async with Listener(greeting=stall) as stalling, Fetcher(limits) as impatient:
        with pytest.raises(FeedTimeout):
            await impatient.fetch(f"http://127.0.0.1:{stalling.port}/")


async def test_connection_refused_is_a_clear_feed_error(fetcher: Fetcher) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(
        FeedError, match=r"could not connect to 127\.0\.0\.1:\d+: Connection refused"
    ):
        await fetcher.fetch(f"http://127.0.0.1:{port}/")


async def test_unknown_host_is_a_clear_feed_error() -> None:
    async with Fetcher(LOOPBACK_ONLY, resolver=FakeDNS({})) as fetcher:
        with pytest.raises(FeedError, match=r"nowhere\.test could not be found"):
            await fetcher.fetch("https://nowhere.test/feed.xml?token=s3cret")


async def test_error_messages_never_show_the_query(server: FeedServer, fetcher: Fetcher) -> None:
    with pytest.raises(FeedHTTPError) as info:
        await fetcher.fetch(server.url("/status/404?api_key=s3cret"))
    assert "s3cret" not in str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1:{port}/feed.xml",
        "gopher://127.0.0.1:{port}/",
        "http://user:pass@127.0.0.1:{port}/feed.xml",
        "http://127.0.0.1:{port}/feed\n.xml",
    ],
)
async def test_unfetchable_urls_never_touch_the_network(listener: Listener, url: str) -> None:
    dns = FakeDNS({})
    async with Fetcher(LOOPBACK_ONLY, resolver=dns) as fetcher:
        with pytest.raises(InvalidFeedURL):
            await fetcher.fetch(url.format(port=listener.port))
    assert listener.accepted == 0
    assert dns.lookups == []


@pytest.mark.parametrize("host", INTERNAL_SPELLINGS)
async def test_internal_spellings_are_refused_without_connecting(
    listener: Listener, host: str
) -> None:
    async with Fetcher(FetchLimits(total_timeout=2)) as fetcher:
        with pytest.raises(BlockedAddress):
            await fetcher.fetch(f"http://{host}:{listener.port}/feed.xml")
    assert listener.accepted == 0


async def test_the_listener_does_count_a_permitted_connection(listener: Listener) -> None:
    limits = FetchLimits(allowed_networks=("127.0.0.1/32",), total_timeout=0.3)
    async with Fetcher(limits) as fetcher:
        with pytest.raises(FeedTimeout):
            await fetcher.fetch(f"http://127.0.0.1:{listener.port}/")
    assert listener.accepted == 1


async def test_name_resolving_to_loopback_is_refused_at_connect(listener: Listener) -> None:
    dns = FakeDNS({"feeds.test": ["127.0.0.1"]})
    async with Fetcher(FetchLimits(total_timeout=2), resolver=dns) as fetcher:
        with pytest.raises(BlockedAddress, match=r"feeds\.test resolves to 127\.0\.0\.1"):
            await fetcher.fetch(f"http://feeds.test:{listener.port}/")
    assert dns.lookups == ["feeds.test"]
    assert listener.accepted == 0


async def test_name_resolving_to_a_permitted_address_is_fetched(server: FeedServer) -> None:
    dns = FakeDNS({"feeds.test": ["127.0.0.1"]})
    async with Fetcher(LOOPBACK_ONLY, resolver=dns) as fetcher:
        result = await fetcher.fetch(f"http://feeds.test:{server.port}/feed.xml")
    assert result.body == SAMPLE_RSS


async def test_redirect_to_another_loopback_address_is_refused(server: FeedServer) -> None:
    async with Listener(host="127.0.0.2") as other, Fetcher(LOOPBACK_ONLY) as fetcher:
        with pytest.raises(BlockedAddress, match=r"127\.0\.0\.2"):
            await fetcher.fetch(server.url(f"/redirect-to?url=http://127.0.0.2:{other.port}/"))
        assert other.accepted == 0


async def test_redirect_to_a_name_for_an_internal_address_is_refused(
    server: FeedServer,
) -> None:
    dns = FakeDNS({"feeds.test": ["127.0.0.1"], "rebind.test": ["127.0.0.2"]})
    async with Listener(host="127.0.0.2") as other, Fetcher(LOOPBACK_ONLY, resolver=dns) as fetcher:
        start = f"http://feeds.test:{server.port}/redirect-to?url=http://rebind.test:{other.port}/"
        with pytest.raises(BlockedAddress, match=r"rebind\.test resolves to 127\.0\.0\.2"):
            await fetcher.fetch(start)
        assert other.accepted == 0


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://10.0.0.1/",
        "http://0x7f000002/",
        "http://[::ffff:a9fe:a9fe]/",
    ],
)
async def test_redirect_to_internal_literals_is_refused(
    server: FeedServer, fetcher: Fetcher, target: str
) -> None:
    with pytest.raises(BlockedAddress):
        await fetcher.fetch(server.url(f"/redirect-to?url={target}"))


async def test_redirect_to_other_schemes_is_refused(server: FeedServer, fetcher: Fetcher) -> None:
    with pytest.raises(InvalidFeedURL, match="redirected to a URL the bot will not fetch"):
        await fetcher.fetch(server.url("/redirect-to?url=file:///etc/passwd"))


async def test_allow_private_still_refuses_metadata(server: FeedServer) -> None:
    async with Fetcher(FetchLimits(allow_private_networks=True)) as fetcher:
        assert (await fetcher.fetch(server.url())).body == SAMPLE_RSS
        with pytest.raises(BlockedAddress, match="never fetched"):
            await fetcher.fetch(server.url("/redirect-to?url=http://169.254.169.254/"))


def test_malformed_allowed_network_fails_at_configuration() -> None:
    with pytest.raises(ValueError, match=r"10\.0\.0\.1/8"):
        FetchLimits(allowed_networks=("10.0.0.1/8",))
