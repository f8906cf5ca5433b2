"""The private-network guard: which addresses a fetch may connect to, judged on resolved addresses.

A feed URL is user input, so fetching it must not become a way to reach the bot's own network
(cloud metadata, admin panels, databases). The ranges are listed explicitly because
`ipaddress.is_private`/`is_global` miss several of them on Python 3.11 (100.64/10, 192.88.99/24,
NAT64, 6to4).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from enum import IntEnum

from briefings.errors import BlockedAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class Reach(IntEnum):
    """How far an address is from the public internet; higher is more internal."""

    PUBLIC = 0
    PRIVATE = 1
    FORBIDDEN = 2


def _networks(*cidrs: str) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(cidr) for cidr in cidrs)


# Never fetched, whatever the config says: "this host", link-local (where cloud metadata lives),
# multicast, reserved and broadcast, and metadata endpoints inside otherwise private ranges.
FORBIDDEN_NETWORKS = _networks(
    "0.0.0.0/8",
    "169.254.0.0/16",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "255.255.255.255/32",
    "100.100.100.200/32",  # Alibaba Cloud metadata, inside 100.64/10
    "::/128",
    "fe80::/10",
    "fec0::/10",
    "ff00::/8",
    "fd00:ec2::254/128",  # AWS metadata over IPv6, inside fc00::/7
)

# Internal or special-purpose: fetched only when the config allows private networks.
PRIVATE_NETWORKS = _networks(
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "::/96",  # deprecated IPv4-compatible addresses, ::1 among them
    "64:ff9b::/96",
    "64:ff9b:1::/48",
    "2002::/16",
    "2001::/32",
    "2001:db8::/32",
    "fc00::/7",
    "100::/64",
)

_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64 = _networks("64:ff9b::/96", "64:ff9b:1::/48")
_LOOPBACK = ipaddress.IPv4Address("127.0.0.1")
_NUMERIC_IPV4 = re.compile(r"[0-9a-fx.]+", re.IGNORECASE)


def parse_address(ip: str) -> IPAddress:
    """An address as a resolver or URL writes it: brackets and an IPv6 zone id are allowed."""
    if ip.startswith("[") and ip.endswith("]"):
        ip = ip[1:-1]
    return ipaddress.ip_address(ip.split("%", 1)[0])


def literal_address(host: str) -> IPAddress | None:
    """The address a connector reaches for a numeric host however it is spelt; None for a name.

    The C library's `inet_aton` reading is the one that counts, since getaddrinfo hands such
    hosts to it: `127.1`, `0x7f000001`, `2130706433` and `0177.0.0.1` all mean 127.0.0.1.
    """
    if host.startswith("[") or ":" in host:
        try:
            return parse_address(host)
        except ValueError:
            return None
    dotted = host.rstrip(".")
    if not _NUMERIC_IPV4.fullmatch(dotted):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(dotted))
    except OSError:
        return None


def host_address(host: str) -> IPAddress | None:
    """The address a host means without asking DNS: an IP literal, or loopback for `localhost` names.

    RFC 6761 reserves `localhost` and `*.localhost` for loopback, and resolvers differ on
    `localhost.`, so these names are judged as 127.0.0.1 whatever DNS would say.
    """
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return _LOOPBACK
    return literal_address(host)


def reach(ip: IPAddress) -> Reach:
    """Classify an address, looking through IPv6 forms that carry an IPv4 address inside."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return reach(ip.ipv4_mapped)
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return max(_own_reach(ip), reach(embedded))
    return _own_reach(ip)


def is_blocked_address(ip: str) -> bool:
    """True unless `ip` is a public address; ValueError when `ip` is not an address at all."""
    return reach(parse_address(ip)) is not Reach.PUBLIC


def _own_reach(ip: IPAddress) -> Reach:
    if any(ip in net for net in FORBIDDEN_NETWORKS):
        return Reach.FORBIDDEN
    if any(ip in net for net in PRIVATE_NETWORKS):
        return Reach.PRIVATE
    return Reach.PUBLIC


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a translating or tunnelling IPv6 form would deliver to.

    NAT64 is read with the /96 layout, the only one the well-known prefix allows; the local-use
    /48 is blocked as a range anyway.
    """
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in net for net in _NAT64) or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses fetches may reach: public ones always, internal ones only as configured.

    `allow_private` opens the private ranges (loopback, RFC 1918, ULA, ...) but never the
    forbidden ones (link-local and metadata, multicast, 0.0.0.0). `allowed_networks` is the
    operator's explicit exception list and wins over both.
    """

    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()

    def permits(self, ip: IPAddress) -> bool:
        """True when a connection to `ip` is allowed."""
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip in net for net in self.allowed_networks):
            return True
        level = reach(ip)
        return level is Reach.PUBLIC or (level is Reach.PRIVATE and self.allow_private)

    def check(self, host: str, ip: IPAddress) -> None:
        """Raise BlockedAddress unless `ip`, which `host` led to, is permitted."""
        if self.permits(ip):
            return
        if host.strip("[]").rstrip(".") == str(ip):
            subject = f"{host} is"
        elif host_address(host) == ip:
            subject = f"{host} means {ip}, which is"
        else:
            subject = f"{host} resolves to {ip}, which is"
        if reach(ip) is Reach.PRIVATE:
            raise BlockedAddress(
                f"{subject} a private address; feeds come from public addresses only"
            )
        raise BlockedAddress(f"{subject} an internal address that feeds are never fetched from")
