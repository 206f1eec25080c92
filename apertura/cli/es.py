"""The CLI framework's own words in Spanish: usage lines, help panels, the --help option and validation errors.

Typer (0.29) vendors its click and writes these texts as English literals (no gettext catalog to hook), so
they are translated where they leave the framework: the usage line (`Command.get_usage`), the help option,
the type shown beside each option, the panel titles of `typer.rich_utils`, and the message of every usage
error before it is printed. `MESSAGES` is the whole catalog: an English text typer or pydantic may produce,
as a regular expression, and its Spanish. `install()` runs once, when `apertura.cli.app` is imported.
"""

from __future__ import annotations

import re

from typer import core, rich_utils
from typer._click import core as click_core
from typer._click.exceptions import ClickException

HELP_OPTION = "Muestra esta ayuda y termina."

# (English pattern, Spanish), applied in order; patterns match what typer, its click and pydantic write.
MESSAGES: list[tuple[str, str]] = [
    (r"\bUsage: ", "Uso: "),
    (r"\[OPTIONS\]", "[OPCIONES]"),
    (r"COMMAND \[ARGS\]\.\.\.", "COMANDO [ARGUMENTOS]..."),
    (r"Invalid value for (.+?): ", r"Valor no válido para \1: "),
    (r"Invalid value: ", "Valor no válido: "),
    (r"No such option: (\S+)", r"No existe la opción \1"),
    (r"\(Possible options: (.+?)\)", r"(opciones parecidas: \1)"),
    (r"No such command '(.+?)'\.", r"No existe el comando '\1'."),
    (r"Did you mean (.+?)\?", r"¿Quiso decir \1?"),
    (r"Missing argument '(.+?)'\.", r"Falta el argumento '\1'."),
    (r"Missing option '(.+?)'\.", r"Falta la opción '\1'."),
    (r"Missing parameter", "Falta un parámetro"),
    (r"Missing command\.", "Falta el comando."),
    (r"Got unexpected extra argument\(s\) \((.+?)\)", r"Sobran argumentos: \1"),
    (r"Got unexpected extra arguments? \((.+?)\)", r"Sobran argumentos: \1"),
    (r"Option '(.+?)' requires an argument\.", r"La opción '\1' necesita un valor."),
    (r"Option '(.+?)' requires (\d+) arguments\.", r"La opción '\1' necesita \2 valores."),
    (r"Option '(.+?)' does not take a value\.", r"La opción '\1' no admite un valor."),
    (r"Value error, ", ""),
    (r"'(.+?)' is not one of (.+?)\.", r"'\1' no es ninguno de estos valores: \2."),
    (r"'(.+?)' is not '(.+?)'\.", r"'\1' no es '\2'."),
    (r"Input should be greater than or equal to (\S+)", r"debe ser mayor o igual que \1"),
    (r"Input should be less than or equal to (\S+)", r"debe ser menor o igual que \1"),
    (r"Input should be greater than (\S+)", r"debe ser mayor que \1"),
    (r"Input should be less than (\S+)", r"debe ser menor que \1"),
    (r"Input should be a valid integer.*", "debe ser un número entero"),
    (r"Input should be a valid number.*", "debe ser un número"),
    (r"Input should be a valid boolean.*", "debe ser verdadero o falso"),
    (r"Input should be a valid (\w+).*", r"no es un valor válido (\1)"),
    (r"Value '(.+?)' is not a valid (\w+)\.", r"'\1' no es un valor válido (\2)."),
    (r"Path '(.+?)' does not exist\.", r"La ruta '\1' no existe."),
    (r"(?:File|Directory|Path) '(.+?)' is a directory\.", r"'\1' es una carpeta."),
    (r"(?:File|Directory|Path) '(.+?)' is a file\.", r"'\1' es un archivo."),
    (r"(?:File|Directory|Path) '(.+?)' is not readable\.", r"'\1' no se puede leer."),
    (r"(?:File|Directory|Path) '(.+?)' is not writable\.", r"'\1' no se puede escribir."),
    (r"\bAborted[.!]", "Cancelado."),
]
_COMPILED = [(re.compile(pattern), spanish) for pattern, spanish in MESSAGES]
# The value type shown beside an option in --help (`<str>`); flags show none.
TYPES_ES = {"str": "texto", "int": "entero", "float": "número", "path": "ruta", "file": "archivo"}


def translate(text: str) -> str:
    for pattern, spanish in _COMPILED:
        text = pattern.sub(spanish, text)
    return text


def install() -> None:
    rich_utils.ARGUMENTS_PANEL_TITLE = "Argumentos"
    rich_utils.OPTIONS_PANEL_TITLE = "Opciones"
    rich_utils.COMMANDS_PANEL_TITLE = "Comandos"
    rich_utils.ERRORS_PANEL_TITLE = "Error"
    rich_utils.ABORTED_TEXT = "Cancelado."
    rich_utils.RICH_HELP = "Consulte [blue]'{command_path} {help_option}'[/] para ver la ayuda."
    rich_utils.DEFAULT_STRING = "[por omisión: {}]"
    rich_utils.ENVVAR_STRING = "[variable de entorno: {}]"
    rich_utils.REQUIRED_LONG_STRING = "[obligatorio]"
    rich_utils.DEPRECATED_STRING = "(obsoleto) "

    # Typer has no hook for these texts: its methods are replaced on the classes (mypy's method-assign).
    get_usage = click_core.Command.get_usage

    def usage_es(self: click_core.Command, ctx: click_core.Context) -> str:
        return translate(get_usage(self, ctx))

    click_core.Command.get_usage = usage_es  # type: ignore[method-assign]  # patched on purpose, see above

    get_help_option = click_core.Command.get_help_option

    def help_option(self: click_core.Command, ctx: click_core.Context) -> core.TyperOption | None:
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    click_core.Command.get_help_option = help_option  # type: ignore[method-assign]  # patched on purpose

    display_type = core._TyperParameter.display_type

    def display_type_es(self: core._TyperParameter, ctx: click_core.Context) -> str:
        shown = display_type(self, ctx)
        if shown == "<bool>":
            return ""
        return f"<{TYPES_ES.get(shown[1:-1], shown[1:-1])}>" if shown.startswith("<") else shown

    core._TyperParameter.display_type = display_type_es  # type: ignore[method-assign]  # patched on purpose

    format_error = rich_utils.rich_format_error

    def format_error_es(self: ClickException) -> None:  # `self` as in the function it replaces
        message = self.format_message
        self.format_message = lambda: translate(message())  # type: ignore[method-assign]  # this error's only
        format_error(self)

    rich_utils.rich_format_error = format_error_es
