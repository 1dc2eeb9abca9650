"""The built-in renderers write Unicode whatever the article holds, so render() need not encode their output.

``render()`` checks a plugin's text for lone surrogates by encoding it (a pass
over every non-ASCII output). The built-in renderers skip that check: they
build text only from what is validated (the model's fields, option values)
and from Babel's data. These tests hold them to it with hostile articles and
options, and make sure nothing else gets the shortcut: a plugin that subclasses
a built-in renderer, or claims its module, is still checked.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsarticle
from newsarticle import Article, RenderContext, Section, hookimpl
from newsarticle._render import coerce_options, render_encoded
from newsarticle.renderers.html import HtmlRenderer
from strategies import articles, one_line_text

ARTICLE = Article(headline="Stadtrat tagt", language="de", sections=(Section(paragraphs=("Der Rat tagte.",)),))
BUILT_IN = ("html", "markdown", "json", "text", "source")
LONE = "\ud800"

# Patterns that show every part of a date-time Babel can show, the zone's name and city among them.
_DATE_PATTERNS = ("long", "full", "short")
_TIME_PATTERNS = ("d. MMMM y HH:mm zzzz", "y-MM-dd HH:mm VVVV", "d.M.y z v O xxx", "y VV")


def _zones() -> st.SearchStrategy[dt.tzinfo]:
    """Fixed offsets, with names that may hold anything, and real zones."""
    offsets = st.integers(-23 * 60, 23 * 60).map(lambda minutes: dt.timedelta(minutes=minutes))
    names = st.text(st.characters(exclude_categories=()), min_size=1, max_size=5)  # lone surrogates included
    named = st.builds(dt.timezone, offsets, names)
    real = st.sampled_from(("Europe/Berlin", "America/St_Johns", "Asia/Kolkata", "UTC")).map(zoneinfo.ZoneInfo)
    return st.one_of(named, real, st.builds(dt.timezone, offsets))


@st.composite
def _dated_articles(draw: st.DrawFn) -> Article:
    article = draw(articles())
    moment = draw(st.datetimes(timezones=_zones()))
    published = draw(st.sampled_from((article.published, moment)))
    return Article(
        headline=article.headline,
        language=article.language,
        category=article.category,
        published=published,
        sections=article.sections,
        trailer=article.trailer,
        source=draw(st.none() | one_line_text() | st.just(f"scraped/caf{LONE}.txt")),
    )


# Generation builds whole articles with date-times in many zones: on a loaded machine slower than Hypothesis's
# default patience, which is no fault of the code under test.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(article=_dated_articles(), format=st.sampled_from(BUILT_IN), data=st.data())
def test_built_in_output_is_unicode_or_refused(article: Article, format: str, data: st.DataObject) -> None:
    timed = isinstance(article.published, dt.datetime)  # a date has no time fields to show
    pattern = data.draw(st.sampled_from(_DATE_PATTERNS + _TIME_PATTERNS if timed else _DATE_PATTERNS))
    options = {"date_format": pattern} if format in ("html", "markdown", "text") else {}
    try:
        output = newsarticle.render(article, format, **options)
    except newsarticle.PluginError as exc:
        refused = str(exc)
    else:
        assert isinstance(output, str)
        output.encode("utf-8")  # raises on a lone surrogate
        return
    # Only the name of a time zone of the caller's can bring a lone surrogate in; the check that remains catches it.
    zone = article.published.tzinfo if isinstance(article.published, dt.datetime) else None
    assert zone is not None
    assert not str(zone.tzname(None)).isascii()
    assert "lone surrogate" in refused


@pytest.mark.parametrize("format", ["html", "markdown", "text"])
@pytest.mark.parametrize("pattern", ["y VV", "y VVVV", "y v"])
def test_a_time_zone_name_with_a_lone_surrogate_is_still_refused(format: str, pattern: str) -> None:
    zone = dt.timezone(dt.timedelta(hours=1), f"Z{LONE}")
    published = dt.datetime(2025, 3, 1, 9, tzinfo=zone)
    dated = Article(headline="Häh", language="de", published=published, sections=ARTICLE.sections)
    with pytest.raises(newsarticle.PluginError, match=r"lone surrogate"):
        newsarticle.render(dated, format, date_format=pattern)


@pytest.mark.parametrize("format", ["html", "markdown", "text"])
def test_a_lone_surrogate_in_an_option_is_an_option_error(format: str) -> None:
    pattern = f"d. MMMM y '{LONE}'"
    dated = Article(headline="T", language="de", published=dt.date(2025, 3, 1), sections=ARTICLE.sections)
    with pytest.raises(newsarticle.OptionError, match=r"'date_format' takes Unicode text.*lone surrogate"):
        newsarticle.render(dated, format, date_format=pattern)
    with pytest.raises(newsarticle.OptionError, match=r"'date_format' takes Unicode text"):
        render_encoded(dated, format, date_format=pattern)
    # As a command line gives it: an argument that is not UTF-8 arrives surrogate-escaped.
    with pytest.raises(newsarticle.OptionError, match=r"'date_format' takes Unicode text"):
        coerce_options(format, {"date_format": pattern})


@pytest.fixture
def registered() -> Iterator[Callable[[object, str], None]]:
    names: list[str] = []

    def register(renderer: object, name: str) -> None:
        class Plugin:
            @hookimpl
            def register_renderers(self, register: Callable[[object], None]) -> None:
                register(renderer)

        names.append(newsarticle.register_plugin(Plugin(), name=name))

    yield register
    for name in names:
        newsarticle.unregister_plugin(name)


def test_a_subclass_of_a_built_in_renderer_is_still_checked(registered: Callable[[object, str], None]) -> None:
    class Sneaky(HtmlRenderer):
        name = "sneaky"

        def render(self, article: Article, context: RenderContext) -> str:
            return "<p>caf\u00e9" + LONE + "</p>"

    registered(Sneaky(), "sneaky-plugin")
    with pytest.raises(newsarticle.PluginError, match=r"'sneaky' from plugin 'sneaky-plugin'.*lone surrogate"):
        newsarticle.render(ARTICLE, "sneaky")


def test_a_class_that_claims_a_built_in_module_is_still_checked(registered: Callable[[object, str], None]) -> None:
    class HtmlRenderer:  # the name and module of the real one
        name = "impostor"
        media_type = "text/html"
        suffix = ".imp"
        description = "Claims to be built in."
        options = ()

        def render(self, article: Article, context: RenderContext) -> str:
            return "caf\u00e9" + LONE

    HtmlRenderer.__module__ = "newsarticle.renderers.html"
    HtmlRenderer.__qualname__ = "HtmlRenderer"
    registered(HtmlRenderer(), "impostor-plugin")
    with pytest.raises(newsarticle.PluginError, match=r"'impostor' from plugin 'impostor-plugin'.*lone surrogate"):
        newsarticle.render(ARTICLE, "impostor")
