"""`python -m apertura.cli`: the same as the `apertura` command."""

from apertura.cli.main import main

main()
