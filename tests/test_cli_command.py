"""The command never misleads: usage per command, format suggestions, nothing found, stale outputs, messages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import newsarticle

pytestmark = pytest.mark.slow  # each test runs the command in a process of its own
SCRIPT = Path(sys.executable).with_name("newsarticle")
# The installed console script; if it is missing, running it fails every test loudly.
COMMAND = str(SCRIPT) if SCRIPT.exists() else (shutil.which("newsarticle") or "newsarticle")
DATA = Path(__file__).parent / "data"
ARTICLE = DATA / "001_174fa88330290a76.txt"
SUMMARY = re.compile(r"([\d,]+) converted, ([\d,]+) failed, ([\d,]+) skipped")


def run(*args: str | os.PathLike[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COMMAND, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def summary(stderr: str) -> tuple[int, int, int]:
    found = SUMMARY.search(stderr)
    assert found is not None, stderr
    converted, failed, skipped = (int(group.replace(",", "")) for group in found.groups())
    return converted, failed, skipped


def corpus(folder: Path, count: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(DATA.glob("*.txt"))[:count]:
        shutil.copyfile(source, folder / source.name)
    return folder


# -- a command's own usage -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "usage"),
    [
        (["convert", ARTICLE, "--bogus"], "usage: newsarticle convert"),
        (["check", "--bogus", ARTICLE], "usage: newsarticle check"),
        (["formats", "--bogus"], "usage: newsarticle formats"),
    ],
)
def test_an_unknown_flag_after_a_command_shows_that_commands_usage(arguments: list[str], usage: str) -> None:
    result = run(*arguments)
    assert result.returncode == 2
    assert result.stderr.startswith(usage), result.stderr
    assert "unrecognized arguments: --bogus" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "meant"),
    [
        (["convert", ARTICLE, "--forse"], "--force"),
        (["convert", ARTICLE, "-t", "html", "--standalne"], "--standalone"),
        (["check", ARTICLE, "--stirct"], "--strict"),
        (["convert", ARTICLE, "--languge=fr"], "--language"),
    ],
)
def test_a_mistyped_flag_gets_a_suggestion(arguments: list[str], meant: str) -> None:
    result = run(*arguments)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].endswith(f"; did you mean {meant}?"), result.stderr


def test_a_flag_like_none_gets_no_suggestion() -> None:
    result = run("convert", ARTICLE, "--zzzzzz")
    assert result.returncode == 2
    assert "did you mean" not in result.stderr


def test_convert_help_tells_how_reruns_skip_and_names_the_manifest_whole() -> None:
    from newsarticle._batch.manifest import MANIFEST_NAME

    lines = run("convert", "--help").stdout.splitlines()
    force = next(index for index, line in enumerate(lines) if line.lstrip().startswith("--force "))
    help_text = lines[force : force + 8]
    # Wrapped at spaces only: the name a user would look for is on one line.
    assert any(MANIFEST_NAME in line for line in help_text), help_text
    assert "same command" in " ".join(help_text)


# -- format names ----------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "meant"), [("htlm", "html"), ("jsnol", "jsonl"), ("markdwon", "markdown")])
def test_a_mistyped_format_gets_a_suggestion_and_the_list(typed: str, meant: str) -> None:
    result = run("convert", ARTICLE, "-t", typed)
    assert result.returncode == 2
    assert f"did you mean {meant!r}" in result.stderr
    assert "available formats: " in result.stderr
    assert "jsonl" in result.stderr


def test_a_format_name_like_none_gets_no_suggestion() -> None:
    result = run("convert", ARTICLE, "-t", "zzzzzz")
    assert result.returncode == 2
    assert "available formats: " in result.stderr
    assert "did you mean" not in result.stderr


def _listing_blocks(text: str) -> dict[str, str]:
    """``newsarticle formats``'s text by format: a block starts at an unindented line."""
    blocks: dict[str, str] = {}
    for block in re.split(r"\n(?=\S)", text):
        blocks[block.split()[0]] = block
    return blocks


def test_formats_shows_every_alias_that_t_accepts_and_every_option_bound() -> None:
    infos = newsarticle.formats()
    assert any(info.aliases for info in infos)
    assert any(o.min is not None for i in infos for o in i.options)
    blocks = _listing_blocks(run("formats").stdout)
    machine = {item["name"]: item for item in json.loads(run("formats", "--format", "json").stdout)}
    for info in infos:
        if info.aliases:
            assert f"    aliases: {', '.join(info.aliases)}\n" in blocks[info.name]
            for alias in info.aliases:  # what the listing offers, -t takes
                assert run("convert", ARTICLE, "-t", alias).returncode == 0
        assert machine[info.name]["aliases"] == list(info.aliases)
        for option, item in zip(info.options, machine[info.name]["options"], strict=True):
            assert (item["min"], item["max"]) == (option.min, option.max)
            line = next(line for line in blocks[info.name].splitlines() if f"-O {option.name}=" in line)
            if option.min is not None and option.max is None:
                assert f"({option.min} or more; default: " in line
            if option.max is not None:
                assert f"{option.max}; default: " in line


# -- nothing to do ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        ["convert", "{in}", "-t", "html", "-o", "{out}"],
        ["convert", "{in}", "-o", "{out}.jsonl"],
        ["check", "{in}"],
    ],
)
def test_an_empty_folder_is_a_usage_error_that_says_what_was_searched(tmp_path: Path, arguments: list[str]) -> None:
    empty = tmp_path / "scraped"
    (empty / "sub").mkdir(parents=True)
    (empty / "sub" / "notes.md").write_text("not an article\n")
    filled = [a.format(**{"in": empty, "out": tmp_path / "out"}) for a in arguments]
    result = run(*filled)
    assert result.returncode == 2, result.stderr
    assert f"no file matches --glob '*.txt' in the folder {empty}" in result.stderr
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "out.jsonl").exists()


def test_a_glob_that_matches_nothing_names_the_pattern_and_every_folder(tmp_path: Path) -> None:
    first, second = corpus(tmp_path / "a", 1), corpus(tmp_path / "b", 1)
    result = run("convert", first, second, "--glob", "*.md", "-t", "html", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert f"no file matches --glob '*.md' in the folders {first}, {second}" in result.stderr


def test_a_folder_whose_outputs_are_all_up_to_date_is_not_nothing_found(tmp_path: Path) -> None:
    source = corpus(tmp_path / "in", 2)
    assert run("convert", source, "-t", "html", "-o", tmp_path / "out").returncode == 0
    again = run("convert", source, "-t", "html", "-o", tmp_path / "out")
    assert again.returncode == 0, again.stderr
    assert summary(again.stderr) == (0, 0, 2)


# -- messages like a compiler ----------------------------------------------------------------


@pytest.fixture
def warned_and_broken(tmp_path: Path) -> Path:
    """A file the parser recovers with a warning, one that fails, and a good one."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(DATA / "edge_cp1252.txt", folder / "a_cp1252.txt")
    (folder / "b_empty.txt").write_bytes(b"")
    shutil.copyfile(ARTICLE, folder / "c_good.txt")
    return folder


def test_convert_tells_warnings_from_errors_and_counts_the_failures_last(
    tmp_path: Path, warned_and_broken: Path
) -> None:
    result = run("convert", warned_and_broken, "-t", "html", "-o", tmp_path / "out")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    warned = re.escape(str(warned_and_broken / "a_cp1252.txt"))
    assert any(re.fullmatch(rf"{warned}:\d+:\d+: warning: encoding-fallback: .+", line) for line in lines), lines
    assert f"{warned_and_broken / 'b_empty.txt'}:1:1: error: empty: " in result.stderr
    assert lines[-1] == "newsarticle: error: 1 of 3 files failed"
    assert summary(result.stderr) == (2, 1, 0)


def test_the_failure_count_counts_the_skipped_files_of_a_rerun(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "in", 3)
    assert run("convert", folder, "-t", "html", "-o", tmp_path / "out").returncode == 0
    (folder / "d_empty.txt").write_bytes(b"")
    again = run("convert", folder, "-t", "html", "-o", tmp_path / "out")
    assert again.returncode == 1
    assert summary(again.stderr) == (0, 1, 3)
    assert again.stderr.splitlines()[-1] == "newsarticle: error: 1 of 4 files failed"


def test_checks_failure_count_matches_its_summary_when_a_link_is_skipped(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "in", 1)
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_link.txt").symlink_to(folder / "b_empty.txt")
    result = run("check", folder)
    assert result.returncode == 1
    assert ": warning: symlink: " in result.stderr + result.stdout
    assert "newsarticle: 2 checked: 1 passed, 1 failed" in result.stderr
    assert result.stderr.splitlines()[-1] == "newsarticle: error: 1 of 2 files failed"


def test_two_inputs_of_one_output_are_told_what_to_do(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "in", 1)
    (folder / ARTICLE.name).rename(folder / "a.txt")
    shutil.copyfile(folder / "a.txt", folder / "a.md")
    result = run("convert", folder, "--glob", "*", "-t", "html", "-o", tmp_path / "out")
    assert result.returncode == 1
    line = next(line for line in result.stderr.splitlines() if ": error: output-collision: " in line)
    assert line.startswith(f"{folder / 'a.txt'}: ")
    assert line.endswith(f"{folder / 'a.md'} already; leave one of the two out (a --glob that selects one)"
                         " or convert them into different output folders")  # fmt: skip


def test_an_output_that_would_replace_its_input_is_told_what_to_do(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "in", 1)
    result = run("convert", folder, "-t", "source", "-o", folder)
    assert result.returncode == 1
    path = folder / ARTICLE.name
    expected = f"{path}: error: overwrites-input: refused: the output {path} is an input; give -o another folder\n"
    assert expected in result.stderr


def test_check_reports_severity_in_the_text_report_and_the_failure_count(warned_and_broken: Path) -> None:
    result = run("check", warned_and_broken)
    assert result.returncode == 1
    assert ": warning: encoding-fallback: " in result.stdout
    assert f"{warned_and_broken / 'b_empty.txt'}:1:1: error: empty: " in result.stdout
    assert result.stderr.splitlines()[-1] == "newsarticle: error: 1 of 3 files failed"


def test_a_failure_without_a_place_has_no_line_and_column(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.txt").write_bytes(ARTICLE.read_bytes() * 2)
    result = run("check", folder, "--max-size", "1K")
    assert f"{folder / 'big.txt'}: error: too-large: not read: " in result.stdout


def test_no_failure_count_when_nothing_failed(tmp_path: Path) -> None:
    result = run("convert", DATA, "-t", "html", "-o", tmp_path / "out")
    assert result.returncode == 0
    assert "error" not in result.stderr


RAISING_PLUGIN = """
import newsarticle


def _deep_inside_the_plugin(article):
    raise RuntimeError("the plugin broke on " + article.headline[:10])


class Raising:
    name = "raising"
    media_type = "text/plain"
    suffix = ".raising"
    description = "Raises on every article."
    options = ()

    def render(self, article, context):
        return _deep_inside_the_plugin(article)


@newsarticle.hookimpl
def register_renderers(register):
    register(Raising())
"""


def _site_with_raising_plugin(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "raising_plugin.py").write_text(RAISING_PLUGIN, encoding="utf-8")
    dist_info = site / "raising_plugin-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: raising-plugin\nVersion: 0.1\n")
    (dist_info / "entry_points.txt").write_text("[newsarticle]\nraising = raising_plugin\n")
    environment = {k: v for k, v in os.environ.items() if k != "NEWSARTICLE_DISABLE_PLUGIN_AUTOLOAD"}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    return environment


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_traceback_shows_where_a_plugin_failed_and_only_when_asked(tmp_path: Path, jobs: str) -> None:
    environment = _site_with_raising_plugin(tmp_path)
    source = tmp_path / "in"
    source.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copyfile(ARTICLE, source / name)

    def convert(*flags: str) -> subprocess.CompletedProcess[str]:
        command = [COMMAND, "convert", str(source), "-t", "raising", "-o", str(tmp_path / "out"), "-j", jobs, *flags]
        return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300, check=False)

    plain = convert()
    assert plain.returncode == 1
    assert f"{source / 'a.txt'}: error: plugin: " in plain.stderr
    assert "Traceback" not in plain.stderr
    shown = convert("--traceback")
    assert shown.returncode == 1
    assert "Traceback (most recent call last):" in shown.stderr
    assert shown.stderr.count(", in _deep_inside_the_plugin\n") == 2  # the plugin's own frame, for each file
    assert "RuntimeError: the plugin broke on " in shown.stderr


BROKEN_AT_IMPORT = """
def _deep_inside_the_import():
    raise ImportError("needs libfoo, which is not installed\\nforged.txt:1:1: error: empty: not from the command")


_deep_inside_the_import()
"""


def test_traceback_shows_where_a_plugin_failed_to_load(tmp_path: Path) -> None:
    environment = _site_with_raising_plugin(tmp_path)
    (tmp_path / "site" / "raising_plugin.py").write_text(BROKEN_AT_IMPORT, encoding="utf-8")

    def run_with(*flags: str) -> subprocess.CompletedProcess[str]:
        arguments = [COMMAND, "convert", str(ARTICLE), "-t", "html", "-o", str(tmp_path / "out"), "--force", *flags]
        return subprocess.run(arguments, capture_output=True, text=True, env=environment, timeout=300, check=False)

    plain = run_with()
    assert plain.returncode == 0, plain.stderr
    assert "newsarticle: warning: plugin 'raising' (distribution raising-plugin 0.1) failed to load" in plain.stderr
    assert "Traceback" not in plain.stderr
    shown = run_with("--traceback")
    assert shown.returncode == 0, shown.stderr
    assert shown.stderr.count("    Traceback (most recent call last):\n") == 1
    assert ", in _deep_inside_the_import\n" in shown.stderr  # the line of the plugin that failed
    assert "    ImportError: needs libfoo, which is not installed\n" in shown.stderr
    # The plugin's text never starts a line of its own: every line of the traceback is indented.
    assert not any(line.startswith("forged.txt") for line in shown.stderr.splitlines())
    assert "    forged.txt:1:1: error: empty: not from the command" in shown.stderr


# -- --language ------------------------------------------------------------------------------


def _without_lang_line(path: Path) -> Path:
    """A French article that states no language: detection alone would have to guess."""
    path.write_text(
        "Politique\nLe conseil municipal a voté le budget\n2025-02-27\n\n"
        "Le conseil municipal a adopté mercredi le budget de la ville pour l'année prochaine.\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("tag", ["fr", "fr-CA", "fr_CA"])
def test_language_labels_a_file_that_states_none(tmp_path: Path, tag: str) -> None:
    source = _without_lang_line(tmp_path / "a.txt")
    result = run("convert", source, "-t", "json", "--language", tag)
    assert result.returncode == 0, result.stderr
    import json

    assert json.loads(result.stdout)["language"] == tag.replace("_", "-")


def test_language_does_not_override_a_lang_line(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    text = _without_lang_line(source).read_text(encoding="utf-8")
    headline_end = text.index("\n2025")
    source.write_text(text[:headline_end] + "\nlang: fr-BE" + text[headline_end:], encoding="utf-8")
    import json

    stated = newsarticle_language(source)
    assert stated == "fr-BE"  # the file's own line is read as such
    result = run("convert", source, "-t", "json", "--language", "de")
    assert json.loads(result.stdout)["language"] == "fr-BE"


def newsarticle_language(path: Path) -> str:
    import newsarticle

    found: list[object] = []
    return newsarticle.parse_file(path, on_diagnostic=found.append).language


@pytest.mark.parametrize("command", ["convert", "check"])
@pytest.mark.parametrize("tag", ["French", "fr_", "", "f"])
def test_a_language_that_is_no_tag_is_a_usage_error_before_any_file(command: str, tag: str) -> None:
    result = run(command, ARTICLE, *(["-t", "html"] if command == "convert" else []), "--language", tag)
    assert result.returncode == 2
    assert f"usage: newsarticle {command}" in result.stderr
    assert f"argument --language: expected a BCP 47 language tag such as de, de-AT or pt-BR, got {tag!r}" in (
        result.stderr
    )
    assert result.stdout == ""


def test_a_changed_language_converts_again(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _without_lang_line(folder / "a.txt")
    out = tmp_path / "out"
    assert run("convert", folder, "-t", "html", "-o", out, "--language", "fr").returncode == 0
    again = run("convert", folder, "-t", "html", "-o", out, "--language", "fr-CA")
    assert "1 converted again (--language changed)" in again.stderr
    assert 'lang="fr-CA"' in (out / "a.html").read_text(encoding="utf-8")
