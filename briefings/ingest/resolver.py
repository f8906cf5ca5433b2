"""The resolver that applies the private-network guard (`netguard`) inside aiohttp's connector.

Apart from `netguard` so that the policy, which settings build and check when they are read, does
not import aiohttp: a command that never fetches does not pay for loading it.
"""

from __future__ import annotations

import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from briefings.ingest.netguard import AddressPolicy, host_address, parse_address


class GuardedResolver(AbstractResolver):
    """Resolves through another resolver; refuses the host if any of its addresses is not permitted.

    aiohttp calls the resolver inside the connector for every connection, redirect hops
    included, and connects to exactly the addresses returned, so the address checked is the
    address connected to; a DNS answer that changes between a check and the connection
    (rebinding) gains nothing. aiohttp skips the resolver for IP literals, so the fetcher checks
    those itself with `host_address`.
    """

    def __init__(self, policy: AddressPolicy, inner: AbstractResolver | None = None) -> None:
        self._policy = policy
        self._inner = inner if inner is not None else DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve `host`, raising BlockedAddress if any answer is internal."""
        fixed = host_address(host)
        if fixed is not None:
            self._policy.check(host, fixed)
        results = await self._inner.resolve(host, port, family)
        for result in results:
            self._policy.check(host, parse_address(result["host"]))
        return results

    async def close(self) -> None:
        """Close the wrapped resolver."""
        await self._inner.close()
