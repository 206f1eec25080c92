"""`worker`: serves the jobs of a distributed nightly run (see apertura/pipeline/distributed.py)."""

from __future__ import annotations

from typing import Annotated

import typer
from redis.exceptions import RedisError

from apertura.cli.app import EXPECTED_ERRORS, DbOption, app, console, fail
from apertura.pipeline import distributed
from storage.database import default_url

RedisOption = Annotated[
    str,
    typer.Option("--redis", envvar=distributed.REDIS_ENV, help="URL de Redis que comparten los trabajadores."),
]


@app.command()
def worker(
    redis: RedisOption = distributed.DEFAULT_REDIS,
    db: DbOption = None,
    latido: Annotated[
        int,
        typer.Option(
            "--latido", min=1, help="Segundos entre latidos; sin tres seguidos, otra máquina retoma la tarea."
        ),
    ] = 15,
    burst: Annotated[bool, typer.Option("--burst", help="Termina cuando la cola queda vacía.")] = False,
) -> None:
    """Atiende las tareas de la ejecución nocturna distribuida: un municipio por tarea (rastreo y auditoría)."""
    try:
        ready = lambda: console.print(  # noqa: E731
            f"Trabajador conectado a {redis} y a la base de datos; esperando municipios de la cola «{distributed.QUEUE}»."
        )
        distributed.work(redis, db or default_url(), latido, burst, ready)
    except RedisError as error:
        fail(f"se perdió la conexión con Redis en {redis}: {error}")
    except EXPECTED_ERRORS as error:
        fail(str(error))
