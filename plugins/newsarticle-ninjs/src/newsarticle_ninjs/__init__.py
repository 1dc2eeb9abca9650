"""newsarticle-ninjs: the ``ninjs`` format, IPTC ninjs 3.1 (News in JSON), as a newsarticle plugin.

Installed, the package registers itself through newsarticle's entry-point
group, so that ``newsarticle.render(article, "ninjs")`` and
``newsarticle convert articles/ -t ninjs`` work with no further step. It uses
only newsarticle's public API, as any third-party plugin would.

The mapping, and why (README.md has the whole story):

- ``uri``: the ``uri`` option, else ``urn:uuid:`` with a version 5 UUID of the
  article's content (:func:`content_uri`), so the same article always gets the
  same URI.
- ``headlines``, ``bodies`` (``text/html`` and ``text/plain``, with
  ``wordCount``), ``language``, ``type`` ``"text"``.
- ``firstCreated`` and ``versionCreated``: ``published`` when it is a
  date-time. A date-only ``published`` is left out, because ninjs holds only
  date-times and newsarticle never invents a time or a time zone, unless the
  caller names a time zone with ``midnight_timezone``.
- ``subjects``: the category, by name: it says what the article is about.
- Not written: the scraper's ``trailer`` (not part of the article) and
  ``source`` (a local file name, not an identifier).
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
    "NINJS_SCHEMA_URI",
    "NINJS_VERSION",
    "URI_NAMESPACE",
    "NinjsRenderer",
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


def to_ninjs(article: Article, *, uri: str | None = None, midnight_timezone: str | None = None) -> dict[str, Any]:
    """The ninjs 3.1 object for ``article``, as plain data in a fixed key order.

    :param uri: The object's URI; by default :func:`content_uri`.
    :param midnight_timezone: An IANA time zone (``Europe/Berlin``): write a
        date-only ``published`` as the start of that day there. By default such
        a date is left out.
    :raises OptionError: for a ``uri`` that is not an absolute URI, or an
        unknown time zone.
    """
    # The same checks as the options' validators, for callers of this function.
    for name, value, check in (("uri", uri, _check_uri), ("midnight_timezone", midnight_timezone, _check_zone)):
        try:
            if value is not None:
                check(value)
        except ValueError as exc:
            raise OptionError(f"option {name!r} takes {exc}, not {value!r}") from None
    midnight = None if midnight_timezone is None else zoneinfo.ZoneInfo(midnight_timezone)
    if uri is None:
        uri = content_uri(article)
    data: dict[str, Any] = {
        "uri": uri,
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "representationType": "full",
        "language": article.language,
    }
    created = _created(article.published, midnight)
    if created is not None:
        data["firstCreated"] = created
        data["versionCreated"] = created
    data["headlines"] = [{"value": article.headline}]
    if article.category is not None:
        data["subjects"] = [{"name": article.category}]
    if article.sections:
        words = article.word_count
        data["bodies"] = [
            {"contentType": "text/html", "wordCount": words, "value": _html(article)},
            {"contentType": "text/plain", "wordCount": words, "value": article.body},
        ]
    return data


def _check_uri(uri: str) -> None:
    if not _URI.fullmatch(uri):
        raise ValueError("an absolute URI such as https://example.org/news/1")


def _check_zone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
        raise ValueError("an IANA time zone such as Europe/Berlin") from None


def _created(published: dt.date | None, midnight: zoneinfo.ZoneInfo | None) -> str | None:
    if published is None:
        return None
    if isinstance(published, dt.datetime):
        return _rfc3339(published)
    if midnight is None:
        return None
    return _rfc3339(dt.datetime.combine(published, dt.time(), tzinfo=midnight))


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
            " by default such a date is left out, since ninjs holds only date-times",
            validator=_check_zone,
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
        )
        if indent == 0:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
        return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    register(NinjsRenderer())
