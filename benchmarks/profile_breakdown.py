"""Where the crawl phase's reactor thread spends its time: a cProfile of benchmarks/crawl_phase.py (written by
`benchmarks.run --crawl-only N --profile FILE`) summed by component, as a share of the whole crawl phase.

Usage:  python -m benchmarks.profile_breakdown FILE.prof [FILE.prof ...]

Only the main thread is profiled: the extraction workers are other processes, and work in other threads (the
process pool's result thread, documents handed to a thread) shows up as the main thread waiting for the GIL in
whatever released it (a pipe write, a socket send, epoll).
"""

from __future__ import annotations

import pstats
import sys

# (label, file suffix, function name): cumulative time of that function; the components do not overlap.
COMPONENTS = [
    (
        "Scrapy's download handlers (scrapy-playwright's, which hands plain requests to HTTP/1.1)",
        "downloader/handlers/__init__.py",
        "download_request_async",
    ),
    ("WARC records written (crawler/archive.py)", "crawler/archive.py", "process_response"),
    ("database writes (crawler/pipelines.py)", "crawler/pipelines.py", "process_item"),
    ("pages handed to the extraction workers and back", "crawler/spiders/municipal_site.py", "_extract_page"),
    ("links followed (scope, budget, canonical URLs)", "crawler/spiders/municipal_site.py", "_follow"),
    ("conditional-request validators", "crawler/incremental.py", "process_request"),
    ("network guard (SSRF checks)", "crawler/netguard.py", "process_request"),
    ("WACZ packaging after the crawl (apertura/evidence/webarchive.py)", "apertura/evidence/webarchive.py", "package"),
    ("crawl rows read back and finished after the crawl", "storage/repository.py", "crawl_resources"),
    ("reactor idle (epoll wait)", "~", "<method 'poll' of 'select.epoll' objects>"),
]


def cumulative(stats: dict, suffix: str, name: str, own: bool = False) -> float:
    return sum(
        (value[2] if own else value[3])
        for (file, _, function), value in stats.items()
        if file.endswith(suffix) and function == name
    )


def breakdown(path: str) -> list[tuple[str, float, float]]:
    profile = pstats.Stats(path)
    stats, total = profile.stats, profile.total_tt  # type: ignore[attr-defined]  # all the time profiled
    rows = [
        (label, seconds, seconds / total)
        for label, suffix, name in COMPONENTS
        if (seconds := cumulative(stats, suffix, name, own=suffix == "~"))
    ]
    rows.append(("whole crawl phase (profiled)", total, 1.0))
    return rows


def main(argv: list[str]) -> int:
    for path in argv:
        print(f"{path}:")
        for label, seconds, share in breakdown(path):
            print(f"  {share:6.1%}  {seconds:7.1f} s  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
