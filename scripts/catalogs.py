"""Keep newsarticle's gettext catalogs in step with the code, with Babel's API.

    python scripts/catalogs.py extract      # code -> src/newsarticle/locale/newsarticle.pot
    python scripts/catalogs.py update       # extract, then merge the .pot into every .po
    python scripts/catalogs.py init LANG    # start a catalog for a new language (then translate it)
    python scripts/catalogs.py compile      # .po -> .mo beside it (optional: see docs/i18n.md)
    python scripts/catalogs.py check        # exit 1 if a catalog is incomplete or out of date

The same as the ``pybabel`` commands in docs/i18n.md, with the options fixed:
file-only locations (moving code does not change the .pot), ``Translators:``
comments for translators, no fuzzy matching on update (a guessed translation is
worse than none), obsolete entries dropped. ``check`` is what CI runs (through
tests/test_catalogs.py).
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages import frontend
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "newsarticle"
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "newsarticle"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
MAPPING = ROOT / "babel.cfg"
#: Languages whose catalog must translate every message; regional catalogs (de_CH) hold only what differs.
COMPLETE = ("de", "en", "fr")
COMMENT_TAGS = ("Translators:",)

_FIELD = re.compile(r"\{([^{}]*)\}")

Key = tuple[str | None, str]  # (context, msgid)


def _key(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return message.context, msgid


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (message for message in catalog if message.id)


def extract(package: Path | None = None) -> Catalog:
    """The catalog template as the code in ``package`` (the package itself by default) has it now."""
    package = package or PACKAGE
    parse_mapping = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with MAPPING.open(encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping(mapping)
    catalog = Catalog(
        project="newsarticle",
        copyright_holder="The newsarticle developers",
        msgid_bugs_address="https://github.com/newsarticle/newsarticle/issues",
        charset="utf-8",
        fuzzy=False,
        header_comment="# Translations template for newsarticle.\n# Written by: python scripts/catalogs.py extract",
    )
    relative = package.relative_to(ROOT).as_posix() if package.is_relative_to(ROOT) else package.name
    for filename, lineno, message, comments, context in extract_from_dir(
        package,
        method_map,
        options_map,
        keywords=DEFAULT_KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(f"{relative}/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_lineno=False, ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())


def _read(path: Path) -> Catalog:
    with path.open("rb") as po_file:
        # The locale is the folder name (de, de_CH); the template has none.
        locale = None if path.suffix == ".pot" else path.parent.parent.name
        return read_po(po_file, locale=locale, domain=DOMAIN)


def po_files(locale_dir: Path | None = None) -> list[Path]:
    return sorted((locale_dir or LOCALE_DIR).glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def update() -> None:
    """Extract the template, then merge it into every catalog; regional catalogs gain no new entries."""
    template = extract()
    _write(template, TEMPLATE)
    for path in po_files():
        catalog = _read(path)
        regional = "_" in path.parent.parent.name
        kept = {_key(message) for message in _messages(catalog)}
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        if regional:
            for message in list(_messages(catalog)):
                if _key(message) not in kept:
                    catalog.delete(message.id, context=message.context)
        _write(catalog, path)
        print(f"updated {_shown(path)}")


def init(language: str) -> Path:
    """Start ``<language>/LC_MESSAGES/newsarticle.po`` from the template, with the language's plural rule."""
    template = _read(TEMPLATE)
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.exists():
        raise SystemExit(f"{_shown(path)} exists already; run update")
    catalog = Catalog(locale=language, domain=DOMAIN, project="newsarticle", charset="utf-8", fuzzy=False)
    for message in _messages(template):
        catalog.add(message.id, None, message.locations, auto_comments=message.auto_comments, context=message.context)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(catalog, path)
    print(f"created {_shown(path)}: translate every msgstr, then run check")
    return path


def compile_all() -> None:
    """Compile every catalog to a ``.mo`` beside it, as the wheel's build hook (hatch_build.py) does into the wheel."""
    from newsarticle._i18n import compile_po

    for path in po_files():
        path.with_suffix(".mo").write_bytes(compile_po(path))
        print(f"compiled {_shown(path.with_suffix('.mo'))}")


def _fields(text: str) -> set[str]:
    return set(_FIELD.findall(text))


def _texts(value: object) -> list[str]:
    """A message's msgid or msgstr as a list: one item, or one per plural form."""
    if isinstance(value, (list, tuple)):
        return [str(item or "") for item in value]
    return [str(value or "")]


def _check_message(
    where: str, message: Message, template_message: Message | None, nplurals: int, *, regional: bool = False
) -> list[str]:
    problems = []
    label = f"{where}: {message.context + ' | ' if message.context else ''}{_key(message)[1]!r}"
    if template_message is None:
        return [f"{label}: not in the template (the code no longer uses it); run update"]
    if message.id != template_message.id:
        return [f"{label}: its plural differs from the template's; run update"]
    if message.fuzzy:
        problems.append(f"{label}: marked fuzzy; check the translation and remove the flag")
    strings = _texts(message.string)
    if message.pluralizable and len(strings) != nplurals:
        problems.append(f"{label}: {len(strings)} plural forms, the catalog's Plural-Forms says {nplurals}")
    if regional and not any(strings):
        pass  # left empty (as pybabel update leaves new entries): the language's catalog answers
    elif not all(strings):
        missing = "not every plural form is translated" if message.pluralizable else "not translated"
        problems.append(f"{label}: {missing}")
    expected = set().union(*(_fields(text) for text in _texts(message.id)))
    for string in filter(None, strings):
        if _fields(string) != expected:
            fields = sorted(_fields(string))
            problems.append(f"{label}: translation {string!r} has the fields {fields}, not {sorted(expected)}")
    return problems


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


# Literal first arguments of the gettext calls, found as text: Babel's extractor does not look inside
# f-strings before Python 3.12, so a label used only there would be missing from the .pot.
_CALL = re.compile(
    r"""\b(?P<function>n?p?gettext)\(\s*(?P<first>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
    r"""(?:\s*,\s*(?P<second>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))?"""
)


def used_labels(package: Path | None = None) -> dict[Key, str]:
    """Every ``(context, msgid)`` that the package's code passes to a gettext function as a literal, with a location."""
    found: dict[Key, str] = {}
    for path in sorted((package or PACKAGE).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in _CALL.finditer(text):
            first = ast.literal_eval(match["first"])
            if match["function"].startswith(("p", "np")):
                if match["second"] is None:
                    continue
                key: Key = (first, ast.literal_eval(match["second"]))
            else:
                key = (None, first)
            line = text.count("\n", 0, match.start()) + 1
            found.setdefault(key, f"{_shown(path)}:{line}")
    return found


def check(locale_dir: Path | None = None, package: Path | None = None) -> list[str]:
    """Every reason the catalogs in ``locale_dir`` are incomplete or behind the code in ``package``; empty if none."""
    problems = []
    locale_dir = locale_dir or LOCALE_DIR
    template_path = locale_dir / f"{DOMAIN}.pot"
    template_name = _shown(template_path)
    current = {_key(message): message for message in _messages(extract(package))}
    for key, where in used_labels(package).items():
        if key not in current:
            problems.append(
                f"{where}: {key[1]!r} is passed to gettext but Babel does not extract it;"
                " call gettext outside f-strings"
            )
    if not template_path.is_file():
        return [*problems, f"{template_name} is missing; run: python scripts/catalogs.py update"]
    committed = {_key(message): message for message in _messages(_read(template_path))}
    stale = []
    for key in sorted(set(current) - set(committed), key=str):
        stale.append(f"{template_name}: lacks {key[1]!r} (context {key[0]!r}), which the code uses")
    for key in sorted(set(committed) - set(current), key=str):
        stale.append(f"{template_name}: has {key[1]!r} (context {key[0]!r}), which the code no longer uses")
    for key in sorted(set(current) & set(committed), key=str):
        if current[key].id != committed[key].id:
            stale.append(f"{template_name}: the plural of {key[1]!r} changed in the code")
    if stale:
        problems += [*stale, "run: python scripts/catalogs.py update, then translate what is new"]

    languages = {path.parent.parent.name: path for path in po_files(locale_dir)}
    for language in COMPLETE:
        if language not in languages:
            problems.append(f"no catalog for {language!r}; run: python scripts/catalogs.py init {language}")
    for language, path in sorted(languages.items()):
        problems += _check_catalog(language, path, current)
    return problems


def _check_catalog(language: str, path: Path, current: dict[Key, Message]) -> list[str]:
    problems = []
    where = _shown(path)
    regional = "_" in language
    catalog = _read(path)
    if catalog.fuzzy:
        problems.append(f"{where}: the header is marked fuzzy")
    plural_forms = dict(catalog.mime_headers).get("Plural-Forms")
    if not plural_forms:
        problems.append(f"{where}: no Plural-Forms header")
    elif not regional:
        expected = get_plural(language).plural_forms
        if plural_forms.replace(" ", "") != expected.replace(" ", ""):
            problems.append(f"{where}: Plural-Forms {plural_forms!r}, but CLDR (through Babel) says {expected!r}")
    messages = {_key(message): message for message in _messages(catalog)}
    for key, message in messages.items():
        problems += _check_message(where, message, current.get(key), catalog.num_plurals, regional=regional)
    if not regional:
        for key in sorted(set(current) - set(messages), key=str):
            problems.append(f"{where}: lacks {key[1]!r} (context {key[0]!r}); run update and translate it")
    for message, errors in catalog.check():
        problems += [f"{where}: {_key(message)[1]!r}: {error}" for error in errors]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="write the .pot from the code")
    commands.add_parser("update", help="extract, then merge the .pot into every .po")
    commands.add_parser("init", help="start a catalog for a new language").add_argument("language")
    commands.add_parser("compile", help="compile every .po to a .mo beside it")
    commands.add_parser("check", help="fail if a catalog is incomplete or out of date")
    args = parser.parse_args(argv)
    if args.command == "extract":
        _write(extract(), TEMPLATE)
        print(f"wrote {_shown(TEMPLATE)}")
    elif args.command == "update":
        update()
    elif args.command == "init":
        init(args.language)
    elif args.command == "compile":
        compile_all()
    else:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            return 1
        print(f"catalogs complete and up to date: {', '.join(path.parent.parent.name for path in po_files())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
