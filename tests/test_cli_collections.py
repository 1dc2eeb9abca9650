"""The command with a careless or hostile collection format: ``convert FOLDER -t FORMAT -o FILE``.

The command runs in this process (``main``, ``-j 1``) with the plugin registered by
``register_plugin``, so the quick tier covers it; what needs worker processes is in the slow tier.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest

import newsarticle
from newsarticle import Article, hookimpl
from newsarticle._cli import main

MANIFEST = ".newsarticle-manifest.json"
HEADLINES = ["Erste Meldung", "Zweite Meldung", "Dritte Meldung"]


class Die(BaseException):
    """A plugin's own BaseException: neither an interrupt nor anything ``except Exception`` catches."""


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for index, headline in enumerate(HEADLINES):
        text = f"Politik\n{headline}\n2025-02-27\nlang: de\n\nEin Absatz.\n"
        (folder / f"{index:02d}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def plugin() -> Generator[list[str], None, None]:
    names: list[str] = []
    yield names
    for name in names:
        newsarticle.unregister_plugin(name)


def _format(
    *,
    on_open: Callable[[], None] = lambda: None,
    on_add: Callable[[Any, Article], None] = lambda _sink, _article: None,
    on_close: Callable[[], None] = lambda: None,
    writer: Callable[[Any], object] | None = None,
) -> object:
    """A collection format ``lines`` (one headline a line, then ``END``) with hooks into each step."""

    class Writer:
        def __init__(self, sink: Any) -> None:
            self.sink = sink

        def add(self, article: Article) -> None:
            on_add(self.sink, article)
            self.sink.write(article.headline.encode() + b"\n")

        def close(self) -> None:
            on_close()
            self.sink.write(b"END\n")

    class Lines:
        name = "lines"
        media_type = "text/plain"
        suffix = ".lines"
        description = "One headline a line."
        options = ()

        def open(self, sink: Any, context: newsarticle.RenderContext) -> object:
            on_open()
            return Writer(sink) if writer is None else writer(sink)

    return Lines()


def _register(plugin: list[str], collection: object) -> None:
    class Plugin:
        @hookimpl
        def register_collections(self, register: newsarticle.RegisterCollection) -> None:
            register(collection)

    plugin.append(newsarticle.register_plugin(Plugin(), name="lines-plugin"))


def _convert(inputs: Path, output: Path, *extra: str) -> int:
    return main(["convert", str(inputs), "-t", "lines", "-o", str(output), "-j", "1", "-q", *extra])


def _on_second(fault: Callable[[], None]) -> Callable[[Any, Article], None]:
    def on_add(_sink: Any, article: Article) -> None:
        if article.headline == HEADLINES[1]:
            fault()

    return on_add


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name not in (MANIFEST, "in"))


def test_an_article_the_format_refuses_fails_that_file_alone(
    inputs: Path, plugin: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse() -> None:
        raise ValueError("not this one")

    _register(plugin, _format(on_add=_on_second(refuse)))
    output, report = tmp_path / "all.lines", tmp_path / "errors.jsonl"

    assert _convert(inputs, output, "--errors", str(report)) == 1

    assert output.read_text(encoding="utf-8").splitlines() == [HEADLINES[0], HEADLINES[2], "END"]
    [problem] = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert (problem["path"], problem["code"]) == (str(inputs / "01.txt"), "plugin")
    assert "not this one" in problem["message"]
    assert "error: plugin: collection format 'lines'" in capsys.readouterr().err


@pytest.mark.parametrize("step", ["open", "add", "close"])
def test_a_plugin_s_own_base_exception_is_a_plugin_failure_and_leaves_no_file(
    inputs: Path, plugin: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], step: str
) -> None:
    def die() -> None:
        raise Die("gone")

    hooks: dict[str, Any] = {"open": {"on_open": die}, "add": {"on_add": _on_second(die)}, "close": {"on_close": die}}
    _register(plugin, _format(**hooks[step]))
    output = tmp_path / "all.lines"

    status = _convert(inputs, output)

    err = capsys.readouterr().err
    assert "Die('gone')" in err
    assert "Traceback" not in err
    if step == "add":  # nothing of it was written: that file fails, the others go in
        assert status == 1
        assert output.read_text(encoding="utf-8").splitlines() == [HEADLINES[0], HEADLINES[2], "END"]
    else:
        assert status == 1
        assert _leftovers(tmp_path) == []  # no output, and no temporary file


def test_a_writer_whose_add_is_a_property_that_raises_is_named(
    inputs: Path, plugin: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    class Hostile:
        @property
        def add(self) -> Any:
            raise RuntimeError("add is a property")

        def close(self) -> None:
            pass

    _register(plugin, _format(writer=lambda _sink: Hostile()))

    assert _convert(inputs, tmp_path / "all.lines") == 1

    err = capsys.readouterr().err
    assert "collection format 'lines' from plugin 'lines-plugin' (open) failed" in err
    assert "Traceback" not in err
    assert _leftovers(tmp_path) == []


def test_ctrl_c_in_the_format_s_close_leaves_no_temporary_file(inputs: Path, plugin: list[str], tmp_path: Path) -> None:
    def interrupt() -> None:
        raise KeyboardInterrupt

    _register(plugin, _format(on_close=interrupt))
    try:
        status = _convert(inputs, tmp_path / "all.lines")
    except KeyboardInterrupt:
        status = 130
    assert status == 130
    assert _leftovers(tmp_path) == []


# The format's code runs in the command's own process: a hang there would hang the whole command.


def _loop_forever() -> None:
    while True:
        pass


def test_a_format_whose_add_hangs_costs_that_file_under_the_time_limit(
    inputs: Path, plugin: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _register(plugin, _format(on_add=_on_second(_loop_forever)))
    output = tmp_path / "all.lines"

    assert _convert(inputs, output, "--timeout", "0.5") == 1

    assert output.read_text(encoding="utf-8").splitlines() == [HEADLINES[0], HEADLINES[2], "END"]
    err = capsys.readouterr().err
    assert f"{inputs / '01.txt'}: error: timeout: the lines format took longer than the time limit of 0.5 s" in err


@pytest.mark.parametrize("step", ["open", "close"])
def test_a_format_whose_open_or_close_hangs_writes_no_output(
    inputs: Path, plugin: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], step: str
) -> None:
    _register(plugin, _format(**{f"on_{step}": _loop_forever}))

    assert _convert(inputs, tmp_path / "all.lines", "--timeout", "0.5") == 1

    assert "took longer than the time limit of 0.5 s (--timeout)" in capsys.readouterr().err
    assert _leftovers(tmp_path) == []


def test_a_transform_that_hangs_costs_that_file_as_with_any_format(
    inputs: Path, plugin: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    class Hangs:
        name = "hangs"
        description = "Loops on the second article."

        def apply(self, article: Article, context: newsarticle.RenderContext) -> Article:
            if article.headline == HEADLINES[1]:
                _loop_forever()
            return article

    class Plugin:
        @hookimpl
        def register_transforms(self, register: newsarticle.RegisterTransform) -> None:
            register(Hangs())

    plugin.append(newsarticle.register_plugin(Plugin(), name="hangs-plugin"))
    output = tmp_path / "corpus.jsonl"

    status = main(["convert", str(inputs), "-t", "jsonl", "-o", str(output), "-j", "1", "--transform", "hangs",
                   "--timeout", "0.5", "-q"])  # fmt: skip

    assert status == 1
    lines = output.read_text(encoding="utf-8").splitlines()
    assert [newsarticle.from_json(line).headline for line in lines] == [HEADLINES[0], HEADLINES[2]]
    assert f"{inputs / '01.txt'}: error: timeout:" in capsys.readouterr().err


def test_the_time_limit_does_not_count_a_slow_write(
    inputs: Path, plugin: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from newsarticle._atomic import AtomicFile

    write = AtomicFile.write

    def slow(self: AtomicFile, data: bytes) -> Any:
        time.sleep(0.4)  # a slow disk, or a slow reader of standard output
        return write(self, data)

    monkeypatch.setattr(AtomicFile, "write", slow)
    _register(plugin, _format())
    output = tmp_path / "all.lines"

    assert _convert(inputs, output, "--timeout", "0.3") == 0

    assert output.read_text(encoding="utf-8").splitlines() == [*HEADLINES, "END"]
