"""Collection formats: the protocol, the host between caller and plugin, and the built-in ``jsonl``.

A third-party collection format written from docs/plugins.md alone (its CSV example, run as written),
the host's guarantees against a careless one, and memory that stays flat in corpus size.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import newsarticle
from collection_memory import peak_memory
from newsarticle import Article, hookimpl

DATA = Path(__file__).parent / "data"
PLUGINS_DOC = Path(__file__).parent.parent / "docs" / "plugins.md"


def _quiet(path: Path) -> Article:
    return newsarticle.parse_file(path, on_diagnostic=lambda _d: None)


@pytest.fixture(scope="module")
def articles(corpus_files: list[Path]) -> list[Article]:
    return [_quiet(path) for path in corpus_files]


@pytest.fixture
def plugin() -> Generator[list[str], None, None]:
    """Register plugins for one test (``plugin.append(register_plugin(...))``); unregistered afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        newsarticle.unregister_plugin(name)


def _docs_csv_module() -> dict[str, Any]:
    section = PLUGINS_DOC.read_text(encoding="utf-8").split("### A worked example: a CSV table", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert code is not None
    namespace: dict[str, Any] = {"__name__": "newsarticle_csv"}
    exec(compile(code.group(1), str(PLUGINS_DOC), "exec"), namespace)
    return namespace


def test_the_csv_example_of_the_plugin_docs_is_a_working_collection_format(
    articles: list[Article], plugin: list[str], tmp_path: Path
) -> None:
    module = _docs_csv_module()
    plugin.append(
        newsarticle.register_plugin(type("CsvPlugin", (), {"register_collections": module["register_collections"]}))
    )
    [info] = [info for info in newsarticle.formats() if info.name == "csv"]
    assert info.kind == "collection"
    target = tmp_path / "articles.csv"
    assert newsarticle.write_collection(iter(articles), "csv", target, delimiter=";") == len(articles)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline=""), delimiter=";"))
    assert rows[0] == ["published", "category", "headline", "words", "url"]
    assert [row[2] for row in rows[1:]] == [article.headline for article in articles]
    assert [int(row[3]) for row in rows[1:]] == [article.word_count for article in articles]


def test_jsonl_is_a_collection_format_like_any_other() -> None:
    [info] = [info for info in newsarticle.formats() if info.name == "jsonl"]
    assert (info.kind, info.suffix, info.media_type) == ("collection", ".jsonl", "application/jsonl")
    assert info.plugin == "newsarticle.renderers.jsonl"


def test_each_jsonl_line_is_the_json_format_on_one_line_and_reads_back(articles: list[Article]) -> None:
    sink = io.BytesIO()
    newsarticle.write_collection(articles, "jsonl", sink)
    lines = sink.getvalue().decode("utf-8").split("\n")
    assert lines.pop() == ""
    assert len(lines) == len(articles)
    for line, article in zip(lines, articles, strict=True):
        assert json.loads(line) == json.loads(newsarticle.render(article, "json"))
        assert newsarticle.from_json(line) == article


def test_unicode_line_separators_stay_inside_their_line() -> None:
    text = "Politik\nZeile\u2028und\u2029mehr\n2025-02-27\nlang: de\n\nText\u2028hier.\n"
    article = newsarticle.parse(text)
    sink = io.BytesIO()
    newsarticle.write_collection([article, article], "jsonl", sink)
    output = sink.getvalue().decode("utf-8")
    assert len(output.splitlines()) == 2  # str.splitlines() breaks at U+2028 and U+2029 too
    assert newsarticle.from_json(output.splitlines()[0]) == article


def test_a_renderer_format_is_not_a_collection_and_back() -> None:
    article = newsarticle.parse("Politik\nTitel\n2025-02-27\nlang: de\n\nText.\n")
    with pytest.raises(newsarticle.UnknownFormatError, match=r"use newsarticle\.write_collection"):
        newsarticle.render(article, "jsonl")
    with pytest.raises(newsarticle.UnknownFormatError, match=r"use newsarticle\.render"):
        newsarticle.open_collection("html", io.BytesIO())


def test_options_are_checked_before_any_article() -> None:
    with pytest.raises(newsarticle.OptionError, match="option 'include_source' takes true or false"):
        newsarticle.open_collection("jsonl", io.BytesIO(), include_source="no")
    with pytest.raises(newsarticle.OptionError, match="format 'jsonl' has no option 'indent'"):
        newsarticle.open_collection("jsonl", io.BytesIO(), indent=2)


def test_a_path_is_written_whole_or_not_at_all(articles: list[Article], tmp_path: Path) -> None:
    target = tmp_path / "corpus.jsonl"
    target.write_bytes(b"the only copy\n")

    def failing() -> Iterator[Article]:
        yield articles[0]
        raise RuntimeError("the corpus went away")

    with pytest.raises(RuntimeError, match="went away"):
        newsarticle.write_collection(failing(), "jsonl", target)
    assert target.read_bytes() == b"the only copy\n"
    assert [path.name for path in tmp_path.iterdir()] == ["corpus.jsonl"]  # no temporary file left


def test_memory_stays_flat_in_the_number_of_articles(articles: list[Article]) -> None:
    few, many = peak_memory(articles, 2, "jsonl"), peak_memory(articles, 40, "jsonl")
    # Twenty times the articles; a host or format that kept them would need twenty times the memory.
    assert many < few * 1.5 + 64 * 1024, (few, many)


# A careless or hostile third-party collection format.


@attrs.define
class _Writer:
    sink: Any
    mode: str
    closed: bool = False
    refused: list[BaseException] = attrs.Factory(list)

    def add(self, article: Article) -> None:
        if self.mode == "thread":  # writes from a thread of its own, which the host refuses
            thread = threading.Thread(target=self._write_from_a_thread)
            thread.start()
            thread.join()
        if self.mode == "half" and "Stadtwald" in article.headline:
            self.sink.write(b"<entry>")
            raise ValueError("no date")
        if self.mode == "refuse" and "Stadtwald" in article.headline:
            raise ValueError("not this one")
        if self.mode == "text":
            self.sink.write(article.headline)
            return
        self.sink.write(article.headline.encode() + b"\n")

    def close(self) -> None:
        self.closed = True
        self.sink.write(b"END\n")

    def _write_from_a_thread(self) -> None:
        try:
            self.sink.write(b"from another thread")
        except newsarticle.PluginError as exc:
            self.refused.append(exc)


@attrs.define
class _Format:
    mode: str
    name: str = "careless"
    media_type: str = "text/plain"
    suffix: str = ".careless"
    description: str = "A careless collection format."
    options: tuple[newsarticle.Option, ...] = newsarticle.URL_OPTIONS
    needs_url: bool = False
    writers: list[_Writer] = attrs.Factory(list)

    def open(self, sink: Any, context: newsarticle.RenderContext) -> _Writer:
        self.writers.append(_Writer(sink, self.mode))
        return self.writers[-1]


def _register(plugin: list[str], collection: _Format) -> None:
    class Plugin:
        @hookimpl
        def register_collections(self, register: newsarticle.RegisterCollection) -> None:
            register(collection)

    plugin.append(newsarticle.register_plugin(Plugin(), name=f"careless-{collection.mode}"))


STADTWALD = DATA.parent.parent / "examples" / "articles" / "edge_wrapped_paragraphs.txt"


def test_an_article_refused_before_writing_costs_only_itself(articles: list[Article], plugin: list[str]) -> None:
    _register(plugin, _Format("refuse"))
    sink = io.BytesIO()
    output = newsarticle.open_collection("careless", sink)
    output.add(articles[0])
    with pytest.raises(newsarticle.PluginError, match=r"collection format 'careless' from plugin 'careless-refuse'"):
        output.add(_quiet(STADTWALD))
    output.add(articles[1])
    output.close()
    assert sink.getvalue().decode().splitlines() == [articles[0].headline, articles[1].headline, "END"]


def test_an_add_that_fails_after_writing_damages_the_output(articles: list[Article], plugin: list[str]) -> None:
    collection = _Format("half")
    _register(plugin, collection)
    output = newsarticle.open_collection("careless", io.BytesIO())
    with pytest.raises(newsarticle.PluginError, match="no date"):
        output.add(_quiet(STADTWALD))
    assert output.damaged is not None
    with pytest.raises(newsarticle.PluginError, match="damaged"):
        output.add(articles[0])
    with pytest.raises(newsarticle.PluginError, match="damaged"):
        output.close()
    assert not collection.writers[0].closed  # a damaged output is never finished as if it were whole


def test_a_format_that_writes_text_is_named(articles: list[Article], plugin: list[str]) -> None:
    _register(plugin, _Format("text"))
    with pytest.raises(newsarticle.PluginError, match="wrote str, not bytes"):
        newsarticle.write_collection(articles, "careless", io.BytesIO())


def test_a_format_cannot_write_after_its_output_ended(articles: list[Article], plugin: list[str]) -> None:
    collection = _Format("plain")
    _register(plugin, collection)
    newsarticle.write_collection(articles[:1], "careless", io.BytesIO())
    with pytest.raises(newsarticle.PluginError, match="wrote after its output was closed"):
        collection.writers[0].sink.write(b"late")


def test_a_format_that_needs_urls_refuses_an_article_without_one(articles: list[Article], plugin: list[str]) -> None:
    _register(plugin, _Format("plain", needs_url=True))
    without = attrs.evolve(articles[0], url=None, source="politik/haushalt.txt")
    with pytest.raises(newsarticle.MissingURLError, match="format 'careless' links to every article") as caught:
        newsarticle.write_collection([without], "careless", io.BytesIO())
    assert (caught.value.source, caught.value.line) == ("politik/haushalt.txt", 4)
    given = attrs.evolve(without, url="https://example.org/a.html")
    assert newsarticle.write_collection([given], "careless", io.BytesIO()) == 1


def test_base_url_gives_the_url_of_the_article_s_page(plugin: list[str]) -> None:
    seen: list[str | None] = []

    @attrs.define
    class Recording(_Format):
        def open(self, sink: Any, context: newsarticle.RenderContext) -> Any:
            class Writer:
                def add(self, article: Article) -> None:
                    seen.append(article.url)

                def close(self) -> None:
                    pass

            return Writer()

    _register(plugin, Recording("plain", needs_url=True))
    parsed = newsarticle.parse("Politik\nT\n2025-02-27\nlang: de\n\nText.\n")
    article = attrs.evolve(parsed, source="politik/Haus halt.txt")
    output = newsarticle.open_collection("careless", io.BytesIO(), base_url="https://example.org/news/")
    output.add(article)
    output.add(article, path="sport/b.txt")
    output.close()
    assert seen == ["https://example.org/news/politik/Haus%20halt.html", "https://example.org/news/sport/b.html"]


def test_one_name_is_one_format_even_when_a_plugin_registers_it_as_both_kinds(plugin: list[str]) -> None:
    article = newsarticle.parse("Politik\nT\n2025-02-27\nlang: de\n\nText.\n")

    class Renderer:
        name, media_type, suffix, description, options = "jsonl", "text/plain", ".txt", "A renderer.", ()

        def render(self, article: Article, context: newsarticle.RenderContext) -> str:
            return "rendered"

    class Plugin:
        @hookimpl
        def register_renderers(self, register: newsarticle.RegisterRenderer) -> None:
            register(Renderer(), replace=True)

        @hookimpl
        def register_collections(self, register: newsarticle.RegisterCollection) -> None:
            register(_Format("plain", name="jsonl"), replace=True)

    plugin.append(newsarticle.register_plugin(Plugin(), name="both-kinds"))
    [info] = [info for info in newsarticle.formats() if info.name == "jsonl"]
    assert (info.kind, info.plugin) == ("collection", "both-kinds")
    with pytest.raises(newsarticle.UnknownFormatError, match=r"use newsarticle\.write_collection"):
        newsarticle.render(article, "jsonl")  # what formats() says it is
    sink = io.BytesIO()
    newsarticle.write_collection([article], "jsonl", sink)
    assert sink.getvalue() == b"T\nEND\n"
    newsarticle.unregister_plugin(plugin.pop())
    [info] = [info for info in newsarticle.formats() if info.name == "jsonl"]
    assert (info.kind, info.plugin) == ("collection", "newsarticle.renderers.jsonl")
    assert newsarticle.from_json(_jsonl([article])) == article


def _jsonl(articles: list[Article]) -> str:
    sink = io.BytesIO()
    newsarticle.write_collection(articles, "jsonl", sink)
    return sink.getvalue().decode("utf-8")


def test_a_format_writes_only_from_inside_its_own_calls(articles: list[Article], plugin: list[str]) -> None:
    collection = _Format("thread")
    _register(plugin, collection)
    sink = io.BytesIO()
    output = newsarticle.open_collection("careless", sink)
    output.add(articles[0])
    writer = collection.writers[0]
    with pytest.raises(newsarticle.PluginError, match="wrote outside its open"):
        writer.sink.write(b"between two articles")
    output.add(articles[1])
    output.close()
    assert [type(exc) for exc in writer.refused] == [newsarticle.PluginError, newsarticle.PluginError]
    assert "from another thread" in str(writer.refused[0])
    assert sink.getvalue().decode().splitlines() == [articles[0].headline, articles[1].headline, "END"]


def test_a_writer_whose_close_changes_its_mind_is_named(articles: list[Article], plugin: list[str]) -> None:
    class Fickle:
        reads = 0

        def add(self, article: Article) -> None:
            pass

        @property
        def close(self) -> Any:
            self.reads += 1
            if self.reads > 1:  # callable when the host checked it at open, then not
                raise SystemExit(3)
            return lambda: None

    @attrs.define
    class FickleFormat(_Format):
        def open(self, sink: Any, context: newsarticle.RenderContext) -> Any:
            return Fickle()

    _register(plugin, FickleFormat("plain"))
    output = newsarticle.open_collection("careless", io.BytesIO())
    output.add(articles[0])
    with pytest.raises(newsarticle.PluginError, match=r"\(close\) failed: SystemExit\(3\)"):
        output.close()


def test_a_folder_into_a_file_no_collection_format_writes_says_which_suffixes_do(tmp_path: Path) -> None:
    # convert FOLDER -o feed.json: .json is the json format's (one file per article), and the user meant one feed.
    from newsarticle._cli.exits import UsageError
    from newsarticle._cli.jobs import infer_format

    with pytest.raises(UsageError) as info:
        infer_format(str(tmp_path / "feed.json"), single=False)
    message = str(info.value)
    assert "names one file, and several inputs go into one file only in a collection format" in message
    assert "none of which writes .json files (" in message
    assert "jsonfeed .feed.json" in message  # the one the user is most likely to have meant
    assert message.endswith("give -t FORMAT (with a format of one file per article, -o names the folder to write)")
    assert infer_format(str(tmp_path / "feed.feed.json"), single=False) == "jsonfeed"
    with pytest.raises(UsageError, match="give the output format with -t FORMAT when -o names a folder"):
        infer_format(str(tmp_path) + "/", single=False)
