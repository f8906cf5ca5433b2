"""The private-network guard: the block list, numeric host spellings, the policy and the resolver."""

import ipaddress

import pytest

from briefings.errors import BlockedAddress
from briefings.ingest.netguard import (
    AddressPolicy,
    host_address,
    is_blocked_address,
    literal_address,
)
from briefings.ingest.resolver import GuardedResolver
from tests.fakes.feed_server import FakeDNS

BLOCKED = [
    "0.0.0.0",
    "0.1.2.3",
    "10.1.2.3",
    "100.64.0.1",
    "100.127.255.254",
    "127.0.0.1",
    "127.255.0.9",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.8",
    "192.0.2.1",
    "192.88.99.1",
    "192.168.1.1",
    "198.18.0.1",
    "198.19.255.1",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::808:808",
    "64:ff9b::7f00:1",
    "64:ff9b:1::1",
    "2002:808:808::1",
    "2002:7f00:1::",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001:db8::1",
    "fc00::1",
    "fd00:ec2::254",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",
    "ff02::1",
    "100::1",
    "[::1]",
]

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "100.63.255.255",
    "100.128.0.1",
    "172.32.0.1",
    "192.0.1.1",
    "198.20.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "[2001:4860:4860::8888]",
]


@pytest.mark.parametrize("ip", BLOCKED)
def test_internal_addresses_are_blocked(ip: str) -> None:
    assert is_blocked_address(ip)


@pytest.mark.parametrize("ip", PUBLIC)
def test_public_addresses_pass(ip: str) -> None:
    assert not is_blocked_address(ip)


def test_a_name_is_not_an_address() -> None:
    with pytest.raises(ValueError, match="does not appear to be"):
        is_blocked_address("example.org")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0X7F000001", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("127.0.0.1.", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("::ffff:7f00:1", "::ffff:7f00:1"),
        ("[fe80::1%25eth0]", "fe80::1"),
        ("8.8.8.8", "8.8.8.8"),
    ],
)
def test_numeric_spellings_read_as_inet_aton_does(host: str, expected: str) -> None:
    assert literal_address(host) == ipaddress.ip_address(expected)


@pytest.mark.parametrize(
    "host", ["example.org", "cafe.be", "deadbeef", "1.2.3.4.5", "08.0.0.1", "1.2.3.4 x", ""]
)
def test_names_are_not_literals(host: str) -> None:
    assert literal_address(host) is None


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST.", "feeds.localhost", "127.1"])
def test_localhost_names_mean_loopback_without_dns(host: str) -> None:
    assert host_address(host) == ipaddress.ip_address("127.0.0.1")


def test_policy_allow_private_still_refuses_metadata_and_link_local() -> None:
    policy = AddressPolicy(allow_private=True)
    for ip in ["127.0.0.1", "10.0.0.5", "192.168.1.1", "::1", "fd00::1"]:
        assert policy.permits(ipaddress.ip_address(ip)), ip
    for ip in [
        "169.254.169.254",
        "::ffff:169.254.169.254",
        "100.100.100.200",
        "fd00:ec2::254",
        "fe80::1",
        "0.0.0.0",
        "224.0.0.1",
    ]:
        assert not policy.permits(ipaddress.ip_address(ip)), ip


def test_policy_allowed_networks_open_exactly_what_is_listed() -> None:
    policy = AddressPolicy(allowed_networks=(ipaddress.ip_network("127.0.0.1/32"),))
    assert policy.permits(ipaddress.ip_address("127.0.0.1"))
    assert policy.permits(ipaddress.ip_address("::ffff:127.0.0.1"))
    assert not policy.permits(ipaddress.ip_address("127.0.0.2"))
    assert not policy.permits(ipaddress.ip_address("10.0.0.1"))


def test_blocked_message_names_host_and_address() -> None:
    with pytest.raises(BlockedAddress, match=r"^0x7f\.1 means 127\.0\.0\.1, which is a private"):
        AddressPolicy().check("0x7f.1", ipaddress.ip_address("127.0.0.1"))


async def test_resolver_refuses_a_name_if_any_answer_is_internal() -> None:
    dns = FakeDNS({"mixed.test": ["93.184.216.34", "10.0.0.7"], "public.test": ["93.184.216.34"]})
    resolver = GuardedResolver(AddressPolicy(), dns)
    answers = await resolver.resolve("public.test", 443)
    assert [a["host"] for a in answers] == ["93.184.216.34"]
    with pytest.raises(BlockedAddress, match=r"mixed\.test resolves to 10\.0\.0\.7"):
        await resolver.resolve("mixed.test", 443)


async def test_resolver_refuses_localhost_without_asking_dns() -> None:
    dns = FakeDNS({"localhost.": ["93.184.216.34"]})
    with pytest.raises(BlockedAddress, match="localhost"):
        await GuardedResolver(AddressPolicy(), dns).resolve("localhost.", 80)
    assert dns.lookups == []
