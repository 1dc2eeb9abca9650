"""A griffe extension for the API reference (mkdocs.yml): the docstrings' Sphinx roles as Markdown code.

The code's docstrings are written for Sphinx, as the house style asks (``:func:`~newsarticle.parse```);
mkdocstrings reads their ``:param:`` fields but would show a role as it is typed. This turns each role
into the code span a reader expects, with ``~`` keeping only the last name as Sphinx does, and
reST's double backquotes into Markdown's single ones.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?:func|class|attr|data|meth|exc|mod|obj|const):`(~?)([^`]+)`")
LITERAL = re.compile(r"``([^`]+)``")


def markdown(text: str) -> str:
    """``text`` with its Sphinx roles and reST literals as Markdown code spans."""
    text = ROLE.sub(lambda m: f"`{m.group(2).rpartition('.')[2] if m.group(1) else m.group(2)}`", text)
    return LITERAL.sub(r"`\1`", text)


class SphinxRoles(griffe.Extension):
    """Rewrites every docstring once the package is loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in _walk(pkg, set()):
            if obj.docstring is not None:
                obj.docstring.value = markdown(obj.docstring.value)


def _walk(obj: Any, seen: set[str]) -> list[Any]:
    """``obj`` and its members, recursively, aliases left to what they point to."""
    if obj.is_alias or obj.path in seen:
        return []
    seen.add(obj.path)
    found = [obj]
    for member in obj.members.values():
        found += _walk(member, seen)
    return found
