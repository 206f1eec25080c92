"""Console entry point: `apertura`."""

from apertura.app import app
from apertura.commands import audit, export, municipios, rules  # noqa: F401  (register commands)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
