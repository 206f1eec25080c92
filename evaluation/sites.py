"""The evaluation set's sites: manifest, materialisation from a git snapshot, serving on loopback.

Nothing of the sites is stored in this repository. `materialise` copies one commit's sub-folder out of
a bare snapshot (as brought by the search tool's `fetch`, under ``/work/.mirror/<owner>+<name>/``) into
a temporary folder; a ``build`` site (a JavaScript application) is then built there by its own commands
(``npm ci``, ``npm run build``: only the package registry is needed). `serve` answers every site by its
host names on 127.0.0.1 — static and built sites through ``sample_web.server`` (one directory per host;
a single-page app's unknown paths answer its index.html when its host rewrote them so), PHP sites
through PHP's built-in server (``php -S``), one port each; a ``down`` site is registered on a port where nothing listens (the site cannot be
reached, as a server that is off). Blobs the snapshot lacks (files of 4 MiB and more) are left out and listed: on the
served copy they answer 404, as a missing upload does.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path

import yaml

from benchmarks.server import free_port
from sample_web.server import serve as serve_static

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.yaml"
LABELS = HERE / "labels.yaml"
DEFAULT_MIRROR_ROOT = Path("/work/.mirror")
DOWN_PORT = 9  # discard: nothing listens on loopback (as the sample web's Luvianos)


@dataclass(frozen=True)
class Site:
    inegi_code: str
    name: str
    state: str
    repository: str
    commit: str
    subdir: str
    server: str
    hosts: tuple[str, ...]
    audit_date: str
    provenance: str = ""
    build: tuple[str, ...] = ()  # shell commands run in the copy (server: build)
    root: str = ""  # the folder the build writes, served as a static site
    spa_fallback: bool = False  # its host answers every unknown path with the app's index.html

    @property
    def host(self) -> str:
        return self.hosts[0]

    @property
    def down(self) -> bool:
        return self.server == "down"


@dataclass
class Materialised:
    site: Site
    root: Path
    missing: list[str] = field(default_factory=list)  # paths whose blob the snapshot lacks


def load_manifest(path: Path = MANIFEST) -> list[Site]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sites = []
    for entry in data["sites"]:
        if str(entry["inegi_code"]).startswith("15"):
            raise ValueError(f"{entry['name']}: Estado de México sites are kept apart for acceptance")
        sites.append(
            Site(
                **{
                    **entry,
                    "inegi_code": str(entry["inegi_code"]),
                    "hosts": tuple(entry["hosts"]),
                    "build": tuple(entry.get("build") or ()),
                    "subdir": entry.get("subdir") or "",
                    "audit_date": str(entry["audit_date"]),
                }
            )
        )
    return sites


def git_dir(mirror_root: Path, repository: str) -> Path | None:
    """The bare git directory of a fetched snapshot of ``owner/name`` (None if not fetched)."""
    base = Path(mirror_root) / repository.replace("/", "+") / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "objects").is_dir():
            return candidate
    return None


def materialise(site: Site, mirror_root: Path, into: Path) -> Materialised:
    """Write ``site.commit:site.subdir`` under ``into`` (a fresh folder); returns what was left out."""
    if site.down:
        return Materialised(site, into)
    gitdir = git_dir(mirror_root, site.repository)
    if gitdir is None:
        raise FileNotFoundError(f"no snapshot of {site.repository} under {mirror_root}")
    prefix = site.subdir.strip("/")
    listing = subprocess.run(
        ["git", "--git-dir", str(gitdir), "ls-tree", "-r", "-z", "--full-tree", site.commit, "--", prefix or "."],
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    entries = []
    for line in filter(None, listing):
        meta, path = line.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode != b"120000":  # symlinks are not followed out of the copy
            entries.append((path.decode("utf-8", "surrogateescape"), sha.decode()))
    into.mkdir(parents=True, exist_ok=True)
    result = Materialised(site, into)
    batch = subprocess.Popen(
        ["git", "--git-dir", str(gitdir), "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        for path, sha in entries:
            batch.stdin.write(sha.encode() + b"\n")
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if len(header) < 3 or header[1] == b"missing":
                result.missing.append(path)
                continue
            body = batch.stdout.read(int(header[2]))
            batch.stdout.read(1)  # the newline after each object
            relative = path[len(prefix) :].lstrip("/") if prefix else path
            target = (into / relative).resolve()
            if not target.is_relative_to(into.resolve()):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
    finally:
        batch.stdin.close()
        batch.wait()
    return build(result, into.parent / "npm-cache") if site.server == "build" else result


def build(copy: Materialised, cache: Path) -> Materialised:
    """Run the site's build commands in its copy; the result serves the folder they wrote."""
    env = {**os.environ, "npm_config_cache": str(cache), "npm_config_update_notifier": "false", "CI": "1"}
    for command in copy.site.build:
        done = subprocess.run(command, shell=True, cwd=copy.root, env=env, capture_output=True, text=True)
        if done.returncode:
            tail = (done.stderr or done.stdout)[-2000:]
            raise RuntimeError(f"{copy.site.name}: «{command}» terminó con {done.returncode}:\n{tail}")
    root = copy.root / copy.site.root
    if not (root / "index.html").is_file():
        raise RuntimeError(f"{copy.site.name}: la compilación no dejó {root / 'index.html'}")
    return Materialised(copy.site, root, copy.missing)


def _http_date(day: str) -> str:
    moment = datetime.combine(date.fromisoformat(day), dtime(12), tzinfo=UTC)
    return email.utils.format_datetime(moment, usegmt=True)


def _wait_listening(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@contextlib.contextmanager
def serve(materialised: list[Materialised], workdir: Path):
    """Serve every materialised site on loopback; yields {inegi_code: base URL of its first host}."""
    static_dir = workdir / "static-hosts"
    static_dir.mkdir(parents=True, exist_ok=True)
    urls: dict[str, str] = {}
    processes: list[subprocess.Popen] = []
    with contextlib.ExitStack() as stack:
        static = [m for m in materialised if m.site.server in ("static", "build")]
        if static:
            for m in static:
                config = {"last_modified": _http_date(m.site.audit_date)}
                if m.site.server == "build":
                    config["build_output"] = True
                if m.site.spa_fallback:
                    config["fallback_page"] = "index.html"
                (m.root / "_site.json").write_text(json.dumps(config))
                for host in m.site.hosts:
                    link = static_dir / host
                    if not link.exists():
                        link.symlink_to(m.root, target_is_directory=True)
            port = stack.enter_context(serve_static(sites_dir=static_dir))
            urls.update({m.site.inegi_code: f"http://{m.site.host}:{port}/" for m in static})
        for m in (m for m in materialised if m.site.server == "php"):
            if shutil.which("php") is None:
                raise RuntimeError("falta PHP (paquete php-cli) para servir " + m.site.name)
            port = free_port()
            process = subprocess.Popen(
                [
                    "php",
                    "-n",
                    "-d",
                    "display_errors=1",
                    "-d",
                    "log_errors=0",
                    "-S",
                    f"127.0.0.1:{port}",
                    "-t",
                    str(m.root),
                ],
                cwd=m.root,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            processes.append(process)
            _wait_listening(port)
            urls[m.site.inegi_code] = f"http://{m.site.host}:{port}/"
        urls.update({m.site.inegi_code: f"http://{m.site.host}:{DOWN_PORT}/" for m in materialised if m.site.down})
        try:
            yield urls
        finally:
            for process in processes:
                process.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=5)
                if process.poll() is None:
                    process.kill()


def write_hosts(sites: list[Site], path: Path) -> None:
    """A hosts file mapping every site host name (and its real domain) to 127.0.0.1."""
    path.write_text("".join(f"127.0.0.1 {' '.join(s.hosts)}\n" for s in sites), encoding="utf-8")


def write_registry(sites: list[Site], urls: dict[str, str], path: Path) -> None:
    lines = ["inegi_code,name,website,ipomex_url"]
    lines += [f"{s.inegi_code},{s.name},{urls[s.inegi_code]}," for s in sites if s.inegi_code in urls]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
