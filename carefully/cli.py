"""The ``carefully`` command.

Subcommands live in :data:`COMMANDS`. To add one, write a function that takes
the parsed arguments and returns an exit code, optionally a function that adds
its arguments to an ``argparse`` parser, and register both::

    def _serve(args: argparse.Namespace) -> int: ...
    COMMANDS["serve"] = Command("serve the course pages", _serve, _serve_arguments)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from carefully import content, records, release, webapp
from carefully.grading import batch as grading_batch


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    pass


@dataclass(frozen=True)
class Command:
    """One subcommand: its one-line help, what it does, and its arguments."""

    help: str
    run: Callable[[argparse.Namespace], int]
    arguments: Callable[[argparse.ArgumentParser], None] = _no_arguments


def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--assets", type=Path, metavar="PATH",
                        help="the course content folder (default: the course's assets/)")


def _validate(args: argparse.Namespace) -> int:
    folder = content.assets_folder(args.assets)
    problems = content.validate(folder)
    for problem in problems:
        print(problem)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun} found in {folder}.")
        return 1
    checked = len(content.content_files(folder))
    print(f"Course content is valid: {folder} ({checked} file{'' if checked == 1 else 's'} "
          "checked)")
    return 0


COMMANDS: dict[str, Command] = {
    "validate": Command("check the course content in assets/ and name every problem",
                        _validate, _validate_arguments),
    "serve": Command("serve the course as Voila pages", webapp.run, webapp.add_arguments),
    "release": Command("regenerate release/ from source/ with nbgrader", release.run),
    "grade": Command("grade every quiz submitted and not yet graded (--tampered: list "
                     "tampered submissions)", grading_batch.run, grading_batch.add_arguments),
    "verify": Command("check a certificate's verification code (or a certificate PDF)",
                      records.run_verify, records.verify_arguments),
    "report": Command("write the completions CSV and a summary for CME reporting",
                      records.run_report, records.report_arguments),
    "backup": Command("write a consistent copy of all learner data to one archive",
                      records.run_backup, records.backup_arguments),
}


def parser() -> argparse.ArgumentParser:
    """The argument parser, with one subparser per entry in :data:`COMMANDS`."""
    top = argparse.ArgumentParser(
        prog="carefully",
        description="Make Friends With Social Media, Carefully: the course's command line.",
    )
    subparsers = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, command in COMMANDS.items():
        sub = subparsers.add_parser(name, help=command.help, description=command.help)
        command.arguments(sub)
        sub.set_defaults(run=command.run)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``carefully`` command; returns the exit code."""
    args = parser().parse_args(argv)
    return args.run(args)
