"""The documentation site's promises: every public name documented and on the API reference page, every
Python example of the pages runs as written, and the generated tables cover what the code registers.

The examples run in order per page (a later block may use an earlier block's names), in a fresh
namespace and a temporary working folder that holds the repository's ``examples/``, as a reader
who copies them into a session would. A block preceded by ``<!-- skip -->`` is not run; the
comment says why on the same line.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import newsarticle
from docs_hook import load_gen

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(path for path in DOCS.rglob("*.md") if path.name != "README.md")
BLOCK = re.compile(r"^(<!-- skip[^\n]*-->\n)?```python\n(.*?)^```", flags=re.MULTILINE | re.DOTALL)
PUBLIC_MODULES = ("newsarticle.hookspecs", "newsarticle.dask")


GEN = load_gen()


def examples(page: Path) -> list[tuple[bool, str]]:
    """The page's Python blocks in order, each with whether it is marked to be skipped."""
    return [(bool(skip), code) for skip, code in BLOCK.findall(page.read_text(encoding="utf-8"))]


@contextlib.contextmanager
def reader_folder(tmp_path: Path) -> Iterator[Path]:
    """A working folder with the repository's examples, as after ``git clone`` and ``cd``."""
    shutil.copytree(ROOT / "examples" / "articles", tmp_path / "examples" / "articles")
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(previous)


@pytest.mark.parametrize("page", [p for p in PAGES if examples(p)], ids=lambda p: str(p.relative_to(DOCS)))
def test_the_pages_python_examples_run(page: Path, tmp_path: Path, registered: list[str]) -> None:
    namespace: dict[str, object] = {"__name__": "__docs__"}
    with reader_folder(tmp_path), warnings.catch_warnings():
        # A page's example may show a lenient parse's warnings; they are output, not failures.
        warnings.simplefilter("ignore", newsarticle.ParseWarning)
        for number, (skip, code) in enumerate(examples(page), start=1):
            if skip:
                continue
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(code, f"{page.relative_to(ROOT)} (Python block {number})", "exec"), namespace)
            except Exception as error:
                pytest.fail(f"{page.relative_to(ROOT)}, Python block {number}: {error!r}\n{code}")


def test_skipped_examples_are_rare_and_say_why() -> None:
    skipped = {page.name: sum(skip for skip, _ in examples(page)) for page in PAGES}
    total = sum(len(examples(page)) for page in PAGES)
    assert sum(skipped.values()) * 5 <= total, skipped
    for page in PAGES:
        for line in re.findall(r"^<!-- skip(.*)-->$", page.read_text(encoding="utf-8"), flags=re.MULTILINE):
            assert line.strip(" :"), f"{page.name}: a <!-- skip --> without its reason"


def public_names() -> list[str]:
    names = [f"newsarticle.{name}" for name in newsarticle.__all__ if name != "__version__"]
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        names += [f"{module_name}.{name}" for name in module.__all__]
    return names


@pytest.fixture(scope="module")
def documented() -> dict[str, str]:
    """Each public name's docstring as the site shows it: griffe (mkdocstrings' reader) with the site's extensions."""
    griffe = pytest.importorskip("griffe", reason="the docs extra: pip install -e '.[docs]'")
    extensions = griffe.load_extensions("griffe_sphinx")
    with pytest.MonkeyPatch.context() as patch:
        # griffe asks git for the source links the site does not show; that is a process, and the quick tier has none.
        patch.setattr(griffe.GitInfo, "from_package", classmethod(lambda cls, package: None))
        package = griffe.load(
            "newsarticle", search_paths=[str(ROOT / "src")], extensions=extensions, resolve_aliases=True
        )
    found = {}
    for dotted in public_names():
        docstring = package[dotted.removeprefix("newsarticle.")].docstring
        found[dotted] = docstring.value if docstring is not None else ""
    return found


@pytest.mark.parametrize("name", public_names())
def test_every_public_name_has_a_docstring(name: str, documented: dict[str, str]) -> None:
    assert documented[name].strip(), f"{name} has no docstring (a '#:' comment above a constant counts)"


def test_every_public_name_is_on_the_reference_page() -> None:
    page = GEN.expand((DOCS / "reference.md").read_text(encoding="utf-8"), "reference.md")
    directives = set(re.findall(r"^::: ([\w.]+)$", page, flags=re.MULTILINE))
    top_level = {name for name in public_names() if name.count(".") == 1}
    assert top_level <= directives
    assert set(PUBLIC_MODULES) <= directives  # each module's directive renders its __all__
    assert "`newsarticle.__version__`" in page


def test_every_built_in_format_has_its_options_on_a_renderer_page() -> None:
    built_in = {info.name for info in newsarticle.formats() if info.distribution == "newsarticle"}
    shown: set[str] = set()
    for page in (DOCS / "renderers").glob("*.md"):
        for names in re.findall(r"^<!-- generated: options ([^>]*?) -->$", page.read_text(encoding="utf-8"), re.M):
            table = GEN.options_table(names.split())
            shown.update(names.split())
            for name in names.split():
                info = next(info for info in newsarticle.formats() if info.name == name)
                assert all(f"| `{option.name}` |" in table for option in info.options)
    # source, the canonical text format, takes no options; format.md describes it.
    assert shown == built_in - {"source"}


def test_the_changelog_security_and_benchmark_pages_include_their_files() -> None:
    for page, included in (
        ("security.md", "SECURITY.md"),
        ("changelog.md", "CHANGELOG.md"),
        ("performance.md", "benchmarks/README.md"),
    ):
        text = GEN.expand((DOCS / page).read_text(encoding="utf-8"), page)
        headings = re.findall(r"^## (.+)$", (ROOT / included).read_text(encoding="utf-8"), flags=re.MULTILINE)
        assert headings, included
        for heading in headings:
            assert f"\n### {heading}\n" in text, f"{page} lacks {included}'s section {heading!r}"
        assert "<!-- include" not in text


def test_the_command_line_page_lists_every_command_and_option() -> None:
    import argparse

    from newsarticle._cli.arguments import build_parser

    page = GEN.expand((DOCS / "cli.md").read_text(encoding="utf-8"), "cli.md")
    section = page.split("\n## Every command and option\n", 1)[1]
    parser = build_parser()
    [commands] = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    for name, command in commands.choices.items():
        table = section.split(f"### `newsarticle {name}`\n", 1)[1].split("\n### ", 1)[0]
        for action in command._actions:
            for option in action.option_strings:
                assert option in {"-h", "--help"} or f"`{option}`" in table, (name, option)
    assert "`--version`" in section
