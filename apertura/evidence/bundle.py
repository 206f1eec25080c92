"""Evidence bundles: one municipality's audit as a ZIP a reviewer can check years later.

informes/<clave>.json, .html      the reports (apertura/reporting/reports.py)
datos/hallazgos.json              the findings with their evidence
evidencia/<run>.wacz              the crawl's web archive (WARC + index + datapackage), signed and
                                  timestamped per the WACZ signing spec when the run had a key
                                  (apertura/evidence/signing.py); the manifest's "firma_wacz" states which.
                                  A cited 304 is a revisit record: the earlier runs' WACZ files holding
                                  the response records it refers to are included as they are
evidencia/capturas/<sha256>.png   screenshots cited by the evidence, named by their hash
manifest.json                     SHA-256 of every other file
manifest.tsr                      optional RFC 3161 timestamp token over manifest.json
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from apertura import __version__
from apertura.evidence import signing, timestamp
from apertura.reporting import reports
from models import MunicipalityReport
from storage import repository
from storage.bodies import BodyUnavailable
from storage.orm import Audit, Crawl

MANIFEST = "manifest.json"
FINDINGS = "datos/hallazgos.json"
TIMESTAMP = "manifest.tsr"
FORMAT = "apertura-paquete-evidencia/1"
UNRESOLVED = "revisita sin original"


class BundleError(Exception):
    """The bundle cannot be built; the message (Spanish) names the missing file or run."""


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    signed: bool | None = None  # a lone WACZ (verify_wacz): whether it carries a valid signature


def write(session: Session, report: MunicipalityReport, out: Path, tsa_url: str | None = None) -> Path:
    files = _report_files(report) | _evidence_files(session, report)
    waczs = [content for name, content in files.items() if name.endswith(".wacz") and isinstance(content, Path)]
    manifest = {
        "formato": FORMAT,
        "municipio": report.inegi_code,
        "auditoria": report.audit_id,
        "ejecucion": report.run_id,
        "creado": datetime.now(UTC).isoformat(timespec="seconds"),
        "herramienta": f"Apertura/{__version__}",
        "archivos": {name: _sha256(content) for name, content in sorted(files.items())},
        "firma_wacz": signing.describe(signing.signed_data(waczs[0]) if waczs else None),
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    token = timestamp.request(tsa_url, manifest_bytes) if tsa_url else None
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, content in sorted(files.items()):
            if isinstance(content, Path):
                bundle.write(content, name, compress_type=zipfile.ZIP_STORED)  # a WACZ is already compressed
            else:
                bundle.writestr(name, content)
        bundle.writestr(MANIFEST, manifest_bytes)
        if token is not None:
            bundle.writestr(TIMESTAMP, token)
    return out


def verify(path: Path) -> Verification:
    """Compares every file with the manifest: modified, missing and extra files are problems."""
    result = Verification()
    try:
        bundle = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        result.problems.append(f"{path} no es un paquete ZIP legible: {error}")
        return result
    with bundle:
        names = {info.filename for info in bundle.infolist() if not info.is_dir()}
        if MANIFEST not in names:
            result.problems.append(f"falta {MANIFEST}: no se puede verificar el paquete")
            return result
        manifest_bytes = bundle.read(MANIFEST)
        try:
            expected: dict[str, str] = json.loads(manifest_bytes)["archivos"]
        except (ValueError, KeyError, TypeError) as error:
            result.problems.append(f"{MANIFEST} no es un manifiesto válido: {error}")
            return result
        for name, digest in expected.items():
            if name not in names:
                result.problems.append(f"falta el archivo {name}")
            elif (found := _member_sha256(bundle, name)) != digest:
                result.problems.append(f"archivo modificado: {name} (SHA-256 esperado {digest}, encontrado {found})")
        for name in sorted(names - set(expected) - {MANIFEST, TIMESTAMP}):
            result.problems.append(f"archivo sobrante (no está en el manifiesto): {name}")
        if TIMESTAMP in names:
            try:
                stamp = timestamp.check(bundle.read(TIMESTAMP), manifest_bytes)
            except timestamp.TimestampError as error:
                result.problems.append(f"{TIMESTAMP}: {error}")
            else:
                result.notes.append(
                    f"Sello de tiempo RFC 3161 válido: {stamp.time.isoformat()} por «{stamp.authority}» "
                    f"(huella SHA-256 del certificado {stamp.fingerprint})."
                )
        else:
            result.notes.append("El paquete no tiene sello de tiempo RFC 3161.")
        result.notes.append(f"{len(expected)} archivos en el manifiesto.")
        _check_wacz_signatures(bundle, sorted(n for n in names if n.endswith(".wacz")), result)
        _verify_citations(bundle, names, result)
    return result


def verify_wacz(path: Path) -> Verification:
    """A run's WACZ on its own (`apertura verify run-7.wacz`): its datapackage digest and signature."""
    result = Verification()
    check = signing.check(path)
    result.problems.extend(check.problems)
    result.notes.append(_signature_note(path.name, check))
    result.signed = check.signed and not check.problems
    return result


def _signature_note(name: str, check: signing.SignatureCheck) -> str:
    return f"Archivo web {name} {'firmado' if check.signed else 'NO firmado'}: {'; '.join(check.notes)}."


def _check_wacz_signatures(bundle: zipfile.ZipFile, waczs: list[str], result: Verification) -> None:
    """The WACZ signature (WACZ Signing and Verification spec) of each web archive in the bundle."""
    for name in waczs:
        try:
            with bundle.open(name) as member:
                check = signing.check(member)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            result.problems.append(f"{name}: no se pudo leer la firma del archivo web: {error}")
            continue
        result.problems.extend(f"{name}: {problem}" for problem in check.problems)
        result.notes.append(_signature_note(name, check))


def _verify_citations(bundle: zipfile.ZipFile, names: set[str], result: Verification) -> None:
    """Every WARC record a finding cites is in the bundle's WACZ, with the body the finding cites (its
    SHA-256), and every screenshot it cites is in `evidencia/capturas/`."""
    try:
        findings = json.loads(bundle.read(FINDINGS))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError):
        result.problems.append(f"falta {FINDINGS} o no es JSON válido: no se pueden verificar las citas")
        return
    records = _warc_records(
        bundle, sorted(n for n in names if n.startswith("evidencia/") and n.endswith(".wacz")), result
    )
    cited = 0
    for finding in findings:
        for evidence in finding.get("evidence") or []:
            rule, record_id = finding.get("rule_id"), evidence.get("warc_record_id")
            if record_id:
                cited += 1
                if record_id not in records:
                    result.problems.append(
                        f"el hallazgo {rule} cita el registro WARC {record_id} ({evidence.get('url')}), "
                        "que no está en el WACZ del paquete"
                    )
                elif records[record_id] == UNRESOLVED:
                    result.problems.append(
                        f"el hallazgo {rule} cita el registro WARC {record_id} ({evidence.get('url')}), una revisita "
                        "cuyo registro original no está en ningún WACZ del paquete"
                    )
                elif (found := records[record_id]) is not None and evidence.get("sha256") not in (None, found):
                    result.problems.append(
                        f"el hallazgo {rule} cita el registro WARC {record_id} con SHA-256 {evidence['sha256']}, "
                        f"pero el registro del WACZ tiene {found}"
                    )
            shot = evidence.get("screenshot_sha256")
            if shot and f"evidencia/capturas/{shot}.png" not in names:
                result.problems.append(f"el hallazgo {rule} cita la captura {shot}, que no está en el paquete")
    result.notes.append(
        f"{cited} citas de registros WARC comprobadas contra el WACZ ({len(records)} respuestas archivadas)."
    )


def _warc_records(bundle: zipfile.ZipFile, waczs: list[str], result: Verification) -> dict[str, str | None]:
    """WARC-Record-ID → SHA-256 of the response body as the crawler saw it (content encoding undone); None
    for a 304 stored as a response record, whose body is the earlier one. A revisit record resolves to the
    response record it refers to, UNRESOLVED when that is in none of the bundle's WACZ files."""
    records: dict[str, str | None] = {}
    revisits: dict[str, str | None] = {}
    for name in waczs:
        try:
            with bundle.open(name) as member, zipfile.ZipFile(member) as wacz:
                for warc in (
                    n for n in wacz.namelist() if n.startswith("archive/") and n.endswith((".warc.gz", ".warc"))
                ):
                    with wacz.open(warc) as stream:
                        for record in ArchiveIterator(stream):
                            record_id = record.rec_headers.get_header("WARC-Record-ID")
                            if record.rec_type == "revisit":
                                revisits[record_id] = record.rec_headers.get_header("WARC-Refers-To")
                            if record.rec_type != "response":
                                continue
                            status = record.http_headers.get_statuscode() if record.http_headers else None
                            body = record.content_stream().read()
                            records[record_id] = None if status == "304" else hashlib.sha256(body).hexdigest()
        except (zipfile.BadZipFile, OSError, ArchiveLoadFailed, EOFError) as error:
            result.problems.append(f"{name} no es un WACZ legible: {error}")
    for record_id, original in revisits.items():
        records[record_id] = UNRESOLVED if original is None else records.get(original, UNRESOLVED)
    return records


def _report_files(report: MunicipalityReport) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        written = reports.write_reports(report, Path(tmp), screenshots="../evidencia/capturas", bundled=True)
        files = {f"informes/{p.name}": p.read_bytes() for p in written}
    findings = [finding.model_dump(mode="json") for finding in report.findings]
    files[FINDINGS] = json.dumps(findings, ensure_ascii=False, indent=2).encode("utf-8")
    return files


def _evidence_files(session: Session, report: MunicipalityReport) -> dict[str, bytes | Path]:
    audit = session.get(Audit, report.audit_id)
    crawl = session.get(Crawl, audit.crawl_id) if audit is not None else None
    if crawl is None:
        raise BundleError(f"la auditoría {report.audit_id} o su rastreo no están en la base de datos")
    files: dict[str, bytes | Path] = {}
    for wacz in [_crawl_wacz(crawl), *_original_waczs(session, crawl, report)]:
        files[f"evidencia/{wacz.name}"] = wacz
    for sha256 in reports.cited_screenshots(report):
        try:
            content = repository.body(session, sha256)
        except BodyUnavailable as error:
            raise BundleError(f"no se puede incluir la captura de pantalla: {error}") from None
        if content is None:
            raise BundleError(f"falta en la base de datos la captura de pantalla {sha256}")
        files[f"evidencia/capturas/{sha256}.png"] = content
    return files


def _crawl_wacz(crawl: Crawl) -> Path:
    wacz = crawl.stats.get("wacz") or (crawl.run.config or {}).get("wacz")  # older runs: on the run only
    if not wacz or not Path(wacz).is_file():
        raise BundleError(
            f"no se encuentra el archivo web (WACZ) de la ejecución {crawl.run_id}: {wacz or 'no se generó'}"
        )
    return Path(wacz)


def _original_waczs(session: Session, crawl: Crawl, report: MunicipalityReport) -> list[Path]:
    """The WACZ files of earlier crawls holding the response records that the cited revisit records refer to."""
    cited = {e.warc_record_id for f in report.findings for e in f.evidence if e.warc_record_id}
    return [_crawl_wacz(original) for original in repository.base_crawls(session, crawl.id, cited)]


def _member_sha256(bundle: zipfile.ZipFile, name: str) -> str:
    try:
        with bundle.open(name) as member:
            # open() for reading returns a ZipExtFile (typeshed says IO[bytes], which lacks readinto)
            return hashlib.file_digest(cast(zipfile.ZipExtFile, member), "sha256").hexdigest()
    except (zipfile.BadZipFile, OSError, EOFError) as error:  # a flipped byte can break the entry's CRC
        return f"ilegible ({error})"


def _sha256(content: bytes | Path) -> str:
    if isinstance(content, Path):
        with content.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    return hashlib.sha256(content).hexdigest()
