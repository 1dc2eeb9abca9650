"""What the documentation site shows from the code rather than from typed text (an MkDocs hook, mkdocs.yml).

A page asks for generated content with an HTML comment on a line of its own, so on GitHub the
page still reads as prose and the comment stays invisible:

- ``<!-- generated: cli -->``: every command of ``newsarticle`` and its options, from its argument parser;
- ``<!-- generated: diagnostics -->``: every diagnostic and parse-error code, from
  ``newsarticle._diagnostics``, each with an example input and the message the parser gives for it;
- ``<!-- generated: formats -->``: every built-in format as it registers itself;
- ``<!-- generated: options atom rss -->``: the options the named built-in formats register;
- ``<!-- generated: output html standalone=true -->``: the sample article (``SAMPLE``) rendered in a
  format with the options given (each value read as JSON where it can be, else as text), as a code block;
- ``<!-- generated: reference -->``: the API reference, a mkdocstrings directive for each public name;
- ``<!-- generated: schema -->``: the article's JSON Schema (docs/article.schema.json) as a table;
- ``<!-- include: SECURITY.md -->``: a file outside docs/, its headings one level down and its
  links made to work from the page (a link to a file outside docs/ becomes its path in code).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

MARKER = re.compile(r"^<!-- (generated|include): ([^>]*?) -->$", flags=re.MULTILINE)

# One input per code, each as short as the format allows; the table shows the message the parser gives.
DIAGNOSTIC_EXAMPLES: dict[str, bytes] = {
    "encoding-fallback": "Politik\nStraße gesperrt\n2025-02-27\n\nDie Straße bleibt zu.\n".encode("cp1252"),
    "missing-category": b"Stadtrat tagt\n2025-02-27\n\nDer Rat tagt heute.\n",
    "missing-date": b"Politik\nStadtrat tagt\n\nDer Rat tagt heute.\n",
    "missing-headline": b"Stadtrat tagt\n",
    "time-without-offset": b"Politik\nStadtrat tagt\n2025-02-27T10:00:00\n\nDer Rat tagt heute.\n",
    "weekday-mismatch": b"Politik\nStadtrat tagt\nMontag, 27. Februar 2025\n\nDer Rat tagt heute.\n",
    "unknown-weekday": b"Politik\nStadtrat tagt\nBlautag, 27. Februar 2025\n\nDer Rat tagt heute.\n",
    "empty-body": b"Politik\nStadtrat tagt\n2025-02-27\n",
    "language-guess": b"Politik\nXyz\n2025-02-27\n\nQwf zxv.\n",
    "invalid-metadata": b"Politik\nStadtrat tagt\n2025-02-27\nurl: not a url\n\nDer Rat tagt heute.\n",
}
ERROR_EXAMPLES: dict[str, tuple[bytes, dict[str, Any]]] = {
    "empty": (b"\n\n", {}),
    "binary": (b"Politik\x00\n", {}),
    "encoding": (b"\xff\xfe\x00\xd8", {}),
    "invalid-date": (b"Politik\nStadtrat tagt\n2025-13-45\n\nDer Rat tagt heute.\n", {}),
    "too-large": (b"Politik\nStadtrat tagt\n", {"max_size": 10}),
}


def _cell(text: str) -> str:
    """``text`` safe in a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _shown(data: bytes) -> str:
    """An example input as a code span: lines joined by ⏎, bytes that are not UTF-8 as escapes."""
    text = data.decode("utf-8", errors="backslashreplace").replace("\x00", "\\x00").replace("\n", "⏎")
    return f"`{_cell(text)}`"


def diagnostics_table() -> str:
    """Both tables of codes, each code with its example input and the real message."""
    import newsarticle
    from newsarticle._diagnostics import DIAGNOSTIC_CODES, ERROR_CODES

    if set(DIAGNOSTIC_EXAMPLES) != set(DIAGNOSTIC_CODES) or set(ERROR_EXAMPLES) != set(ERROR_CODES):
        raise ValueError("docs/_gen.py: every code in newsarticle._diagnostics needs one example, and no other")
    rows = ["| code | when | what the parser did | example input | message |", "| --- | --- | --- | --- | --- |"]
    for code, (when, recovery) in DIAGNOSTIC_CODES.items():
        found: list[newsarticle.Diagnostic] = []
        newsarticle.parse(DIAGNOSTIC_EXAMPLES[code], source="article.txt", on_diagnostic=found.append)
        messages = [str(d) for d in found if d.code == code]
        if not messages:
            raise ValueError(f"docs/_gen.py: the example of {code!r} does not report it")
        rows.append(
            f"| `{code}` | {_cell(when)} | {_cell(recovery)} | {_shown(DIAGNOSTIC_EXAMPLES[code])} | "
            f"`{_cell(messages[0])}` |"
        )
    rows += ["", "`ParseError` (a `ValueError`) in both modes, with `source`, `line`, `column` and `code`:", ""]
    rows += ["| code | when | example input | message |", "| --- | --- | --- | --- |"]
    for code, when in ERROR_CODES.items():
        data, options = ERROR_EXAMPLES[code]
        try:
            newsarticle.parse(data, source="article.txt", **options)
        except newsarticle.ParseError as error:
            if error.code != code:
                raise ValueError(f"docs/_gen.py: the example of {code!r} raises {error.code!r}") from error
            message = str(error)
        else:
            raise ValueError(f"docs/_gen.py: the example of {code!r} raises nothing")
        shown = _shown(data) + "".join(f", `{k}={v!r}`" for k, v in options.items())
        rows.append(f"| `{code}` | {_cell(when)} | {shown} | `{_cell(message)}` |")
    return "\n".join(rows)


def options_table(names: Iterable[str]) -> str:
    """The options of the named built-in formats, one table; an option only some of them take says which."""
    import newsarticle
    from newsarticle._plugin_api import type_phrase

    wanted = list(names)
    infos = {info.name: info for info in newsarticle.formats() if info.distribution == "newsarticle"}
    missing = [name for name in wanted if name not in infos]
    if missing:
        raise ValueError(f"docs/_gen.py: no built-in format {', '.join(missing)}")
    rows = ["| option | type | default | accepts | meaning |", "| --- | --- | --- | --- | --- |"]
    seen: dict[str, list[str]] = {}
    options: dict[str, Any] = {}
    for name in wanted:
        for option in infos[name].options:
            seen.setdefault(option.name, []).append(name)
            options.setdefault(option.name, option)
    if not options:
        return "This format takes no options."
    for option_name, option in options.items():
        accepts = ", ".join(f"`{choice}`" for choice in option.choices) if option.choices else option.bounds
        only = "" if len(seen[option_name]) == len(wanted) else f" ({', '.join(seen[option_name])} only)"
        rows.append(
            f"| `{option.name}` | {type_phrase(option.type)} | `{option.default!r}` | {_cell(accepts)} | "
            f"{_cell(option.help)}{only} |"
        )
    return "\n".join(rows)


def formats_table() -> str:
    """Every built-in format: name, kind, suffix, media type and its own description."""
    import newsarticle

    rows = ["| format | kind | suffix | media type | description |", "| --- | --- | --- | --- | --- |"]
    for info in newsarticle.formats():
        if info.distribution == "newsarticle":
            rows.append(
                f"| `{info.name}` | {info.kind} | `{info.suffix}` | `{info.media_type}` | {_cell(info.description)} |"
            )
    return "\n".join(rows)


def cli_table() -> str:
    """Every command of ``newsarticle`` with its description and every option with its help, from the parser."""
    import argparse

    from newsarticle._cli.arguments import build_parser

    def help_of(action: argparse.Action) -> str:
        text = action.help or ""
        text = text % {"default": action.default} if "%(" in text else text
        return text.replace("*", "\\*")  # a glob's star is not emphasis

    parser = build_parser()
    lines = ["### `newsarticle`", "", "| option | what it does |", "| --- | --- |"]
    for action in parser._actions:
        if action.option_strings and "-h" not in action.option_strings:
            lines.append(f"| {', '.join(f'`{s}`' for s in action.option_strings)} | {_cell(help_of(action))} |")
    lines.append("")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                lines += [f"### `newsarticle {name}`", "", command.description or "", ""]
                lines += ["| option | value | what it does |", "| --- | --- | --- |"]
                for option in command._actions:
                    if option.help == argparse.SUPPRESS or "-h" in option.option_strings:
                        continue
                    names = ", ".join(f"`{s}`" for s in option.option_strings) or f"`{option.metavar}`"
                    value = ""
                    if option.choices:
                        value = " or ".join(f"`{choice}`" for choice in option.choices)
                    elif option.option_strings and option.nargs != 0:
                        value = f"`{option.metavar or option.dest.upper()}`"
                    lines.append(f"| {names} | {value} | {_cell(help_of(option))} |")
                lines.append("")
    return "\n".join(lines)


#: The reference's sections: the private module a public name is defined in, and the section's title.
REFERENCE_SECTIONS = {
    "newsarticle._parser": "Reading the text format",
    "newsarticle._format": "Reading the text format",
    "newsarticle._source": "Reading the text format",
    "newsarticle._models": "The model",
    "newsarticle._diagnostics": "The model",
    "newsarticle._serde": "Serialization",
    "newsarticle._render": "Rendering",
    "newsarticle._collection": "Rendering",
    "newsarticle._i18n": "Rendering",
    "newsarticle._dates": "Rendering",
    "newsarticle._plugin_api": "Plugins",
    "newsarticle._plugins": "Plugins",
    "newsarticle.hookspecs": "Plugins",
    "newsarticle._exceptions": "Errors",
}


def reference() -> str:
    """mkdocstrings' directives for every name of ``newsarticle.__all__``, by section, then the public modules."""
    import newsarticle

    sections: dict[str, list[str]] = {title: [] for title in REFERENCE_SECTIONS.values()}
    for name in newsarticle.__all__:
        if name == "__version__":
            continue  # a string computed on access, described in the page's introduction
        module = getattr(getattr(newsarticle, name), "__module__", None)
        defined = module if module in REFERENCE_SECTIONS else _module_of_constant(name)
        sections[REFERENCE_SECTIONS[defined]].append(name)
    lines = []
    for title, names in sections.items():
        lines += [f"## {title}", ""]
        lines += [f"::: newsarticle.{name}\n" for name in names]
    for module in ("newsarticle.hookspecs", "newsarticle.dask"):
        lines += [f"## `{module}`", "", f"::: {module}", "    options:", "      show_root_heading: false", ""]
    return "\n".join(lines)


def _module_of_constant(name: str) -> str:
    """The private module that assigns ``name`` (a constant has no ``__module__``)."""
    for path in sorted((ROOT / "src" / "newsarticle").glob("*.py")):
        if re.search(rf"^{re.escape(name)}\b.*=", path.read_text(encoding="utf-8"), flags=re.MULTILINE):
            return f"newsarticle.{path.stem}"
    raise ValueError(f"docs/_gen.py: cannot tell where newsarticle.{name} is defined")


def schema_table() -> str:
    """The article's JSON Schema, one row per property (nested objects' properties as ``parent.child``)."""
    schema = json.loads((DOCS / "article.schema.json").read_text(encoding="utf-8"))
    rows = ["| property | type | required | description |", "| --- | --- | --- | --- |"]

    def walk(node: dict[str, Any], prefix: str) -> None:
        required = set(node.get("required", ()))
        for name, declared in node.get("properties", {}).items():
            value = _resolve(schema, declared)
            kind = _type_of(schema, declared)
            rows.append(
                f"| `{prefix}{name}` | {_cell(kind)} | {'yes' if name in required else 'no'} | "
                f"{_cell(value.get('description', ''))} |"
            )
            items = _resolve(schema, value.get("items", {}))
            if "properties" in value:
                walk(value, f"{prefix}{name}.")
            elif "properties" in items:
                walk(items, f"{prefix}{name}[].")

    walk(schema, "")
    return "\n".join(rows)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """``node`` merged into what its local ``$ref`` points to (its own ``properties`` over the target's)."""
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return node
    target: Any = schema
    for part in ref[2:].split("/"):
        target = target[part]
    merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    if "properties" in target and "properties" in node:
        merged["properties"] = {**target["properties"], **node["properties"]}
    return merged


#: What the schema's definitions are called in the table.
SCHEMA_TYPES = {
    "oneLine": "string (one line)",
    "url": "string (http or https URL)",
    "date": "string (date)",
    "dateTime": "string (date-time)",
    "dateTimeSecondsOffset": "string (date-time)",
    "section": "section",
}


def _type_of(schema: dict[str, Any], node: dict[str, Any]) -> str:
    """A schema node's type in words: ``string (date)``, ``array of string``, ``string (date) or null``."""
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.rpartition("/")[2] in SCHEMA_TYPES:
        return SCHEMA_TYPES[ref.rpartition("/")[2]]
    node = _resolve(schema, node)
    if "anyOf" in node or "oneOf" in node:
        kinds = [_type_of(schema, n) for n in node.get("anyOf", node.get("oneOf", []))]
        return " or ".join(dict.fromkeys(kinds))
    if "enum" in node:
        return "one of " + ", ".join(json.dumps(value) for value in node["enum"])
    if "const" in node:
        return json.dumps(node["const"])
    kind = node.get("type", "any")
    text = " or ".join(kind) if isinstance(kind, list) else str(kind)
    if "format" in node:
        text += f" ({node['format']})"
    if "items" in node:
        text += f" of {_type_of(schema, node['items'])}"
    return text


def include(name: str, page_path: str) -> str:
    """The file ``name`` (from the repository root), made to read well as part of the page at ``page_path``."""
    source = ROOT / name
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"^(#+) ", r"#\1 ", text, flags=re.MULTILINE)  # the page keeps its own title
    text = re.sub(r"^#+ .*\n+", "", text, count=1)  # and the file's own title goes
    source_dir = posixpath.dirname(name)
    page_dir = posixpath.dirname(page_path)

    def relink(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        if re.match(r"[a-z]+:|#", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        in_repo = posixpath.normpath(posixpath.join(source_dir, path))
        if not in_repo.startswith("docs/"):
            return label if label.startswith("`") else f"`{label}`"
        relative = posixpath.relpath(in_repo[len("docs/") :], page_dir or ".")
        return f"[{label}]({relative}{'#' + anchor if anchor else ''})"

    return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", relink, text)


#: The article the renderer pages show in each format: one of the examples, so the output is real.
SAMPLE = "examples/articles/edge_wrapped_paragraphs.txt"
_FENCE = {"html": "html", "markdown": "markdown", "json": "json", "text": "text"}


def sample_output(arguments: list[str]) -> str:
    """The sample rendered as the page's marker asks: ``FORMAT [NAME=VALUE ...]``, as a fenced code block."""
    import newsarticle

    format, *pairs = arguments
    options: dict[str, Any] = {}
    for pair in pairs:
        name, _, text = pair.partition("=")
        try:
            options[name] = json.loads(text)
        except ValueError:
            options[name] = text
    article = newsarticle.parse_file(ROOT / SAMPLE)
    output = newsarticle.render(article, format, **options)
    text = output.decode("utf-8") if isinstance(output, bytes) else output
    shown = " ".join(["newsarticle.render(article,", repr(format), *(f", {k}={v!r}" for k, v in options.items())])
    fence = "````" if "```" in text else "```"
    return (
        f"`{SAMPLE}`, rendered by `{shown.replace(' ,', ',')})` when this page was built:\n\n"
        f"{fence}{_FENCE.get(format, 'text')}\n{text.rstrip()}\n{fence}\n"
    )


GENERATORS: dict[str, Callable[[list[str]], str]] = {
    "output": sample_output,
    "cli": lambda _args: cli_table(),
    "diagnostics": lambda _args: diagnostics_table(),
    "formats": lambda _args: formats_table(),
    "options": options_table,
    "reference": lambda _args: reference(),
    "schema": lambda _args: schema_table(),
}


def expand(markdown: str, page_path: str) -> str:
    """The page's Markdown with every marker replaced by what it asks for."""

    def replace(match: re.Match[str]) -> str:
        kind, argument = match.group(1), match.group(2).split()
        if kind == "include":
            return include(argument[0], page_path)
        generator = GENERATORS.get(argument[0])
        if generator is None:
            raise ValueError(f"{page_path}: unknown generated content {argument[0]!r}")
        return generator(argument[1:])

    return MARKER.sub(replace, markdown)


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """MkDocs' hook: expand the markers of each page before it is rendered."""
    return expand(markdown, page.file.src_uri)
