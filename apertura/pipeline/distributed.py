"""A distributed night: one RQ job per municipality, run by workers that share PostgreSQL and Redis.

Each job crawls, audits and commits one municipality through `jobs.process`, so it is idempotent by
(run, INEGI code): a job run twice skips what the run already crawled or audited. RQ forks a work horse
per job, which suits Scrapy (its reactor cannot restart within a process). A job holds a PostgreSQL
advisory lock on (run, municipality) while it works: the lock dies with the holder's connection, so a
retried job waits for a horse that outlived its worker and never clears a crawl still in progress.

A worker that dies stops sending heartbeats; the coordinator (`apertura nightly --distributed`) then
moves its job back to the queue (RQ's StartedJobRegistry cleanup, with the job's retries), and the
retry abandons the dead attempt's partial crawl before crawling again.
"""

from __future__ import annotations

import os
import socket
import time
import zlib
from collections.abc import Callable

from redis import Redis
from redis.exceptions import RedisError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rq import Queue, Retry, Worker, get_current_job
from rq.job import Job, JobStatus
from sqlalchemy.orm import Session, sessionmaker

from apertura.errors import UserError
from apertura.pipeline import jobs
from models import Municipality, MunicipalityReport
from rules.catalog import load_catalog
from storage import locks, repository
from storage.database import open_database
from storage.orm import Run

QUEUE = "apertura"
REDIS_ENV = "APERTURA_REDIS"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
JOB_TIMEOUT = 6 * 3600  # seconds; a municipality that takes longer is stuck, not slow
RETRIES = 3  # a job raising an error or losing its worker runs again up to this many times
KEEP_RESULTS = 7 * 24 * 3600
POLL = 0.5  # seconds between the coordinator's looks at the queue


class NightWorker(Worker):
    """RQ's forking worker, whose jobs are given up after three missed heartbeats instead of a minute."""

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        return 3 * self.job_monitoring_interval


def connect(redis_url: str) -> Redis:
    """A connection that answered a PING; otherwise a UserError naming the URL."""
    try:
        connection = Redis.from_url(redis_url)
        connection.ping()
    except ValueError:
        raise UserError(f"«{redis_url}» no es una URL de Redis; use, por ejemplo, redis://servidor:6379/0") from None
    except RedisError:
        raise UserError(
            f"no se pudo conectar con Redis en {redis_url}: compruebe que el servidor Redis está en marcha y que la "
            "URL es correcta"
        ) from None
    return connection


def require_postgresql(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        raise UserError(
            f"el modo distribuido necesita PostgreSQL compartido (--db postgresql+psycopg://…), no {db_url}"
        )


def work(
    redis_url: str, db_url: str, heartbeat: int, burst: bool = False, ready: Callable[[], None] = lambda: None
) -> None:
    """Runs a worker until stopped; its jobs reach the database and Redis through the environment.

    `ready` is called once Redis answered and the database is open: only then is the worker connected."""
    require_postgresql(db_url)
    connection = connect(redis_url)
    open_database(db_url).kw["bind"].dispose()  # schema up to date before the first fork; no shared pool
    ready()
    os.environ.update({"APERTURA_DB": db_url, REDIS_ENV: redis_url})  # credentials never travel in jobs
    worker = NightWorker(
        [Queue(QUEUE, connection=connection)], connection=connection, job_monitoring_interval=heartbeat
    )
    worker.work(burst=burst, logging_level="WARNING")


def municipality_job(run_id: int, municipality: dict, options: dict) -> dict:
    """The job, in the work horse: crawl, audit and commit one municipality of the run."""
    db_url = os.environ["APERTURA_DB"]
    sessions = open_database(db_url)
    code = municipality["inegi_code"]
    crawl_options = jobs.CrawlOptions(**options, archive_part=f"municipios/{code}", redis_url=os.environ[REDIS_ENV])
    with locks.exclusive(sessions.kw["bind"], _lock_key(run_id, code), wait=True):
        with sessions.begin() as session:
            run = session.get(Run, run_id)
            if run is None:
                raise LookupError(f"run {run_id} is not stored")
        catalog = load_catalog(run.catalog)
        jobs.process(
            sessions, db_url, run, [Municipality.model_validate(municipality)], catalog, crawl_options, _ignore
        )
    sessions.kw["bind"].dispose()
    worker = job.worker_name if (job := get_current_job()) else None
    return {"host": socket.gethostname(), "worker": worker, "wacz": (run.config or {}).get("wacz")}


def _ignore(_report: MunicipalityReport) -> None:
    """Reports are written by the coordinator, where the user asked for them."""


def _lock_key(run_id: int, inegi_code: str) -> int:
    return zlib.crc32(f"apertura-job:{run_id}:{inegi_code}".encode())


def job_id(run_id: int, inegi_code: str) -> str:
    return f"apertura-run{run_id}-{inegi_code}"


def run_night(
    sessions: sessionmaker[Session],
    db_url: str,
    redis_url: str,
    run: Run,
    municipalities: list[Municipality],
    options: jobs.CrawlOptions,
    on_report: Callable[[MunicipalityReport], None],
    console: Console,
) -> dict[str, int]:
    """Enqueues the municipalities the run has not audited, waits for the workers, then closes the run.

    Municipalities without a website are audited here (no network). A municipality whose job failed after
    its retries leaves the run open: running the night again resumes it.
    """
    require_postgresql(db_url)
    queue = Queue(QUEUE, connection=connect(redis_url))
    catalog = load_catalog(run.catalog)
    without_site = [m for m in municipalities if not m.website]
    jobs.process(sessions, db_url, run, without_site, catalog, options, on_report)
    with sessions.begin() as session:
        audited = repository.audited_codes(session, run.id)
    payload = {"allow_private_network": options.allow_private_network, "hosts": options.hosts,
               "max_pages": options.max_pages, "delay": options.delay}  # fmt: skip
    pending = {m.inegi_code: _enqueue(queue, run.id, m, payload) for m in municipalities if m.inegi_code not in audited}
    failures = _wait(sessions, queue, run, {m.inegi_code: m for m in municipalities}, pending, on_report, console)
    if failures:
        listed = "; ".join(f"{code}: {error}" for code, error in sorted(failures.items()))
        raise UserError(
            f"{len(failures)} municipios fallaron en los trabajadores ({listed}); la ejecución {run.id} queda "
            "abierta: vuelva a correr 'apertura nightly --distributed' para reanudarla"
        )
    with sessions.begin() as session:
        codes = {m.inegi_code for m in municipalities}
        statuses = [c.status for code, c in repository.finished_crawls(session, run.id).items() if code in codes]
        counts = {s: statuses.count(s) for s in sorted(set(statuses))}
        row = session.get(Run, run.id)
        if row is None:
            raise LookupError(f"run {run.id} is not stored")
        # Each job archived on its own machine: there is no single WACZ of the run to cite.
        row.config = {**row.config, "wacz": None, "archivo": "un WACZ por municipio, en cada trabajador"}
        repository.finish_run(session, row, status="complete", counts=counts)
    return counts


def _enqueue(queue: Queue, run_id: int, municipality: Municipality, payload: dict) -> Job:
    """The municipality's job, reusing one still queued or running (a resumed coordinator)."""
    identifier = job_id(run_id, municipality.inegi_code)
    job = queue.fetch_job(identifier)
    if job is not None and job.get_status() in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED):
        return job
    if job is not None:
        job.delete()
    return queue.enqueue(
        municipality_job, run_id, municipality.model_dump(mode="json"), payload,
        job_id=identifier, job_timeout=JOB_TIMEOUT, retry=Retry(max=RETRIES), result_ttl=KEEP_RESULTS,
        failure_ttl=KEEP_RESULTS, description=f"{municipality.inegi_code} {municipality.name} (ejecución {run_id})",
    )  # fmt: skip


def _wait(
    sessions: sessionmaker[Session],
    queue: Queue,
    run: Run,
    municipalities: dict[str, Municipality],
    pending: dict[str, Job],
    on_report: Callable[[MunicipalityReport], None],
    console: Console,
) -> dict[str, str]:
    """Follows the jobs until each finished or failed; reports each finished one. Returns the failures."""
    failures: dict[str, str] = {}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        total = len(municipalities)
        task = progress.add_task("Municipios", total=total, completed=total - len(pending))
        while pending:
            queue.started_job_registry.cleanup()  # jobs of dead workers go back to the queue
            for code, job in list(pending.items()):
                status = job.get_status(refresh=True)
                if status == JobStatus.FINISHED:
                    with sessions.begin() as session:
                        audit_row = repository.run_audits(session, run.id)[code]
                        on_report(jobs.report(session, audit_row, municipalities[code]))
                elif status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED, None):
                    failures[code] = _last_error(job) or f"tarea {job.id} en estado {status}"
                else:
                    continue
                del pending[code]
                progress.advance(task)
            running = len(queue.started_job_registry)
            workers = Worker.count(queue=queue)
            progress.update(task, description=f"Municipios ({running} en curso; {workers} trabajadores)")
            time.sleep(POLL if pending else 0)
    return failures


def _last_error(job: Job) -> str | None:
    result = job.latest_result()
    lines = (result.exc_string or "").strip().splitlines() if result else []
    return lines[-1] if lines else None
