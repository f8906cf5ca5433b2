"""A process pool for the CPU-heavy part of ingest (parsing and deriving), off the event loop.

Threads are not enough: parsing and deriving hold the GIL for most of their time, so with a few
feeds in flight the event loop starved, other feeds' fetches ran into their timeouts and chat
heartbeats would have been late. Processes also put the second core to work.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor

PARENT_CHECK_SECONDS = 1.0
# Workers run at a lower priority than the main process, so that a poll's parsing on every core
# does not slow the chat commands the main process answers meanwhile.
WORKER_NICENESS = 10


def worker_pool(workers: int | None = None) -> Executor:
    """A pool of `workers` processes (default: one per core), forked at once.

    Fork, not spawn or forkserver: those re-import the parent's `__main__` in every worker, which
    fails for a program run from stdin or embedded elsewhere. With fork, every worker is started
    on the first task, so warming the pool here forks before the database and fetcher start
    their threads, and the workers inherit no lock another thread was holding.
    """
    pool = ProcessPoolExecutor(
        max_workers=workers or os.cpu_count() or 1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )
    pool.submit(os.getpid).result()
    return pool


def _start_worker(parent: int) -> None:
    """Yield the CPU to the main process, and leave with it."""
    os.nice(WORKER_NICENESS)
    _exit_with_parent(parent)


def _exit_with_parent(parent: int) -> None:
    """Leave when the parent is gone (killed, say): a forked worker holds its own task queue's
    write end, so it would never see the queue close and would wait, and hold the parent's
    stdout and stderr open, forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
