"""Options: each value is checked once, by its Option, before any renderer sees it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

import newsarticle
from newsarticle import Article, Option, RenderContext, Section, hookimpl

ARTICLE = Article(
    headline="Stadtrat beschließt Haushalt",
    language="de",
    sections=(Section(paragraphs=("Der Rat tagt.",)),),
)


def _even(value: int) -> None:
    if value % 2:
        raise ValueError("an even number")


class Counted:
    """A renderer that counts its calls, so a test can tell that a bad value never reached it."""

    name = "counted"
    media_type = "text/plain"
    suffix = ".counted"
    description = "The headline, counted."
    options = (
        Option(name="size", type=int, default=2, help="an even size", min=0, max=10, validator=_even),
        Option(name="mode", type=str, default="a", help="a mode", choices=("a", "b")),
        Option(name="ratio", type=float, default=0.5, help="a ratio", min=0, max=1),
        Option(name="loud", type=bool, default=False, help="shout"),
    )
    calls = 0

    def render(self, article: Article, context: RenderContext) -> str:
        Counted.calls += 1
        return f"{article.headline} {dict(context.options)}"


class CountedPlugin:
    @hookimpl
    def register_renderers(self, register: Any) -> None:
        register(Counted())


@pytest.fixture
def counted() -> Iterator[None]:
    name = newsarticle.register_plugin(CountedPlugin(), name="counted-plugin")
    Counted.calls = 0
    yield
    newsarticle.unregister_plugin(name)


@pytest.mark.usefixtures("counted")
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"size": -2}, "option 'size' takes 0 or more, not -2"),
        ({"size": 12}, "option 'size' takes 10 or less, not 12"),
        ({"size": 3}, "option 'size' takes an even number, not 3"),
        ({"size": "4"}, "option 'size' takes a whole number, not '4'"),
        ({"size": True}, "option 'size' takes a whole number, not True"),
        ({"mode": "c"}, "option 'mode' takes one of 'a', 'b', not 'c'"),
        ({"ratio": 1.5}, "option 'ratio' takes 1 or less, not 1.5"),
        ({"ratio": "x"}, "option 'ratio' takes a number, not 'x'"),
        ({"loud": 1}, "option 'loud' takes true or false, not 1"),
    ],
)
def test_a_value_the_option_refuses_never_reaches_the_renderer(options: dict[str, object], message: str) -> None:
    with pytest.raises(newsarticle.OptionError) as info:
        newsarticle.render(ARTICLE, "counted", **options)
    assert str(info.value) == message
    assert Counted.calls == 0


@pytest.mark.usefixtures("counted")
def test_coerce_options_turns_command_line_text_into_checked_values() -> None:
    options = newsarticle.coerce_options("counted", {"size": "4", "ratio": "1", "loud": "yes"})
    assert options == {"size": 4, "mode": "a", "ratio": 1.0, "loud": True}
    assert newsarticle.render(ARTICLE, "counted", **options).endswith(str(options))


@pytest.mark.usefixtures("counted")
@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ({"size": "four"}, "option 'size' takes a whole number, not 'four'"),
        ({"size": "5"}, "option 'size' takes an even number, not 5"),
        ({"loud": "maybe"}, "option 'loud' takes true or false, not 'maybe'"),
        ({"ratio": "2"}, "option 'ratio' takes 1 or less, not 2.0"),
        ({"colour": "red"}, "format 'counted' has no option 'colour'; its options: loud, mode, ratio, size"),
    ],
)
def test_coerce_options_names_the_option_the_value_and_what_it_takes(texts: dict[str, str], message: str) -> None:
    with pytest.raises(newsarticle.OptionError) as info:
        newsarticle.coerce_options("counted", texts)
    assert str(info.value) == message
    assert Counted.calls == 0


@pytest.mark.parametrize("format_name", ["html", "markdown", "text"])
@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ({"timezone": "Nope/X"}, "option 'timezone' takes an IANA time zone such as 'Europe/Berlin', not 'Nope/X'"),
        ({"timezone": ""}, "option 'timezone' takes an IANA time zone"),
        ({"date_format": "HH:mm"}, "option 'date_format' takes short, medium, long, full, or a CLDR date pattern"),
        ({"date_format": "{1}"}, "CLDR date pattern"),
        ({"date_format": "'d. MMMM y'"}, "CLDR date pattern"),
    ],
)
def test_date_options_are_checked_without_an_article(format_name: str, texts: dict[str, str], expected: str) -> None:
    with pytest.raises(newsarticle.OptionError, match=expected.replace("(", r"\(").replace(".", r"\.")):
        newsarticle.coerce_options(format_name, texts)


@pytest.mark.parametrize("date_format", ["long", "full", "d. MMMM y", "d. MMMM y, HH:mm", "EEEE, d. MMMM"])
def test_date_formats_that_suit_some_article_are_accepted(date_format: str) -> None:
    options = newsarticle.coerce_options("html", {"date_format": date_format, "timezone": "Europe/Berlin"})
    assert (options["date_format"], options["timezone"]) == (date_format, "Europe/Berlin")


@pytest.mark.parametrize(("format_name", "name"), [("json", "indent"), ("text", "width")])
def test_the_built_in_widths_take_zero_or_more(format_name: str, name: str) -> None:
    with pytest.raises(newsarticle.OptionError, match=rf"option '{name}' takes 0 or more, not -1"):
        newsarticle.coerce_options(format_name, {name: "-1"})
    assert newsarticle.coerce_options(format_name, {name: "0"})[name] == 0


def test_coerce_options_takes_an_alias_and_refuses_an_unknown_format() -> None:
    assert newsarticle.coerce_options("MD", {"front_matter": "true"})["front_matter"] is True
    with pytest.raises(newsarticle.UnknownFormatError, match="did you mean 'json'"):
        newsarticle.coerce_options("jsno", {})


def test_a_validator_that_exits_is_a_plugin_error_naming_the_option() -> None:
    def exits(value: object) -> None:
        sys.exit(3)

    class Exiting(Counted):
        name = "exiting"
        options = (Option(name="size", type=int, default=2, help="a size", validator=exits),)

    class Plugin:
        @hookimpl
        def register_renderers(self, register: Any) -> None:
            register(Exiting())

    name = newsarticle.register_plugin(Plugin(), name="exiting-validator")
    try:
        with pytest.raises(newsarticle.PluginError, match=r"option 'size' of renderer 'exiting' from plugin 'exiting"):
            newsarticle.coerce_options("exiting", {"size": "4"})
    finally:
        newsarticle.unregister_plugin(name)


@pytest.mark.parametrize(
    ("kind", "phrase"), [(int, "a whole number"), (float, "a number"), (str, "text"), (bool, "true or false")]
)
def test_an_option_of_each_type_says_what_it_takes_in_plain_words(kind: type, phrase: str) -> None:
    option = Option(name="x", type=kind, default=kind(), help="x")
    with pytest.raises(newsarticle.OptionError, match=f"option 'x' takes {phrase}, not "):
        option.check(object())


def test_an_option_of_another_type_takes_a_or_an_by_its_name() -> None:
    class Item:
        pass

    class Entry:
        pass

    with pytest.raises(newsarticle.OptionError, match="takes an Item, not"):
        Option(name="x", type=Item, default=Item(), help="x").check(1)
    with pytest.raises(newsarticle.OptionError, match="takes an Entry, not"):
        Option(name="x", type=Entry, default=Entry(), help="x").check(1)
    with pytest.raises(newsarticle.OptionError, match="takes a Counted, not"):
        Option(name="x", type=Counted, default=None, help="x").check(1)


@pytest.mark.parametrize(
    ("bounds", "words"), [({"min": 0.0}, "0.0 or more"), ({"max": 1}, "1 or less"), ({"min": 0, "max": 1}, "0 to 1")]
)
@pytest.mark.parametrize("text", ["nan", "NaN", "-nan"])
def test_not_a_number_is_outside_every_bound(bounds: dict[str, float], words: str, text: str) -> None:
    """NaN compares False with everything, so without its own check it would pass any min and max."""
    option = Option(name="ratio", type=float, default=0.5, help="x", **bounds)  # type: ignore[arg-type]
    with pytest.raises(newsarticle.OptionError, match=f"option 'ratio' takes {words}, not nan"):
        option.check(float(text))
    assert Option(name="free", type=float, default=0.5, help="x").check(float(text)) != 0  # no bound, no refusal


def test_a_validator_that_says_nothing_still_gives_a_sentence() -> None:
    def silent(_value: str) -> None:
        raise ValueError

    with pytest.raises(newsarticle.OptionError, match=r"^option 'x' takes another value, not 'a'$"):
        Option(name="x", type=str, default="b", help="x", validator=silent).check("a")


class Tabbed:
    """A renderer with a separator option, as a CSV or TSV format has one: a tab among its choices."""

    name = "tabbed"
    media_type = "text/plain"
    suffix = ".tabbed"
    description = "The headline."
    options = (Option(name="delimiter", type=str, default="\t", help="the separator", choices=(",", ";", "\t")),)

    def render(self, article: Article, context: RenderContext) -> str:
        return article.headline


class TabbedPlugin:
    @hookimpl
    def register_renderers(self, register: Any) -> None:
        register(Tabbed())


@pytest.fixture
def tabbed() -> Iterator[None]:
    name = newsarticle.register_plugin(TabbedPlugin(), name="tabbed-plugin")
    yield
    newsarticle.unregister_plugin(name)


@pytest.mark.usefixtures("tabbed")
def test_a_backslash_escape_for_a_choice_says_how_to_give_the_character() -> None:
    # -O 'delimiter=\t' in a shell passes a backslash and a t, not a tab.
    with pytest.raises(newsarticle.OptionError) as info:
        newsarticle.coerce_options("tabbed", {"delimiter": "\\t"})
    assert str(info.value) == (
        "option 'delimiter' takes one of ',', ';', '\\t', not '\\\\t': the shell passed the backslash as it is;"
        " give the character itself, as in -O delimiter=$'\\t' (bash, zsh)"
    )
    assert newsarticle.coerce_options("tabbed", {"delimiter": "\t"}) == {"delimiter": "\t"}
    with pytest.raises(newsarticle.OptionError) as other:
        newsarticle.coerce_options("tabbed", {"delimiter": "\\n"})  # an escape of no choice: the plain message
    assert str(other.value) == "option 'delimiter' takes one of ',', ';', '\\t', not '\\\\n'"


@pytest.mark.usefixtures("tabbed")
def test_formats_lists_a_tab_choice_and_default_as_its_escape(monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse
    import io

    from newsarticle._cli import listing, streams

    listed = io.StringIO()
    monkeypatch.setattr(streams.results, "stream", listed)
    listing.list_formats(argparse.Namespace(format="text"))
    line = next(line for line in listed.getvalue().splitlines() if "-O delimiter=" in line)
    assert line == "    -O delimiter=,|;|\\t  (default: \\t)"
