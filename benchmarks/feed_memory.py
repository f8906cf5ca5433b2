"""Peak memory and time of importing and fetching large and hostile feeds, as a user runs them.

Usage: python benchmarks/feed_memory.py [--cases a,b] [--limit SECONDS]

Each case runs `kfor-bot` in a fresh process on a fresh database:
- `ingest ...`: `kfor-bot ingest` of a feed file of N short items (up to the 20 MiB file cap), as
  an operator imports an archive (the whole pipeline: read, parse, derive, store);
- `fetch ...`: `kfor-bot feeds add URL` of a body served from 127.0.0.1, as a poll reads one
  (fetch, decode, check, parse, derive, store): entity declarations hidden by an encoding (UTF-7,
  unicode_escape, EBCDIC, a UTF-7 charset header), a 10 MiB description, a 10 MiB feed of 70,000
  items, an item with 50,000 attributes, and 10 MiB shaped against the parser (elements nested
  1.5 million deep, before and after a well-formedness error, a million distinct element names,
  750,000 empty items, 476,000 categories in one item).

Two peaks are printed: the largest resident set any one of the bot's processes reached (exact,
ru_maxrss, as /usr/bin/time reports it), and the most the bot's processes used together (their
proportional set sizes summed, sampled every 20 ms, so shared pages count once).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
# The most a fetch reads by default (`[feeds] max_bytes`), less room for the elements around.
BODY = 10 * MIB - 1024


def items_feed(count: int) -> bytes:
    """An RSS document of `count` short, distinct items."""
    items = "".join(
        f"<item><title>Patrol report {n}</title><link>https://big.example/a/{n}</link>"
        f"<description>KFOR patrol {n} near Jarinje.</description></item>\n"
        for n in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Big</title>'
        f"<link>https://big.example/</link>\n{items}</channel></rss>\n"
    ).encode()


def hidden_entities(size: int, encoding: str) -> tuple[bytes, str]:
    """An entity-expansion document of about `size` bytes whose declarations only show once
    decoded in `encoding`, and the Content-Type it is served with."""
    # Each 3-byte reference expands 83-fold: under expat's 100-fold limit on amplification.
    declarations = f'<!ENTITY a "{"x" * 250}">'
    uses = "&a;" * max(1, (size - 1000) // 3)
    body = f'<rss version="2.0"><channel><title>{uses}</title></channel></rss>'
    if encoding == "utf-7 header":
        text = f"<!DOCTYPE rss [{declarations}]>{body}".replace("<!ENTITY", "+ADw-!ENTITY")
        return text.encode("ascii"), "application/rss+xml; charset=utf-7"
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>'
    if encoding == "utf-7":
        prolog = f"<!DOCTYPE rss [{declarations.replace('<!ENTITY', '+ADw-!ENTITY')}]>"
        return (declaration + prolog + body).encode("ascii"), "application/rss+xml"
    if encoding == "unicode_escape":
        prolog = f"<!DOCTYPE rss [{declarations.replace('<!ENTITY', chr(92) + 'x3c!ENTITY')}]>"
        return (declaration + prolog + body).encode("ascii"), "application/rss+xml"
    text = declaration + f"<!DOCTYPE rss [{declarations}]>" + body
    return text.encode(encoding), "application/rss+xml"


def one_huge_description(size: int) -> bytes:
    words = "KFOR troops patrolled the Jarinje crossing near the border. " * (size // 60)
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>Long</title><link>https://a.example/1</link><description>{words}"
        "</description></item></channel></rss>"
    ).encode()


def many_attributes(count: int) -> bytes:
    attributes = " ".join(f'a{n}="x"' for n in range(count))
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item {attributes}><title>x</title></item></channel></rss>"
    ).encode()


def shaped(inside: str, *, broken: bool = False) -> tuple[bytes, str]:
    """A 10 MiB RSS document whose one item holds `inside`, after a not-well-formed item (which
    sends the rest to feedparser's lenient parser) when `broken`."""
    before = "<item><title>bad</title><b x></item>" if broken else ""
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"{before}<item><title>x</title>{inside}</item></channel></rss>"
    ).encode(), "application/rss+xml"


NESTED = BODY // 7
FETCHES = {
    "fetch UTF-7 hidden entities 3 MB": lambda: hidden_entities(3 * 10**6, "utf-7"),
    "fetch UTF-7 hidden entities 10 MB": lambda: hidden_entities(10 * 10**6, "utf-7"),
    "fetch unicode_escape hidden entities 3 MB": lambda: hidden_entities(
        3 * 10**6, "unicode_escape"
    ),
    "fetch EBCDIC hidden entities 3 MB": lambda: hidden_entities(3 * 10**6, "cp037"),
    "fetch UTF-7 charset header 3 MB": lambda: hidden_entities(3 * 10**6, "utf-7 header"),
    "fetch one 10 MiB description": lambda: (one_huge_description(BODY), "application/xml"),
    "fetch 10 MiB feed of 70000 items": lambda: (items_feed(70_000), "application/rss+xml"),
    "fetch item with 50000 attributes": lambda: (many_attributes(50_000), "application/xml"),
    "fetch 10 MiB of nested elements": lambda: shaped("<x>" * NESTED + "</x>" * NESTED),
    "fetch 10 MiB of nested elements past an error": lambda: shaped(
        "<x>" * NESTED + "</x>" * NESTED, broken=True
    ),
    "fetch 10 MiB of distinct element names": lambda: shaped(
        "".join(f"<x{n}/>" for n in range(BODY // 10))
    ),
    "fetch 10 MiB of empty items": lambda: shaped("</item><item/>" * (BODY // 14)),
    "fetch 10 MiB of categories in one item": lambda: shaped(
        "<category>c</category>" * (BODY // 22)
    ),
}
# 140,000 items make 19.6 MiB, just under the largest file `ingest` reads (20 MiB).
INGESTS = {
    "ingest 10000-item feed file": 10_000,
    "ingest 100000-item feed file": 100_000,
    "ingest 140000-item feed file": 140_000,
}
# The fetch cases' bot may reach the loopback server, and takes a body up to the default cap.
CONFIG = "[feeds]\nallow_private_networks = true\nmax_bytes = 10485760\n"


def serve(body: bytes, content_type: str) -> ThreadingHTTPServer:
    """A loopback HTTP server answering every GET with `body`, in a thread of this process."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            """Quiet: the table is the output."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def tree_pss_kib(root: int) -> int:
    """The proportional set size of `root` and every process below it, in KiB."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree = {root}
    for _ in range(4):  # the bot, its workers, and anything they start
        tree |= {pid for pid, parent in parents.items() if parent in tree}
    total = 0
    for pid in tree:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total += sum(
            int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")
        )
    return total


def _run(command: list[str], limit: float, cwd: Path) -> tuple[float, float, float, str]:
    """Seconds, the largest process's peak MB, the processes' peak MB together, and the last
    output line."""
    started = time.perf_counter()
    with subprocess.Popen(  # noqa: S603 - this repository's own entry point
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as process:
        together = 0
        while process.poll() is None:
            if time.perf_counter() - started > limit:
                process.kill()
                process.wait()
                return limit, float("nan"), float("nan"), f"> {limit:g} s"
            together = max(together, tree_pss_kib(process.pid))
            time.sleep(0.02)
        output = process.stdout.read() if process.stdout else ""
    seconds = time.perf_counter() - started
    # The largest any child (and any of its workers) reached: this process runs one case only.
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines = output.strip().splitlines()
    return seconds, largest, together / 1024, lines[-1] if lines else ""


def measure(name: str, limit: float) -> tuple[float, float, float, str]:
    """Run the case `name` in a kfor-bot process of its own."""
    with tempfile.TemporaryDirectory() as folder:
        bot = [sys.executable, "-m", "bot", "--db", str(Path(folder) / "kfor.sqlite3")]
        if name in INGESTS:
            feed = Path(folder) / "archive.xml"
            feed.write_bytes(items_feed(INGESTS[name]))
            return _run([*bot, "ingest", str(feed)], limit, Path(folder))
        config = Path(folder) / "config.toml"
        config.write_text(CONFIG)
        server = serve(*FETCHES[name]())
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
            return _run([*bot, "--config", str(config), "feeds", "add", url], limit, Path(folder))
        finally:
            server.shutdown()


def main() -> None:
    """One row per case; each case measured from a fresh benchmark process, so its peak is its own."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--limit", type=float, default=600.0, help="seconds per case")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.limit)))
        return
    names = args.cases.split(",") if args.cases else [*INGESTS, *FETCHES]
    print("| case | seconds | largest process, peak MB | all processes, peak MB | outcome |")
    print("|---|---|---|---|---|")
    for name in names:
        done = subprocess.run(  # noqa: S603 - this script, run again for one case
            [sys.executable, __file__, "--one", name, "--limit", str(args.limit)],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, largest, together, outcome = json.loads(done.stdout)
        print(
            f"| {name} | {seconds:.1f} | {largest:.0f} | {together:.0f} | {outcome[:100]} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
