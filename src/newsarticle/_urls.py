"""An article's URL derived from where its page is published: ``base_url`` plus the page's path.

A site built from a folder of articles publishes ``politik/haushalt.txt`` as
``https://example.org/news/politik/haushalt.html``. The renderers' ``base_url``
option (html, markdown) derives that URL from the article's ``source`` when
the file gives none; the command line derives it from each output's path
below the output folder, which is exactly the page's path on the site.
"""

from __future__ import annotations

import os
import urllib.parse

import attrs

from newsarticle._exceptions import OptionError
from newsarticle._models import Article, url_problem

__all__ = ["BASE_URL_HELP", "base_url_problem", "check_base_url", "page_url", "with_page_url"]

BASE_URL_HELP = (
    "the site's address ending in / (https://example.org/news/): an article without url: gets"
    " this plus its source's relative path, with the format's suffix"
)


def base_url_problem(value: str) -> str | None:
    """Say why ``value`` cannot be a base URL, or return None when it can.

    It must end in ``/``: ``https://example.org/news`` would otherwise be a
    page in ``/``, and every derived URL would silently lose ``news``.
    """
    problem = url_problem(value)
    if problem is not None:
        return problem
    parts = urllib.parse.urlsplit(value)
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return "must not hold a query (?) or fragment (#)"
    if not parts.path.endswith("/"):
        return f"must end in / (a folder of pages), such as {value}/"
    return None


def check_base_url(value: str) -> None:
    """The ``base_url`` option's validator: raise :class:`ValueError` saying what is expected."""
    problem = base_url_problem(value)
    if problem is not None:
        raise ValueError(f"an absolute http(s) URL ending in /, such as https://example.org/news/ ({problem})")


def _segments(path: str) -> list[str] | None:
    """The folders and file name of a relative path, or None for a path that is not one."""
    if not path or path.startswith(("/", "\\")) or os.path.isabs(path) or os.path.splitdrive(path)[0]:
        return None
    segments = path.replace("\\", "/").split("/") if os.sep == "\\" else path.split("/")
    segments = [segment for segment in segments if segment not in ("", ".")]
    if not segments or ".." in segments:
        return None
    return segments


def page_url(base_url: str, path: str, suffix: str) -> str | None:
    """``base_url`` plus ``path`` with its extension replaced by ``suffix``, percent-encoded; None if
    ``path`` is not a relative path inside the site (absolute, empty, or leading out with ``..``).

    ``page_url("https://example.org/news/", "politik/Haushalt 2025.txt", ".html")`` is
    ``https://example.org/news/politik/Haushalt%202025.html``.
    """
    segments = _segments(path)
    if segments is None:
        return None
    root, _extension = os.path.splitext(segments[-1])
    segments[-1] = root or segments[-1]
    # Every character but the unreserved ones is encoded: a name's ?, # or % stays part of the name. The
    # suffix is the site's, not a name's: its / (a folder per page) stays a /.
    path_part = "/".join(urllib.parse.quote(segment, safe="", errors="surrogateescape") for segment in segments)
    return base_url + path_part + urllib.parse.quote(suffix, safe="/")


def with_page_url(article: Article, base_url: str | None, path: str | None, suffix: str) -> Article:
    """``article`` with the URL of its page at ``path`` below ``base_url``, unless it has a url or there is no base.

    :raises OptionError: when ``path`` (the article's source, or the output's
        path) is no relative path to derive a URL from, naming it.
    """
    if base_url is None or article.url is not None:
        return article
    url = None if path is None else page_url(base_url, path, suffix)
    if url is None:
        shown = "no file name (standard input)" if path is None else repr(path)
        raise OptionError(
            f"option 'base_url' derives an article's url from its relative path (politik/haushalt.txt),"
            f" but {shown} is not one: give the article a url: line, or its source as a relative path below the"
            f" site's folder (parse_file(path, source=path.relative_to(folder).as_posix()))"
        )
    problem = url_problem(url)
    if problem is not None:
        raise OptionError(f"option 'base_url' derived {url!r} for {path!r}, which {problem}")
    return attrs.evolve(article, url=url)
