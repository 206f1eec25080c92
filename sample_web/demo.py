"""`make demo`: serve the sample web on loopback and run the nightly job on it (embedded SQLite)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from sample_web.server import DEMO_PORT, serve

HERE = Path(__file__).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="sqlite:///var/demo.sqlite")
    parser.add_argument("--out", default="informes-demo")
    args = parser.parse_args()
    Path("var").mkdir(exist_ok=True)
    with serve(DEMO_PORT):
        command = [
            sys.executable, "-m", "apertura.cli", "nightly",
            "--registry", str(HERE / "registry.csv"),
            "--hosts", str(HERE / "hosts"),
            "--allow-private-network",
            "--delay", "0.05",
            "--db", args.db,
            "--out", args.out,
            "--capturas",  # the demo's reports show the screenshots a reviewer would ask for
        ]  # fmt: skip
        return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
