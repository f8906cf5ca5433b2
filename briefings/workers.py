"""A process pool for the CPU-heavy part of ingest (parsing and deriving), off the event loop.

Threads are not enough: parsing and deriving hold the GIL for most of their time, so with a few
feeds in flight the event loop starved, other feeds' fetches ran into their timeouts and chat
heartbeats would have been late. Processes also put the second core to work.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

PARENT_CHECK_SECONDS = 1.0
# Workers run at a lower priority than the main process, so that a poll's parsing on every core
# does not slow the chat commands the main process answers meanwhile.
WORKER_NICENESS = 10
T = TypeVar("T")


def worker_pool(workers: int | None = None) -> Executor:
    """A pool of `workers` processes (default: one per core), forked when its first task comes.

    A command that only reads (status, brief, search, ...) never starts it: forking the workers
    cost more than answering such a command on a small database.

    Fork, not spawn or forkserver: those re-import the parent's `__main__` in every worker, which
    fails for a program run from stdin or embedded elsewhere. By the first task the database and
    maybe the fetcher have their threads; a forked worker inherits only the thread that forked it,
    and runs only parsing and deriving, which take no lock those threads hold (CPython re-creates
    its import and logging locks in the child).
    """
    return _ForkOnFirstTask(workers or os.cpu_count() or 1)


class _ForkOnFirstTask(Executor):
    """A ProcessPoolExecutor made, and its workers forked, on the first submit."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._pool: Executor | None = None
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Run `fn` in a worker, forking the workers first if this is the first task."""
        with self._lock:
            if self._pool is None:
                # Imported here: a command that only reads should not load multiprocessing.
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(
                    max_workers=self._workers,
                    mp_context=multiprocessing.get_context("fork"),
                    initializer=_start_worker,
                    initargs=(os.getpid(),),
                )
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop the workers, if they were ever started."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


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
