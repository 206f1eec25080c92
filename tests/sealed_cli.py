"""The `apertura` CLI with no browser and a recorder of every attempt to reach the network or start a
program, run as its own process by tests/test_stages.py:

    python -m tests.sealed_cli EVENTS_FILE audit metepec --db …

The browser executable is pointed at a path that does not exist before any module reads it, and a
`sys.addaudithook` hook appends one line per socket connection, name lookup, datagram or new process
 (Playwright starts its driver as a process before Chromium) to EVENTS_FILE.
"""

from __future__ import annotations

import sys

RECORDED = {
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto", "socket.sendmsg",
    "subprocess.Popen", "os.posix_spawn", "os.exec", "os.system", "os.fork", "os.spawn",
}  # fmt: skip


def main() -> None:
    events_file, *argv = sys.argv[1:]
    events = open(events_file, "a", encoding="utf-8")  # noqa: SIM115  open until the process ends

    def record(event: str, args: tuple) -> None:
        if event in RECORDED:
            events.write(f"{event} {args!r}\n")
            events.flush()

    sys.addaudithook(record)
    import crawler.render

    crawler.render.CHROMIUM = "/nonexistent/chromium"  # before apertura's modules copy it
    from apertura.cli.main import main as cli

    sys.argv = ["apertura", *argv]
    cli()


if __name__ == "__main__":
    main()
