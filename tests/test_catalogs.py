"""The message catalogs: complete, in step with the code, and compiled into the wheel.

``test_catalogs_are_complete_and_up_to_date`` is the CI check (the same as
``python scripts/catalogs.py check``); the tests after it show that the check
catches each way a catalog goes wrong.
"""

from __future__ import annotations

import gettext
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "src" / "newsarticle" / "locale"
MO_FILES = [f"newsarticle/locale/{language}/LC_MESSAGES/newsarticle.mo" for language in ("de", "de_CH", "en", "fr")]


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "scripts" / "catalogs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


catalogs = _load_script()


def test_catalogs_are_complete_and_up_to_date() -> None:
    problems = catalogs.check()
    assert problems == [], "\n".join(problems)


@pytest.fixture
def locale_copy(tmp_path: Path) -> Path:
    """A copy of the committed catalogs to break."""
    target = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, target, ignore=shutil.ignore_patterns("*.mo"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _po(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "newsarticle.po"


def test_the_copy_passes(locale_copy: Path) -> None:
    assert catalogs.check(locale_copy) == []


@pytest.mark.parametrize(("language", "old", "new", "complaint"), [
    ("de", 'msgid "Published"', '#, fuzzy\nmsgid "Published"', "'Published': marked fuzzy"),
    ("fr", 'msgstr "Rubrique"', 'msgstr ""', "'Section': not translated"),
    ("en", 'msgstr "Reading time"', 'msgstr ""', "'Reading time': not translated"),
    ("fr", 'msgstr[2] "{count} mots"\n', "", "'{count} word': not every plural form"),
    ("de", 'msgstr[1] "{count} Wörter"', 'msgstr[1] "{anzahl} Wörter"', "has the fields ['anzahl'], not ['count']"),
    ("de", '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"',
     "CLDR (through Babel) says"),
    ("de_CH", 'msgctxt "opening quotation mark"', '#, fuzzy\nmsgctxt "opening quotation mark"', "'“': marked fuzzy"),
])  # fmt: skip
def test_check_catches_a_broken_catalog(locale_copy: Path, language: str, old: str, new: str, complaint: str) -> None:
    _edit(_po(locale_copy, language), old, new)
    problems = catalogs.check(locale_copy)
    assert any(complaint in problem for problem in problems), problems


def test_regional_catalogs_may_leave_entries_to_their_language(locale_copy: Path) -> None:
    # pybabel update adds every new message to de_CH, untranslated: de answers for those.
    _edit(_po(locale_copy, "de_CH"), 'msgstr "«"', 'msgstr ""')
    assert catalogs.check(locale_copy) == []


def test_check_catches_a_missing_entry(locale_copy: Path) -> None:
    _edit(_po(locale_copy, "en"), 'msgid "Section"\nmsgstr "Section"\n', "")
    assert any("lacks 'Section'" in problem for problem in catalogs.check(locale_copy))


def test_check_catches_a_missing_language(locale_copy: Path) -> None:
    shutil.rmtree(locale_copy / "fr")
    assert any("no catalog for 'fr'" in problem for problem in catalogs.check(locale_copy))


def test_check_catches_a_stale_template(locale_copy: Path) -> None:
    template = locale_copy / "newsarticle.pot"
    _edit(template, 'msgid "Reading time"', 'msgid "Reading duration"')
    problems = catalogs.check(locale_copy)
    assert any("lacks 'Reading time'" in problem and "which the code uses" in problem for problem in problems)
    assert any("has 'Reading duration'" in problem for problem in problems)
    assert problems[-1] == "run: python scripts/catalogs.py update, then translate what is new"


def test_check_catches_a_label_the_code_added(locale_copy: Path, tmp_path: Path) -> None:
    package = tmp_path / "newsarticle"
    shutil.copytree(ROOT / "src" / "newsarticle", package, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (package / "renderers" / "extra.py").write_text(
        'def label(formatter):\n    return formatter.gettext("Photo")\n', encoding="utf-8"
    )
    problems = catalogs.check(locale_copy, package)
    assert any("lacks 'Photo'" in problem and "which the code uses" in problem for problem in problems)


def test_check_sees_labels_inside_f_strings(locale_copy: Path, tmp_path: Path) -> None:
    # Babel's extractor reads f-strings only from Python 3.12 on; the check finds such labels either way.
    package = tmp_path / "newsarticle"
    shutil.copytree(ROOT / "src" / "newsarticle", package, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (package / "renderers" / "extra.py").write_text(
        "def label(formatter, n):\n    return f\"{formatter.gettext('Photo')}: {n}\"\n", encoding="utf-8"
    )
    problems = catalogs.check(locale_copy, package)
    assert any("'Photo'" in problem for problem in problems), problems


def test_update_adds_new_labels_untranslated_and_keeps_regional_catalogs_small(
    locale_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "newsarticle"
    shutil.copytree(ROOT / "src" / "newsarticle", package, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (package / "renderers" / "extra.py").write_text('def label(f):\n    return f.gettext("Photo")\n', encoding="utf-8")
    monkeypatch.setattr(catalogs, "PACKAGE", package)
    monkeypatch.setattr(catalogs, "LOCALE_DIR", locale_copy)
    monkeypatch.setattr(catalogs, "TEMPLATE", locale_copy / "newsarticle.pot")
    monkeypatch.setattr(catalogs, "ROOT", tmp_path)
    catalogs.update()
    assert 'msgid "Photo"' in _po(locale_copy, "de").read_text(encoding="utf-8")
    assert 'msgid "Photo"' not in _po(locale_copy, "de_CH").read_text(encoding="utf-8")
    assert 'msgstr "Rubrik"' in _po(locale_copy, "de").read_text(encoding="utf-8")
    problems = catalogs.check(locale_copy, package)
    assert sorted(p.split(": ", 1)[1] for p in problems if "Photo" in p) == ["'Photo': not translated"] * 3


# -- The wheel --------------------------------------------------------------------------------------------------


# What building the wheel reads.
WHEEL_SOURCES = ("src", "pyproject.toml", "hatch_build.py", "README.md", "LICENSE", ".gitignore")


def _copy_checkout(target: Path) -> None:
    """What a fresh clone holds for the wheel (with uncommitted work), never a .mo or a virtual environment."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *WHEEL_SOURCES],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


@pytest.mark.slow
def test_wheel_ships_compiled_catalogs_and_renders_german(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    _copy_checkout(clone)
    assert not list(clone.rglob("*.mo"))
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dist), str(clone)],
        check=True,
    )
    (wheel,) = dist.glob("newsarticle-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert set(MO_FILES) <= names
        german = gettext.GNUTranslations(io.BytesIO(archive.read(MO_FILES[0])))
    assert german.gettext("Published") == "Veröffentlicht am"
    assert german.ngettext("{minutes} min read", "{minutes} min read", 1) == "{minutes} Minute Lesezeit"

    # A fresh virtual environment with the wheel installed; its dependencies come from this environment.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    import attrs
    import babel
    import cattrs
    import pluggy

    dependencies = {str(Path(module.__file__ or "").parent.parent) for module in (attrs, babel, cattrs, pluggy)}
    (Path(purelib) / "_dependencies.pth").write_text("\n".join(sorted(dependencies)) + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
         str(wheel)],
        check=True,
    )  # fmt: skip

    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        import newsarticle
        from newsarticle import _i18n

        assert Path(newsarticle.__file__).is_relative_to({str(venv)!r}), newsarticle.__file__
        article = newsarticle.parse(
            "Wirtschaft\\nDie Überschrift\\n2025-01-27\\n\\nDer erste Absatz ist da, und er ist nicht lang.\\n",
            language="de",
        )
        html = newsarticle.render(article, "html")
        assert "Veröffentlicht am" in html and "27. Januar 2025" in html, html
        assert "27. Jänner 2025" in newsarticle.render(article, "html", locale="de-AT")
        text = newsarticle.render(article, "text")
        assert "Veröffentlicht am 27. Januar 2025 · 10 Wörter · 1 Minute Lesezeit" in text, text
        assert "Publié le 27 janvier 2025" in newsarticle.render(article, "markdown", locale="fr")
        formatter = newsarticle.RenderContext("de").formatter
        assert formatter.reading_time(1) == "1 Minute Lesezeit", formatter.reading_time(1)
        assert formatter.words(1234) == "1.234 Wörter"
        assert formatter.quotes == ("„", "“", "‚", "‘")
        assert newsarticle.RenderContext("fr").formatter.gettext("Published") == "Publié le"
        # The labels came from the wheel's .mo files, not from compiling a .po.
        assert "babel.messages.pofile" not in sys.modules
        assert sorted(p.parent.parent.name for p in _i18n.LOCALE_DIR.glob("*/LC_MESSAGES/*.mo")) == [
            "de", "de_CH", "en", "fr"
        ]
        print("ok")
        """
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["NEWSARTICLE_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    result = subprocess.run(
        [str(python), "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
