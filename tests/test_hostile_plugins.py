"""Hostile plugins: whatever a plugin's code raises or returns, the host reports it and goes on.

A plugin that calls ``sys.exit()``, raises ``GeneratorExit``, returns text no
file can hold or declares a suffix that climbs out of the output folder becomes
a ``PluginError`` (at render time) or a ``PluginWarning`` with the plugin
skipped (at load and registration time), naming the plugin. Ctrl-C still
stops everything.
"""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import newsarticle
from newsarticle import Article, Option, RenderContext, Section, hookimpl
from newsarticle._plugins import DISABLE_AUTOLOAD_ENV, Registry, make_plugin_manager
from newsarticle._render import render_encoded

#: The output folder's manifest of how each output was made (docs/cli.md): not an output.
MANIFEST = ".newsarticle-manifest.json"

ARTICLE = Article(
    headline="Stadtrat beschließt Haushalt",
    language="de",
    category="Politik",
    sections=(Section(paragraphs=("Der Kämmerer sagte: „Wir sparen.“",)),),
)
DATA = Path(__file__).parent / "data"


def _raise_system_exit() -> None:
    sys.exit(3)


def _raise_system_exit_zero() -> None:
    sys.exit()


def _raise_generator_exit() -> None:
    raise GeneratorExit


def _raise_runtime_error() -> None:
    raise RuntimeError("boom")


def _raise_group_of_exits() -> None:
    group: Any = getattr(builtins, "BaseExceptionGroup", None)
    if group is None:  # Python 3.10 has no exception groups
        sys.exit(4)
    raise group("several", [SystemExit(4), ValueError("x")])


class _ReprExits(Exception):
    def __repr__(self) -> str:
        sys.exit(5)


def _raise_with_a_repr_that_exits() -> None:
    raise _ReprExits("hidden")


class _OwnBaseException(BaseException):
    """Neither an interrupt nor anything ``except Exception`` catches."""


def _raise_own_base_exception() -> None:
    raise _OwnBaseException("mine")


FAULTS: dict[str, Callable[[], None]] = {
    "sys.exit(3)": _raise_system_exit,
    "sys.exit()": _raise_system_exit_zero,
    "GeneratorExit": _raise_generator_exit,
    "RuntimeError": _raise_runtime_error,
    "group of SystemExit": _raise_group_of_exits,
    "__repr__ exits": _raise_with_a_repr_that_exits,
    "own BaseException": _raise_own_base_exception,
}


def _interrupt() -> None:
    raise KeyboardInterrupt


class Shout:
    name = "shout"
    media_type = "text/plain"
    suffix = ".shout"
    description = "The headline in capitals."
    options: tuple[Option, ...] = ()

    def render(self, article: Article, context: RenderContext) -> str | bytes:
        return article.headline.upper()


def plugin_with(renderer: object = None, transform: object = None) -> object:
    class Plugin:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            if renderer is not None:
                register(renderer)

        @hookimpl
        def register_transforms(self, register: Any) -> None:
            if transform is not None:
                register(transform)

    return Plugin()


@pytest.fixture
def registered() -> Iterator[Callable[..., str]]:
    """Register a plugin in the process-wide registry, and remove it afterwards."""
    names: list[str] = []

    def register(plugin: object, name: str) -> str:
        names.append(newsarticle.register_plugin(plugin, name=name))
        return names[-1]

    yield register
    for name in names:
        newsarticle.unregister_plugin(name)


def renderer_that(action: Callable[[], object], name: str = "hostile") -> Shout:
    class Hostile(Shout):
        def render(self, article: Article, context: RenderContext) -> str | bytes:
            result = action()
            assert isinstance(result, (str, bytes))
            return result

    renderer = Hostile()
    renderer.name = name
    return renderer


# -- faults at render time become PluginError ------------------------------------------------


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_renderer_that_exits_or_raises_is_a_plugin_error(
    registered: Callable[..., str], fault: Callable[[], None]
) -> None:
    registered(plugin_with(renderer_that(fault)), "hostile-plugin")
    with pytest.raises(newsarticle.PluginError, match=r"renderer 'hostile' from plugin 'hostile-plugin'") as info:
        newsarticle.render(ARTICLE, "hostile")
    assert info.value.__cause__ is not None  # the plugin's own exception, for a traceback
    assert newsarticle.render(ARTICLE, "source") == newsarticle.unparse(ARTICLE)


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_transform_that_exits_or_raises_is_a_plugin_error(
    registered: Callable[..., str], fault: Callable[[], None]
) -> None:
    class Exiting:
        name = "exiting"
        description = "Fails."

        def apply(self, article: Article, context: RenderContext) -> Article:
            fault()
            return article

    registered(plugin_with(transform=Exiting()), "exiting-plugin")
    with pytest.raises(newsarticle.PluginError, match=r"transform 'exiting' from plugin 'exiting-plugin'"):
        newsarticle.render(ARTICLE, "source", transforms=["exiting"])


def _forged(**fields: object) -> Article:
    """An Article with fields its validators refuse, built around them as a careless plugin could."""
    article = Article(headline="Titel", language="de", sections=ARTICLE.sections)
    for name, value in fields.items():
        object.__setattr__(article, name, value)
    return article


class _Subclassed(Article):
    pass


@pytest.mark.parametrize(
    "make",
    [
        lambda: _forged(headline="Zeile eins\nPolitik"),
        lambda: _forged(headline="\u00a0"),
        lambda: _forged(sections=(Section(paragraphs=("a",)), Section(paragraphs=("b",)))),
        lambda: _forged(sections=("not a section",)),
        lambda: _forged(sections=(_forged_section("Absatz\n\nnoch einer"),)),
        lambda: _Subclassed(headline="Titel", language="de", sections=ARTICLE.sections),
        lambda: "Titel",
    ],
    ids=[
        "newline in headline",
        "blank headline",
        "second section without heading",
        "not a section",
        "forged section",
        "subclass",
        "a str",
    ],
)
def test_a_transform_that_returns_what_validation_refuses_is_a_plugin_error(
    registered: Callable[..., str], make: Callable[[], object]
) -> None:
    class Forging:
        name = "forging"
        description = "Builds around the validators."

        def apply(self, article: Article, context: RenderContext) -> object:
            return make()

    registered(plugin_with(transform=Forging()), "forging-plugin")
    with pytest.raises(newsarticle.PluginError, match=r"transform 'forging' from plugin 'forging-plugin' returned"):
        newsarticle.render(ARTICLE, "source", transforms=["forging"])


def _forged_section(paragraph: str) -> Section:
    section = Section(paragraphs=("a",))
    object.__setattr__(section, "paragraphs", (paragraph,))
    return section


def test_a_huge_exception_message_is_cut_in_the_error(registered: Callable[..., str]) -> None:
    def huge() -> str:
        raise RuntimeError("x" * 10_000_000)

    registered(plugin_with(renderer_that(huge)), "huge-plugin")
    with pytest.raises(newsarticle.PluginError) as raised:
        newsarticle.render(ARTICLE, "hostile")
    message = str(raised.value)
    assert message.startswith("renderer 'hostile' from plugin 'huge-plugin' on ")
    assert message.endswith("xxx... (9,998,016 more characters)")
    assert len(message) < 2200


def test_a_huge_line_of_a_traceback_is_cut_when_shown() -> None:
    from newsarticle._batch.records import shown_traceback

    try:
        raise RuntimeError("y" * 1_000_000)
    except RuntimeError:
        import traceback

        shown = shown_traceback(traceback.format_exc())
    assert "    RuntimeError: yyy" in shown
    assert max(map(len, shown.splitlines())) < 2100
    assert "... (998,014 more characters)" in shown


def test_a_register_callback_kept_and_called_after_the_hook_is_refused_not_lost(
    registered: Callable[..., str],
) -> None:
    kept: list[Any] = []

    class Keeper:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            kept.append(register)

    registered(Keeper(), "keeper")
    late = r"plugin 'keeper' called register\(\) after its register_renderers hook returned"
    with pytest.raises(newsarticle.PluginError, match=late):
        kept[0](Shout())
    assert "shout" not in [info.name for info in newsarticle.formats()]


def test_an_option_check_that_exits_is_a_plugin_error(registered: Callable[..., str]) -> None:
    class Exiting(Option):
        def check(self, value: object) -> Any:
            sys.exit(6)

    renderer = Shout()
    renderer.options = (Exiting(name="loud", type=bool, default=False, help="shout louder"),)
    registered(plugin_with(renderer), "option-plugin")
    assert newsarticle.render(ARTICLE, "shout") == "STADTRAT BESCHLIESST HAUSHALT"
    with pytest.raises(newsarticle.PluginError, match=r"option 'loud' of renderer 'shout' from plugin 'option-plugin'"):
        newsarticle.render(ARTICLE, "shout", loud=True)


@pytest.mark.parametrize(
    "error",
    [
        newsarticle.PluginError("my own words"),
        newsarticle.ParseError("my own words", source="inner.txt", line=2),
        newsarticle.UnknownFormatError("my own words"),
        newsarticle.DeserializationError("my own words"),
        newsarticle.PluginError(),
    ],
    ids=["PluginError", "ParseError", "UnknownFormatError", "DeserializationError", "PluginError without a message"],
)
def test_a_library_error_raised_by_a_plugin_keeps_its_type_and_names_the_plugin(
    registered: Callable[..., str], error: newsarticle.NewsArticleError
) -> None:
    def fail() -> None:
        raise error

    registered(plugin_with(renderer_that(fail)), "honest-plugin")
    with pytest.raises(type(error)) as info:
        newsarticle.render(ARTICLE, "hostile")
    assert type(info.value) is type(error)
    assert info.value.__cause__ is error
    message = str(info.value)
    assert message.count("renderer 'hostile' from plugin 'honest-plugin'") == 1
    assert "my own words" in message or not error.args
    if isinstance(error, newsarticle.ParseError):
        assert message.startswith("inner.txt:2:1: ")


def test_a_caller_error_met_in_a_renderer_keeps_its_message(registered: Callable[..., str]) -> None:
    def fail() -> None:
        raise newsarticle.OptionError("option 'timezone' takes an IANA zone, not 'Nope/X'")

    registered(plugin_with(renderer_that(fail)), "zone-plugin")
    with pytest.raises(newsarticle.OptionError) as info:
        newsarticle.render(ARTICLE, "hostile")
    assert str(info.value) == "option 'timezone' takes an IANA zone, not 'Nope/X'"


class _Treacherous(str):
    def __str__(self) -> str:  # noqa: PLE0307 -- it never returns
        sys.exit(13)

    def __format__(self, spec: str) -> str:
        sys.exit(13)


class _OwnError(newsarticle.PluginError):
    def __str__(self) -> str:  # noqa: PLE0307 -- it never returns
        sys.exit(14)


@pytest.mark.parametrize(
    "make",
    [
        lambda: _OwnError("hidden"),
        lambda: newsarticle.PluginError(_Treacherous("hidden")),
        lambda: newsarticle.OptionError(_Treacherous("hidden")),
        lambda: newsarticle.ParseError(_Treacherous("hidden"), source=_Treacherous("x.txt")),
        lambda: RuntimeError("\udc80 and \x1b[2J"),
    ],
    ids=["subclass whose __str__ exits", "str subclass in args", "in an OptionError", "in a ParseError", "surrogates"],
)
def test_the_error_a_caller_gets_runs_no_plugin_code_when_printed(
    registered: Callable[..., str], make: Callable[[], Exception]
) -> None:
    def fail() -> None:
        raise make()  # in the plugin's code: a ParseError formats its message as it is made

    registered(plugin_with(renderer_that(fail)), "treacherous-plugin")
    with pytest.raises(newsarticle.NewsArticleError) as info:
        newsarticle.render(ARTICLE, "hostile")
    message = str(info.value)  # would exit if it reached the plugin's __str__
    assert f"{info.value}" == message
    assert message.isprintable()  # no lone surrogate, no terminal escape
    assert "treacherous-plugin" in message or isinstance(info.value, newsarticle.OptionError)


def test_ctrl_c_in_a_renderer_or_transform_still_interrupts(registered: Callable[..., str]) -> None:
    class Interrupting:
        name = "interrupting"
        description = "Ctrl-C."

        def apply(self, article: Article, context: RenderContext) -> Article:
            raise KeyboardInterrupt

    registered(plugin_with(renderer_that(_interrupt), transform=Interrupting()), "interrupting-plugin")
    with pytest.raises(KeyboardInterrupt):
        newsarticle.render(ARTICLE, "hostile")
    with pytest.raises(KeyboardInterrupt):
        newsarticle.render(ARTICLE, "source", transforms=["interrupting"])


# -- what a renderer returns is checked once -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["\udc80", "Überschrift \ud800 und mehr", "a" * 10_000 + "\udfff", "\ud83d\ude00 (a pair, still not UTF-8)"],
    ids=["lone low", "lone high in text", "at the end of a long text", "surrogate pair"],
)
def test_text_that_is_not_unicode_is_a_plugin_error_naming_the_plugin(
    registered: Callable[..., str], text: str
) -> None:
    registered(plugin_with(renderer_that(lambda: text)), "surrogate-plugin")
    with pytest.raises(newsarticle.PluginError, match=r"'hostile' from plugin 'surrogate-plugin'.*surrogate.*made it"):
        newsarticle.render(ARTICLE, "hostile")
    with pytest.raises(newsarticle.PluginError, match=r"'hostile' from plugin 'surrogate-plugin'.*surrogate"):
        render_encoded(ARTICLE, "hostile")


def test_a_lone_surrogate_copied_from_the_article_is_not_blamed_on_the_renderer(
    registered: Callable[..., str],
) -> None:
    class Copier(Shout):
        name = "copier"

        def render(self, article: Article, context: RenderContext) -> str:
            return f"{article.headline} ({article.source})"

    registered(plugin_with(Copier()), "copier-plugin")
    named = Article(headline="Titel", language="de", sections=ARTICLE.sections, source="scraped/caf\udce9.txt")
    with pytest.raises(newsarticle.PluginError, match=r"'\\udce9' at index 18 is a lone surrogate \(the article"):
        newsarticle.render(named, "copier")
    assert newsarticle.render(ARTICLE, "copier") == f"{ARTICLE.headline} (None)"


@pytest.mark.parametrize("format", ["html", "markdown", "json", "text", "source"])
def test_render_encoded_is_render_in_utf8(format: str) -> None:
    rendered = newsarticle.render(ARTICLE, format, locale="en")
    assert isinstance(rendered, str)
    assert render_encoded(ARTICLE, format, locale="en") == rendered.encode("utf-8")


def test_str_and_bytes_subclasses_become_plain_str_and_bytes(registered: Callable[..., str]) -> None:
    class Sneaky(str):
        def encode(self, *args: object, **kwargs: object) -> bytes:
            sys.exit(7)

    class SneakyBytes(bytes):
        def __bytes__(self) -> bytes:  # noqa: PLE0308 -- it never returns
            sys.exit(8)

    registered(plugin_with(renderer_that(lambda: Sneaky("Grüße"), "text-sub")), "sub-plugin")
    registered(plugin_with(renderer_that(lambda: SneakyBytes(b"\x00\xff"), "bytes-sub")), "bytes-sub-plugin")
    text = newsarticle.render(ARTICLE, "text-sub")
    assert type(text) is str
    assert text.encode("utf-8") == "Grüße".encode()
    data = newsarticle.render(ARTICLE, "bytes-sub")
    assert type(data) is bytes
    assert bytes(data) == b"\x00\xff"


def test_an_object_that_only_claims_to_be_str_is_a_plugin_error(registered: Callable[..., str]) -> None:
    class Impostor:
        @property  # type: ignore[misc]
        def __class__(self) -> type:
            return str

    registered(plugin_with(renderer_that(Impostor)), "impostor-plugin")
    with pytest.raises(newsarticle.PluginError, match=r"'impostor-plugin'.*returned Impostor, not str or bytes"):
        newsarticle.render(ARTICLE, "hostile")


# -- faults at load and registration time skip the plugin with a PluginWarning ---------------


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_hook_that_exits_skips_the_plugin_with_a_warning(fault: Callable[[], None]) -> None:
    class Exiting:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            register(Shout())
            fault()

    pm, providers = make_plugin_manager(load_entry_points=False)
    pm.register(Exiting(), name="exiting")
    with pytest.warns(newsarticle.PluginWarning, match=r"plugin 'exiting' failed to register and was skipped"):
        registry = Registry.build(pm, providers)
    assert "shout" not in registry.renderers  # nothing of a failed plugin is registered
    assert {"html", "json", "markdown", "source", "text"} <= set(registry.renderers)


@pytest.mark.parametrize("attribute", ["name", "suffix", "media_type", "description", "options", "render"])
def test_a_renderer_property_that_exits_skips_the_plugin(attribute: str) -> None:
    renderer = type("Exiting", (Shout,), {attribute: property(lambda self: sys.exit(9))})()
    pm, providers = make_plugin_manager(load_entry_points=False)
    pm.register(plugin_with(renderer), name="property-plugin")
    with pytest.warns(newsarticle.PluginWarning, match=r"plugin 'property-plugin' failed to register.*SystemExit"):
        registry = Registry.build(pm, providers)
    assert "shout" not in registry.renderers


def test_register_plugin_turns_an_exit_into_a_plugin_error_and_leaves_nothing_behind() -> None:
    class Exiting:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            register(Shout())
            sys.exit(10)

    with pytest.raises(newsarticle.PluginError, match=r"plugin 'exiting'.*SystemExit\(10\)"):
        newsarticle.register_plugin(Exiting(), name="exiting")
    assert "shout" not in {info.name for info in newsarticle.formats()}
    name = newsarticle.register_plugin(plugin_with(Shout()), name="exiting")  # the name is free again
    newsarticle.unregister_plugin(name)


def test_register_plugin_contains_a_plugin_whose_attributes_exit() -> None:
    class Exiting:
        def __getattr__(self, name: str) -> object:
            sys.exit(11)

    with pytest.raises(newsarticle.PluginError, match=r"plugin '[\w.<>]*Exiting'.*SystemExit\(11\)"):
        newsarticle.register_plugin(Exiting())


def test_ctrl_c_while_registering_still_interrupts() -> None:
    class Interrupting:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            raise KeyboardInterrupt

    pm, providers = make_plugin_manager(load_entry_points=False)
    pm.register(Interrupting(), name="interrupting")
    with pytest.raises(KeyboardInterrupt):
        Registry.build(pm, providers)


def test_a_computed_suffix_is_read_once_and_kept() -> None:
    class Fickle(Shout):
        reads = 0

        @property
        def suffix(self) -> str:  # type: ignore[override]
            Fickle.reads += 1
            return ".shout" if Fickle.reads == 1 else "/../../escaped"

    pm, providers = make_plugin_manager(load_entry_points=False)
    pm.register(plugin_with(Fickle()), name="fickle")
    registry = Registry.build(pm, providers)
    renderer = registry.renderers["shout"][0]
    assert (renderer.suffix, renderer.suffix) == (".shout", ".shout")
    assert Fickle.reads == 1


# -- names, suffixes and media types are validated at registration ---------------------------

BAD_SUFFIXES = [
    "./../../x",
    "../x",
    ".x/y",
    ".x\\y",
    "/x",
    ".",
    "..",
    ".a..b",
    ".tar.",
    "",
    "html",
    ".x\x00",
    ".x\n",
    ".x y",
    ".-rf",
    ".é",
    ".a:b",
    "." + "a" * 40,
]
BAD_NAMES = ["", "-t", "--force", "a/b", "a b", "a,b", "a\x1b[31m", "é", "a\n", "a" * 65, ".."]
BAD_MEDIA_TYPES = ["text", "text/", "/html", "text/html\r\nX-Evil: 1", "text/html\n", "text/ html", "ä/b", ""]
BAD_DESCRIPTIONS = ["two\nlines", "\x1b[2J cleared", "\u202eevil", "a\u2028b", "\udc80", "x" * 501]


def _refused(renderer: object) -> str:
    """The PluginWarning for a renderer that the registry skipped; fails if it was registered."""
    pm, providers = make_plugin_manager(load_entry_points=False)
    pm.register(plugin_with(renderer), name="careless")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        registry = Registry.build(pm, providers)
    assert {name for name, (_, p) in registry.renderers.items() if p.plugin == "careless"} == set()
    [warning] = [w for w in caught if issubclass(w.category, newsarticle.PluginWarning)]
    message = str(warning.message)
    assert "plugin 'careless'" in message
    message.encode("utf-8")  # a lone surrogate in the bad value is shown escaped
    return message


def _with(**attributes: object) -> Shout:
    renderer = Shout()
    for key, value in attributes.items():
        setattr(renderer, key, value)
    return renderer


@pytest.mark.parametrize("suffix", BAD_SUFFIXES)
def test_a_suffix_that_is_not_a_plain_name_is_refused(suffix: str) -> None:
    assert "suffix" in _refused(_with(suffix=suffix))


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_format_name_the_command_line_would_misread_is_refused(name: str) -> None:
    assert "name" in _refused(_with(name=name))


@pytest.mark.parametrize("name", ["jsonl", "JSONL", "JsonL"])
def test_a_renderer_cannot_take_a_collection_format_s_name_by_accident(name: str) -> None:
    # Renderers and collection formats share one namespace of names: -t jsonl must mean one format.
    message = _refused(_with(name=name))
    assert f"registers {name!r}, which plugin 'newsarticle.renderers.jsonl'" in message
    assert "replace=True" in message


@pytest.mark.parametrize("media_type", BAD_MEDIA_TYPES)
def test_a_media_type_that_is_not_type_slash_subtype_is_refused(media_type: str) -> None:
    assert "media type" in _refused(_with(media_type=media_type))


@pytest.mark.parametrize("description", BAD_DESCRIPTIONS)
def test_a_description_that_is_not_one_line_of_text_is_refused(description: str) -> None:
    assert "description" in _refused(_with(description=description))


@pytest.mark.parametrize(
    "options",
    [
        (Option(name="locale", type=str, default="de", help="shadowed by render(locale=)"),),
        (Option(name="a-b", type=str, default="", help="not a keyword"),),
        (Option(name="x", type=str, default="", help="one"), Option(name="x", type=str, default="", help="two")),
        (Option(name="x", type=str, default="", help="two\nlines"),),
        (Option(name="x", type=str, default="", help="one", validator=42),),  # type: ignore[arg-type]
        "bang",
        42,
    ],
    ids=["reserved name", "not an identifier", "twice", "help of two lines", "validator", "a str", "not iterable"],
)
def test_options_that_callers_could_not_pass_are_refused(options: object) -> None:
    assert "option" in _refused(_with(options=options))


def test_a_transform_with_a_name_the_command_line_would_misread_is_refused() -> None:
    class Bad:
        name = "-x"
        description = "Nothing."

        def apply(self, article: Article, context: RenderContext) -> Article:
            return article

    with pytest.raises(newsarticle.PluginError, match=r"plugin 'bad-transform'.*name '-x'"):
        newsarticle.register_plugin(plugin_with(transform=Bad()), name="bad-transform")


@pytest.mark.parametrize(
    ("suffix", "media_type", "name"),
    [
        (".html", "text/html", "html5"),
        (".ninjs.json", "application/json", "ninjs2"),
        (".tar.gz", "application/gzip", "a.b_c+d-e"),
        (".c++", "text/x-c++src", "C99"),
        (".txt", "text/plain; charset=utf-8", "plain"),
    ],
)
def test_ordinary_names_suffixes_and_media_types_are_accepted(
    registered: Callable[..., str], suffix: str, media_type: str, name: str
) -> None:
    registered(plugin_with(_with(suffix=suffix, media_type=media_type, name=name)), "ordinary")
    info = {f.name: f for f in newsarticle.formats()}[name]
    assert (info.suffix, info.media_type, info.plugin) == (suffix, media_type, "ordinary")


# -- the command line: a hostile plugin costs its files, not the batch -----------------------

HOSTILE_MODULE = textwrap.dedent(
    """
    import sys
    import newsarticle

    class Hostile:
        name = "hostile"
        media_type = "text/plain"
        suffix = ".hostile"
        description = "Exits on one article, returns broken text for another."
        options = ()

        def render(self, article, context):
            if "Exit" in article.headline:
                sys.exit(7)
            if "Surrogate" in article.headline:
                return "\\udc80"
            return article.headline

    @newsarticle.hookimpl
    def register_renderers(register):
        register(Hostile())
    """
)
ESCAPING_MODULE = HOSTILE_MODULE.replace('name = "hostile"', 'name = "escaping"').replace(
    'suffix = ".hostile"', 'suffix = "./../../escaped"'
)


def _distribution(site: Path, module: str, source: str, entry_point: str = "hostile") -> None:
    """A distribution ``<module>`` 0.1 with one entry point, laid out as pip would."""
    (site / f"{module}.py").write_text(source, encoding="utf-8")
    dist_info = site / f"{module}-0.1.dist-info"
    dist_info.mkdir()
    metadata = f"Metadata-Version: 2.1\nName: {module.replace('_', '-')}\nVersion: 0.1\n"
    (dist_info / "METADATA").write_text(metadata, encoding="utf-8")
    (dist_info / "entry_points.txt").write_text(f"[newsarticle]\n{entry_point} = {module}\n", encoding="utf-8")


def _run_cli(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != DISABLE_AUTOLOAD_ENV}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "newsarticle", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="backslashreplace",
        env=environment,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def _articles(folder: Path, headlines: list[str]) -> None:
    folder.mkdir()
    for index, headline in enumerate(headlines):
        text = f"Politik\n{headline}\n2025-02-27\n\nEin Absatz.\n"
        (folder / f"{index:02d}.txt").write_text(text, encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_records_the_files_a_plugin_fails_and_converts_the_rest(tmp_path: Path, jobs: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "hostile_plugin", HOSTILE_MODULE)
    headlines = ["Erste Meldung", "Exit hier", "Zweite Meldung", "Surrogate hier", "Dritte Meldung"]
    _articles(tmp_path / "in", headlines)
    errors = tmp_path / "errors.jsonl"

    done = _run_cli(
        site, "convert", "in", "-t", "hostile", "-o", "out", "-j", jobs, "--errors", str(errors), cwd=tmp_path
    )

    assert done.returncode == 1, done.stderr  # not the plugin's 7, and not 0
    written = {
        path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "out").iterdir() if path.name != MANIFEST
    }
    assert written == {"00.hostile": "Erste Meldung", "02.hostile": "Zweite Meldung", "04.hostile": "Dritte Meldung"}
    assert "Traceback" not in done.stderr
    report = errors.read_text(encoding="utf-8")
    for failed in ("01.txt", "03.txt"):
        assert failed in report
    assert "plugin 'hostile' (distribution hostile-plugin 0.1)" in report
    assert "SystemExit(7)" in report
    assert "surrogate" in report


VALIDATING_MODULE = textwrap.dedent(
    """
    import sys
    import newsarticle

    def fault(value):
        if value == "exit":
            sys.exit(8)
        if value == "loop":
            while True:
                pass
        raise TypeError("no\\nin/00.txt:1:1: error: fake")

    class Validating:
        name = "validating"
        media_type = "text/plain"
        suffix = ".validating"
        description = "An option whose validator fails."
        options = (newsarticle.Option(name="mode", type=str, default="ok", help="h", validator=fault),)

        def render(self, article, context):
            return article.headline

    @newsarticle.hookimpl
    def register_renderers(register):
        register(Validating())
    """
)


@pytest.mark.slow
def test_an_option_validator_that_never_returns_is_bounded_by_the_time_limit(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "validating_plugin", VALIDATING_MODULE, entry_point="validating")
    _articles(tmp_path / "in", ["Erste Meldung"])
    command = [sys.executable, "-m", "newsarticle", "convert", "in", "-t", "validating", "-o", "out"]

    _stdout, stderr, status = _finished([*command, "-O", "mode=loop", "--timeout", "1"], site, tmp_path)

    assert status == 2, stderr
    assert "Traceback" not in stderr
    assert "-O mode=loop: the check of option 'mode' of format 'validating' from plugin 'validating'" in stderr
    assert "took longer than the time limit of 1 s (--timeout)" in stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
@pytest.mark.parametrize("value", ["exit", "type-error"])
def test_an_option_validator_that_fails_on_the_command_line_is_a_usage_error(tmp_path: Path, value: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "validating_plugin", VALIDATING_MODULE, entry_point="validating")
    _articles(tmp_path / "in", ["Erste Meldung"])

    done = _run_cli(site, "convert", "in", "-t", "validating", "-o", "out", "-O", f"mode={value}", cwd=tmp_path)

    assert done.returncode == 2, done.stderr  # not the plugin's 8, and no traceback
    assert "Traceback" not in done.stderr
    expected = f"newsarticle: error: -O mode={value}: option 'mode' of renderer 'validating' from plugin 'validating'"
    assert expected in done.stderr
    assert "\nin/00.txt:1:1: error: fake" not in done.stderr  # the plugin's newline stays escaped
    assert not (tmp_path / "out").exists()


FAKING_MODULE = textwrap.dedent(
    """
    import newsarticle

    class Faking:
        name = "faking"
        media_type = "text/plain"
        suffix = ".faking"
        description = "Fails with a message that fakes a line of the command's own."
        options = ()

        def render(self, article, context):
            raise RuntimeError("broke\\nin/01.txt:1:1: error: fake: \\u202eevil\\x1b[2J\\rin/02.txt:1:1: error: fake")

    @newsarticle.hookimpl
    def register_renderers(register):
        register(Faking())
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_plugin_message_in_a_traceback_cannot_fake_a_line_of_the_command(tmp_path: Path, jobs: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "faking_plugin", FAKING_MODULE, entry_point="faking")
    _articles(tmp_path / "in", ["Erste Meldung"])

    done = _run_cli(site, "convert", "in", "-t", "faking", "-o", "out", "-j", jobs, "--traceback", cwd=tmp_path)

    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert "    Traceback (most recent call last):" in lines
    assert "    RuntimeError: broke" in lines  # the traceback is shown, indented
    assert [line for line in lines if line.startswith(("in/01.txt", "in/02.txt"))] == []  # no faked line
    assert "\u202e" not in done.stderr
    assert "\x1b" not in done.stderr
    assert "\\u202eevil\\x1b[2J" in done.stderr


REENTRANT_MODULE = textwrap.dedent(
    """
    import newsarticle

    class Peek:
        name = "peek"
        media_type = "text/plain"
        suffix = ".peek"
        description = "Registered only when no html format exists."
        options = ()

        def render(self, article, context):
            return article.headline

    @newsarticle.hookimpl
    def register_renderers(register):
        if "html" not in [info.name for info in newsarticle.formats()]:
            register(Peek())
    """
)

# A plugin registered from a script whose hook changes the registry while it is being changed.
REENTRANT_SCRIPTS = {
    "register_plugin": "newsarticle.register_plugin(Inner(), name='inner')",
    "unregister_plugin": "newsarticle.unregister_plugin('outer')",
}


def _reentrant_script(call: str) -> str:
    return textwrap.dedent(
        f"""
        import newsarticle

        class Inner:
            pass

        class Outer:
            @newsarticle.hookimpl
            def register_renderers(self, register):
                {call}

        try:
            newsarticle.register_plugin(Outer(), name="outer")
        except newsarticle.PluginError as exc:
            print("refused:", exc)
        print("formats:", ", ".join(info.name for info in newsarticle.formats()))
        """
    )


def _finished(command: list[str], site: Path | None, cwd: Path) -> tuple[str, str, int]:
    from processes import finish

    environment = {key: value for key, value in os.environ.items() if key != DISABLE_AUTOLOAD_ENV}
    if site is not None:
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        cwd=cwd,
        start_new_session=True,
    )
    stdout, stderr = finish(process, 60)
    return stdout, stderr, process.returncode


@pytest.mark.slow
@pytest.mark.parametrize("call", REENTRANT_SCRIPTS.values(), ids=REENTRANT_SCRIPTS.keys())
def test_a_hook_that_calls_back_into_register_plugin_is_refused_not_a_deadlock(tmp_path: Path, call: str) -> None:
    stdout, stderr, status = _finished([sys.executable, "-c", _reentrant_script(call)], None, tmp_path)
    assert status == 0, stderr
    assert "refused: plugin 'outer': a plugin's hook used newsarticle's plugin registry" in stdout
    assert "formats: atom, html, json, jsonfeed, jsonl, markdown" in stdout


@pytest.mark.slow
def test_an_installed_plugin_whose_hook_lists_the_formats_is_skipped_not_a_hang(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "peek_plugin", REENTRANT_MODULE, entry_point="peek")

    stdout, stderr, status = _finished([sys.executable, "-m", "newsarticle", "formats"], site, tmp_path)

    assert status == 0, stderr
    assert "html  .html" in stdout
    assert "peek" not in stdout
    expected = "plugin 'peek' (distribution peek-plugin 0.1) failed to register and was skipped: a plugin's hook used"
    assert expected in stderr


@pytest.mark.slow
def test_a_suffix_that_escapes_the_output_folder_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "escaping_plugin", ESCAPING_MODULE, entry_point="escaping")
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    _articles(work / "in", ["Erste Meldung", "Zweite Meldung"])

    done = _run_cli(site, "convert", "in", "-t", "escaping", "-o", "out", "--force", cwd=work)

    assert done.returncode == 2, done.stderr
    assert "plugin 'escaping' (distribution escaping-plugin 0.1)" in done.stderr
    assert "suffix './../../escaped'" in done.stderr
    assert "unknown format 'escaping'" in done.stderr
    before = {path.relative_to(tmp_path) for path in tmp_path.rglob("*")}
    assert not any("escaped" in str(path) for path in before)
    assert not (work / "out").exists()


EXITING_AT_IMPORT = "import sys\nsys.exit(12)\n"


@pytest.mark.slow
def test_a_plugin_that_exits_at_import_is_skipped_and_the_command_runs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "exiting_plugin", EXITING_AT_IMPORT, entry_point="exiting")

    done = _run_cli(site, "convert", str(DATA / "001_174fa88330290a76.txt"), "-t", "json", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert newsarticle.from_json(done.stdout).headline
    assert "plugin 'exiting' (distribution exiting-plugin 0.1) failed to load and was skipped" in done.stderr
    assert "SystemExit(12)" in done.stderr
    quiet = _run_cli(site, "convert", str(DATA / "001_174fa88330290a76.txt"), "-t", "json", "-q", cwd=tmp_path)
    assert quiet.returncode == 0
    assert quiet.stderr == ""  # -q leaves out warnings, plugin warnings too


@pytest.mark.slow
def test_a_distribution_with_malformed_entry_points_costs_only_itself(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _distribution(site, "hostile_plugin", HOSTILE_MODULE)
    dist_info = site / "malformed-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: malformed\nVersion: 0.1\n", encoding="utf-8")
    (dist_info / "entry_points.txt").write_text("[newsarticle]\nno equals sign here\n", encoding="utf-8")

    done = _run_cli(site, "formats", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    listed = {line.split()[0] for line in done.stdout.splitlines() if line and not line.startswith(" ")}
    assert {"hostile", "html", "json", "markdown", "source", "text"} <= listed
    assert "(distribution malformed 0.1) failed to load and was skipped" in done.stderr
