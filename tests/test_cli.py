"""The installed ``newsarticle`` command, run as a subprocess exactly as users run it."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import newsarticle
from newsarticle import Diagnostic

pytestmark = pytest.mark.slow  # each test runs the command in a process of its own
#: The output folder's manifest of how each output was made (docs/cli.md): not an output.
MANIFEST = ".newsarticle-manifest.json"

DATA = Path(__file__).parent / "data"
SCRIPT = Path(sys.executable).with_name("newsarticle")
# The installed console script; if it is missing, running it fails every test loudly.
COMMAND = str(SCRIPT) if SCRIPT.exists() else (shutil.which("newsarticle") or "newsarticle")
SUMMARY = re.compile(r"([\d,]+) converted, ([\d,]+) failed, ([\d,]+) skipped")


def run(
    *args: str | os.PathLike[str],
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [COMMAND, *map(str, args)], cwd=cwd, input=stdin, capture_output=True, timeout=300, check=False, env=env
    )


def summary(stderr: bytes) -> tuple[int, int, int]:
    found = SUMMARY.search(stderr.decode())
    assert found is not None, stderr.decode()
    converted, failed, skipped = (int(group.replace(",", "")) for group in found.groups())
    return converted, failed, skipped


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }


def parse_quietly(path: str | Path) -> newsarticle.Article:
    found: list[Diagnostic] = []
    return newsarticle.parse_file(path, on_diagnostic=found.append)


#: For a collection format that links to every article (FormatInfo.needs_url), on articles without url: lines.
BASE_URL = "https://example.org/news/"


def url_options(info: newsarticle.FormatInfo) -> list[str]:
    """The command's options that let ``info`` write the test data, whose articles have no url."""
    return ["-O", f"base_url={BASE_URL}"] if info.needs_url else []


def expected_output(sources: list[Path], info: newsarticle.FormatInfo) -> bytes:
    """What the library writes for ``sources`` in ``info``'s format: a render of the one article, or a collection."""
    articles = [parse_quietly(source) for source in sources]
    if info.kind == "article":
        [article] = articles
        rendered = newsarticle.render(article, info.name)
        return rendered.encode() if isinstance(rendered, str) else rendered
    sink = io.BytesIO()
    options = {"base_url": BASE_URL} if info.needs_url else {}
    output = newsarticle.open_collection(info.name, sink, **options)
    for source, article in zip(sources, articles, strict=True):
        output.add(article, path=source.name)
    output.close()
    return sink.getvalue()


def corpus_names() -> list[str]:
    return sorted(path.name for path in DATA.glob("*.txt"))


BAD_FILES = {
    "sub/binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "empty.txt": b"",
    "sub/deeper/bad_date.txt": "Politik\nEine Überschrift\n2025-13-45\n\nDer erste Absatz.\n".encode(),
}


@pytest.fixture
def mixed_tree(tmp_path: Path) -> Path:
    """The corpus spread over nested folders, with a binary file, an empty file and an impossible date."""
    root = tmp_path / "in"
    for index, name in enumerate(corpus_names()):
        folder = root if index % 3 == 0 else root / "sub" if index % 3 == 1 else root / "sub" / "deeper"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DATA / name, folder / name)
    for relative, data in BAD_FILES.items():
        (root / relative).write_bytes(data)
    (root / "notes.md").write_text("not selected by the default --glob\n")
    return root


# -- version, formats, python -m ---------------------------------------------------------


def test_version_names_newsarticle_and_every_plugin_distribution() -> None:
    result = run("--version")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith(f"newsarticle {metadata.version('newsarticle')} ")
    for entry_point in metadata.entry_points(group="newsarticle"):
        assert entry_point.dist is not None
        assert any(f"{entry_point.dist.name} {entry_point.dist.version}" in line for line in lines[1:])


def test_python_dash_m_is_the_same_command(tmp_path: Path) -> None:
    direct = run("--version")
    module = subprocess.run([sys.executable, "-m", "newsarticle", "--version"], capture_output=True, check=False)
    assert module.returncode == 0
    assert module.stdout == direct.stdout
    source = DATA / "001_174fa88330290a76.txt"
    converted = subprocess.run(
        [sys.executable, "-m", "newsarticle", "convert", str(source), "-t", "source"], capture_output=True, check=False
    )
    assert converted.returncode == 0, converted.stderr
    assert converted.stdout == run("convert", source, "-t", "source").stdout


def test_no_command_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == 2
    assert b"convert" in result.stderr


def test_formats_lists_every_renderer_with_suffix_options_and_plugin() -> None:
    text = run("formats")
    assert text.returncode == 0, text.stderr
    listing = text.stdout.decode()
    for info in newsarticle.formats():
        assert f"{info.name}  {info.suffix}  {info.media_type}" in listing
        assert info.description in listing
        assert info.plugin in listing
        for option in info.options:
            assert f"-O {option.name}=" in listing
    assert "jsonl  .jsonl" in listing

    machine = run("formats", "--format", "json")
    data = json.loads(machine.stdout)
    by_name = {item["name"]: item for item in data}
    assert set(by_name) == {info.name for info in newsarticle.formats()}
    for info in newsarticle.formats():
        item = by_name[info.name]
        assert (item["suffix"], item["plugin"], item["distribution"]) == (info.suffix, info.plugin, info.distribution)
        assert [o["name"] for o in item["options"]] == [o.name for o in info.options]


def test_version_imports_nothing_heavy() -> None:
    """``--version`` must stay fast: no pluggy, Babel, cattrs or multiprocessing behind it."""
    code = (
        "import sys\n"
        "from newsarticle._cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'pluggy', 'babel', 'cattrs', 'multiprocessing', 'newsarticle._plugins', 'newsarticle._batch'}\n"
        "print(sorted(name for name in sys.modules if name in heavy or name.split('.')[0] in heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_autoload_switch_has_the_plugin_hosts_name() -> None:
    from newsarticle._cli.arguments import DISABLE_AUTOLOAD_ENV, ENTRY_POINT_GROUP
    from newsarticle._plugins import DISABLE_AUTOLOAD_ENV as HOST_ENV
    from newsarticle._plugins import ENTRY_POINT_GROUP as HOST_GROUP

    assert (DISABLE_AUTOLOAD_ENV, ENTRY_POINT_GROUP) == (HOST_ENV, HOST_GROUP)


# -- convert: one file ---------------------------------------------------------------------


def test_one_file_goes_to_standard_output() -> None:
    source = DATA / "027_4501482a2fd27d48.txt"
    for info in newsarticle.formats():
        result = run("convert", source, "-t", info.name, *url_options(info))
        assert result.returncode == 0, (info.name, result.stderr)
        assert result.stdout == expected_output([source], info), info.name
        assert result.stderr == b""


def test_standard_input(tmp_path: Path) -> None:
    data = (DATA / "025_adc912ee84f642e2.txt").read_bytes()
    result = run("convert", "-", "-t", "source", stdin=data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == newsarticle.unparse(newsarticle.parse(data))
    written = run("convert", "-", "-o", tmp_path / "out.txt", "-t", "source", stdin=data)
    assert written.returncode == 0
    assert (tmp_path / "out.txt").read_bytes() == result.stdout
    bad = run("convert", "-", "-t", "source", stdin=b"")
    assert bad.returncode == 1
    assert b"<stdin>:1:1: error: empty:" in bad.stderr


def test_format_is_inferred_from_the_output_suffix(tmp_path: Path) -> None:
    source = DATA / "001_174fa88330290a76.txt"
    suffixes: dict[str, list[str]] = {}
    for info in newsarticle.formats():
        suffixes.setdefault(info.suffix, []).append(info.name)
    for suffix, names in suffixes.items():
        target = tmp_path / f"out{suffix}"
        infos = [info for info in newsarticle.formats() if info.name in names]
        result = run("convert", source, "-o", target, *url_options(infos[0]))
        if len(names) == 1:
            assert result.returncode == 0, result.stderr
            assert target.read_bytes() == expected_output([source], infos[0])
        else:
            assert result.returncode == 2
            assert all(name in result.stderr.decode() for name in names)
            assert not target.exists()
    unknown = run("convert", source, "-o", tmp_path / "out.xyz")
    assert unknown.returncode == 2
    assert b"-t FORMAT" in unknown.stderr


def test_strict_turns_warnings_into_failures() -> None:
    source = DATA / "edge_cp1252.txt"
    lenient = run("convert", source, "-t", "source")
    assert lenient.returncode == 0
    assert b": encoding-fallback: " in lenient.stderr
    strict = run("convert", source, "-t", "source", "--strict")
    assert strict.returncode == 1
    assert strict.stdout == b""
    assert b": encoding-fallback: " in strict.stderr


def test_one_file_into_a_folder(tmp_path: Path) -> None:
    source = DATA / "001_174fa88330290a76.txt"
    for target in (tmp_path, f"{tmp_path / 'new'}/"):
        result = run("convert", source, "-t", "source", "-o", target)
        assert result.returncode == 0, result.stderr
        assert (Path(target) / source.name).read_text() == newsarticle.unparse(parse_quietly(source))


def test_an_existing_output_is_skipped_unless_forced(tmp_path: Path) -> None:
    source = DATA / "001_174fa88330290a76.txt"
    target = tmp_path / "out.txt"
    target.write_text("keep me")
    skipped = run("convert", source, "-t", "source", "-o", target)
    assert skipped.returncode == 0
    assert b"--force" in skipped.stderr
    assert target.read_text() == "keep me"
    forced = run("convert", source, "-t", "source", "-o", target, "--force")
    assert forced.returncode == 0
    assert target.read_text() == newsarticle.unparse(parse_quietly(source))


def test_an_output_that_is_the_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    shutil.copyfile(DATA / "001_174fa88330290a76.txt", source)
    before = source.read_bytes()
    result = run("convert", source, "-t", "source", "-o", source, "--force")
    assert result.returncode == 2
    assert b"refused" in result.stderr
    assert source.read_bytes() == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-t", "nope"], "unknown format 'nope'; available formats:"),
        (["-t", "text", "-O", "nope=1"], "has no option 'nope'; its options:"),
        (["-t", "text", "-O", "width=wide"], "option 'width' takes a whole number, not 'wide'"),
        (["-t", "text", "-O", "width"], "-O takes KEY=VALUE"),
        (["-t", "text", "-s"], "has no option 'standalone'"),
        (["-t", "source", "--transform", "nope"], "unknown transform 'nope'"),
        (["-t", "source", "--locale", "xx_QQ"], "unknown locale 'xx_QQ'"),
        (["-t", "jsonl", "-O", "indent=2"], "format 'jsonl' has no option 'indent'; its options: include_source"),
        ([], "-t FORMAT"),
        (["-t", "source", "-j", "0"], "at least 1 worker"),
    ],
)
def test_usage_errors_exit_2_and_say_what_exists(arguments: list[str], message: str) -> None:
    result = run("convert", DATA / "001_174fa88330290a76.txt", *arguments)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr.decode()
    assert result.stdout == b""


def test_usage_errors_about_inputs(tmp_path: Path) -> None:
    missing = run("convert", tmp_path / "missing.txt", "-t", "source")
    assert missing.returncode == 2
    assert b"no such file or folder" in missing.stderr
    several = run("convert", DATA / "001_174fa88330290a76.txt", DATA / "002_39ff97ad6b11d36b.txt", "-t", "source")
    assert several.returncode == 2
    assert b"-o FOLDER" in several.stderr
    overlap = run("convert", DATA, DATA / "001_174fa88330290a76.txt", "-t", "source", "-o", tmp_path / "out")
    assert overlap.returncode == 2
    assert b"inside the input folder" in overlap.stderr


def test_renderer_options_locale_and_transforms_reach_the_renderer() -> None:
    source = DATA / "026_7549aa63482a5b91.txt"
    article = parse_quietly(source)
    options = {info.name: {o.name for o in info.options} for info in newsarticle.formats()}
    if "width" in options.get("text", set()):
        result = run("convert", source, "-t", "text", "-O", "width=40", "--locale", "en_GB")
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode() == newsarticle.render(article, "text", locale="en_GB", width=40)
    if "standalone" in options.get("html", set()):
        result = run("convert", source, "-t", "html", "-s")
        assert result.stdout.decode() == newsarticle.render(article, "html", standalone=True)
    result = run("convert", source, "-t", "source", "--transform", "typography", "--locale", "de")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == newsarticle.render(article, "source", locale="de", transforms=["typography"])


# -- convert: a corpus -----------------------------------------------------------------------


@pytest.mark.parametrize("format_name", sorted(info.name for info in newsarticle.formats() if info.kind == "article"))
def test_a_folder_converts_into_a_mirrored_tree(tmp_path: Path, format_name: str) -> None:
    out = tmp_path / "out"
    result = run("convert", DATA, "-t", format_name, "-o", out, "-j", "2")
    assert result.returncode == 0, result.stderr
    suffix = next(info.suffix for info in newsarticle.formats() if info.name == format_name)
    names = corpus_names()
    assert sorted(tree(out)) == sorted(name[: -len(".txt")] + suffix for name in names)
    for name in names:
        article = parse_quietly(os.path.join(str(DATA), name))
        expected = newsarticle.render(article, format_name)
        written = (out / (name[: -len(".txt")] + suffix)).read_bytes()
        assert written == (expected.encode() if isinstance(expected, str) else expected), name
    assert summary(result.stderr) == (len(names), 0, 0)


@pytest.mark.parametrize(
    "format_name", sorted(info.name for info in newsarticle.formats() if info.kind == "collection")
)
def test_a_folder_converts_into_one_collection_in_input_order(tmp_path: Path, format_name: str) -> None:
    [info] = [info for info in newsarticle.formats() if info.name == format_name]
    out = tmp_path / f"corpus{info.suffix}"
    result = run("convert", DATA, "-t", format_name, "-o", out, "-j", "2", *url_options(info))
    assert result.returncode == 0, result.stderr
    names = corpus_names()
    assert out.read_bytes() == expected_output([DATA / name for name in names], info)
    assert summary(result.stderr) == (len(names), 0, 0)
    assert sorted(os.listdir(tmp_path)) == [MANIFEST, out.name]


def test_bad_files_are_reported_and_the_others_convert(tmp_path: Path, mixed_tree: Path) -> None:
    out = tmp_path / "out"
    report = tmp_path / "errors.jsonl"
    result = run("convert", mixed_tree, "-t", "source", "-o", out, "--errors", report, "-j", "2")
    assert result.returncode == 1
    good = sorted(
        p.relative_to(mixed_tree).as_posix() for p in mixed_tree.rglob("*.txt") if p.relative_to(mixed_tree).as_posix()
        not in BAD_FILES
    )  # fmt: skip
    assert sorted(tree(out)) == good
    for relative in good:
        expected = newsarticle.unparse(parse_quietly(mixed_tree / relative))
        assert (out / relative).read_text(encoding="utf-8") == expected
    assert summary(result.stderr) == (len(good), 3, 0)

    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [r["path"] for r in records] == [str(mixed_tree / p) for p in ("empty.txt", "sub/binary.txt",
                                                                         "sub/deeper/bad_date.txt")]  # fmt: skip
    assert [r["code"] for r in records] == ["empty", "binary", "invalid-date"]
    assert all(set(r) == {"path", "line", "column", "code", "message"} for r in records)
    bad_date = records[2]
    assert (bad_date["line"], bad_date["column"]) == (3, 1)
    assert "2025-13-45" in bad_date["message"]
    stderr = result.stderr.decode()
    for record in records:
        line = f"{record['path']}:{record['line']}:{record['column']}: error: {record['code']}: {record['message']}"
        assert line in stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_fail_fast_stops_at_the_first_failure(tmp_path: Path, mixed_tree: Path, jobs: str) -> None:
    out = tmp_path / "out"
    result = run("convert", mixed_tree, "-t", "source", "-o", out, "--fail-fast", "-j", jobs)
    assert result.returncode == 1
    assert b"--fail-fast" in result.stderr
    converted, failed, _skipped = summary(result.stderr)
    assert failed == 1
    # In input order, the empty file comes right after the files of the top folder.
    top = sorted(p.name for p in mixed_tree.glob("*.txt") if p.name != "empty.txt")
    assert converted == sum(1 for name in top if name < "empty.txt")
    assert not list(out.rglob("*.tmp"))


def test_jobs_1_and_jobs_2_write_identical_trees_and_messages(tmp_path: Path, mixed_tree: Path) -> None:
    results = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        report = tmp_path / f"errors{jobs}.jsonl"
        result = run("convert", mixed_tree, "-t", "source", "-o", out, "-j", jobs, "--errors", report)
        assert result.returncode == 1
        messages = SUMMARY.sub("", result.stderr.decode()).rsplit(" in ", 1)[0]
        results[jobs] = (tree(out), report.read_bytes(), messages)
    assert results["1"] == results["2"]
    for jobs in ("1", "2"):
        corpus = tmp_path / f"corpus{jobs}.jsonl"
        result = run("convert", mixed_tree, "-t", "jsonl", "-o", corpus, "-j", jobs)
        assert result.returncode == 1
    assert (tmp_path / "corpus1.jsonl").read_bytes() == (tmp_path / "corpus2.jsonl").read_bytes()


def test_rerun_skips_existing_outputs_and_force_rewrites_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run("convert", DATA, "-t", "source", "-o", out)
    assert first.returncode == 0
    count = len(corpus_names())
    assert summary(first.stderr) == (count, 0, 0)
    (out / "001_174fa88330290a76.txt").unlink()
    again = run("convert", DATA, "-t", "source", "-o", out)
    assert again.returncode == 0
    assert summary(again.stderr) == (1, 0, count - 1)
    forced = run("convert", DATA, "-t", "source", "-o", out, "--force")
    assert summary(forced.stderr) == (count, 0, 0)


def test_outputs_that_would_overwrite_inputs_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("*.md", "expected", "schemas"))
    before = tree(folder)
    report = tmp_path / "errors.jsonl"
    result = run("convert", folder, "-t", "source", "-o", folder, "--force", "--errors", report)
    assert result.returncode == 1
    assert tree(folder) == before
    records = [json.loads(line) for line in report.read_text().splitlines()]
    assert len(records) == len(before)
    assert {r["code"] for r in records} == {"overwrites-input"}
    # Next to the inputs in another format is fine: nothing is overwritten.
    beside = run("convert", folder, "-t", "json", "-o", folder)
    assert beside.returncode == 0, beside.stderr
    assert len(tree(folder)) == 2 * len(before)
    # An output folder inside the input folder is not read back as input.
    inside = run("convert", folder, "-t", "source", "-o", folder / "normalized")
    assert inside.returncode == 0
    assert summary(inside.stderr) == (len(before), 0, 0)
    corpus = run("convert", folder, "-t", "jsonl", "-o", folder / "x.txt")
    assert corpus.returncode == 2


def test_an_error_report_that_is_an_input_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(DATA / "001_174fa88330290a76.txt", folder / "keep.txt")
    shutil.copyfile(DATA / "002_39ff97ad6b11d36b.txt", folder / "b.txt")
    (tmp_path / "link").symlink_to(folder, target_is_directory=True)
    before = tree(folder)
    refused = [
        ["convert", ".", "-t", "html", "-o", "out", "--errors", "keep.txt"],
        ["convert", ".", "-t", "html", "-o", "out", "--errors", "../link/keep.txt"],  # the same file, through a link
        ["convert", ".", "-t", "html", "-o", "out", "--errors", "new.txt"],  # --glob would read it next time
        ["convert", "keep.txt", "-t", "html", "--errors", "keep.txt"],
        ["convert", "keep.txt", "-t", "html", "-o", "keep.html", "--errors", "keep.html"],  # the output
        ["convert", ".", "-t", "jsonl", "-o", "../corpus.jsonl", "--errors", "b.txt"],
        ["convert", ".", "-t", "jsonl", "-o", "../corpus.jsonl", "--errors", "../corpus.jsonl"],
        ["convert", ".", "-t", "jsonl", "-o", "../link/b.txt", "--force"],
        ["check", ".", "--errors", "keep.txt"],
    ]
    for arguments in refused:
        result = run(*arguments, cwd=folder)
        assert result.returncode == 2, (arguments, result.stderr)
        assert b"refused: " in result.stderr, arguments
        assert tree(folder) == before, arguments  # nothing written, not even a temporary file
        assert sorted(os.listdir(tmp_path)) == ["in", "link"], arguments


def test_the_error_reports_folder_is_never_created(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent" / "dir"
    for arguments in (["-o", tmp_path / "out"], ["-t", "jsonl", "-o", tmp_path / "corpus.jsonl"]):
        result = run("convert", DATA, "-t", "html", *arguments, "--errors", missing / "e.jsonl")
        assert result.returncode == 2, result.stderr
        assert f"the folder {missing} does not exist" in result.stderr.decode()
        assert os.listdir(tmp_path) == []
    checked = run("check", DATA, "--errors", missing / "e.jsonl")
    assert checked.returncode == 2
    assert not (tmp_path / "nonexistent").exists()
    # The outputs' folders are another matter: -o creates them, as deep as needed.
    (tmp_path / "reports").mkdir()
    made = run("convert", DATA, "-t", "html", "-o", tmp_path / "new" / "out", "--errors", tmp_path / "reports" / "e")
    assert made.returncode == 0, made.stderr
    assert len(tree(tmp_path / "new" / "out")) == len(corpus_names())
    assert (tmp_path / "reports" / "e").read_bytes() == b""


def test_an_unreachable_scheduler_leaves_no_file(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    sources = [DATA / "001_174fa88330290a76.txt", DATA / "002_39ff97ad6b11d36b.txt"]
    result = run(
        "convert", *sources, "-t", "jsonl", "-o", "x.jsonl", "--errors", "e.jsonl", "--scheduler", "tcp://127.0.0.1:1",
        cwd=work, env={**os.environ, "NEWSARTICLE_SCHEDULER_TIMEOUT": "1"},  # not the default 10 s wait
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert b"--scheduler" in result.stderr or b"Dask scheduler" in result.stderr
    assert os.listdir(work) == []


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("timezone=Nope/X", "'Nope/X'"),
        ("date_format=HH:mm", "'HH:mm'"),
    ],
)
def test_option_values_are_checked_once_before_any_file(tmp_path: Path, option: str, message: str) -> None:
    folder = tmp_path / "in"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("*.md", "expected", "schemas"))
    for arguments in (["-o", tmp_path / "out"], ["-j", "1", "-o", tmp_path / "out"]):
        result = run("convert", folder, "-t", "html", "-O", option, *arguments)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.decode().splitlines()
        assert len(lines) == 1, lines  # one usage error, not one failure per file
        assert lines[0].startswith(f"newsarticle: error: -O {option}: "), lines
        assert message in lines[0]
        assert not (tmp_path / "out").exists()
    # Standard input is not read either.
    piped = run("convert", "-", "-t", "markdown", "-O", option, stdin=b"")
    assert piped.returncode == 2
    assert f"-O {option}: " in piped.stderr.decode()
    # Only the option to blame is named; good values still convert.
    both = run("convert", folder, "-t", "html", "-O", "date_format=short", "-O", option, "-o", tmp_path / "out")
    assert both.returncode == 2
    assert f"error: -O {option}: " in both.stderr.decode()
    good = run("convert", folder, "-t", "html", "-O", "date_format=d. MMMM y", "-O", "timezone=Europe/Berlin",
               "--locale", "en_GB", "-o", tmp_path / "out")  # fmt: skip
    assert good.returncode == 0, good.stderr


def test_an_output_folder_made_meanwhile_by_another_worker_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers writing the first files of a new folder: the one whose open failed first must not give up."""
    from newsarticle import _atomic

    real_open = os.open
    raced: list[str] = []

    def racing_open(path: str, flags: int, mode: int = 0o777) -> int:
        if not raced:
            raced.append(path)
            os.makedirs(os.path.dirname(path))  # the other worker, between the failed open and the retry
            raise FileNotFoundError(2, "No such file or directory", path)
        return real_open(path, flags, mode)

    monkeypatch.setattr(_atomic.os, "open", racing_open)
    target = tmp_path / "new" / "a.txt"
    _atomic.write_atomic(str(target), b"whole")
    assert raced
    assert target.read_bytes() == b"whole"
    assert os.listdir(target.parent) == ["a.txt"]


def test_two_inputs_for_one_output_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "a.md", "a-1.txt", "b.txt"):
        shutil.copyfile(DATA / "001_174fa88330290a76.txt", folder / name)
    report = tmp_path / "errors.jsonl"
    result = run("convert", folder, "-t", "html", "-o", tmp_path / "out", "--glob", "*", "--errors", report)
    assert result.returncode == 1
    assert sorted(tree(tmp_path / "out")) == ["a-1.html", "a.html", "b.html"]
    records = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(Path(r["path"]).name, r["code"]) for r in records] == [("a.txt", "output-collision")]
    assert "a.md" in records[0]["message"]
    named = run("convert", folder / "a.txt", folder / "b.txt", folder / "a.md", "-t", "html", "-o", tmp_path / "o2")
    assert named.returncode == 2
    assert b"would write the same output" in named.stderr


def test_glob_selects_files_in_nested_folders(tmp_path: Path, mixed_tree: Path) -> None:
    out = tmp_path / "out"
    result = run("convert", mixed_tree, "-t", "source", "-o", out, "--glob", "0*.txt")
    assert result.returncode == 0, result.stderr
    expected = sorted(p.relative_to(mixed_tree).as_posix() for p in mixed_tree.rglob("0*.txt"))
    assert sorted(tree(out)) == expected
    assert any("/" in name for name in expected)


# -- jsonl -----------------------------------------------------------------------------------


def test_jsonl_writes_one_object_per_article_in_input_order(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    result = run("convert", DATA, "-o", corpus)  # the format follows from the suffix
    assert result.returncode == 0, result.stderr
    lines = corpus.read_bytes().split(b"\n")
    assert lines.pop() == b""
    names = corpus_names()
    assert len(lines) == len(names)
    for line, name in zip(lines, names, strict=True):
        article = parse_quietly(os.path.join(str(DATA), name))
        assert newsarticle.from_json(line) == article
        assert json.loads(line) == json.loads(newsarticle.render(article, "json"))
    to_stdout = run("convert", DATA, "-t", "jsonl")
    assert to_stdout.returncode == 0
    assert to_stdout.stdout == corpus.read_bytes()


# -- check -----------------------------------------------------------------------------------


def test_check_prints_diagnostics_like_a_compiler(tmp_path: Path, mixed_tree: Path) -> None:
    clean = run("check", DATA)
    assert clean.returncode == 0, clean.stdout
    cp1252 = str(DATA / "edge_cp1252.txt")
    assert re.search(rf"^{re.escape(cp1252)}:\d+:\d+: warning: encoding-fallback: ", clean.stdout.decode(), re.M)
    strict = run("check", DATA, "--strict")
    assert strict.returncode == 1
    assert strict.stdout == clean.stdout.replace(b": warning: ", b": error: ")  # --strict: every diagnostic fails

    mixed = run("check", mixed_tree, "--errors", tmp_path / "errors.jsonl")
    assert mixed.returncode == 1
    text = mixed.stdout.decode()
    assert f"{mixed_tree / 'sub/deeper/bad_date.txt'}:3:1: error: invalid-date: " in text
    assert f"{mixed_tree / 'empty.txt'}:1:1: error: empty: " in text
    assert len((tmp_path / "errors.jsonl").read_text().splitlines()) == 3


def test_check_json_report(mixed_tree: Path) -> None:
    result = run("check", mixed_tree, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert [d["code"] for d in errors] == ["empty", "binary", "invalid-date"]
    assert all(set(d) == {"path", "line", "column", "code", "message", "severity"} for d in report["diagnostics"])
    total = len(list(mixed_tree.rglob("*.txt")))
    assert report["summary"]["checked"] == total
    assert report["summary"]["failed"] == 3


def test_a_date_time_pattern_suits_a_corpus_of_date_times(tmp_path: Path) -> None:
    # Fine for articles with a time; a date-only article among them fails on its own.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "timed.txt").write_text(
        "Lokales\nEine Meldung\n2025-02-27T14:30:00+01:00\n\nDer Text der Meldung steht hier und da.\n",
        encoding="utf-8",
    )
    (tmp_path / "in" / "dated.txt").write_text(
        "Lokales\nEine Meldung\n2025-02-27\n\nDer Text der Meldung steht hier und da.\n", encoding="utf-8"
    )
    result = run("convert", tmp_path / "in", "-t", "text", "-O", "date_format=d. MMMM y, HH:mm", "-o", tmp_path / "out")
    assert result.returncode == 1, result.stderr
    assert "27. Februar 2025, 14:30" in (tmp_path / "out" / "timed.txt").read_text(encoding="utf-8")
    assert b"dated.txt" in result.stderr
    assert not (tmp_path / "out" / "dated.txt").exists()
