"""The command line (typer): the application, its Spanish translation of click, shared options and one thin
module per command group in `commands/`; `main` is the console entry point (`apertura`, `python -m apertura.cli`)."""
