"""Every input the fuzzers saved, and a few written by hand, replayed through the fuzzers' own checks.

``fuzz/invariants.py`` holds the checks and decodes each input exactly as its
harness did; it needs no atheris, so this runs wherever the tests run. One test
per saved file: ``fuzz/regressions/<harness>/<sha1>``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import attrs
import pytest

from newsarticle import Article
from newsarticle._models import trusted

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"
REGRESSIONS = FUZZ / "regressions"


def _load_invariants() -> ModuleType:
    # fuzz/ is a folder of scripts, not a package on the path; load its module by file.
    spec = importlib.util.spec_from_file_location("fuzz_invariants", FUZZ / "invariants.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


invariants = _load_invariants()

SAVED = sorted(REGRESSIONS.glob("*/*"))

# Shapes that broke a promise before, written out so that they stay readable.
HAND_WRITTEN = [
    pytest.param("lines", "Politik\nEin Titel\n2025-02-27\n\n## \u00a0\n\nEin Absatz.\n", id="heading-nbsp"),
    pytest.param("lines", "Politik\nEin Titel\n2025-02-27\n\n\\\u2003\n\nEin Absatz.\n", id="escaped-em-space"),
    pytest.param("lines", "\u2028\nEin Titel\n2025-02-27\n\nEin Absatz.\n", id="category-line-separator"),
    pytest.param("lines", "\ufeffPolitik\r\nEin Titel\r\n2025-02-27\r\n\r\nEin Absatz.\r\nSee more\r\n", id="bom-crlf"),
    pytest.param("parse_bytes", "Politik\nEin Titel\n-\n\n\\See more\n\n\\\\\n\n## ## x\n", id="escapes"),
    pytest.param("render", "Politik\nEin Titel\n2025-02-27\n\n<!-- <b> & [x](y)\n\n## <\n\n*_`\n", id="markup"),
    pytest.param("serde", '{"headline": "T", "language": "de", "source": "d\\udcfc.txt"}\x00', id="json-surrogate"),
]


def test_every_harness_has_a_replay_function() -> None:
    assert set(invariants.HARNESSES) == {"parse_bytes", "parse_str", "render", "serde", "lines", "articles"}
    assert all(path.parent.name in invariants.HARNESSES for path in SAVED), "a folder that names no harness"


@pytest.mark.parametrize("path", SAVED, ids=[f"{p.parent.name}/{p.name[:12]}" for p in SAVED])
def test_saved_input_keeps_every_promise(path: Path) -> None:
    invariants.HARNESSES[path.parent.name](path.read_bytes())


@pytest.mark.parametrize(("harness", "text"), HAND_WRITTEN)
def test_hand_written_input_keeps_every_promise(harness: str, text: str) -> None:
    invariants.HARNESSES[harness](text.encode("utf-8"))


def test_the_checks_catch_a_broken_promise() -> None:
    # Without this, a check that can never fail would pass every saved input.
    article = invariants.check_parse(b"Politik\nEin Titel\n2025-02-27\n\nEin Absatz.\n")
    assert article is not None
    broken = trusted(Article, **{**attrs.asdict(article, recurse=False), "headline": "\u00a0"})
    with pytest.raises(invariants.Violation, match="headline"):
        invariants.check_valid(broken)
