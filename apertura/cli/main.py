"""Console entry point: `apertura`."""

from apertura.cli.app import app
from apertura.cli.commands import (  # noqa: F401  (register commands)
    audit,
    bundle,
    db,
    diff,
    evaluate,
    export,
    municipios,
    overview,
    review,
    rules,
    sitios,
    worker,
)

app.add_typer(db.db_app, name="db")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
