"""The ninjs format: valid against IPTC's official ninjs 3.1 schema, and faithful to the article.

Uses only newsarticle's public API, and finds the format as users do: through
the installed package's entry point.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema import validators
from newsarticle_ninjs import _URI, NINJS_SCHEMA_URI, URI_NAMESPACE, as_uri, content_uri, to_ninjs

import newsarticle
from newsarticle import Article, Diagnostic, OptionError, Section, render

HERE = Path(__file__).parent
SCHEMA_FILE = HERE / "ninjs-schema_3.1.json"
#: sha256 of IPTC's ninjs-schema_3.1.json: the copy here is theirs, unmodified.
SCHEMA_SHA256 = "404f578a299bf34e76e98f2de26ad9989882ebd7abf3a4d3cf3aa689b70a8744"
CORPUS = sorted((HERE.parents[2] / "tests" / "data").glob("*.txt"))

BERLIN = "Europe/Berlin"

ARTICLE = Article(
    headline="Stadtrat beschließt Haushalt <b>&</b>",
    language="de",
    category="Politik",
    published=dt.date(2025, 2, 27),
    sections=(
        Section(paragraphs=('Der Kämmerer sagte: "Wir sparen." 5 < 6 & 7 > 3.', "Zweiter Absatz.")),
        Section(heading="Die Opposition", paragraphs=("Sie ist dagegen.",)),
    ),
    trailer=("more stories", "See more"),
    source="article.txt",
)


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def _validator() -> Any:
    schema = _schema()
    cls = validators.validator_for(schema)  # by the schema's own $schema
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


VALIDATOR = _validator()


def _errors(document: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def _ninjs(article: Article, **options: Any) -> dict[str, Any]:
    output = render(article, "ninjs", **options)
    assert isinstance(output, str)
    document: dict[str, Any] = json.loads(output)
    return document


class _Blocks(HTMLParser):
    """The (tag, text) blocks of an HTML body, as an HTML client reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._tag: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert self._tag is None, f"<{tag}> inside <{self._tag}>"
        self._tag = tag
        self.blocks.append((tag, ""))

    def handle_endtag(self, tag: str) -> None:
        assert tag == self._tag
        self._tag = None

    def handle_data(self, data: str) -> None:
        if self._tag is None:
            assert data == "\n", f"text outside a block: {data!r}"
            return
        tag, text = self.blocks[-1]
        self.blocks[-1] = (tag, text + data)


def _html_blocks(html: str) -> list[tuple[str, str]]:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


def _model_blocks(article: Article) -> list[tuple[str, str]]:
    blocks = []
    for section in article.sections:
        if section.heading is not None:
            blocks.append(("h2", section.heading))
        blocks.extend(("p", paragraph) for paragraph in section.paragraphs)
    return blocks


def _percent_decoded(uri: str) -> str:
    from urllib.parse import unquote

    return unquote(uri)


def _check_faithful(article: Article, document: dict[str, Any]) -> None:
    assert document["type"] == "text"
    assert document["language"] == article.language
    assert document["headlines"] == [{"value": article.headline}]
    expected_uri = (None if article.url is None else as_uri(article.url)) or content_uri(article)
    assert document["uri"] == expected_uri
    if article.url is not None and expected_uri != content_uri(article):
        # The URL itself, percent-encoded only where RFC 3986 needs it.
        assert _percent_decoded(document["uri"]) == _percent_decoded(article.url)
    if article.authors:
        assert document["people"] == [{"name": name, "rel": "author"} for name in article.authors]
        assert all(name in document["by"] for name in article.authors)
    else:
        assert "people" not in document
        assert "by" not in document
    if article.description is None:
        assert "descriptions" not in document
    else:
        assert document["descriptions"] == [{"value": article.description}]
    if article.image is None or as_uri(article.image) is None:  # an IP-literal host has no URI form here
        assert "associations" not in document
    else:
        (image,) = document["associations"]
        assert image["type"] == "picture"
        assert image["name"] == "featureimage"
        assert _percent_decoded(image["uri"]) == _percent_decoded(article.image)
        assert image["renditions"] == [{"name": "original", "href": image["uri"]}]
    if article.category is None:
        assert "subjects" not in document
    else:
        assert document["subjects"] == [{"name": article.category}]
    if not article.sections:
        assert "bodies" not in document
        return
    html, text = document["bodies"]
    assert (html["contentType"], text["contentType"]) == ("text/html", "text/plain")
    assert html["wordCount"] == text["wordCount"] == article.word_count
    assert text["value"] == article.body
    assert _html_blocks(html["value"]) == _model_blocks(article)


# -- the schema copy --------------------------------------------------------------------------


def test_schema_is_iptcs_unmodified_with_its_license() -> None:
    assert hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest() == SCHEMA_SHA256
    license_text = (HERE / "ninjs-schema-LICENSE.txt").read_text(encoding="utf-8")
    assert "MIT License" in license_text
    assert "International Press Telecommunications Council" in license_text
    assert _schema()["$id"] == NINJS_SCHEMA_URI


def test_validation_follows_the_schemas_draft_with_format_checking_on() -> None:
    assert _schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert type(VALIDATOR).__name__ == "Draft202012Validator"
    # jsonschema skips "uri" and "date-time" silently without its format extra: fail instead.
    checked = set(VALIDATOR.format_checker.checkers)
    assert {"uri", "date-time"} <= checked, "install newsarticle-ninjs[test] (jsonschema[format-nongpl])"
    assert not VALIDATOR.is_valid({"uri": "not a uri"})
    assert not VALIDATOR.is_valid({"uri": "urn:x:y", "versionCreated": "2025-02-27"})
    assert not VALIDATOR.is_valid({"uri": "urn:x:y", "headline": "ninjs 1.x had this, 3.x does not"})


# -- found through the entry point ------------------------------------------------------------


def test_format_is_registered_by_the_installed_distribution() -> None:
    info = {f.name: f for f in newsarticle.formats()}["ninjs"]
    assert (info.plugin, info.distribution) == ("ninjs", "newsarticle-ninjs")
    assert (info.media_type, info.suffix) == ("application/json", ".ninjs.json")
    assert [o.name for o in info.options] == ["uri", "midnight_timezone", "date_only", "indent"]


# -- every corpus file ------------------------------------------------------------------------


def test_the_corpus_is_there() -> None:
    assert len(CORPUS) >= 30, f"newsarticle's corpus not found next to the plugin: {CORPUS}"


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
@pytest.mark.parametrize("midnight_timezone", [None, BERLIN])
def test_corpus_renders_valid_faithful_ninjs(path: Path, midnight_timezone: str | None) -> None:
    diagnostics: list[Diagnostic] = []
    article = newsarticle.parse_file(path, on_diagnostic=diagnostics.append)
    document = _ninjs(article, midnight_timezone=midnight_timezone)
    assert _errors(document) == []
    _check_faithful(article, document)
    if article.published is not None:  # never undated: by default a date-only date is noon UTC that day
        day = article.published.date() if isinstance(article.published, dt.datetime) else article.published
        assert dt.datetime.fromisoformat(document["firstCreated"]).date() == day


# -- the mapping ------------------------------------------------------------------------------


def test_keys_in_a_fixed_order_and_text_not_escaped() -> None:
    output = render(ARTICLE, "ninjs", midnight_timezone=BERLIN)
    assert isinstance(output, str)
    assert list(json.loads(output)) == [
        "uri", "standard", "type", "representationType", "language", "firstCreated", "versionCreated",
        "headlines", "subjects", "bodies",
    ]  # fmt: skip
    assert "beschließt" in output
    assert "\\u" not in output
    assert output.endswith("}\n")
    compact = render(ARTICLE, "ninjs", indent=0)
    assert isinstance(compact, str)
    assert compact.count("\n") == 1
    assert json.loads(compact) == to_ninjs(ARTICLE)


def test_standard_names_ninjs_3_1_and_its_schema() -> None:
    assert _ninjs(ARTICLE)["standard"] == {"name": "ninjs", "version": "3.1", "schema": NINJS_SCHEMA_URI}


def test_html_body_escapes_text() -> None:
    html = _ninjs(ARTICLE)["bodies"][0]["value"]
    assert html == (
        '<p>Der Kämmerer sagte: "Wir sparen." 5 &lt; 6 &amp; 7 &gt; 3.</p>\n<p>Zweiter Absatz.</p>\n'
        "<h2>Die Opposition</h2>\n<p>Sie ist dagegen.</p>"
    )


def test_article_without_category_or_body() -> None:
    bare = Article(headline="Nur eine Überschrift", language="de")
    document = _ninjs(bare)
    assert _errors(document) == []
    assert "subjects" not in document
    assert "bodies" not in document
    assert "firstCreated" not in document


def test_trailer_and_source_are_not_written() -> None:
    output = render(ARTICLE, "ninjs")
    assert isinstance(output, str)
    assert "more stories" not in output
    assert "article.txt" not in output


# -- dates ------------------------------------------------------------------------------------


def test_date_only_is_noon_utc_by_default() -> None:
    document = _ninjs(ARTICLE)
    assert document["firstCreated"] == document["versionCreated"] == "2025-02-27T12:00:00+00:00"
    assert _errors(document) == []
    # Noon UTC is still 27 February from UTC-12 to UTC+11:59 (Baker Island to Magadan).
    for zone in ("Etc/GMT+12", "America/Los_Angeles", "Europe/Berlin", "Asia/Tokyo", "Asia/Magadan"):
        instant = dt.datetime.fromisoformat(document["firstCreated"]).astimezone(ZoneInfo(zone))
        assert instant.date() == dt.date(2025, 2, 27), zone


def test_date_only_omit_leaves_the_date_out() -> None:
    document = _ninjs(ARTICLE, date_only="omit")
    assert "firstCreated" not in document
    assert "versionCreated" not in document
    assert "2025" not in json.dumps(document)
    with pytest.raises(OptionError, match="date_only"):
        render(ARTICLE, "ninjs", date_only="midnight")


def test_version_created_is_the_modification() -> None:
    modified = dt.datetime(2025, 2, 28, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    article = Article(headline="Geändert", language="de", published=dt.date(2025, 2, 27), modified=modified)
    document = _ninjs(article, midnight_timezone=BERLIN)
    assert document["firstCreated"] == "2025-02-27T00:00:00+01:00"
    assert document["versionCreated"] == "2025-02-28T09:15:00+01:00"
    only_modified = _ninjs(Article(headline="x", language="de", modified=dt.date(2025, 3, 1)))
    assert "firstCreated" not in only_modified
    assert only_modified["versionCreated"] == "2025-03-01T12:00:00+00:00"


METADATA = newsarticle.parse(
    "Politik\n"
    "Rat beschließt Haushalt\n"
    "2025-02-27\n"
    "url: https://example.org/politik/haushalt-über-alles?x=1&y=2\n"
    "author: Anna Muster\n"
    "author: Jörg Beispiel\n"
    "image: https://example.org/bilder/rathaus.jpg\n"
    "description: Der Rat stimmt zu.\n"
    "\n"
    "Der Gemeinderat hat am Dienstag den Haushalt beschlossen.\n"
)


def test_metadata_reaches_uri_byline_people_descriptions_and_image() -> None:
    document = _ninjs(METADATA)
    assert _errors(document) == []
    assert document["uri"] == "https://example.org/politik/haushalt-%C3%BCber-alles?x=1&y=2"
    assert document["by"] == "Von Anna Muster und Jörg Beispiel"
    assert _ninjs(METADATA, locale="en")["by"] == "By Anna Muster and Jörg Beispiel"
    assert document["people"] == [{"name": "Anna Muster", "rel": "author"}, {"name": "Jörg Beispiel", "rel": "author"}]
    assert document["descriptions"] == [{"value": "Der Rat stimmt zu."}]
    assert document["associations"] == [
        {
            "name": "featureimage",
            "uri": "https://example.org/bilder/rathaus.jpg",
            "type": "picture",
            "renditions": [{"name": "original", "href": "https://example.org/bilder/rathaus.jpg"}],
        }
    ]
    assert _ninjs(METADATA, uri="urn:x:1")["uri"] == "urn:x:1"  # the option still wins
    _check_faithful(METADATA, document)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(dt.date(2025, 2, 27), "2025-02-27T00:00:00+01:00"), (dt.date(2025, 7, 1), "2025-07-01T00:00:00+02:00")],
)
def test_date_only_is_midnight_in_the_named_time_zone(day: dt.date, expected: str) -> None:
    article = Article(headline="Datum", language="de", published=day)
    document = _ninjs(article, midnight_timezone=BERLIN)
    assert document["firstCreated"] == document["versionCreated"] == expected
    assert _errors(document) == []
    utc = _ninjs(article, midnight_timezone="UTC")
    assert utc["versionCreated"] == f"{day.isoformat()}T00:00:00+00:00"


def test_date_time_keeps_its_offset_and_ignores_midnight_timezone() -> None:
    published = dt.datetime(2025, 2, 27, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    article = Article(headline="Zeit", language="en", published=published)
    for options in ({}, {"midnight_timezone": BERLIN}):
        document = _ninjs(article, **options)
        assert document["firstCreated"] == document["versionCreated"] == "2025-02-27T14:30:00-05:00"


def test_offset_with_seconds_is_written_in_utc() -> None:
    lmt = dt.timezone(dt.timedelta(minutes=53, seconds=28))  # Berlin before 1893
    article = Article(headline="Zeit", language="de", published=dt.datetime(1890, 5, 1, 12, tzinfo=lmt))
    document = _ninjs(article)
    assert document["versionCreated"] == "1890-05-01T11:06:32+00:00"
    assert _errors(document) == []


def test_a_date_time_with_no_rfc_3339_form_is_left_out() -> None:
    # In UTC this instant falls in year 0, which neither Python nor most readers accept.
    early = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(seconds=30)))
    document = _ninjs(Article(headline="Zeit", language="de", published=early))
    assert "versionCreated" not in document
    assert _errors(document) == []


@pytest.mark.parametrize("zone", ["Mars/Olympus", "europe/berlin", "", "../etc/passwd", "/etc/localtime"])
def test_unknown_time_zone_is_an_option_error_even_without_a_date(zone: str) -> None:
    for article in (ARTICLE, Article(headline="Ohne Datum", language="de")):
        with pytest.raises(OptionError, match="midnight_timezone"):
            render(article, "ninjs", midnight_timezone=zone)


# -- the uri ----------------------------------------------------------------------------------


def test_default_uri_is_a_uuid_urn_of_the_content() -> None:
    uri = _ninjs(ARTICLE)["uri"]
    assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", uri)
    assert uri == content_uri(ARTICLE) == _ninjs(ARTICLE)["uri"]
    # The same article read from elsewhere, or scraped with other leftovers, is the same news object.
    moved = Article(
        headline=ARTICLE.headline,
        language=ARTICLE.language,
        category=ARTICLE.category,
        published=ARTICLE.published,
        sections=ARTICLE.sections,
        trailer=(),
        source="elsewhere/copy.txt",
    )
    assert content_uri(moved) == uri
    edited = Article(headline="Stadtrat beschließt Haushalt", language="de", sections=ARTICLE.sections)
    assert content_uri(edited) != uri


def test_uri_namespace_is_derived_from_the_plugins_url() -> None:
    url = "https://github.com/newsarticle/newsarticle/tree/main/plugins/newsarticle-ninjs"
    assert uuid.uuid5(uuid.NAMESPACE_URL, url) == URI_NAMESPACE


def test_uri_option_is_used_as_given() -> None:
    uri = "https://example.org/news/2025/haushalt?id=1#top"
    document = _ninjs(ARTICLE, uri=uri)
    assert document["uri"] == uri
    assert _errors(document) == []


NOT_URIS = [
    "", "relative/path", "https://example.org/with space", "https://example.org/ä", "https://x/%zz", "1x:y", "a:b#c#d",
]  # fmt: skip


@pytest.mark.parametrize("uri", NOT_URIS)
def test_a_uri_that_is_not_absolute_is_an_option_error(uri: str) -> None:
    with pytest.raises(OptionError, match="uri"):
        render(ARTICLE, "ninjs", uri=uri)


@settings(deadline=None)
@given(st.from_regex(_URI, fullmatch=True))
def test_every_uri_the_option_accepts_is_valid_ninjs(uri: str) -> None:
    assert _errors(_ninjs(Article(headline="URI", language="de"), uri=uri)) == []


@pytest.mark.parametrize("indent", [-1, None, "2"])
def test_bad_indent_is_an_option_error(indent: object) -> None:
    with pytest.raises(OptionError, match="indent"):
        render(ARTICLE, "ninjs", indent=indent)


# -- a property over generated articles with hostile text -------------------------------------

_HOSTILE = (
    "<", ">", "&", "&amp;", "</p>", "<script>alert(1)</script>", "<!--", "]]>", '"', "'", "\\", "\\u0041",
    "„", "“", "»", "«", "\u00a0", "\u2028", "\u2029", "\u200b", "\ufeff", "\u00ad", "👍🏽", "🇩🇪", "\U0001d518",
    "e\u0301", "ß", "İ", "日本", "א", "## ", "urn:uuid:", "2025-02-27", "more stories",
)  # fmt: skip
_SPACES = re.compile(" {2,}")


def _clean(pieces: list[str]) -> str:
    return _SPACES.sub(" ", "".join(pieces)).strip(" ")


def _one_line() -> st.SearchStrategy[str]:
    # What the model allows in a one-line field: no controls, no doubled or outer spaces.
    piece = st.one_of(
        st.sampled_from(_HOSTILE),
        st.just(" "),
        st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=8),
    )
    return st.lists(piece, min_size=1, max_size=8).map(_clean).filter(lambda text: bool(text) and not text.isspace())


_OFFSETS = st.timedeltas(min_value=dt.timedelta(hours=-23, minutes=-59), max_value=dt.timedelta(hours=23, minutes=59))
_PUBLISHED = st.one_of(
    st.none(),
    st.dates(),
    st.datetimes(timezones=st.builds(dt.timezone, _OFFSETS)),  # seconds and microseconds in offsets too
    st.datetimes(timezones=st.timezones()),  # zoneinfo, with historical local mean time
)


_URLS = st.sampled_from(
    (
        "https://example.org/news/1",
        "http://example.org/a?b=c&d=e#f",
        "https://例え.jp/über/straße?q=ä",
        "https://example.org/100%",
        "https://example.org/a%20b/é~x",
        "http://[::1]/ip-literal",
    )
)


@st.composite
def _sections(draw: st.DrawFn) -> tuple[Section, ...]:
    count = draw(st.integers(0, 4))
    return tuple(
        Section(
            heading=draw(_one_line()) if index else draw(st.none() | _one_line()),
            paragraphs=draw(st.lists(_one_line(), min_size=1, max_size=3)),
        )
        for index in range(count)
    )


_ARTICLES = st.builds(
    Article,
    headline=_one_line(),
    language=st.sampled_from(("de", "en", "de-AT", "en-GB", "fr", "sr-Latn-RS")),
    category=st.none() | _one_line(),
    published=_PUBLISHED,
    url=st.none() | _URLS,
    authors=st.lists(_one_line(), max_size=3).map(tuple),
    image=st.none() | _URLS,
    modified=_PUBLISHED,
    description=st.none() | _one_line(),
    sections=_sections(),
    trailer=st.lists(_one_line(), max_size=2).map(tuple),
    source=st.none() | st.text(max_size=20),
)


def _expected_created(published: dt.date | None, zone: str | None) -> dt.datetime | None:
    """The instant firstCreated must hold, or None where the plugin must leave it out."""
    if published is None:
        return None
    if not isinstance(published, dt.datetime):
        if zone is None:  # the default: noon UTC
            return dt.datetime.combine(published, dt.time(12), tzinfo=dt.timezone.utc)
        published = dt.datetime.combine(published, dt.time(), tzinfo=ZoneInfo(zone))
    offset = published.utcoffset()
    assert offset is not None
    if offset % dt.timedelta(minutes=1):
        try:
            published.astimezone(dt.timezone.utc)
        except OverflowError:
            return None  # no RFC 3339 form within years 1 to 9999
    return published


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ARTICLES, st.sampled_from([None, BERLIN, "UTC", "America/New_York", "Asia/Kathmandu"]))
@example(  # in a daylight-saving gap: found by hypothesis, where == between zones said "not equal"
    Article(headline="H", language="de", published=dt.datetime(2005, 3, 27, 1, 0, tzinfo=ZoneInfo("Antarctica/Troll"))),
    None,
)
def test_any_article_renders_valid_faithful_ninjs(article: Article, zone: str | None) -> None:
    document = _ninjs(article, midnight_timezone=zone)
    assert _errors(document) == []
    _check_faithful(article, document)
    for key, value in (("firstCreated", article.published), ("versionCreated", article.modified or article.published)):
        expected = _expected_created(value, zone)
        if expected is None:
            assert key not in document
            continue
        written = dt.datetime.fromisoformat(document[key])
        # The same instant. Compared in UTC: between zones, == is False for a time in a
        # daylight-saving gap or fold even when the instants are equal (PEP 495).
        assert written.astimezone(dt.timezone.utc) == expected.astimezone(dt.timezone.utc)
        offset = expected.utcoffset()
        if offset is not None and not offset % dt.timedelta(minutes=1):
            assert written.utcoffset() == offset  # and the same offset, when RFC 3339 can say it


# -- a plugin as an outside author writes one ---------------------------------------------------


def test_the_plugin_imports_only_newsarticles_public_names() -> None:
    import ast

    import newsarticle_ninjs

    tree = ast.parse(Path(newsarticle_ninjs.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("newsarticle")
        for alias in node.names
    }
    assert imported
    assert {module for module, _ in imported} == {"newsarticle"}
    assert {name for _, name in imported} <= set(newsarticle.__all__)
    assert {"RegisterRenderer", "in_whole_minutes"} <= {name for _, name in imported}


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ({"uri": "no uri"}, "option 'uri' takes an absolute URI such as https://example.org/news/1, not 'no uri'"),
        ({"midnight_timezone": "Mars/Olympus"}, "option 'midnight_timezone' takes an IANA time zone such as"),
        ({"indent": "-1"}, "option 'indent' takes 0 or more, not -1"),
    ],
)
def test_option_values_are_refused_before_any_article(texts: dict[str, str], message: str) -> None:
    with pytest.raises(OptionError) as info:
        newsarticle.coerce_options("ninjs", texts)
    assert str(info.value).startswith(message)
