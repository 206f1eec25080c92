"""Extraction of facts from fetched bodies (pages and documents).

Pure functions, no network: used by the crawl pipeline on every fetched resource and
again when re-extracting from stored bodies. ``extract_document`` bounds size, zip
expansion, pages and characters but not wall-clock time, so the pipeline calls
``extract_document_with_timeout``, which runs it in a worker process that is killed
(and replaced) when it overruns.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import select
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.dates import find_dates
from crawler.extract_documents import detect_kind, extract_document
from crawler.extract_html import decode_html, extract_page
from models.artifact import DocumentArtifact

__all__ = [
    "decode_html",
    "detect_kind",
    "extract_document",
    "extract_document_with_timeout",
    "extract_page",
    "find_dates",
    "shutdown_pool",
    "worker_context",
    "worker_pool",
]

TIMEOUT_ERROR = "tiempo agotado"
CRASH_ERROR = "fallo del proceso de extracción"

# Documents are extracted in lanes, one per core: each lane is one worker process that runs one task at a time, so a
# timeout only ever counts that task's own work and kills only that lane's worker.
_pools: dict[int, ProcessPoolExecutor] = {}  # lane -> its worker
_pools_lock = threading.Lock()


def _lanes(count: int) -> queue.SimpleQueue[int]:
    free: queue.SimpleQueue[int] = queue.SimpleQueue()
    for lane in range(count):
        free.put(lane)
    return free


_free_lanes = _lanes(os.cpu_count() or 1)


def worker_context() -> multiprocessing.context.BaseContext:
    # Never fork a process that may run Twisted threads: start workers from a clean server.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Extraction workers that end with the process that started them."""
    return ProcessPoolExecutor(workers, mp_context=worker_context(), initializer=_end_with, initargs=(os.getpid(),))


def _end_with(owner: int) -> None:
    """A killed crawl (SIGKILL, out of memory) cannot shut its pool down, and its workers, waiting on their queue
    and keeping the forkserver alive, would outlive it: each worker exits when its owner does."""

    def watch() -> None:
        try:
            select.select([os.pidfd_open(owner)], [], [])
        except (AttributeError, OSError):  # no pidfd (old kernel): ask every few seconds
            while _alive(owner):
                time.sleep(2)
        os._exit(0)

    threading.Thread(target=watch, name="owner-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _get_pool(lane: int) -> ProcessPoolExecutor:
    with _pools_lock:
        if lane not in _pools:
            _pools[lane] = worker_pool(1)
        return _pools[lane]


def _discard_pool(lane: int, pool: ProcessPoolExecutor) -> None:
    """Kill a lane's worker (it may be stuck in C code) and forget it."""
    with _pools_lock:
        if _pools.get(lane) is pool:
            del _pools[lane]
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except Exception:  # noqa: BLE001 - already gone
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def shutdown_pool() -> None:
    """Stop the document workers (tests, end of a crawl)."""
    with _pools_lock:
        pools = list(_pools.items())
    for lane, pool in pools:
        _discard_pool(lane, pool)


def extract_document_with_timeout(
    body: bytes,
    url: str,
    content_type: str = "",
    timeout: float = 20.0,
    *,
    func: Callable[..., DocumentArtifact] = extract_document,
    **kwargs: object,
) -> DocumentArtifact:
    """``extract_document`` in a worker process, with a hard wall-clock ``timeout``.

    On timeout the worker is killed and ``DocumentArtifact(error="tiempo agotado")`` is
    returned; the next call starts a fresh worker. ``func`` (a picklable module-level
    function with ``extract_document``'s signature) exists for tests.
    """
    lane = _free_lanes.get()  # waits for a free lane
    try:
        for attempt in range(2):
            pool = _get_pool(lane)
            try:
                future = pool.submit(func, body, url, content_type, **kwargs)
            except (BrokenProcessPool, RuntimeError):
                _discard_pool(lane, pool)  # died earlier: retry once with a new worker
                if attempt:
                    return DocumentArtifact(error=CRASH_ERROR)
                continue
            try:
                return future.result(timeout=timeout)
            except TimeoutError:
                _discard_pool(lane, pool)
                return DocumentArtifact(error=TIMEOUT_ERROR)
            except BrokenProcessPool:
                _discard_pool(lane, pool)
                return DocumentArtifact(error=CRASH_ERROR)
            except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
                return DocumentArtifact(error=f"error al extraer: {type(exc).__name__}"[:300])
        return DocumentArtifact(error=CRASH_ERROR)
    finally:
        _free_lanes.put(lane)
