"""The WACZ is the only copy of a run's WARC files, and a resumed run adds to it."""

from __future__ import annotations

import io
import zipfile

from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from apertura.evidence import webarchive


def write_warc(path, uri: str) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        payload = io.BytesIO(b"<html><body>Transparencia</body></html>")
        writer.write_record(writer.create_warc_record(uri, "resource", payload=payload, warc_content_type="text/html"))


def archived_uris(wacz) -> set[str]:
    uris = set()
    with zipfile.ZipFile(wacz) as archive:
        for name in (n for n in archive.namelist() if n.startswith("archive/")):
            uris |= {
                r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(io.BytesIO(archive.read(name)))
            }
    return uris


def test_packaging_keeps_one_copy_and_a_resumed_run_adds_to_it(tmp_path):
    directory = tmp_path / "run-3"
    directory.mkdir()
    write_warc(directory / "run-3-00000.warc.gz", "http://uno.test/")
    write_warc(directory / "run-3-00001.warc.gz", "http://dos.test/")

    wacz = webarchive.package(directory)

    assert wacz == directory / "run-3.wacz"
    assert archived_uris(wacz) == {"http://uno.test/", "http://dos.test/"}
    assert sorted(p.name for p in directory.iterdir()) == ["run-3.wacz"]

    webarchive.unpack(directory)  # what a resumed run does before crawling
    assert (directory / "run-3-00001.warc.gz").is_file()
    write_warc(directory / "run-3-00002.warc.gz", "http://tres.test/")
    webarchive.package(directory)

    assert archived_uris(wacz) == {"http://uno.test/", "http://dos.test/", "http://tres.test/"}
    assert sorted(p.name for p in directory.iterdir()) == ["run-3.wacz"]


def test_a_run_without_warcs_has_no_wacz(tmp_path):
    assert webarchive.package(tmp_path) is None
