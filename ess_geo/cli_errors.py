"""The command line's error contract, the same for every command.

It also holds what commands share to honour it: the checked input and
output paths (:class:`InputPath`, :class:`OutputPath`: refused before
anything runs), the common options and :func:`write_output` (a file
written whole or not at all).

:class:`ContractGroup` is the ``click`` group of ``python -m ess_geo``: every
command added to it (today's and tomorrow's) gets the contract without a
line of its own:

- exit 0: done;
- exit 1: only for « some rows refused » (a command says it by exiting 1
  itself, as ``import`` does);
- exit 2: an unusable input — arguments, a file, the workspace (busy,
  damaged, disk full), an official download that failed — with a French
  message on stderr; nothing written (a ``click.ClickException`` raised by
  a command, whatever its status, counts as such);
- exit 3: an unexpected error (a bug): a short French message on stderr and
  the path of a log file holding the details (traceback, arguments,
  versions); never a traceback on the terminal;
- exit 130: interrupted (Ctrl+C).

Click's own usage errors (unknown option, missing argument, bad value) and
its help pages (« Usage : », « Commandes », « Affiche cette aide et
quitte. », « [défaut : …] ») are in French too. The log folder is
``$ESS_GEO_LOG_DIR``, else ``ess_geo-journaux`` in the system's temporary
folder.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import sqlite3
import sys
import tempfile
import traceback
from pathlib import Path

import click

from ess_geo.errors import EssGeoError, ImportFileError
from ess_geo.io.limits import check_regular_file
from ess_geo.workspace.dberrors import describe_database_error

__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_REJECTED",
    "EXIT_UNEXPECTED",
    "EXIT_UNUSABLE",
    "LOG_DIR_VAR",
    "ContractGroup",
    "FrenchContext",
    "FrenchHelpFormatter",
    "InputPath",
    "OutputPath",
    "Unusable",
    "actors_option",
    "format_option",
    "french_usage_message",
    "log_dir",
    "networks_option",
    "out_option",
    "printable",
    "write_output",
]

EXIT_REJECTED = 1
"""Some rows refused (the others written)."""

EXIT_UNUSABLE = 2
"""Unusable arguments, file or workspace; nothing written."""

EXIT_UNEXPECTED = 3
"""An unexpected error; details in a log file."""

EXIT_INTERRUPTED = 130
"""Interrupted by the user (Ctrl+C); a write in progress is rolled back."""

LOG_DIR_VAR = "ESS_GEO_LOG_DIR"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    r"""Text safe for a terminal: control characters (escapes…) shown as ``?``.

    Examples
    --------
    >>> printable("colonne \x1b[31mrouge\x0b")
    'colonne ?[31mrouge?'
    """
    return _CONTROL.sub("?", text)


class Unusable(click.ClickException):
    """Unusable arguments or files: exit status 2, a French message."""

    exit_code = EXIT_UNUSABLE

    def show(self, file=None) -> None:
        """``Erreur : message`` on stderr."""
        click.echo(f"Erreur : {printable(self.format_message())}", err=True)


def log_dir() -> Path:
    """Where unexpected errors are logged: ``$ESS_GEO_LOG_DIR`` or a temp folder."""
    return Path(
        os.environ.get(LOG_DIR_VAR) or Path(tempfile.gettempdir()) / "ess_geo-journaux"
    )


_USAGE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"Did you mean one of: (.+?)\?", r"Vouliez-vous dire l'une de : \1 ?"),
    (r"Did you mean (.+?)\?", r"Vouliez-vous dire \1 ?"),
    (r"\(Possible options: (.+)\)", r"(options possibles : \1)"),
    (r"^Invalid value for (.+?): ", r"Valeur invalide pour \1 : "),
    (r"^Invalid value: ", "Valeur invalide : "),
    (r"^Missing option (.+)\.$", r"Option \1 obligatoire."),
    (r"^Missing argument (.+)\.$", r"Argument \1 obligatoire."),
    (r"^Missing parameter:? (.+?)\.?$", r"Paramètre \1 obligatoire."),
    (r"^Missing command\.$", "Commande manquante."),
    (r"^No such option:? (\S+?)\.?( |$)", r"Option \1 inconnue.\2"),
    (r"^No such command (.+)\.$", r"Commande \1 inconnue."),
    (r"^Option (.+) requires an argument\.$", r"L'option \1 attend une valeur."),
    (r"^Option (.+) requires (\d+) arguments\.$", r"L'option \1 attend \2 valeurs."),
    (r"^Option (.+) does not take a value\.$", r"L'option \1 ne prend pas de valeur."),
    (r"^Got unexpected extra arguments? \((.*)\)$", r"Argument(s) en trop : \1."),
    (r"(.+) is not a valid (integer|float|boolean)\.$", r"\1 n'est pas un nombre."),
    (r"(.+) is not in the range (.+)\.$", r"\1 hors de l'intervalle \2."),
    (r"(.+) is not one of (.+)\.$", r"\1 n'est pas parmi \2."),
    (r"(File|Path|Directory) (.+) does not exist\.$", r"fichier \2 introuvable."),
    (r"(File|Path|Directory) (.+) is a directory\.$", r"\2 est un dossier."),
    (r"(File|Path|Directory) (.+) is a file\.$", r"\2 est un fichier."),
    (r"(File|Path|Directory) (.+) is not readable\.$", r"\2 n'est pas lisible."),
    (r"(File|Path|Directory) (.+) is not writable\.$", r"\2 n'est pas modifiable."),
)


def french_usage_message(message: str) -> str:
    """Click's English usage messages in French (unknown ones kept as they are).

    Examples
    --------
    >>> french_usage_message("Missing option '--level'.")
    "Option '--level' obligatoire."
    >>> french_usage_message("No such option: --levle Did you mean --level?")
    'Option --levle inconnue. Vouliez-vous dire --level ?'
    """
    lines = []
    for line in message.splitlines():
        for pattern, french in _USAGE_PATTERNS:
            line = re.sub(pattern, french, line)
        lines.append(line)
    return "\n".join(lines)


def _show_usage_error(exc: click.UsageError) -> None:
    message = french_usage_message(exc.format_message())
    if exc.ctx is not None:
        click.echo(exc.ctx.get_usage(), err=True)
        click.echo(f"Aide : {exc.ctx.command_path} --help\n", err=True)
    click.echo(f"Erreur : {printable(message)}", err=True)


def _log_unexpected(exc: BaseException) -> Path | None:
    from ess_geo import __version__

    folder = log_dir()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"ess_geo-{stamp}-{os.getpid()}.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"ess_geo {__version__}, Python {sys.version.split()[0]}\n"
            f"arguments : {sys.argv!r}\n\n" + "".join(traceback.format_exception(exc)),
            encoding="utf-8",
        )
    except OSError:
        return None
    return path


def _exit_for(exc: BaseException) -> tuple[int, str]:
    """Exit status and French message for an exception a command let through."""
    if isinstance(exc, EssGeoError):
        return EXIT_UNUSABLE, str(exc)
    if isinstance(exc, sqlite3.Error):
        return EXIT_UNUSABLE, describe_database_error(exc)
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            EXIT_UNUSABLE,
            "Le disque est plein : libérez de la place, puis recommencez.",
        )
    if isinstance(exc, OSError) and exc.errno in (
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
    ):
        where = f" ({exc.filename})" if exc.filename else ""
        return EXIT_UNUSABLE, f"Accès refusé{where} : vérifiez les droits du dossier."
    if isinstance(exc, MemoryError):
        return EXIT_UNUSABLE, (
            "Mémoire insuffisante pour cette opération : découpez le fichier ou "
            "utilisez une machine plus grande. Rien n'a été écrit."
        )
    path = _log_unexpected(exc)
    where = f"détails dans {path}" if path else "le journal n'a pas pu être écrit"
    return EXIT_UNEXPECTED, (
        f"Erreur inattendue ({type(exc).__name__}) ; {where}. Joignez ce fichier "
        "et la sortie de « python -m ess_geo versions » à votre signalement."
    )


_HELP_SECTIONS = {
    "Commands": "Commandes ",
    "Options": "Options ",
    "Arguments": "Arguments ",
}
"""Headings as click writes them before its colon (French: a space before it)."""
_HELP_EXTRAS: tuple[tuple[str, str], ...] = (
    ("[default: ", "[défaut : "),
    ("[required]", "[obligatoire]"),
    ("[env var: ", "[variable d'environnement : "),
)


class FrenchHelpFormatter(click.HelpFormatter):
    """Click's help page with French headings and notes."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """The usage line, « Usage : … »."""
        super().write_usage(prog, args, "Usage : " if prefix is None else prefix)

    def section(self, name: str):
        """A section of the help page under its French heading."""
        return super().section(_HELP_SECTIONS.get(name, name))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        """Option and command lines, with click's bracketed notes in French."""
        french = []
        for term, text in rows:
            for english, translation in _HELP_EXTRAS:
                text = text.replace(english, translation)
            french.append((term, text))
        super().write_dl(french, col_max, col_spacing)


class FrenchContext(click.Context):
    """A click context whose help pages are written in French."""

    formatter_class = FrenchHelpFormatter


def _in_french(command: click.Command) -> None:
    """Give a command (and a group's subcommands) the French help page."""
    command.context_class = FrenchContext
    if command.add_help_option:
        command.add_help_option = False
        click.help_option("--help", help="Affiche cette aide et quitte.")(command)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _in_french(sub)


class ContractGroup(click.Group):
    """A click group whose commands all follow the error contract (module doc).

    Every command added to it, and the group itself, gets the French help
    page.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _in_french(self)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Add a command, with its help page in French."""
        _in_french(cmd)
        super().add_command(cmd, name)

    def main(
        self,
        args=None,
        prog_name=None,
        complete_var=None,
        standalone_mode=True,
        **extra,
    ):
        """Run the command under the contract; exit with its status."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            _show_usage_error(exc)
            sys.exit(EXIT_UNUSABLE)
        except click.ClickException as exc:
            click.echo(f"Erreur : {printable(exc.format_message())}", err=True)
            # exit 1 is kept for « some rows refused », which a command says
            # with sys.exit(1): a failure raised as an exception wrote nothing
            sys.exit(EXIT_UNUSABLE if exc.exit_code == 1 else exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("Interrompu : rien n'a été écrit.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            code, message = _exit_for(exc)
            click.echo(f"Erreur : {printable(message)}", err=True)
            sys.exit(code)
        sys.exit(result if isinstance(result, int) else 0)


class OutputPath(click.ParamType):
    """A file to write: its folder must exist and be writable (checked first).

    Checked before the command runs, so that an import is never committed
    and then unable to write its report.
    """

    name = "fichier"

    def convert(self, value, param, ctx) -> Path:  # noqa: D102 - click's interface
        path = Path(value)
        folder = path.parent
        if path.is_dir():
            raise Unusable(f"{path} est un dossier : attendu un nom de fichier.")
        if not folder.is_dir():
            raise Unusable(
                f"Dossier {folder} introuvable pour écrire {path.name} : "
                "créez-le d'abord. Rien n'a été fait."
            )
        if not os.access(folder, os.W_OK) or (
            path.exists() and not os.access(path, os.W_OK)
        ):
            raise Unusable(f"Impossible d'écrire {path} (droits). Rien n'a été fait.")
        return path


class InputPath(click.ParamType):
    """An input file (or, with ``dir_okay``, a folder), refused in French.

    A missing path, a dangling or looping link, a FIFO or a device exit 2
    with a French message before anything is read.
    """

    name = "fichier"

    def __init__(self, dir_okay: bool = False) -> None:
        self.dir_okay = dir_okay

    def convert(self, value, param, ctx) -> Path:  # noqa: D102 - click's interface
        path = Path(value)
        if self.dir_okay and path.is_dir():
            return path
        try:
            return check_regular_file(path, ImportFileError)
        except EssGeoError as exc:
            raise Unusable(str(exc)) from exc


actors_option = click.option(
    "--actors",
    "actors_path",
    type=InputPath(),
    help="Fichier d'acteurs (CSV ou XLSX) à analyser au lieu de l'espace de "
    "travail, avec les contrôles de l'import.",
)
networks_option = click.option(
    "--networks",
    "networks_path",
    type=InputPath(),
    help="Fichier de réseaux (forme de networks_seed.csv) à la place de "
    "l'espace de travail.",
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="csv : séparateur « , », 4 décimales au plus ; json : valeurs exactes.",
)
out_option = click.option(
    "--out",
    type=OutputPath(),
    help="Fichier de sortie (par défaut la sortie standard).",
)


def write_output(data: str | bytes, out: Path | None) -> None:
    """Print, or write the file whole (a temporary file renamed into place).

    Text is written in UTF-8; bytes (a PDF…) as they are.
    """
    if out is None:
        click.echo(data, nl=False)
        return
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise Unusable(f"Impossible d'écrire {out} : {exc.strerror}.") from exc
