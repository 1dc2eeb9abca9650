"""The public API: cheap to import, and ``__all__`` sorted and complete."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import newsarticle
from newsarticle import _exceptions

HEAVY = ("babel", "cattrs", "pluggy")


def _run(code: str) -> str:
    # A fresh interpreter: this test process has long imported everything.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return result.stdout


def _loaded_after(code: str) -> list[str]:
    probe = f"""
import json, sys
{code}
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}} & {set(HEAVY)!r})))
"""
    return json.loads(_run(probe))  # type: ignore[no-any-return]


@pytest.mark.slow
def test_import_loads_neither_babel_nor_cattrs_nor_pluggy() -> None:
    assert _loaded_after("import newsarticle") == []


@pytest.mark.slow
def test_parsing_and_writing_an_iso_dated_article_stay_light() -> None:
    code = """
import newsarticle
article = newsarticle.parse("Politik\\nTitel\\n2025-02-27\\n\\nDer Rat tagt.\\n", language="de")
newsarticle.unparse(article)
"""
    assert _loaded_after(code) == []


@pytest.mark.slow
def test_heavy_modules_load_on_first_use() -> None:
    assert _loaded_after("import newsarticle; newsarticle.to_dict") == ["cattrs"]
    named_month = "import newsarticle; newsarticle.parse('a\\nb\\n3. März 2025\\n\\nc', language='de')"
    assert "babel" in _loaded_after(named_month)


def _all_order(name: str) -> tuple[int, str]:
    # The order ruff's RUF022 keeps: CONSTANTS, then Classes, then everything else.
    if name.isupper():
        return (0, name)
    if name[0].isupper():
        return (1, name)
    return (2, name)


def test_all_is_sorted_without_duplicates() -> None:
    assert newsarticle.__all__ == sorted(newsarticle.__all__, key=_all_order)
    assert len(set(newsarticle.__all__)) == len(newsarticle.__all__)


@pytest.mark.slow
def test_every_name_in_all_is_importable_in_a_fresh_interpreter() -> None:
    code = """
import json, newsarticle
missing = [name for name in newsarticle.__all__ if getattr(newsarticle, name, None) is None]
star = {}
exec("from newsarticle import *", star)
print(json.dumps([missing, sorted(set(newsarticle.__all__) - set(star))]))
"""
    assert json.loads(_run(code)) == [[], []]


def test_all_is_complete() -> None:
    for name in newsarticle.__all__:
        getattr(newsarticle, name)  # resolve the lazy ones
    defined_here = {
        name
        for name, value in vars(newsarticle).items()
        if not name.startswith("_")
        and not inspect.ismodule(value)
        and getattr(value, "__module__", "").startswith("newsarticle")
    }
    assert defined_here - set(newsarticle.__all__) == set()


def test_every_exception_is_public() -> None:
    assert set(_exceptions.__all__) <= set(newsarticle.__all__)
    for name in _exceptions.__all__:
        assert getattr(newsarticle, name) is getattr(_exceptions, name)


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        newsarticle.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_version_comes_from_the_installed_metadata() -> None:
    assert newsarticle.__version__ == version("newsarticle")


API_DOC = Path(__file__).parent.parent / "docs" / "api.md"
DOCUMENTED = [
    "parse",
    "parse_file",
    "unparse",
    "to_dict",
    "from_dict",
    "to_json",
    "from_json",
    "configure_converter",
    "render",
    "formats",
    "available_transforms",
    "coerce_options",
    "check_transforms",
    "formatter_for",
    "in_whole_minutes",
    "write_collection",
    "open_collection",
]


def _documented_signature(obj: object, name: str) -> str:
    text = f"{name}{inspect.signature(obj)}".replace("'", "")  # type: ignore[arg-type]
    text = text.replace(repr(newsarticle.DEFAULT_TRAILER_LINES).replace("'", ""), "DEFAULT_TRAILER_LINES")
    return text.replace(f"= {newsarticle.MAX_INPUT_SIZE}", "= MAX_INPUT_SIZE")


@pytest.mark.parametrize("name", DOCUMENTED)
def test_api_docs_head_each_function_with_its_signature(name: str) -> None:
    headings = re.findall(r"^### `(.+)`$", API_DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert _documented_signature(getattr(newsarticle, name), name) in headings


@pytest.mark.parametrize("name", ["Article", "Section", "Diagnostic"])
def test_api_docs_head_each_class_with_its_constructor(name: str) -> None:
    headings = re.findall(r"^### `(.+)`$", API_DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert _documented_signature(getattr(newsarticle, name), name).removesuffix(" -> None") in headings


def test_what_plugins_and_callers_name_is_public() -> None:
    from newsarticle import _dates, _i18n, _parser
    from newsarticle._plugin_api import RegisterRenderer, TransformInfo

    assert newsarticle.DiagnosticHandler is _parser.DiagnosticHandler  # in parse()'s signature
    assert newsarticle.formatter_for is _i18n.formatter_for  # named by Formatter's docstring
    assert "formatter_for" in (newsarticle.Formatter.__doc__ or "")
    assert newsarticle.in_whole_minutes is _dates.in_whole_minutes  # what RFC 3339 and HTML need
    assert newsarticle.RegisterRenderer is RegisterRenderer
    assert newsarticle.TransformInfo is TransformInfo
    assert newsarticle.formatter_for("de_AT").date(dt.date(2025, 1, 27)) == "27. Jänner 2025"


@pytest.mark.slow
def test_the_plugin_api_loads_without_the_plugin_manager() -> None:
    # Option, the protocols and the render context sit below the plugin manager: a renderer module
    # can be imported, and its options checked, with neither pluggy nor Babel loaded.
    code = """
import newsarticle
option = newsarticle.Option(name="width", type=int, default=72, help="columns", min=0)
option.check(40)
newsarticle.RenderContext("de", {"width": 40}).options
newsarticle.Renderer, newsarticle.RegisterRenderer, newsarticle.DATE_OPTIONS
"""
    assert _loaded_after(code) == []
