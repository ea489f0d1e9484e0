"""leder_docs_cli: the reference of the ``leder`` command (``leder-cli``), read from its parser
at build time (see ``leder_docs``).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from leder_casebook import (  # the small node builders, shared
    literal_node,
    paragraph_node,
    text_node,
)
from leder_docs_nodes import (
    LederDirective,
    import_dotted,
    joined_nodes,
    table_node,
)
from sphinx import addnodes

__all__ = ["CommandLine"]


# --- the command line ---------------------------------------------------------------------

_USAGE_WIDTH = 88


def _usage(parser: argparse.ArgumentParser) -> str:
    """The usage line as ``--help`` prints it, at a fixed width (the terminal's is not known)."""
    formatter = argparse.HelpFormatter(prog=parser.prog, width=_USAGE_WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help().strip()


def _expanded_help(action: argparse.Action, prog: str) -> str:
    """An argument's help with its ``%(...)s`` placeholders filled in, as argparse does."""
    if not action.help or action.help is argparse.SUPPRESS:
        return ""
    params: dict[str, Any] = {
        key: value for key, value in vars(action).items() if value is not argparse.SUPPRESS
    }
    params["prog"] = prog
    if params.get("choices") is not None:
        params["choices"] = ", ".join(str(choice) for choice in params["choices"])
    for key, value in list(params.items()):
        if callable(value) and hasattr(value, "__name__"):
            params[key] = value.__name__
    return action.help % params


# Options, option settings and a lone "-" in a help text are shown as code (which also keeps
# "--set" from being typeset as an en dash).
_CODE_IN_HELP = re.compile(r"(--[a-z][\w-]*(?: [a-z_]+=[\w.-]+)?|(?<!\S)-(?!\S))")


def _help_nodes(text: str) -> list[nodes.Node]:
    found: list[nodes.Node] = []
    for index, part in enumerate(_CODE_IN_HELP.split(text)):
        if index % 2:
            found.append(literal_node(part))
        elif part:
            found.append(text_node(part))
    return found


def _argument_name(action: argparse.Action) -> list[nodes.Node]:
    if not action.option_strings:
        return [literal_node(action.metavar or action.dest)]
    name = ", ".join(action.option_strings)
    if action.nargs != 0:
        metavar = action.metavar or action.dest.upper()
        name += f" {metavar}"
    return [literal_node(name)]


def _required(action: argparse.Action) -> bool:
    if action.option_strings:
        return bool(action.required)
    return action.nargs not in ("?", "*")


def _values(action: argparse.Action) -> list[nodes.Node]:
    if action.choices is not None:
        return joined_nodes(literal_node(str(choice)) for choice in action.choices)
    if action.type is int:
        return [text_node("a whole number")]
    if action.metavar == "DATE":
        return [text_node("a date "), literal_node("YYYY-MM-DD")]
    if action.nargs == 0:
        return [text_node("a flag")]
    return [text_node("—")]


def _default(action: argparse.Action) -> list[nodes.Node]:
    if _required(action) or isinstance(action, argparse._VersionAction):
        return [text_node("—")]
    default = action.default
    if action.nargs == 0 and default is False:
        return [text_node("off")]
    if default is None or default is argparse.SUPPRESS:
        return [text_node("none")]
    if isinstance(default, list) and not default:
        return [text_node("none")]
    return [literal_node(str(default))]


def _argument_key(action: argparse.Action) -> str:
    """How a description in the directive's content names an argument."""
    return action.option_strings[-1] if action.option_strings else action.dest


def _arguments_table(
    parser: argparse.ArgumentParser,
    meanings: dict[str, list[nodes.Node]],
    problems: list[str],
) -> nodes.table:
    """A row per argument; an argument without help takes its meaning from ``meanings``."""
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if isinstance(action, argparse._SubParsersAction):
            if parser.prog.count(" ") == 0:
                continue  # the command's own table lists its commands
            # A command with actions of its own (leder store init|import|…): one row for the
            # action; each action has its own section below.
            rows.append(
                [
                    paragraph_node(
                        literal_node(action.dest),
                        text_node(" "),
                        nodes.emphasis("required", "required"),
                    ),
                    paragraph_node(*_help_nodes(_expanded_help(action, parser.prog))),
                    paragraph_node(
                        *joined_nodes(literal_node(str(choice)) for choice in action.choices)
                    ),
                    paragraph_node(text_node("—")),
                ]
            )
            continue
        name = _argument_name(action)
        if _required(action):
            name += [text_node(" "), nodes.emphasis("required", "required")]
        key = _argument_key(action)
        help_text = _expanded_help(action, parser.prog)
        if isinstance(action, argparse._VersionAction):
            meaning: list[nodes.Node] = [text_node("print the version and exit")]
        elif help_text:
            meaning = _help_nodes(help_text)
            if key in meanings:
                problems.append(f"{parser.prog} {key} has its own help: describe it there")
        elif key in meanings:
            meaning = meanings[key]
        else:
            problems.append(f"{parser.prog} {key} has no help and is not described")
            meaning = [text_node("—")]
        rows.append(
            [
                paragraph_node(*name),
                paragraph_node(*meaning),
                paragraph_node(*_values(action)),
                paragraph_node(*_default(action)),
            ]
        )
    table = table_node(["Argument", "Meaning", "Values", "Default"], rows, widths=[24, 40, 22, 14])
    table["classes"].append("leder-cli-arguments")
    return table


def _subcommands(
    parser: argparse.ArgumentParser,
) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """Each subcommand: its name, its one-line help, its parser (aliases once)."""
    found = []
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
        seen: set[int] = set()
        for name, subparser in action.choices.items():
            if id(subparser) in seen:
                continue
            seen.add(id(subparser))
            found.append((name, helps.get(name, ""), subparser))
    return found


def _console(text: str) -> nodes.literal_block:
    return nodes.literal_block(text, text, language="text")


_DESCRIBED = re.compile(r"\A(\S+) (\S+):\s+(.*)\Z")


class CommandLine(LederDirective):
    """The ``leder`` command, read from its argument parser.

    The help of each argument comes from the parser. An argument the parser gives no help is
    described in the directive's content, one ``COMMAND ARGUMENT: text`` line each (``leder``
    for the command's own options; an option by its long name, a positional by its name), and
    the build warns about any argument that has neither.
    """

    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {  # type: ignore[misc]
        "parser": directives.unchanged_required,
    }

    def _actions_of(
        self, anchor: str, parser: argparse.ArgumentParser, problems: list[str]
    ) -> list[nodes.Node]:
        """A section for each action of a command that has some (``leder store init``)."""
        sections: list[nodes.Node] = []
        for name, help_text, action_parser in _subcommands(parser):
            nested_anchor = f"{anchor}-{name}"
            nested = nodes.section(ids=[nested_anchor], names=[nested_anchor])
            nested += nodes.title("", "", literal_node(action_parser.prog))
            self.state.document.note_explicit_target(nested, nested)
            if help_text:
                nested += paragraph_node(help_text[0].upper() + help_text[1:] + ".")
            nested += _console(_usage(action_parser))
            nested += _arguments_table(action_parser, {}, problems)
            sections.append(nested)
        return sections

    def _described(self, problems: list[str]) -> dict[str, dict[str, list[nodes.Node]]]:
        """The meanings the content gives, by command and argument (``COMMAND ARGUMENT: text``
        lines); a line not understood is added to ``problems``."""
        described: dict[str, dict[str, list[nodes.Node]]] = {}
        for line in self.content:
            if not line.strip():
                continue
            match = _DESCRIBED.match(line)
            if match is None:
                problems.append(f"line not understood: {line.strip()!r}")
                continue
            command, key, text = match.groups()
            inline, messages = self.parse_inline(text, lineno=self.lineno)
            described.setdefault(command, {})[key] = [*inline, *messages]
        return described

    def _command(
        self,
        name: str,
        help_text: str,
        subparser: argparse.ArgumentParser,
        meanings: dict[str, list[nodes.Node]],
        problems: list[str],
    ) -> nodes.section:
        """One command's section: its help, usage, arguments and the actions it offers."""
        anchor = f"leder-{name}"
        section = nodes.section(ids=[anchor], names=[anchor])
        section += nodes.title("", "", literal_node(subparser.prog))
        section += addnodes.index(
            entries=[("single", f"{subparser.prog} (command)", anchor, "", None)]
        )
        self.state.document.note_explicit_target(section, section)
        if help_text:
            section += paragraph_node(help_text[0].upper() + help_text[1:] + ".")
        section += _console(_usage(subparser))
        section += _arguments_table(subparser, meanings, problems)
        section += self._actions_of(anchor, subparser, problems)
        return section

    def run(self) -> list[nodes.Node]:
        path = self.options.get("parser", "leder_core.cli.build_parser")
        try:
            build = import_dotted(path)
        except (ImportError, AttributeError):
            return [
                self.state.document.reporter.warning(
                    f"leder-cli: cannot import {path}", line=self.lineno
                )
            ]
        self._depends_on(build)
        parser: argparse.ArgumentParser = build()
        commands = _subcommands(parser)
        problems: list[str] = []
        described = self._described(problems)
        known = {parser.prog, *(name for name, _, _ in commands)}
        problems += [
            f"{command!r} is not a command" for command in described if command not in known
        ]
        result: list[nodes.Node] = [_console(_usage(parser))]
        if parser.description:
            result.append(paragraph_node(parser.description))
        result.append(
            table_node(
                ["Command", "Does"],
                (
                    [
                        paragraph_node(
                            nodes.reference(
                                "", "", literal_node(f"{parser.prog} {name}"), refid=f"leder-{name}"
                            )
                        ),
                        help_text,
                    ]
                    for name, help_text, _ in commands
                ),
                widths=[25, 75],
            )
        )
        result.append(_arguments_table(parser, described.get(parser.prog, {}), problems))
        for name, help_text, subparser in commands:
            meanings = described.get(name, {})
            result.append(self._command(name, help_text, subparser, meanings, problems))
        for command, meanings in described.items():
            if command not in known:
                continue
            prog = parser.prog if command == parser.prog else f"{parser.prog} {command}"
            target = next((sub for name, _, sub in commands if name == command), parser)
            keys = {_argument_key(action) for action in target._actions}
            problems += [f"{prog} has no argument {key!r}" for key in meanings if key not in keys]
        if problems:
            reporter = self.state.document.reporter
            return [
                reporter.warning(f"leder-cli: {problem}", line=self.lineno) for problem in problems
            ]
        return result
