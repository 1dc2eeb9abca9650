"""A deterministic generator of realistic articles in the newsarticle text format.

The articles look like the development corpus in ``tests/data/``: a category line,
a headline, an ISO date, a blank line, then paragraphs separated by blank lines,
some subheadings, and often the scraper's ``more stories`` / ``See more`` trailer.
Text is German (four in five articles) or English, assembled from word lists with
the numbers, quotation marks and abbreviations of real news copy. Sizes follow the
real ones: mostly 1.5-3 KB, some about 6 KB, a few long-form pieces of 25-30 KB.

The same seed gives the same articles, byte for byte, on every machine and Python
version (only :class:`random.Random` methods with a stable sequence are used).

    python benchmarks/corpus.py /tmp/corpus --count 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "DEFAULT_SEED",
    "generate_article",
    "generate_corpus",
    "iter_corpus",
    "long_input",
    "write_corpus",
]

DEFAULT_SEED = 2025

# (share, smallest, largest) in bytes of UTF-8; the shares add up to 1.
SIZE_CLASSES = (
    (0.82, 1_500, 3_000),
    (0.15, 5_500, 6_500),
    (0.03, 25_000, 30_000),
)
GERMAN_SHARE = 0.8
HARD_WRAPPED_SHARE = 0.03
WRAP_COLUMNS = 72

_FIRST = dt.date(2024, 1, 1).toordinal()
_LAST = dt.date(2025, 12, 31).toordinal()

# -- German -----------------------------------------------------------------

_DE = {
    "category": (
        "Politik", "Wirtschaft", "Finanzierung", "Lokales", "Sport", "Kultur", "Wissenschaft", "Bildung",
        "Gesundheit", "Verkehr", "Umwelt", "Panorama", "Digitales", "Region", "Soziales",
    ),
    "noun": (
        "Stadtrat", "Haushalt", "Verwaltung", "Bürgermeisterin", "Gemeinde", "Schule", "Kita", "Unternehmen",
        "Investition", "Förderung", "Projekt", "Straße", "Brücke", "Bahnhof", "Klinik", "Studie", "Forscherin",
        "Hochschule", "Mannschaft", "Trainer", "Saison", "Ausstellung", "Bühne", "Verein", "Landkreis", "Behörde",
        "Genehmigung", "Energie", "Windpark", "Wärmepumpe", "Grundsteuer", "Kredit", "Umsatz", "Gewinn",
        "Belegschaft", "Betriebsrat", "Fraktion", "Opposition", "Koalition", "Antrag", "Entscheidung", "Zukunft",
        "Landwirtschaft", "Wasserversorgung", "Hochwasserschutz", "Radweg", "Kommunalaufsicht", "Einwohner",
        "Bürgerinnen", "Anwohner", "Händler", "Innenstadt", "Gewerbegebiet", "Baustelle", "Sanierung", "Kosten",
        "Zuschuss", "Rathaus", "Feuerwehr", "Polizei", "Staatsanwaltschaft", "Gericht", "Museum", "Festival",
        "Bibliothek", "Fachkräftemangel", "Digitalisierung", "Glasfaser", "Netzbetreiber", "Krankenkasse",
        "Pflegeheim", "Apotheke", "Ministerium", "Landesregierung", "Kreistag", "Sportplatz", "Schwimmbad",
    ),
    "verb": (
        "beschließt", "plant", "fordert", "kritisiert", "investiert", "erhöht", "senkt", "verschiebt", "prüft",
        "kündigt", "startet", "erhält", "verliert", "gewinnt", "eröffnet", "schließt", "unterstützt", "lehnt",
        "bestätigt", "verweist", "rechnet", "warnt", "begrüßt", "finanziert", "übernimmt", "meldet", "baut",
    ),
    "adjective": (
        "neue", "großen", "kommunalen", "geplanten", "öffentlichen", "deutlichen", "zusätzlichen", "regionalen",
        "laufenden", "ersten", "letzten", "schwierigen", "wichtigen", "langfristigen", "kurzfristigen", "hohen",
        "niedrigen", "modernen", "umstrittenen", "gemeinsamen", "jährlichen", "vorläufigen", "weiteren",
    ),
    "function": (
        "der", "die", "das", "und", "mit", "von", "für", "auf", "den", "dem", "im", "zu", "ein", "eine", "nicht",
        "auch", "sich", "ist", "bis", "nach", "bei", "aus", "noch", "wie", "über", "nun", "bereits", "rund",
    ),
    "name": (
        "Sabine Overbeck", "Heiko Ruland", "Jana Petersen", "Markus Albrecht", "Leonie Hartmann", "Tobias Krämer",
        "Aylin Demir", "Stefan Vogt", "Miriam Scholz", "Dr. Karin Weiß", "Jonas Becker", "Elif Şahin",
    ),
    "place": (
        "Kesselbach", "im Wennetal", "Rotenbühl", "Altenhagen", "Oberweiler", "Lindenau", "Hohenstein", "Bad Sulzau",
    ),
    "said": ("sagte", "betonte", "erklärte", "sagte am Mittwoch", "kritisierte", "so"),
    "connector": ("Zugleich", "Außerdem", "Dennoch", "Bis dahin", "Nach Angaben der Stadt", "Zuvor", "Inzwischen"),
    "abbreviation": ("u. a.", "z. B.", "bzw.", "ca.", "d. h."),
    "quote": ("„", "“"),
    "joiner": ("und", "für", "mit"),
}  # fmt: skip

# -- English ----------------------------------------------------------------

_EN = {
    "category": (
        "Politics", "Business", "Finance", "Local", "Sports", "Culture", "Science", "Education", "Health",
        "Transport", "Environment", "Technology", "World",
    ),
    "noun": (
        "council", "budget", "city", "mayor", "school", "company", "investment", "project", "bridge", "station",
        "hospital", "study", "researcher", "university", "team", "coach", "season", "exhibition", "theater",
        "county", "agency", "permit", "energy", "wind farm", "heat pump", "property tax", "loan", "revenue",
        "profit", "workforce", "union", "opposition", "coalition", "proposal", "decision", "future", "farmers",
        "water supply", "flood defense", "bike lane", "residents", "retailers", "downtown", "construction site",
        "renovation", "costs", "grant", "city hall", "fire department", "police", "prosecutors", "court",
        "museum", "festival", "library", "labor shortage", "broadband", "insurer", "ministry", "state government",
    ),
    "verb": (
        "approves", "plans", "demands", "criticizes", "invests", "raises", "cuts", "delays", "reviews",
        "announces", "launches", "receives", "loses", "wins", "opens", "closes", "supports", "rejects",
        "confirms", "expects", "warns", "welcomes", "funds", "takes over", "reports", "builds",
    ),
    "adjective": (
        "new", "large", "municipal", "planned", "public", "significant", "additional", "regional", "ongoing",
        "first", "last", "difficult", "important", "long-term", "short-term", "high", "low", "modern",
        "controversial", "joint", "annual", "preliminary", "further",
    ),
    "function": (
        "the", "and", "of", "to", "in", "for", "with", "on", "at", "by", "from", "that", "is", "was", "has",
        "a", "it", "are", "after", "about", "over", "still", "already", "around",
    ),
    "name": (
        "Sarah Mitchell", "David Okafor", "Emily Chen", "James Whitaker", "Priya Natarajan", "Tom Becker",
        "Laura Jiménez", "Dr. Michael Grant", "Hannah O’Neill", "Chris Adeyemi",
    ),
    "place": ("Millbrook", "the Wenne Valley", "Ashford", "Lakeside", "North Haven", "Brookfield"),
    "said": ("said", "told reporters", "said on Wednesday", "according to", "added"),
    "connector": ("Meanwhile", "At the same time", "Still", "Until then", "According to the city", "Earlier"),
    "abbreviation": ("e.g.", "U.S.", "a.m.", "p.m.", "approx."),
    "quote": ("“", "”"),
    "joiner": ("and", "for", "with"),
}  # fmt: skip


# The scraper's leftovers: the first is the common one (as in the real sample).
_TRAILERS: dict[bool, tuple[tuple[str, ...], ...]] = {
    True: (("more stories", "See more"), ("Mehr zum Thema",), ("Weitere Artikel",), ("Anzeige",)),
    False: (("more stories", "See more"), ("Read more",), ("Advertisement",), ("Related stories",)),
}
_TRAILER_LINES = frozenset(line for choices in _TRAILERS.values() for lines in choices for line in lines)


def _number(rng: random.Random, german: bool) -> str:
    kind = rng.random()
    if kind < 0.3:
        value = f"{rng.randint(1, 99)},{rng.randint(0, 9)}" if german else f"{rng.randint(1, 99)}.{rng.randint(0, 9)}"
        return f"{value} Prozent" if german else f"{value} percent"
    if kind < 0.55:
        value = f"{rng.randint(1, 950)},{rng.randint(1, 9)}" if german else f"{rng.randint(1, 950)}.{rng.randint(1, 9)}"
        return f"{value} Mio. Euro" if german else f"${value} million"
    if kind < 0.75:
        thousands, rest = rng.randint(1, 99), rng.randint(0, 999)
        return f"{thousands}.{rest:03d} Euro" if german else f"{thousands},{rest:03d} people"
    return str(rng.randint(2, 480))


def _phrase(rng: random.Random, words: dict[str, tuple[str, ...]], german: bool) -> list[str]:
    """A run of words with the function-word density of real prose."""
    out: list[str] = []
    for _ in range(rng.randint(6, 18)):
        roll = rng.random()
        if roll < 0.42:
            out.append(rng.choice(words["function"]))
        elif roll < 0.70:
            out.append(rng.choice(words["noun"]))
        elif roll < 0.82:
            out.append(rng.choice(words["adjective"]))
        elif roll < 0.93:
            out.append(rng.choice(words["verb"]))
        elif roll < 0.97:
            out.append(_number(rng, german))
        elif roll < 0.985:
            out.append(rng.choice(words["abbreviation"]))
        else:
            out.append(rng.choice(words["place"]))
    return out


def _sentence(rng: random.Random, words: dict[str, tuple[str, ...]], german: bool) -> str:
    roll = rng.random()
    if roll < 0.12:
        opening, closing = words["quote"]
        quoted = " ".join(_phrase(rng, words, german))
        quoted = quoted[0].upper() + quoted[1:]
        return f"{opening}{quoted}{closing}, {rng.choice(words['said'])} {rng.choice(words['name'])}."
    body = _phrase(rng, words, german)
    if roll < 0.25:
        body.insert(0, rng.choice(words["connector"]))
    elif roll < 0.35:
        body.insert(rng.randint(1, len(body)), "–" if german else "—")
    if body[-1] in words["abbreviation"]:
        body.append(rng.choice(words["noun"]))
    text = " ".join(body)
    if roll > 0.9 and german:
        text += f", {rng.choice(words['said'])} {rng.choice(words['name'])}"
    return text[0].upper() + text[1:] + ("?" if roll > 0.98 else ".")


def _paragraph(rng: random.Random, words: dict[str, tuple[str, ...]], german: bool, sentences: int) -> str:
    return " ".join(_sentence(rng, words, german) for _ in range(sentences))


def _heading(rng: random.Random, words: dict[str, tuple[str, ...]]) -> str:
    """A subheading: a short line that does not end like a sentence."""
    first = rng.choice(words["noun"])
    shape = rng.random()
    if shape < 0.4:
        text = f"{rng.choice(words['adjective'])} {first}"
    elif shape < 0.8:
        text = f"{first} {rng.choice(words['joiner'])} {rng.choice(words['noun'])}"
    else:
        text = f"{first} {rng.choice(words['function'])} {rng.choice(words['place'])}"
    return text[0].upper() + text[1:]


def _wrap(paragraph: str) -> str:
    """Hard-wrap at WRAP_COLUMNS, never inside a word."""
    lines: list[str] = []
    current: list[str] = []
    width = 0
    for word in paragraph.split(" "):
        if current and width + 1 + len(word) > WRAP_COLUMNS:
            lines.append(" ".join(current))
            current, width = [], 0
        width += len(word) + (1 if current else 0)
        current.append(word)
    lines.append(" ".join(current))
    return "\n".join(lines)


def generate_article(rng: random.Random, *, size: int | None = None, german: bool | None = None) -> str:
    """One article in the text format, about ``size`` bytes of UTF-8 (drawn from SIZE_CLASSES when None)."""
    if size is None:
        _, smallest, largest = rng.choices(SIZE_CLASSES, weights=[share for share, _, _ in SIZE_CLASSES])[0]
        size = rng.randint(smallest, largest)
    if german is None:
        german = rng.random() < GERMAN_SHARE
    words = _DE if german else _EN
    long_form = size > 12_000

    headline_words = _phrase(rng, words, german)[:10]
    headline = f"{rng.choice(words['place'])}: {rng.choice(words['noun'])} {' '.join(headline_words)}"
    headline = headline[0].upper() + headline[1:]
    published = dt.date.fromordinal(rng.randint(_FIRST, _LAST)).isoformat()
    header = f"{rng.choice(words['category'])}\n{headline}\n{published}\n"

    # Long-form pieces have long paragraphs and several subheadings; short ones
    # have one or two subheadings in a third of the cases.
    per_paragraph = (8, 16) if long_form else (2, 5)
    if long_form:
        headings = rng.randint(4, 5)
    elif size > 4_000:
        headings = rng.choice((0, 1, 2))
    else:
        headings = rng.choice((0, 0, 0, 0, 1, 2))
    wrapped = rng.random() < HARD_WRAPPED_SHARE

    paragraphs: list[str] = []
    used = len(header.encode())
    while used < size or len(paragraphs) < 2 + headings:
        paragraph = _paragraph(rng, words, german, rng.randint(*per_paragraph))
        paragraphs.append(paragraph)
        used += len(paragraph.encode()) + 2
    # End nearer to the size asked for: drop the last paragraph when it overshoots by more than half.
    if len(paragraphs) > 2 + headings and used - size > len(paragraphs[-1].encode()) // 2:
        paragraphs.pop()
    if wrapped:
        paragraphs = [_wrap(p) for p in paragraphs]
    # A subheading stands between two paragraphs, never first or last.
    blocks: list[str] = list(paragraphs)
    for position in sorted(rng.sample(range(1, len(paragraphs)), headings), reverse=True):
        blocks.insert(position, _heading(rng, words))

    roll = rng.random()
    if roll < 0.55:
        trailer = _TRAILERS[german][0]
    elif roll < 0.70:
        trailer = rng.choice(_TRAILERS[german][1:])
    else:
        trailer = ()
    text = header + "\n" + "\n\n".join(blocks) + "\n"
    if trailer:
        text += "\n" + "\n".join(trailer) + "\n"
    return text


def iter_corpus(count: int, *, seed: int = DEFAULT_SEED) -> Iterator[str]:
    """Yield ``count`` articles; the same seed gives the same articles."""
    rng = random.Random(seed)
    for _ in range(count):
        yield generate_article(rng)


def generate_corpus(count: int, *, seed: int = DEFAULT_SEED) -> list[bytes]:
    """Return ``count`` articles in memory, as UTF-8 bytes (what a file holds)."""
    return [article.encode() for article in iter_corpus(count, seed=seed)]


def write_corpus(directory: str | Path, count: int, *, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write ``count`` articles as ``00001.txt``, ``00002.txt``, ... into ``directory``; return the paths."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    width = max(5, len(str(count)))
    paths: list[Path] = []
    for number, article in enumerate(iter_corpus(count, seed=seed), start=1):
        path = folder / f"{number:0{width}d}.txt"
        path.write_bytes(article.encode())
        paths.append(path)
    return paths


def long_input(size: int, *, seed: int = DEFAULT_SEED) -> bytes:
    """One article of at least ``size`` bytes: a header, then one article's paragraphs repeated.

    Used for the linear-scaling check: the body has the shape of a real
    article (paragraphs, subheadings, a trailer), only very many of them.
    """
    article = generate_article(random.Random(seed), size=6_000, german=True)
    header, *blocks = article.rstrip("\n").split("\n\n")
    if all(line in _TRAILER_LINES for line in blocks[-1].split("\n")):
        blocks.pop()
    head = (header + "\n\n").encode()
    unit = "".join(block + "\n\n" for block in blocks).encode()
    tail = b"more stories\nSee more\n"
    repeats = -(-(size - len(head) - len(tail)) // len(unit))
    return head + unit * repeats + tail


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a generated article corpus to a folder.")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--count", type=int, default=10_000, help="number of articles (default 10000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    paths = write_corpus(args.directory, args.count, seed=args.seed)
    total = sum(path.stat().st_size for path in paths)
    print(f"wrote {len(paths)} articles, {total / 1e6:.1f} MB, to {args.directory}")


if __name__ == "__main__":
    main()
