"""``newsarticle.dask``: a corpus on local disk or in S3 as a bag of per-file results and a typed dataframe.

With real components: a ``distributed`` cluster of worker processes, an S3-compatible server (moto's, on
127.0.0.1) reached through s3fs, and the Parquet it writes read back by pyarrow and by DuckDB.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import newsarticle
import newsarticle.dask as nd

DATA = Path(__file__).parent / "data"
BAD = {
    "bad/impossible.txt": "Lokales\nÜberschrift\n2025-13-45\n\nText.\n".encode(),
    "bad/empty.txt": b"",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for source in DATA.glob("*.txt"):
        shutil.copyfile(source, folder / source.name)
    for name, data in BAD.items():
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "notes.md").write_text("not an article", encoding="utf-8")  # not selected by the glob
    return folder


def _expected(corpus: Path) -> list[tuple[str, Any]]:
    """Every selected file in input order (as the command walks: a folder's files, then its subfolders),
    with its Article or its ParseError."""
    expected: list[tuple[str, Any]] = []
    files = corpus.rglob("*.txt")
    for path in sorted(files, key=lambda p: (len(p.relative_to(corpus).parts) > 1, p.parent.as_posix(), p.stem)):
        try:
            expected.append((str(path), newsarticle.parse_file(path, on_diagnostic=lambda _d: None)))
        except newsarticle.ParseError as exc:
            expected.append((str(path), exc))
    return expected


def _check(results: list[Any], expected: list[tuple[str, Any]], source: Any = str) -> None:
    assert [result.source for result in results] == [source(path) for path, _ in expected]
    for result, (_path, want) in zip(results, expected, strict=True):
        if isinstance(want, newsarticle.ParseError):
            assert not result.ok
            assert result.article is None
            assert (result.error.code, result.error.line, result.error.column) == (want.code, want.line, want.column)
            assert result.error.message == want.message
        else:
            assert result.ok
            assert result.error is None
            assert result.article == attrs.evolve(want, source=result.source)


def test_results_keep_every_file_in_order_with_its_article_or_its_error(corpus: Path) -> None:
    results = nd.read_results(corpus, files_per_partition=7).compute(scheduler="synchronous")
    _check(results, _expected(corpus))
    assert {result.error.code for result in results if not result.ok} == {"invalid-date", "empty"}


def test_read_articles_keeps_the_articles_alone(corpus: Path) -> None:
    articles = nd.read_articles(corpus).compute(scheduler="synchronous")
    assert articles == [want for _, want in _expected(corpus) if isinstance(want, newsarticle.Article)]


def test_a_pattern_and_a_list_select_files(corpus: Path) -> None:
    pattern = nd.read_results(str(corpus / "00*.txt")).compute(scheduler="synchronous")
    assert [Path(r.source).name for r in pattern] == sorted(p.name for p in corpus.glob("00*.txt"))
    listed = nd.read_results([corpus / "bad", corpus / "001_174fa88330290a76.txt"]).compute(scheduler="synchronous")
    assert [Path(r.source).name for r in listed] == ["empty.txt", "impossible.txt", "001_174fa88330290a76.txt"]


def test_a_path_that_names_nothing_and_bad_options_are_refused_at_once(corpus: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        nd.read_results(corpus / "missing")
    with pytest.raises(ValueError, match="files_per_partition takes a whole number of 1 or more"):
        nd.read_results(corpus, files_per_partition=0)
    with pytest.raises(ValueError, match="no parse option 'strictly'"):
        nd.read_results(corpus, strictly=True)


def test_parse_options_reach_the_workers(corpus: Path) -> None:
    strict = nd.read_results(corpus / "edge_cp1252.txt", strict=True).compute(scheduler="synchronous")
    lenient = nd.read_results(corpus / "edge_cp1252.txt").compute(scheduler="synchronous")
    assert [r.ok for r in strict + lenient] == [False, True]
    assert [w.code for w in lenient[0].warnings] == ["encoding-fallback"]


def test_a_file_over_max_size_fails_without_being_read_whole(corpus: Path) -> None:
    [result] = nd.read_results(corpus / "001_174fa88330290a76.txt", max_size=100).compute(scheduler="synchronous")
    assert (result.ok, result.error.code) == (False, "too-large")


# -- real components: a cluster of worker processes, an S3 server, Parquet readers ---------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def s3(corpus: Path) -> Iterator[dict[str, Any]]:
    """A moto S3 server on 127.0.0.1 holding the corpus under s3://news/in/; its storage_options."""
    import boto3
    import s3fs
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        options = {
            "key": "testing",
            "secret": "testing",
            "client_kwargs": {"endpoint_url": f"http://127.0.0.1:{port}", "region_name": "us-east-1"},
        }
        boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{port}",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        ).create_bucket(Bucket="news")
        fs = s3fs.S3FileSystem(**options)
        for path in corpus.rglob("*"):
            if path.is_file():
                fs.pipe(f"news/in/{path.relative_to(corpus).as_posix()}", path.read_bytes())
        yield options
    finally:
        server.stop()


@pytest.mark.slow
def test_a_cluster_of_worker_processes_gives_the_same_results(corpus: Path, client: Any) -> None:
    results = nd.read_results(corpus, files_per_partition=5).compute()
    _check(results, _expected(corpus))


@pytest.mark.slow
def test_s3_gives_the_same_results_as_the_local_folder(corpus: Path, s3: dict[str, Any], client: Any) -> None:
    results = nd.read_results("s3://news/in/", storage_options=s3, files_per_partition=9).compute()

    def url(path: str) -> str:
        return "s3://news/in/" + Path(path).relative_to(corpus).as_posix()

    _check(results, _expected(corpus), url)


@pytest.mark.slow
def test_parquet_from_the_dataframe_reads_back_equal_in_pyarrow_and_duckdb(
    corpus: Path, tmp_path: Path, client: Any
) -> None:
    import duckdb
    import pyarrow.parquet as pq

    articles = [want for _, want in _expected(corpus) if isinstance(want, newsarticle.Article)]
    target = tmp_path / "articles.parquet"
    nd.to_dataframe(nd.read_results(corpus, files_per_partition=6)).to_parquet(target)

    rows = pq.read_table(target).to_pylist()
    assert [row["source"] for row in rows] == [article.source for article in articles]
    for row, article in zip(rows, articles, strict=True):
        assert (row["headline"], row["category"], row["language"]) == (
            article.headline,
            article.category,
            article.language,
        )
        published = article.published
        if isinstance(published, dt.datetime):
            assert row["published"] == published.date()
            assert row["published_at"] == published.astimezone(dt.timezone.utc)
        else:
            assert (row["published"], row["published_at"]) == (published, None)
        assert (row["word_count"], row["reading_time"], row["body"]) == (
            article.word_count,
            article.reading_time,
            article.body,
        )
        assert row["sections"] == [{"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in article.sections]
        assert row["trailer"] == list(article.trailer)

    by_category = duckdb.sql(
        f"select category, count(*), sum(word_count) from read_parquet('{target}/*.parquet') group by category"
    ).fetchall()
    expected: dict[str | None, list[int]] = {}
    for article in articles:
        counts = expected.setdefault(article.category, [0, 0])
        counts[0] += 1
        counts[1] += article.word_count
    assert {category: [count, words] for category, count, words in by_category} == expected


# -- convert: the command's job, outputs and shards written by the workers -----------------------------------

SCRIPT = Path(sys.executable).with_name("newsarticle")
COMMAND = str(SCRIPT) if SCRIPT.exists() else (shutil.which("newsarticle") or "newsarticle")


def _command(*arguments: str | Path) -> None:
    result = subprocess.run([COMMAND, *map(str, arguments)], capture_output=True, timeout=300, check=False)
    assert result.returncode in (0, 1), result.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".newsarticle-manifest.json" and "_newsarticle" not in path.parts
    }


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dask's synchronous scheduler: the quick tests start no process (the cluster tests below do), and
    run here even when another test's distributed client is still the default one."""
    import dask

    monkeypatch.setattr(nd, "_current_client", lambda: None)
    with dask.config.set(scheduler="synchronous"):
        yield


def _records(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted((folder / "_newsarticle").glob("*.json"))]


def test_convert_writes_every_output_and_a_record_per_partition(corpus: Path, tmp_path: Path, in_process: None) -> None:
    out = tmp_path / "site"
    summary = nd.convert(corpus, out, "html", files_per_partition=8, standalone=True)
    expected = _expected(corpus)
    good = [path for path, want in expected if isinstance(want, newsarticle.Article)]
    assert (summary.converted, summary.failed, summary.skipped, summary.outputs) == (len(good), 2, 0, len(good))
    assert sorted(_tree(out)) == sorted(Path(path).relative_to(corpus).with_suffix(".html").as_posix() for path in good)
    records = _records(out)
    assert [source for record in records for source in record["inputs"]] == [path for path, _ in expected]
    failed = [failure for record in records for failure in record["failed"]]
    bad = [(path, want) for path, want in expected if isinstance(want, newsarticle.ParseError)]
    assert [(f["source"], f["code"], f["line"], f["column"]) for f in failed] == [
        (path, want.code, want.line, want.column) for path, want in bad
    ]
    assert [(d.source, d.code) for d in summary.failures] == [(f["source"], f["code"]) for f in failed]


def test_a_rerun_skips_committed_partitions_and_force_converts_them(
    corpus: Path, tmp_path: Path, in_process: None
) -> None:
    out = tmp_path / "corpus"
    first = nd.convert(corpus, out, "jsonl", files_per_partition=10)
    again = nd.convert(corpus, out, "jsonl", files_per_partition=10)
    # The files that failed are failures again (unchanged, they would fail the same way), not "skipped".
    assert (again.converted, again.skipped, again.outputs) == (0, first.converted, 0)
    assert again.failures == first.failures != ()
    changed = nd.convert(corpus, out, "jsonl", files_per_partition=10, include_source=False)
    assert (changed.converted, changed.skipped) == (first.converted, 0)  # another recipe: every shard again
    forced = nd.convert(corpus, out, "jsonl", files_per_partition=10, include_source=False, force=True)
    assert (forced.converted, forced.skipped) == (first.converted, 0)


def test_a_rerun_converts_the_partition_of_an_edited_input_again(tmp_path: Path, in_process: None) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for number in range(4):
        (source / f"{number}.txt").write_bytes(b"Politik\nSchlagzeile %d\n2025-02-27\n\nEin Absatz.\n" % number)
    out = tmp_path / "out"
    nd.convert(source, out, "text", files_per_partition=2)
    edited = source / "3.txt"
    edited.write_bytes(edited.read_bytes().replace(b"Ein Absatz.", "Ein neuer, längerer Absatz.".encode()))
    again = nd.convert(source, out, "text", files_per_partition=2)
    assert (again.converted, again.skipped) == (2, 2)  # the edited file's partition, not the other
    assert "Ein neuer, längerer Absatz." in (out / "3.txt").read_text(encoding="utf-8")


def test_a_fifo_among_the_inputs_is_left_out_alone_instead_of_hanging_its_worker(
    corpus: Path, tmp_path: Path, in_process: None
) -> None:
    source = tmp_path / "in"
    shutil.copytree(corpus, source)
    fifo = source / "000_pipe.txt"
    os.mkfifo(fifo)
    results: list[nd.ConversionSummary] = []
    worker = threading.Thread(target=lambda: results.append(nd.convert(source, tmp_path / "out", "html")), daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():  # opened the FIFO and waits for a writer: give it one, so the thread ends
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("convert() waited on a FIFO named like an article")
    (summary,) = results
    assert [(d.source, d.code) for d in summary.left_out] == [(str(fifo), "special-file")]
    assert summary.converted == sum(isinstance(want, newsarticle.Article) for _, want in _expected(corpus))


def test_an_output_that_would_replace_an_input_is_refused_before_any_file(tmp_path: Path, in_process: None) -> None:
    source = tmp_path / "in"
    source.mkdir()
    article = b"Politik\nSchlagzeile\n2025-02-27\n\nEin Absatz.\n"
    (source / "a.txt").write_bytes(article)
    (source / "b.txt").write_bytes(article)
    with pytest.raises(ValueError, match="replace the input"):
        nd.convert(source, source, "text")  # text's suffix is the inputs': a.txt would become its rendering
    assert (source / "a.txt").read_bytes() == article
    (source / "b.text").write_bytes(article)
    with pytest.raises(ValueError, match=r"b\.te?xt and .*b\.te?xt would both be written to .*b\.html"):
        nd.convert(source, tmp_path / "out", "html", glob="*")
    assert not (tmp_path / "out").exists()


def test_an_output_folder_among_the_inputs_may_not_replace_one_of_its_files(tmp_path: Path, in_process: None) -> None:
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    article = b"Politik\nSchlagzeile\n2025-02-27\n\nEin Absatz.\n"
    (source / "a.txt").write_bytes(article)
    kept = article.replace(b"Ein Absatz.", b"Nur hier.")
    (source / "sub" / "a.txt").write_bytes(kept)  # in/a.txt's text output would be in/sub/a.txt
    with pytest.raises(ValueError, match="replace the input"):
        nd.convert(source, source / "sub", "text")
    assert (source / "sub" / "a.txt").read_bytes() == kept


@pytest.mark.parametrize("format", ["html", "jsonl"])
def test_a_rerun_makes_a_deleted_output_again(corpus: Path, tmp_path: Path, in_process: None, format: str) -> None:
    out = tmp_path / "out"
    first = nd.convert(corpus, out, format, files_per_partition=10)
    outputs = sorted(path for path in out.rglob("*") if path.is_file() and "_newsarticle" not in path.parts)
    whole = outputs[0].read_bytes()
    outputs[0].unlink()
    again = nd.convert(corpus, out, format, files_per_partition=10)
    assert 0 < again.converted < first.converted  # the deleted output's partition, not the others
    assert outputs[0].read_bytes() == whole


def test_an_output_folder_inside_the_input_folder_is_not_read_back(tmp_path: Path, in_process: None) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for number in range(3):
        (source / f"{number}.txt").write_bytes(b"Politik\nSchlagzeile %d\n2025-02-27\n\nEin Absatz.\n" % number)
    first = nd.convert(source, source / "plain", "text")
    again = nd.convert(source, source / "plain", "text")  # plain/*.txt match the inputs' pattern
    assert (first.converted, again.converted, again.skipped, again.failed) == (3, 0, 3, 0)
    assert sorted(path.name for path in (source / "plain").glob("*.txt")) == ["0.txt", "1.txt", "2.txt"]


def test_shards_hold_this_run_s_articles_after_inputs_are_removed_or_fail(tmp_path: Path, in_process: None) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for number in range(6):
        (source / f"{number}.txt").write_bytes(b"Politik\nSchlagzeile %d\n2025-02-27\n\nEin Absatz.\n" % number)
    out = tmp_path / "shards"
    nd.convert(source, out, "jsonl", files_per_partition=2)
    assert sorted(path.name for path in out.glob("part-*.jsonl")) == [f"part-0000{n}.jsonl" for n in range(3)]
    (source / "5.txt").unlink()
    (source / "4.txt").unlink()
    for name in ("2.txt", "3.txt"):  # fail now: partition 1 holds no article
        (source / name).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    summary = nd.convert(source, out, "jsonl", files_per_partition=2)
    assert (summary.converted, summary.failed, summary.skipped) == (0, 2, 2)
    # Partition 2 is gone with its inputs; partition 1's shard, of the last run's articles, is empty now.
    assert sorted(path.name for path in out.glob("part-*.jsonl")) == ["part-00000.jsonl", "part-00001.jsonl"]
    assert (out / "part-00001.jsonl").read_bytes() == b""
    headlines = [json.loads(line)["headline"] for part in sorted(out.glob("part-*.jsonl")) for line in part.open("rb")]
    assert headlines == ["Schlagzeile 0", "Schlagzeile 1"]
    assert sorted(path.name for path in (out / "_newsarticle").glob("*.json")) == ["part-00000.json", "part-00001.json"]


def test_a_folder_without_a_matching_file_is_refused_before_any_file(tmp_path: Path, in_process: None) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.md").write_text("not an article", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"nothing to convert: no file matches '\*\.txt' in"):
        nd.convert(tmp_path / "in", tmp_path / "out", "html")
    assert not (tmp_path / "out").exists()


ARTICLE = b"Politik\nSchlagzeile\n2025-02-27\n\nEin Absatz.\n"


def _folder(path: Path, *names: str) -> Path:
    for name in names:
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(ARTICLE)
    return path


def test_what_a_run_cannot_do_is_refused_before_any_file(tmp_path: Path, in_process: None) -> None:
    # An output among the partition records (a record would replace it, and vouch for itself).
    with pytest.raises(ValueError, match="_newsarticle/, where the partition records are kept"):
        nd.convert(_folder(tmp_path / "a", "_newsarticle/part-00000.txt"), tmp_path / "out-a", "text")
    # An output in the input folder that the next run would read as an article.
    top = _folder(tmp_path / "top", "in/in/x.txt")
    with pytest.raises(ValueError, match="would be an input of the next run"):
        nd.convert(top / "in", top, "text")
    assert not (top / "in" / "x.txt").exists()
    # An output folder that cannot be written: one error, not one per file.
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "_newsarticle").write_bytes(b"a file where the records go")
    with pytest.raises(OSError, match="cannot write to the output folder"):
        nd.convert(_folder(tmp_path / "b", "x.txt"), blocked, "html")
    # A collection format that cannot start (a feed needs its link).
    with pytest.raises(newsarticle.OptionError):
        nd.convert(tmp_path / "b", tmp_path / "feed", "atom")
    assert not list(blocked.glob("*.html"))


def test_a_file_name_with_pattern_characters_is_that_file(tmp_path: Path, in_process: None) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "c[1].txt").write_bytes(ARTICLE)
    (source / "c1.txt").write_bytes(ARTICLE.replace(b"Schlagzeile", b"Eine andere"))
    summary = nd.convert(source / "c[1].txt", tmp_path / "out", "text")
    assert summary.converted == 1
    assert b"Schlagzeile" in (tmp_path / "out" / "c[1].txt").read_bytes()


def test_a_file_replaced_by_a_link_after_the_listing_is_not_read(tmp_path: Path, in_process: None) -> None:
    source = _folder(tmp_path / "in", "a.txt")
    secret = tmp_path / "secret.txt"
    secret.write_bytes(ARTICLE.replace(b"Ein Absatz.", b"Geheim."))
    records = nd.iter_convert(source, tmp_path / "out", "text")  # listed here
    (source / "a.txt").unlink()
    (source / "a.txt").symlink_to(secret)
    summary = nd.summarize(records)
    assert [(d.code, d.source) for d in summary.failures] == [("symlink", str(source / "a.txt"))]
    assert not (tmp_path / "out" / "a.txt").exists()


def test_a_record_stands_only_for_the_same_folder_and_limits(tmp_path: Path, in_process: None) -> None:
    source = _folder(tmp_path / "in", "sub/a.txt")
    out = tmp_path / "out"
    nd.convert(source, out, "text")
    again = nd.convert(source / "sub", out, "text")  # the same file, now at out/a.txt
    assert (again.converted, again.skipped) == (1, 0)
    assert (out / "a.txt").exists()
    small = nd.convert(source, tmp_path / "limited", "text", max_size=10)
    assert small.failures[0].code == "too-large"
    assert (small.failures[0].line, small.failures[0].column) == (1, 1)  # no place: the file was not read
    larger = nd.convert(source, tmp_path / "limited", "text")  # the larger limit reads it
    assert (larger.converted, larger.failed) == (1, 0)


def test_names_and_page_urls_are_the_command_s(
    tmp_path: Path, in_process: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsarticle._cli import main

    monkeypatch.chdir(tmp_path)
    _folder(tmp_path / "in", "a.txt", "sub/b.txt")
    base = "https://example.org/news/"
    for format_name, options in (("json", []), ("html", ["-O", f"base_url={base}"])):
        summary = nd.convert("in", f"api-{format_name}", format_name, **dict(o.split("=", 1) for o in options[1::2]))
        assert (summary.converted, summary.failed) == (2, 0), summary.failures
        assert main(["convert", "in", "-t", format_name, *options, "-o", f"cli-{format_name}", "-q", "-j1"]) == 0
        assert _tree(tmp_path / f"api-{format_name}") == _tree(tmp_path / f"cli-{format_name}")
    assert json.loads((tmp_path / "api-json" / "sub" / "b.json").read_bytes())["source"] == "in/sub/b.txt"
    nd.convert("in", "api-feed", "jsonfeed", files_per_partition=5, base_url=base, title="T", home_page_url=base)
    assert (
        main(
            [
                "convert",
                "in",
                "-t",
                "jsonfeed",
                "-O",
                f"base_url={base}",
                "-O",
                "title=T",
                "-O",
                f"home_page_url={base}",
                "-o",
                "cli.feed.json",
                "-q",
                "-j1",
            ]
        )
        == 0
    )
    assert (tmp_path / "api-feed" / "part-00000.feed.json").read_bytes() == (tmp_path / "cli.feed.json").read_bytes()


def test_an_output_folder_named_like_a_pattern_touches_no_other_folder(tmp_path: Path, in_process: None) -> None:
    six, three = _folder(tmp_path / "six", *(f"{n}.txt" for n in range(6))), _folder(tmp_path / "three", "a.txt")
    nd.convert(six, tmp_path / "ob", "jsonl", files_per_partition=1)
    nd.convert(six, tmp_path / "o[b]", "jsonl", files_per_partition=1)
    nd.convert(three, tmp_path / "o?", "jsonl", files_per_partition=1)  # o? matches ob as a pattern
    nd.convert(three, tmp_path / "o[b]", "jsonl", files_per_partition=1)  # six shards, then one
    assert len(list((tmp_path / "ob").glob("part-*.jsonl"))) == 6
    assert [p.name for p in (tmp_path / "o[b]").iterdir() if p.suffix == ".jsonl"] == ["part-00000.jsonl"]
    (tmp_path / "ob" / "part-00009.jsonl").write_bytes(b"the user's own\n")  # no record lists it: not ours
    nd.convert(three, tmp_path / "ob", "jsonl", files_per_partition=1)
    assert (tmp_path / "ob" / "part-00009.jsonl").read_bytes() == b"the user's own\n"


def test_what_a_run_writes_in_its_own_input_folder_is_refused(tmp_path: Path, in_process: None) -> None:
    source = _folder(tmp_path / "in", "a.txt", "part-00000.jsonl")
    before = (source / "part-00000.jsonl").read_bytes()
    with pytest.raises(ValueError, match="the output folder is the input folder"):
        nd.convert(source, source, "jsonl", glob="*")
    assert (source / "part-00000.jsonl").read_bytes() == before
    # A file named as an input inside the output folder is refused, not left out without a word.
    with pytest.raises(ValueError, match="is in the output folder"):
        nd.convert([source / "a.txt", _folder(source / "out", "user.txt") / "user.txt"], source / "out", "html")


def test_an_output_folder_that_leads_outside_is_refused_file_by_file(tmp_path: Path, in_process: None) -> None:
    source = _folder(tmp_path / "in", "a.txt", "sub/b.txt")
    (tmp_path / "victim").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "sub").symlink_to(tmp_path / "victim", target_is_directory=True)
    summary = nd.convert(source, tmp_path / "out", "html")
    assert [(d.source, d.code) for d in summary.failures] == [(str(source / "sub" / "b.txt"), "output-outside")]
    assert not list((tmp_path / "victim").iterdir())


def test_a_shard_holds_nothing_once_only_left_out_files_remain(tmp_path: Path, in_process: None) -> None:
    source = _folder(tmp_path / "in", "a.txt")
    (source / "link.txt").symlink_to(source / "a.txt")
    nd.convert(source, tmp_path / "shards", "jsonl")
    (source / "a.txt").unlink()
    summary = nd.convert(source, tmp_path / "shards", "jsonl")
    assert (summary.converted, len(summary.left_out)) == (0, 1)
    assert b"".join(p.read_bytes() for p in (tmp_path / "shards").glob("part-*.jsonl")) == b""


def test_a_renderer_s_bug_costs_its_file_alone(
    tmp_path: Path, in_process: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsarticle._render as render_module

    original = render_module.render_encoded

    def render_encoded(article: newsarticle.Article, *args: Any, **kwargs: Any) -> Any:
        if "b.txt" in str(article.source):
            raise RuntimeError("a bug")
        return original(article, *args, **kwargs)

    monkeypatch.setattr(render_module, "render_encoded", render_encoded)
    summary = nd.convert(_folder(tmp_path / "in", "a.txt", "b.txt", "c.txt"), tmp_path / "out", "html")
    assert (summary.converted, [(Path(d.source).name, d.code) for d in summary.failures]) == (
        2,
        [("b.txt", "internal")],
    )


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes: Linux file systems")
def test_an_unusual_file_name_is_the_command_s_in_the_output(tmp_path: Path, in_process: None) -> None:
    from newsarticle._cli import main

    source = tmp_path / "in"
    source.mkdir()
    for name in (b"bad\xff.txt", b"new\nline.txt"):
        with open(os.path.join(os.fsencode(source), name), "wb") as file:
            file.write(ARTICLE)
    nd.convert(source, tmp_path / "api", "jsonl")
    assert main(["convert", str(source), "-o", str(tmp_path / "cli.jsonl"), "-q", "-j1"]) == 0
    assert (tmp_path / "api" / "part-00000.jsonl").read_bytes() == (tmp_path / "cli.jsonl").read_bytes()


def _linked_tree(tmp_path: Path) -> Path:
    """A folder with an article, a link to an article outside it and a link to a folder of two articles."""
    article = b"Politik\nSchlagzeile %d\n2025-02-27\n\nEin Absatz.\n"
    source, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    (elsewhere / "folder").mkdir(parents=True)
    source.mkdir()
    (source / "a.txt").write_bytes(article % 1)
    (elsewhere / "b.txt").write_bytes(article % 2)
    for number in (3, 4):
        (elsewhere / "folder" / f"{number}.txt").write_bytes(article % number)
    (source / "b.txt").symlink_to(elsewhere / "b.txt")
    (source / "linked").symlink_to(elsewhere / "folder", target_is_directory=True)
    return source


def test_links_in_a_folder_are_left_out_unless_followed_as_the_command_does(tmp_path: Path, in_process: None) -> None:
    source = _linked_tree(tmp_path)
    summary = nd.convert(source, tmp_path / "out", "text")
    assert (summary.converted, summary.skipped, summary.failed) == (1, 2, 0)
    assert sorted((d.source, d.code) for d in summary.left_out) == [
        (str(source / "b.txt"), "symlink"),
        (str(source / "linked"), "symlink"),
    ]
    assert sorted(p.name for p in (tmp_path / "out").rglob("*.txt")) == ["a.txt"]
    followed = nd.convert(source, tmp_path / "followed", "text", follow_symlinks=True)
    assert (followed.converted, followed.left_out) == (4, ())
    from newsarticle._cli import main

    assert main(["convert", str(source), "-t", "text", "-o", str(tmp_path / "local"), "--follow-symlinks", "-j1"]) == 0
    assert _tree(tmp_path / "followed") == _tree(tmp_path / "local")  # a folder link is walked under its own name
    results = nd.read_results(source).compute()
    assert [(Path(r.source).name, r.error.code if r.error else None) for r in results] == [
        ("b.txt", "symlink"),
        ("linked", "symlink"),
        ("a.txt", None),
    ]


def test_every_storage_lists_a_folder_in_the_command_s_order(corpus: Path) -> None:
    import fsspec

    memory = fsspec.filesystem("memory")
    for path in sorted(corpus.rglob("*")):
        if path.is_file():
            memory.pipe(f"/order/{path.relative_to(corpus).as_posix()}", path.read_bytes())
    try:
        listed = [r.source for r in nd.read_results("memory://order/").compute(scheduler="synchronous")]
    finally:
        memory.rm("/order", recursive=True)
    local = [r.source for r in nd.read_results(corpus).compute(scheduler="synchronous")]
    assert listed == ["memory:///order/" + Path(path).relative_to(corpus).as_posix() for path in local]
    assert local == [path for path, _ in _expected(corpus)]


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes: Linux file systems")
def test_a_file_name_that_is_not_utf8_converts_and_reruns(tmp_path: Path, in_process: None) -> None:
    source = tmp_path / "in"
    source.mkdir()
    article = b"Politik\nSchlagzeile\n2025-02-27\n\nEin Absatz.\n"
    (source / "a.txt").write_bytes(article)
    with open(os.path.join(os.fsencode(source), b"caf\xe9.txt"), "wb") as file:  # Latin-1, as old archives have
        file.write(article)
    first = nd.convert(source, tmp_path / "out", "html")
    again = nd.convert(source, tmp_path / "out", "html")
    assert (first.converted, first.failed, again.skipped) == (2, 0, 2)
    assert sorted(os.listdir(os.fsencode(tmp_path / "out"))) == [b"_newsarticle", b"a.html", b"caf\xe9.html"]


def test_max_size_fails_a_larger_file_without_reading_it_whole(corpus: Path, tmp_path: Path, in_process: None) -> None:
    summary = nd.convert(corpus / "001_174fa88330290a76.txt", tmp_path / "out", "jsonl", max_size=100)
    assert (summary.converted, summary.failed) == (0, 1)
    assert summary.failures[0].code == "too-large"


def test_an_unknown_format_or_a_bad_option_fails_before_any_file(
    corpus: Path, tmp_path: Path, in_process: None
) -> None:
    with pytest.raises(newsarticle.UnknownFormatError):
        nd.convert(corpus, tmp_path / "out", "htlm")
    with pytest.raises(newsarticle.OptionError, match="option 'width' takes a whole number"):
        nd.convert(corpus, tmp_path / "out", "text", width="wide")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_on_a_cluster_outputs_and_shards_equal_the_command_s(corpus: Path, tmp_path: Path, client: Any) -> None:
    site, shards = tmp_path / "site", tmp_path / "shards"
    nd.convert(corpus, site, "html", files_per_partition=7, standalone=True)
    nd.convert(corpus, shards, "jsonl", files_per_partition=7)
    _command("convert", corpus, "-t", "html", "-s", "-o", tmp_path / "local-site", "-q")
    _command("convert", corpus, "-o", tmp_path / "local.jsonl", "-q")
    assert _tree(site) == _tree(tmp_path / "local-site")
    parts = sorted(shards.glob("part-*.jsonl"))
    assert [part.name for part in parts] == [f"part-{index:05d}.jsonl" for index in range(len(parts))]
    assert b"".join(part.read_bytes() for part in parts) == (tmp_path / "local.jsonl").read_bytes()


@pytest.mark.slow
def test_s3_to_s3_writes_shards_and_records_the_workers_commit(s3: dict[str, Any], client: Any, corpus: Path) -> None:
    import s3fs

    summary = nd.convert("s3://news/in/", "s3://news/out/", "jsonl", storage_options=s3, files_per_partition=12)
    fs = s3fs.S3FileSystem(**s3)
    names = sorted(name.rpartition("/")[2] for name in fs.ls("news/out/") if name.endswith(".jsonl"))
    assert names == [f"part-{index:05d}.jsonl" for index in range(len(names))]
    lines = b"".join(fs.cat(f"news/out/{name}") for name in names).decode("utf-8").splitlines()
    assert (
        len(lines)
        == summary.converted
        == len([1 for _, want in _expected(corpus) if isinstance(want, newsarticle.Article)])
    )
    sources = [json.loads(line)["source"] for line in lines]
    assert all(source.startswith("s3://news/in/") for source in sources)
    assert len(fs.ls("news/out/_newsarticle/")) == len(names)


@pytest.mark.slow
def test_workers_without_the_format_are_named_before_any_file(corpus: Path, tmp_path: Path, client: Any) -> None:
    class HereOnly:
        name = "here-only"
        media_type = "text/plain"
        suffix = ".here"
        description = "A format registered in this process alone, not on the workers."
        options = ()

        def open(self, sink: Any, context: Any) -> Any:
            raise AssertionError("no file may be converted")

    class Plugin:
        @newsarticle.hookimpl
        def register_collections(self, register: Any) -> None:
            register(HereOnly())

    name = newsarticle.register_plugin(Plugin(), name="here-only")
    try:
        with pytest.raises(nd.ClusterMismatch, match=r"workers lack the format 'here-only'.*tcp://127\.0\.0\.1:\d+"):
            nd.convert(corpus, tmp_path / "out", "here-only")
    finally:
        newsarticle.unregister_plugin(name)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_workers_of_another_version_are_named(
    corpus: Path, tmp_path: Path, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(newsarticle, "__version__", "0.0.0-elsewhere", raising=False)
    with pytest.raises(
        nd.ClusterMismatch, match=r"workers run another newsarticle than this one \(0\.0\.0-elsewhere\)"
    ):
        nd.convert(corpus, tmp_path / "out", "jsonl")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_cluster_without_workers_is_an_error_not_a_wait(tmp_path: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=True, dashboard_address=":0") as empty:
        started = time.monotonic()
        result = subprocess.run(
            [
                COMMAND,
                "convert",
                str(DATA),
                "-t",
                "html",
                "-o",
                str(tmp_path / "out"),
                "--scheduler",
                empty.scheduler_address,
            ],
            capture_output=True,
            timeout=120,
            check=False,
            env={**os.environ, "NEWSARTICLE_SCHEDULER_TIMEOUT": "2"},
        )
    assert result.returncode == 2, result.stderr
    assert b"no worker joined the scheduler within 2 s" in result.stderr
    assert time.monotonic() - started < 60
    assert not (tmp_path / "out").exists()


# -- the command on the cluster API: shards, URLs ---------------------------------------------------------------


@pytest.mark.slow
def test_the_command_writes_jsonl_shards_on_a_cluster(corpus: Path, tmp_path: Path, client: Any) -> None:
    address = client.scheduler.address
    refused = subprocess.run(
        [COMMAND, "convert", str(corpus), "-t", "jsonl", "-o", str(tmp_path / "all.jsonl"), "--scheduler", address],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert refused.returncode == 2
    assert b"writes a folder of shards, one per partition (part-00000.jsonl, ...): give -o FOLDER" in refused.stderr
    shards = tmp_path / "shards"
    result = subprocess.run(
        [COMMAND, "convert", str(corpus), "-t", "jsonl", "-o", str(shards), "--scheduler", address],
        capture_output=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr  # the two bad files
    for path, want in _expected(corpus):
        if isinstance(want, newsarticle.ParseError):
            assert f"{path}:{want.line}:{want.column}: error: {want.code}: ".encode() in result.stderr
    _command("convert", corpus, "-o", tmp_path / "local.jsonl", "-q")
    parts = sorted(shards.glob("part-*.jsonl"))
    assert b"".join(part.read_bytes() for part in parts) == (tmp_path / "local.jsonl").read_bytes()


@pytest.mark.slow
def test_the_command_reads_and_writes_s3_urls_on_a_cluster(
    corpus: Path, s3: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import s3fs
    from distributed import LocalCluster

    # Credentials and the endpoint as a user gives them: in the environment of the command and of the workers.
    endpoint = s3["client_kwargs"]["endpoint_url"]
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        result = subprocess.run(
            [
                COMMAND,
                "convert",
                "s3://news/in/",
                "-t",
                "html",
                "-o",
                "s3://news/site/",
                "--scheduler",
                cluster.scheduler_address,
            ],
            capture_output=True,
            timeout=300,
            check=False,
        )
    assert result.returncode == 1, result.stderr  # the two bad files, named by their URLs
    assert b"s3://news/in/bad/impossible.txt:" in result.stderr
    _command("convert", corpus, "-t", "html", "-o", tmp_path / "local", "-q")
    fs = s3fs.S3FileSystem(**s3)
    local = _tree(tmp_path / "local")
    assert {name: fs.cat(f"news/site/{name}") for name in local} == local
