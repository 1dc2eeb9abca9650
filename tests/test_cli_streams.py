"""The command's standard streams: closed ones, and plugins that print.

Standard output carries the command's results (a conversion to ``-``, the
``jsonl`` corpus, ``formats``, ``check``'s report, ``--version``) and nothing
else: whatever a plugin prints, at import, in a transform or in a renderer,
in the command's process or in a worker, goes to standard error. A closed
standard input or output that the command needs is a usage error; a closed
standard error loses the messages, never the exit status.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsarticle import from_json
from newsarticle._plugins import DISABLE_AUTOLOAD_ENV

pytestmark = pytest.mark.slow  # each test runs the command in a process of its own

DATA = Path(__file__).parent / "data"
SOURCES = sorted(DATA.glob("*.txt"))

NOISY_MODULE = """
import newsarticle

print("noise at import")


class Noisy:
    name = "noisy"
    description = "Prints, and changes nothing."

    def apply(self, article, context):
        print("noise in a transform")
        return article


class NoisyJson:
    name = "noisyjson"
    media_type = "application/json"
    suffix = ".noisy.json"
    description = "The json format, with a print."
    options = ()

    def render(self, article, context):
        print("noise in render")
        return newsarticle.to_json(article)


@newsarticle.hookimpl
def register_transforms(register):
    register(Noisy())


@newsarticle.hookimpl
def register_renderers(register):
    register(NoisyJson())
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder holding an installed distribution whose plugin prints at import, in a transform and in render."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "noisy_plugin.py").write_text(NOISY_MODULE, encoding="utf-8")
    dist_info = folder / "noisy_plugin-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: noisy-plugin\nVersion: 0.1\n", encoding="utf-8")
    (dist_info / "entry_points.txt").write_text("[newsarticle]\nnoisy = noisy_plugin\n", encoding="utf-8")
    return folder


def newsarticle_command(
    *args: str, site: Path | None = None, close: tuple[int, ...] = (), cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the command with the plugin in ``site`` installed and the file descriptors in ``close`` closed."""
    environment = {key: value for key, value in os.environ.items() if key != DISABLE_AUTOLOAD_ENV}
    if site is not None:
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))

    def close_descriptors() -> None:
        for number in close:
            os.close(number)

    return subprocess.run(
        [sys.executable, "-m", "newsarticle", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=environment,
        cwd=cwd,
        timeout=120,
        check=False,
        preexec_fn=close_descriptors,  # the child only closes descriptors: safe before exec
    )


def articles_in(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for source in SOURCES[:count]:
        shutil.copyfile(source, folder / source.name)
    return folder


# -- plugins that print -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["noisyjson", "html"])
def test_plugin_prints_stay_out_of_a_conversion_to_standard_output(site: Path, tmp_path: Path, fmt: str) -> None:
    clean = newsarticle_command("convert", str(SOURCES[0]), "-t", fmt, "--transform", "noisy", site=site)
    assert clean.returncode == 0, clean.stderr
    assert b"noise" not in clean.stdout
    stderr = clean.stderr.decode()
    assert "noise at import" in stderr
    assert "noise in a transform" in stderr
    if fmt == "noisyjson":
        assert "noise in render" in stderr
        from_json(clean.stdout.decode("utf-8"))  # the whole of stdout is the article
    else:
        reference = newsarticle_command("convert", str(SOURCES[0]), "-t", fmt)
        assert clean.stdout == reference.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_plugin_prints_stay_out_of_a_jsonl_corpus_on_standard_output(site: Path, tmp_path: Path, jobs: str) -> None:
    inputs = articles_in(tmp_path, 12)
    done = newsarticle_command("convert", str(inputs), "-t", "jsonl", "--transform", "noisy", "-j", jobs, site=site)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode("utf-8").splitlines()
    assert len(lines) == 12
    for line in lines:
        from_json(line)
    assert done.stderr.decode().count("noise in a transform") == 12  # from the workers too


def test_plugin_prints_stay_out_of_check_and_formats(site: Path) -> None:
    report = newsarticle_command("check", str(DATA), "--format", "json", site=site)
    assert "summary" in json.loads(report.stdout)
    listing = newsarticle_command("formats", "--format", "json", site=site)
    assert listing.returncode == 0, listing.stderr
    assert "noisyjson" in {entry["name"] for entry in json.loads(listing.stdout)}


# -- closed streams -------------------------------------------------------------------------


def test_reading_a_closed_standard_input_is_a_usage_error() -> None:
    done = newsarticle_command("convert", "-", "-t", "html", close=(0,))
    assert done.returncode == 2, done.stderr
    assert b"standard input is closed" in done.stderr
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("convert", str(SOURCES[0]), "-t", "html"),
        ("convert", str(SOURCES[0]), "-t", "html", "-o", "-"),
        ("convert", str(DATA), "-t", "jsonl"),
        ("check", str(DATA)),
        ("formats",),
        ("--version",),
    ],
    ids=["convert", "convert-o-", "jsonl", "check", "formats", "version"],
)
def test_a_closed_standard_output_for_the_result_is_a_usage_error(args: tuple[str, ...]) -> None:
    done = newsarticle_command(*args, close=(1,))
    assert done.returncode == 2, done.stderr
    assert b"standard output is closed" in done.stderr
    assert b"Traceback" not in done.stderr


def test_a_closed_standard_output_is_not_needed_for_files(tmp_path: Path) -> None:
    inputs = articles_in(tmp_path, 6)
    out = tmp_path / "out"
    done = newsarticle_command("convert", str(inputs), "-t", "html", "-o", str(out), "-j", "2", close=(1,))
    assert done.returncode == 0, done.stderr
    reference = newsarticle_command("convert", str(SOURCES[0]), "-t", "html")
    assert (out / SOURCES[0].name.replace(".txt", ".html")).read_bytes() == reference.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_closed_standard_error_loses_messages_not_the_result_or_the_status(tmp_path: Path, jobs: str) -> None:
    inputs = articles_in(tmp_path, 6)
    (inputs / "000-bad.txt").write_text("Lokales\nÜberschrift\n2025-13-45\n\nText.\n", encoding="utf-8")
    out = tmp_path / "out"
    failed = newsarticle_command("convert", str(inputs), "-t", "html", "-o", str(out), "-j", jobs, close=(2,))
    assert failed.returncode == 1  # the bad date
    assert len(list(out.glob("*.html"))) == 6
    single = newsarticle_command("convert", str(SOURCES[0]), "-t", "html", close=(2,))
    assert single.returncode == 0
    assert single.stdout == newsarticle_command("convert", str(SOURCES[0]), "-t", "html").stdout


@pytest.mark.parametrize("args", [("--help",), ("convert", "--help")], ids=["help", "convert-help"])
def test_help_is_a_result_on_standard_output(args: tuple[str, ...]) -> None:
    done = newsarticle_command(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"usage: newsarticle")
    assert done.stderr == b""
