"""``newsarticle formats``: every output format and its options, as text or JSON."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from newsarticle._cli.exits import EXIT_OK
from newsarticle._cli.streams import stdout

if TYPE_CHECKING:
    from newsarticle._plugin_api import FormatInfo, Option


def list_formats(args: argparse.Namespace) -> int:
    from newsarticle._render import formats

    infos = formats()
    if args.format == "json":
        import json

        listing = [_format_dict(info) for info in infos]
        stdout().write(json.dumps(listing, ensure_ascii=False, indent=2, default=str) + "\n")
        return EXIT_OK
    for info in infos:
        stdout().write(_describe(info) + "\n")
    return EXIT_OK


def _describe(info: FormatInfo) -> str:
    provider = info.plugin if info.distribution is None else f"{info.plugin} ({info.distribution} {info.version})"
    lines = [f"{info.name}  {info.suffix}  {info.media_type}", f"    {info.description}", f"    plugin: {provider}"]
    if info.kind == "collection":
        lines.append("    writes every article into one output (-o FILE, or standard output)")
        if info.needs_url:
            lines.append("    each article needs a url: line, or give -O base_url=https://.../")
    if info.aliases:
        # -t accepts them, so the list of what -t accepts shows them.
        lines.append(f"    aliases: {', '.join(info.aliases)}")
    for option in info.options:
        shown = f"{option.bounds}; " if option.bounds else ""
        lines.append(f"    -O {option.name}={_type_name(option)}  ({shown}default: {_show_default(option.default)})")
        lines.append(f"        {option.help}")
    return "\n".join(lines)


def _type_name(option: Option) -> str:
    if option.choices:
        return "|".join(_shown(choice) for choice in option.choices)
    return {bool: "true|false", int: "INT", float: "NUMBER", str: "TEXT"}.get(option.type, option.type.__name__.upper())


def _show_default(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "unset" if value is None else _shown(value)


def _shown(value: object) -> str:
    """``value`` as the listing prints it: a control character, a tab for a delimiter, as its escape (``\\t``).

    Printed as it is, a tab looks like spaces and a newline breaks the listing's lines.
    """
    text = str(value)
    return text if text.isprintable() else repr(text)[1:-1]


def _format_dict(info: FormatInfo) -> dict[str, object]:
    return {
        "name": info.name,
        "suffix": info.suffix,
        "media_type": info.media_type,
        "description": info.description,
        "aliases": list(info.aliases),
        "kind": info.kind,
        "needs_url": info.needs_url,
        "options": [
            {
                "name": o.name,
                "type": o.type.__name__,
                "default": o.default,
                "help": o.help,
                "choices": list(o.choices) if o.choices is not None else None,
                "min": o.min,
                "max": o.max,
            }
            for o in info.options
        ],
        "plugin": info.plugin,
        "distribution": info.distribution,
        "version": info.version,
    }
