"""newsarticle-ninjs: the ``ninjs`` format, IPTC ninjs 3.1 (News in JSON), as a newsarticle plugin.

Installed, the package registers itself through newsarticle's entry-point
group, so that ``newsarticle.render(article, "ninjs")`` and
``newsarticle convert articles/ -t ninjs`` work with no further step. It uses
only newsarticle's public API, as any third-party plugin would.

The mapping, and why (README.md has the whole story):

- ``uri``: the ``uri`` option, else the article's ``url``, else ``urn:uuid:``
  with a version 5 UUID of the article's content (:func:`content_uri`), so the
  same article always gets the same URI.
- ``headlines``, ``descriptions`` (the teaser), ``bodies`` (``text/html`` and
  ``text/plain``, with ``wordCount``), ``language``, ``type`` ``"text"``.
- ``by`` (the byline in the render locale) and ``people`` (one per author,
  ``rel`` ``"author"``): ninjs 3.1 has no ``bylines``.
- ``firstCreated`` from ``published``, ``versionCreated`` from ``modified``
  (else ``published``). ninjs holds only date-times: a date-only date is
  written as 12:00 UTC that day (:data:`DATE_ONLY_TIME`), the one instant that
  is the same calendar day from UTC-12 to UTC+11:59; ``midnight_timezone``
  writes the start of the day in a named zone instead, and
  ``date_only="omit"`` leaves such dates out.
- ``associations``: the lead image as a ``picture`` with one rendition.
- ``subjects``: the category, by name: it says what the article is about.
- Not written: the scraper's ``trailer`` (not part of the article),
  ``source`` (a local file name, not an identifier) and ``tags`` (ninjs 3.1
  has no keywords; as ``subjects`` they could not be told from the category).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
import zoneinfo
from html import escape
from typing import Any

from newsarticle import Article, Option, OptionError, RegisterRenderer, RenderContext, hookimpl, in_whole_minutes

__all__ = [
    "DATE_ONLY_CHOICES",
    "DATE_ONLY_TIME",
    "NINJS_SCHEMA_URI",
    "NINJS_VERSION",
    "URI_NAMESPACE",
    "NinjsRenderer",
    "as_uri",
    "content_uri",
    "register_renderers",
    "to_ninjs",
]

#: The ninjs version this plugin writes, and the ``$id`` of its official schema.
NINJS_VERSION = "3.1"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"

#: Namespace of the default URIs: ``uuid5(NAMESPACE_URL, url)`` of this plugin's URL,
#: https://github.com/newsarticle/newsarticle/tree/main/plugins/newsarticle-ninjs.
URI_NAMESPACE = uuid.UUID("db3a3c1c-e869-5108-9005-1039f3bb9359")

#: When a date-only date happened, by default: noon UTC keeps the calendar day for every
#: reader from UTC-12 to UTC+11:59, where midnight UTC is the day before in the Americas.
DATE_ONLY_TIME = dt.time(12, tzinfo=dt.timezone.utc)

#: The values of the ``date_only`` option.
DATE_ONLY_CHOICES = ("noon_utc", "omit")

# Characters RFC 3986 allows in a URI as they are; everything else in a URL is percent-encoded.
_NOT_URI = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]|%(?![0-9A-Fa-f]{2})")

# An absolute URI by RFC 3986's grammar (ASCII only; an IP-literal host such
# as [::1] is refused for simplicity): scheme ":" hier-part ["?" query] ["#" fragment].
_SUB = r"A-Za-z0-9\-._~!$&'()*+,;="  # unreserved and sub-delims
_PCHAR = rf"(?:[{_SUB}:@]|%[0-9A-Fa-f]{{2}})"
_AUTHORITY = rf"(?:(?:[{_SUB}:]|%[0-9A-Fa-f]{{2}})*@)?(?:[{_SUB}]|%[0-9A-Fa-f]{{2}})*(?::[0-9]*)?"
_URI = re.compile(
    rf"[A-Za-z][A-Za-z0-9+.-]*:"
    rf"(?://{_AUTHORITY}(?:/{_PCHAR}*)*|/?(?:{_PCHAR}+(?:/{_PCHAR}*)*)?)"
    rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
)


def content_uri(article: Article) -> str:
    """``urn:uuid:`` and a version 5 UUID of what the article says.

    The name hashed is the JSON of headline, language, category, published and
    sections; not ``source`` (where a copy lay on disk) nor ``trailer`` (the
    scraper's leftovers), so two copies of one article get the same URI and
    any edit to the text gives a new one.
    """
    content = {
        "headline": article.headline,
        "language": article.language,
        "category": article.category,
        "published": None if article.published is None else article.published.isoformat(),
        "sections": [[section.heading, list(section.paragraphs)] for section in article.sections],
    }
    name = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"urn:uuid:{uuid.uuid5(URI_NAMESPACE, name)}"


def as_uri(url: str) -> str | None:
    """``url`` as an RFC 3986 URI (UTF-8 percent-encoded where it holds other characters), or None if it has none.

    An article's ``url`` may hold any letter (``https://例え.jp/über``); ninjs
    wants ASCII. An IP-literal host (``http://[::1]/``) has no form here.
    """
    encoded = _NOT_URI.sub(lambda match: "".join(f"%{byte:02X}" for byte in match[0].encode()), url)
    return encoded if _URI.fullmatch(encoded) else None


def to_ninjs(
    article: Article,
    *,
    uri: str | None = None,
    midnight_timezone: str | None = None,
    date_only: str = "noon_utc",
    byline: str | None = None,
) -> dict[str, Any]:
    """The ninjs 3.1 object for ``article``, as plain data in a fixed key order.

    :param uri: The object's URI; by default the article's ``url``, else :func:`content_uri`.
    :param midnight_timezone: An IANA time zone (``Europe/Berlin``): write a
        date-only date as the start of that day there.
    :param date_only: Without ``midnight_timezone``, ``"noon_utc"`` (the
        default) writes a date-only date as 12:00 UTC that day; ``"omit"``
        leaves it out.
    :param byline: The ``by`` text; by default the authors' names joined by commas.
    :raises OptionError: for a ``uri`` that is not an absolute URI, an
        unknown time zone, or another ``date_only``.
    """
    # The same checks as the options' validators, for callers of this function.
    checks = (
        ("uri", uri, _check_uri),
        ("midnight_timezone", midnight_timezone, _check_zone),
        ("date_only", date_only, _check_date_only),
    )
    for name, value, check in checks:
        try:
            if value is not None:
                check(value)
        except ValueError as exc:
            raise OptionError(f"option {name!r} takes {exc}, not {value!r}") from None
    when: dt.tzinfo | None = None if midnight_timezone is None else zoneinfo.ZoneInfo(midnight_timezone)
    time = dt.time()
    if when is None and date_only == "noon_utc":
        time, when = DATE_ONLY_TIME.replace(tzinfo=None), DATE_ONLY_TIME.tzinfo
    if uri is None:
        uri = (None if article.url is None else as_uri(article.url)) or content_uri(article)
    data: dict[str, Any] = {
        "uri": uri,
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "representationType": "full",
        "language": article.language,
    }
    created = _created(article.published, time, when)
    changed = created if article.modified is None else _created(article.modified, time, when)
    if created is not None:
        data["firstCreated"] = created
    if changed is not None:
        data["versionCreated"] = changed
    if article.authors:
        data["by"] = byline if byline is not None else ", ".join(article.authors)
    data["headlines"] = [{"value": article.headline}]
    if article.description is not None:
        data["descriptions"] = [{"value": article.description}]
    if article.authors:
        data["people"] = [{"name": name, "rel": "author"} for name in article.authors]
    if article.category is not None:
        data["subjects"] = [{"name": article.category}]
    if article.sections:
        words = article.word_count
        data["bodies"] = [
            {"contentType": "text/html", "wordCount": words, "value": _html(article)},
            {"contentType": "text/plain", "wordCount": words, "value": article.body},
        ]
    image = None if article.image is None else as_uri(article.image)
    if image is not None:
        rendition = {"name": "original", "href": image}
        data["associations"] = [{"name": "featureimage", "uri": image, "type": "picture", "renditions": [rendition]}]
    return data


def _check_uri(uri: str) -> None:
    if not _URI.fullmatch(uri):
        raise ValueError("an absolute URI such as https://example.org/news/1")


def _check_date_only(value: str) -> None:
    if value not in DATE_ONLY_CHOICES:
        raise ValueError(" or ".join(DATE_ONLY_CHOICES))


def _check_zone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
        raise ValueError("an IANA time zone such as Europe/Berlin") from None


def _created(value: dt.date | None, time: dt.time, zone: dt.tzinfo | None) -> str | None:
    """``value`` in RFC 3339; a date-only one at ``time`` in ``zone``, or None without a zone."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _rfc3339(value)
    if zone is None:
        return None
    return _rfc3339(dt.datetime.combine(value, time, tzinfo=zone))


def _rfc3339(value: dt.datetime) -> str | None:
    # RFC 3339 has no seconds in a UTC offset; only historical local mean time has them
    # (Berlin before 1893: +00:53:28). newsarticle writes that instant in UTC; at the very
    # ends of the calendar, where UTC leaves years 1 to 9999, it gives the date alone,
    # which ninjs cannot hold: left out.
    whole = in_whole_minutes(value)
    return whole.isoformat() if isinstance(whole, dt.datetime) else None


def _html(article: Article) -> str:
    blocks: list[str] = []
    for section in article.sections:
        if section.heading is not None:
            blocks.append(f"<h2>{escape(section.heading, quote=False)}</h2>")
        blocks.extend(f"<p>{escape(paragraph, quote=False)}</p>" for paragraph in section.paragraphs)
    return "\n".join(blocks)


class NinjsRenderer:
    name = "ninjs"
    media_type = "application/json"
    suffix = ".ninjs.json"
    description = "IPTC ninjs 3.1 (News in JSON), the news industry's JSON format."
    options = (
        Option(
            name="uri",
            type=str,
            default=None,
            help="the ninjs uri (your canonical URL or id); by default urn:uuid: with a UUID of the content",
            validator=_check_uri,
        ),
        Option(
            name="midnight_timezone",
            type=str,
            default=None,
            help="IANA time zone (Europe/Berlin) in which a date-only date is written as midnight;"
            " by default it is written as noon UTC (see date_only), since ninjs holds only date-times",
            validator=_check_zone,
        ),
        Option(
            name="date_only",
            type=str,
            default="noon_utc",
            help="a date-only date without midnight_timezone: noon_utc writes 12:00 UTC that day, omit leaves it out",
            validator=_check_date_only,
        ),
        Option(
            name="indent",
            type=int,
            default=2,
            help="spaces per nesting level; 0 writes the whole object on one line",
            min=0,
        ),
    )

    def render(self, article: Article, context: RenderContext) -> str:
        indent: int = context.options.get("indent", 2)
        data = to_ninjs(
            article,
            uri=context.options.get("uri"),
            midnight_timezone=context.options.get("midnight_timezone"),
            date_only=context.options.get("date_only", "noon_utc"),
            byline=context.formatter.byline(article.authors) or None,
        )
        if indent == 0:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
        return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    register(NinjsRenderer())
