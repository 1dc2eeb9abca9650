"""The scripts in examples/ run, and say what they promise."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import babel.dates
import html5lib
import jsonschema
import pytest
import xmlschema
import yaml

import newsarticle
from newsarticle import Article, Section
from processes import fresh_environment

pytestmark = pytest.mark.slow  # the example scripts run in fresh interpreters

EXAMPLES = Path(__file__).parent.parent / "examples"
ARTICLES = sorted((EXAMPLES / "articles").glob("*.txt"))
DATA = Path(__file__).parent / "data"
ROOT = EXAMPLES.parent
SCHEMAS = DATA / "schemas"
BASE_URL = "https://example.org/news/"  # the one examples/parse_articles.py gives the formats that need it


def run_example(script: str, *arguments: str, cwd: Path, python: str = sys.executable) -> str:
    """What the example prints, run as its docstring says; it must succeed and write nothing to stderr."""
    result = subprocess.run(
        [python, str(EXAMPLES / script), *arguments],
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert result.stderr == b""
    return result.stdout.decode("utf-8")


def sample() -> list[Article]:
    return [newsarticle.parse_file(path, source=path.name, on_diagnostic=lambda _: None) for path in ARTICLES]


def html_document(data: bytes) -> object:
    return html5lib.parse(data, transport_encoding="utf-8", namespaceHTMLElements=False)


def text_of(element: object) -> str:
    return "".join(element.itertext())  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> str:
    # From another directory: the script finds its articles relative to itself.
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "parse_articles.py")],
        cwd=tmp_path_factory.mktemp("elsewhere"),
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert result.stderr == b""
    return result.stdout.decode("utf-8")


def test_examples_hold_the_promised_articles() -> None:
    assert len(ARTICLES) >= 4
    names = {path.name for path in ARTICLES}
    assert {"edge_cp1252.txt", "edge_wrapped_paragraphs.txt"} <= names
    for path in ARTICLES:
        # Byte-exact copies of corpus files, so the corpus expectations describe them too.
        assert path.read_bytes() == (DATA / path.name).read_bytes(), path.name


@pytest.mark.parametrize("path", ARTICLES, ids=[p.name for p in ARTICLES])
def test_output_describes_every_article(output: str, path: Path) -> None:
    article = newsarticle.parse_file(path, on_diagnostic=lambda _: None)
    assert f"source:       {path.name}\n" in output
    block = output.split(f"source:       {path.name}\n", 1)[1].split("\n\n", 1)[0]
    assert f"headline:     {article.headline}\n" in block
    assert f"language:     {article.language}\n" in block
    assert f"paragraphs:   {len(article.paragraphs)}\n" in block
    assert f"words:        {article.word_count}\n" in block
    assert f"reading time: {article.reading_time} min\n" in block


def test_output_reports_the_encoding_fallback(output: str) -> None:
    assert "edge_cp1252.txt:2:19: encoding-fallback:" in output
    assert output.count("diagnostic:   ") == 1


def test_the_docstring_says_how_to_run_each_example() -> None:
    scripts = sorted(EXAMPLES.glob("*.py"))
    assert len(scripts) >= 6
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for script in scripts:
        source = script.read_text(encoding="utf-8")
        assert source.startswith('"""'), script.name
        docstring = source.split('"""')[1]
        assert f"python examples/{script.name}" in docstring, script.name
        assert f"python examples/{script.name}" in readme, script.name


# -- Every format ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    cwd = tmp_path_factory.mktemp("rendered")
    return run_example("parse_articles.py", "--out", "out", cwd=cwd), cwd / "out"


def test_every_format_is_written(rendered: tuple[str, Path]) -> None:
    output, out = rendered
    infos = newsarticle.formats()
    assert {info.kind for info in infos} == {"article", "collection"}
    assert sorted(path.name for path in out.iterdir()) == sorted(info.name for info in infos)
    for info in infos:
        files = sorted((out / info.name).iterdir())
        if info.kind == "collection":
            assert [path.name for path in files] == [f"articles{info.suffix}"], info.name
            assert f"{info.name:<10} collection {len(ARTICLES)} articles" in output
        else:
            expected = [path.name.removesuffix(".txt") + info.suffix for path in ARTICLES]
            assert [path.name for path in files] == expected, info.name
        assert all(path.stat().st_size > 0 for path in files), info.name
        if info.suffix.endswith(".json"):
            for path in files:
                json.loads(path.read_bytes())  # every JSON output parses


def test_every_article_page_shows_its_article(rendered: tuple[str, Path]) -> None:
    _, out = rendered
    schema = json.loads((ROOT / "src" / "newsarticle" / "schemas" / "article.schema.json").read_text("utf-8"))
    for article in sample():
        stem = Path(article.source or "").stem
        page = html_document((out / "html" / f"{stem}.html").read_bytes())
        assert [text_of(h1) for h1 in page.iter("h1")] == [article.headline]  # type: ignore[attr-defined]
        paragraphs = [text_of(p) for p in page.iter("p")]  # type: ignore[attr-defined]
        assert set(article.paragraphs) <= set(paragraphs)

        data = json.loads((out / "json" / f"{stem}.json").read_text("utf-8"))
        jsonschema.validate(data, schema)
        assert newsarticle.from_dict(data).paragraphs == article.paragraphs

        front, body = (out / "markdown" / f"{stem}.md").read_text("utf-8").split("---\n", 2)[1:]
        assert yaml.safe_load(front)["title"] == article.headline
        assert article.paragraphs[0] in body

        assert article.headline.split()[0] in (out / "text" / f"{stem}.txt").read_text("utf-8")
        again = newsarticle.parse_file(out / "source" / f"{stem}.txt")
        assert (again.headline, again.paragraphs) == (article.headline, article.paragraphs)


def test_the_collections_hold_every_article(rendered: tuple[str, Path]) -> None:
    _, out = rendered
    articles = sample()
    lines = (out / "jsonl" / "articles.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["headline"] for line in lines] == [a.headline for a in articles]

    feed = json.loads((out / "jsonfeed" / "articles.feed.json").read_text("utf-8"))
    feed_schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(feed_schema).validate(feed)
    urls = {BASE_URL + Path(a.source or "").with_suffix(".html").name for a in articles}
    assert {item["url"] for item in feed["items"]} == urls
    assert {item["title"] for item in feed["items"]} == {a.headline for a in articles}

    sitemap = xmlschema.XMLSchema(SCHEMAS / "sitemap.xsd", build=False)
    sitemap.import_schema("http://www.google.com/schemas/sitemap-news/0.9", str(SCHEMAS / "sitemap-news.xsd"))
    sitemap.build()
    document = out / "sitemap" / "articles.xml"
    sitemap.validate(str(document))
    locations = re.findall(r"<loc>(.*?)</loc>", document.read_text("utf-8"))
    assert set(locations) == urls


# -- A renderer plugin, in a script and as a package -------------------------------------------------------------


def brief_line(article: Article, locale: str) -> str:
    """What the ``brief`` renderer writes, from Babel and the article, as a reader would check it."""
    formatter = newsarticle.formatter_for(locale)
    assert article.published is not None
    date = babel.dates.format_date(article.published, "long", locale=locale)
    words = formatter.words(article.word_count)
    return f"{article.category} · {date} · {article.headline} · {words}, {formatter.reading_time(article.reading_time)}"


@pytest.fixture(scope="module")
def runtime_plugin(tmp_path_factory: pytest.TempPathFactory) -> str:
    return run_example("renderer_plugin.py", cwd=tmp_path_factory.mktemp("plugin"))


def briefs(output: str, heading: str) -> list[str]:
    return output.split(heading + "\n", 1)[1].split("\n\n", 1)[0].splitlines()


def test_the_runtime_plugin_renders_one_localized_line_per_article(runtime_plugin: str) -> None:
    assert runtime_plugin.startswith("registered: brief (.brief.txt, text/plain) from plugin BriefPlugin\n")
    articles = sample()
    for locale in ("de", "en"):
        assert briefs(runtime_plugin, f"locale {locale}:") == [brief_line(a, locale) for a in articles]
    assert "26. Januar 2025" in runtime_plugin
    assert "January 26, 2025" in runtime_plugin
    for article, line in zip(articles, briefs(runtime_plugin, "max_length=100:"), strict=True):
        assert len(line) <= 100
        headline = line.split(" · ")[2]
        assert headline.endswith("…") == (len(brief_line(article, "de")) > 100)
        assert article.headline.startswith(headline.removesuffix("…"))


@pytest.fixture(scope="module")
def plugin_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with newsarticle from this repository and the example plugin package."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    result = subprocess.run(
        [*pip, str(ROOT), str(EXAMPLES / "plugin-package"), "pytest"],
        env=fresh_environment(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return venv


def run_in(venv: Path, *command: str, cwd: Path) -> str:
    result = subprocess.run(
        [str(venv / "bin" / command[0]), *command[1:]],
        cwd=cwd,
        env=fresh_environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_plugin_package_installs_and_converts(plugin_venv: Path, runtime_plugin: str, tmp_path: Path) -> None:
    formats = run_in(plugin_venv, "newsarticle", "formats", cwd=tmp_path)
    assert "brief" in formats
    assert "plugin: brief (newsarticle-brief 0.1.0)" in formats
    one = run_in(plugin_venv, "newsarticle", "convert", str(ARTICLES[0]), "-t", "brief", "--locale", "de_AT",
                 cwd=tmp_path)  # fmt: skip
    assert one == brief_line(sample()[0], "de_AT") + "\n"
    assert "26. Jänner 2025" in one
    # A folder: one .brief.txt per article in the article's own language, the line that the runtime plugin of
    # renderer_plugin.py printed for that language.
    run_in(plugin_venv, "newsarticle", "convert", str(EXAMPLES / "articles"), "-t", "brief", "-o", "out", "-q",
           cwd=tmp_path)  # fmt: skip
    for index, (path, article) in enumerate(zip(ARTICLES, sample(), strict=True)):
        written = (tmp_path / "out" / path.name).with_suffix(".brief.txt").read_text("utf-8")
        assert written == briefs(runtime_plugin, f"locale {article.language}:")[index] + "\n"
    assert {article.language for article in sample()} == {"de", "en"}


def test_the_readme_first_command_works_in_the_fresh_environment(plugin_venv: Path, tmp_path: Path) -> None:
    # README: pip install . && newsarticle convert examples/articles -t html -s -o out (pip install . made plugin_venv)
    run_in(plugin_venv, "newsarticle", "convert", str(EXAMPLES / "articles"), "-t", "html", "-s", "-o", "out",
           cwd=tmp_path)  # fmt: skip
    for article in sample():
        page = html_document((tmp_path / "out" / Path(article.source or "").with_suffix(".html")).read_bytes())
        assert [text_of(h1) for h1 in page.iter("h1")] == [article.headline]  # type: ignore[attr-defined]
        assert [text_of(title) for title in page.iter("title")] == [article.headline]  # type: ignore[attr-defined]


def test_the_plugin_package_passes_its_own_tests(plugin_venv: Path) -> None:
    output = run_in(
        plugin_venv, "python", "-m", "pytest", "-p", "no:cacheprovider", "-q", cwd=EXAMPLES / "plugin-package"
    )
    assert re.search(r"\b8 passed\b", output), output


# -- A transform ---------------------------------------------------------------------------------------------------


def test_the_teaser_transform_cuts_every_article_to_its_first_sentences(tmp_path: Path) -> None:
    output = run_example("teaser_transform.py", cwd=tmp_path)
    assert output.startswith("transforms: teaser, typography\n")
    for article in sample():
        block = output.split(f"=== {article.source}: {article.word_count} words in full\n", 1)[1].split("\n=== ")[0]
        text, html = block.split("--- as HTML:\n")
        first = article.paragraphs[0]
        # The text: the meta line counts the teaser's words, and no paragraph after the first is left.
        teaser_words = int(re.search(r" · ([\d.]+) (?:Wörter|words) · ", text)[1])  # type: ignore[index]
        assert teaser_words < article.word_count
        unwrapped = " ".join(text.split())  # the text renderer wraps lines
        assert all(paragraph[:40] not in unwrapped for paragraph in article.paragraphs[1:])
        # The HTML: the headline, and one paragraph that starts the first and ends a sentence.
        page = html_document(html.encode("utf-8"))
        [body] = [text_of(p) for p in page.iter("p") if p.get("class") not in ("category", "meta")]  # type: ignore[attr-defined]
        assert [text_of(h1) for h1 in page.iter("h1")] == [article.headline]  # type: ignore[attr-defined]
        assert first.startswith(body)
        assert body.rstrip("“”\"»«'")[-1] in ".!?"
        assert len(body.split()) <= 40 or re.search(r"[.!?][“”\"»«']?\s", body) is None  # or one long sentence
        assert teaser_words == Article(headline="x", language="de", sections=[Section(paragraphs=[body])]).word_count


# -- JSON Lines into pandas and DuckDB -----------------------------------------------------------------------------


def expected_counts(folder: Path) -> Counter[tuple[str, str]]:
    """(category, YYYY-MM) of every article under ``folder``, counted."""
    counts: Counter[tuple[str, str]] = Counter()
    for path in sorted(folder.rglob("*.txt")):
        article = newsarticle.parse_file(path, on_diagnostic=lambda _: None)
        month = article.published.isoformat()[:7] if article.published is not None else "(no date)"
        counts[(article.category or "(none)", month)] += 1
    return counts


@pytest.mark.parametrize("folder", [EXAMPLES / "articles", DATA], ids=["examples", "corpus"])
def test_the_table_counts_articles_per_category_and_month(folder: Path, tmp_path: Path) -> None:
    output = run_example("jsonl_table.py", str(folder), cwd=tmp_path)
    counts = expected_counts(folder)
    assert output.startswith(f"{sum(counts.values())} articles from {folder} to JSON Lines\n")
    pandas_part, duckdb_part = output.split("\nThe same in DuckDB SQL, newest month first:\n")
    table = pandas_part.split("(pandas):\n", 1)[1].splitlines()
    months = table[0].split()[1:-1]  # "month" first, "total" last
    assert months == sorted({month for _, month in counts})
    found: Counter[tuple[str, str]] = Counter()
    for row in table[2:-1]:  # after the "category" line, before the totals
        category, *cells, _total = row.rsplit(None, len(months) + 1)
        for month, cell in zip(months, cells, strict=True):
            if int(cell):
                found[(category.strip(), month)] = int(cell)
    assert found == counts
    assert table[-1].split()[-1] == str(sum(counts.values()))
    rows = [re.fullmatch(r"(\S+)  (.+?) +(\d+)", line) for line in duckdb_part.splitlines()]
    assert all(rows), duckdb_part
    assert Counter({(m[2], m[1]): int(m[3]) for m in rows if m}) == counts
    assert [m[1] for m in rows if m] == sorted((m[1] for m in rows if m), reverse=True)


# -- Five locales --------------------------------------------------------------------------------------------------


def test_the_locales_side_by_side(tmp_path: Path) -> None:
    output = run_example("localized.py", cwd=tmp_path)
    table_text, bylines = output.split("\n\n", 1)
    rows = {cells[0].strip(): [cell.strip() for cell in cells[1:]] for cells in
            (line.split(" | ") for line in table_text.splitlines())}  # fmt: skip
    locales = ["de", "de_AT", "de_CH", "en", "fr"]
    assert rows[""] == locales
    article = newsarticle.parse_file(EXAMPLES / "articles" / "013_cd7d936df88ca19e.txt")
    assert article.published is not None
    assert rows["date, long"] == [babel.dates.format_date(article.published, "long", locale=loc) for loc in locales]
    assert rows["date, long"][:2] == ["26. Januar 2025", "26. Jänner 2025"]
    assert rows["number"] == ["1.234.567,5", "1.234.567,5", "1'234'567.5", "1,234,567.5", "1\u202f234\u202f567,5"]
    assert rows["words (1234)"] == ["1.234 Wörter", "1.234 Wörter", "1'234 Wörter", "1,234 words", "1\u202f234 mots"]
    assert rows["reading time (5 min)"][0] == "5 Minuten Lesezeit"
    assert rows["label 'Published'"] == ["Veröffentlicht am"] * 3 + ["Published", "Publié le"]
    assert rows["quotation marks"][:2] == ["„…“", "„…“"]
    assert rows["language tag"] == ["de", "de-AT", "de-CH", "en", "fr"]
    lines = dict(line.split("] ", 1) for line in bylines.splitlines())
    assert lines["[de_AT"] == "Veröffentlicht am 26. Jänner 2025 · 247 Wörter · 1 Minute Lesezeit"
    assert lines["[fr   "] == "Publié le 26 janvier 2025 · 247 mots · 1 min de lecture"
    assert lines["[en   "].startswith("Published January 26, 2025 · ")


# -- A static site -------------------------------------------------------------------------------------------------


def test_hugo_builds_a_page_per_article_and_a_home_page(tmp_path: Path) -> None:
    output = run_example("hugo_site.py", "site", cwd=tmp_path)
    assert "built the site into" in output  # Hugo is in the test extra: a missing one fails, it does not skip
    public = tmp_path / "site" / "public"
    articles = sample()
    home = html_document((public / "index.html").read_bytes())
    links = [(a.get("href"), text_of(a)) for a in home.iter("a")]  # type: ignore[attr-defined]
    newest_first = sorted(articles, key=lambda a: a.published or 0, reverse=True)  # type: ignore[arg-type,return-value]
    assert links == [(f"/posts/{Path(a.source or '').stem}/", a.headline) for a in newest_first]
    for article in articles:
        page = html_document((public / "posts" / Path(article.source or "").stem / "index.html").read_bytes())
        by_id = {element.get("id"): element for element in page.iter() if element.get("id")}  # type: ignore[attr-defined]
        assert text_of(by_id["title"]) == article.headline
        blocks = [(child.tag, text_of(child)) for child in by_id["content"]]  # type: ignore[attr-defined]
        expected = []
        for section in article.sections:
            if section.heading is not None:
                expected.append(("h2", section.heading))
            expected.extend(("p", paragraph) for paragraph in section.paragraphs)
        assert blocks == expected
        assert [text_of(t) for t in page.iter("time")] == [article.published.isoformat()]  # type: ignore[attr-defined,union-attr]
