"""The output folder's manifest: a rerun converts again exactly the outputs whose recipe changed."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test runs the command in a process of its own
SCRIPT = Path(sys.executable).with_name("newsarticle")
# The installed console script; if it is missing, running it fails every test loudly.
COMMAND = str(SCRIPT) if SCRIPT.exists() else (shutil.which("newsarticle") or "newsarticle")
DATA = Path(__file__).parent / "data"
MANIFEST = ".newsarticle-manifest.json"
COUNT = 5


def run(*args: str | os.PathLike[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COMMAND, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def counts(stderr: str) -> tuple[int, int, int]:
    """Converted, failed and skipped, from the summary line."""
    import re

    found = re.search(r"([\d,]+) converted, ([\d,]+) failed, ([\d,]+) skipped", stderr)
    assert found is not None, stderr
    converted, failed, skipped = (int(group.replace(",", "")) for group in found.groups())
    return converted, failed, skipped


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }


@pytest.fixture
def scraped(tmp_path: Path) -> Path:
    folder = tmp_path / "scraped"
    for index, source in enumerate(sorted(DATA.glob("*.txt"))[:COUNT]):
        target = folder / ("sub" if index % 2 else "") / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return folder


def convert(scraped: Path, out: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    result = run("convert", scraped, "-t", "html", "-o", out, *flags)
    assert result.returncode == 0, result.stderr
    return result


def test_the_same_command_twice_skips_every_output_as_up_to_date(tmp_path: Path, scraped: Path) -> None:
    out = tmp_path / "out"
    assert counts(convert(scraped, out).stderr) == (COUNT, 0, 0)
    again = convert(scraped, out)
    assert counts(again.stderr) == (0, 0, COUNT)
    assert f"{COUNT} up to date (--force converts again)" in again.stderr


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        ((), ("-s",), "the options changed"),
        (("-O", "date_format=long"), ("-O", "date_format=short"), "the options changed"),
        ((), ("--locale", "fr"), "the locale changed"),
        ((), ("--transform", "typography"), "the transforms changed"),
        ((), ("--strict",), "--strict changed"),
    ],
)
def test_a_rerun_with_another_recipe_converts_every_output_again(
    tmp_path: Path, scraped: Path, first: tuple[str, ...], second: tuple[str, ...], why: str
) -> None:
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    convert(scraped, out, *first)
    again = run("convert", scraped, "-t", "html", "-o", out, *second)
    assert again.returncode in (0, 1), again.stderr  # --strict may fail a file with diagnostics
    converted, failed, skipped = counts(again.stderr)
    assert (converted + failed, skipped) == (COUNT, 0)
    assert f"{converted} converted again ({why})" in again.stderr
    run("convert", scraped, "-t", "html", "-o", fresh, *second)
    assert outputs(out) == outputs(fresh)  # not one stale output left


def test_the_same_options_in_another_spelling_are_the_same_recipe(tmp_path: Path, scraped: Path) -> None:
    out = tmp_path / "out"
    convert(scraped, out, "-s")
    again = convert(scraped, out, "-O", "standalone=yes", "-O", "date_format=long")  # long: the default
    assert counts(again.stderr) == (0, 0, COUNT)
    convert(scraped, out, "-s", "--transform", "typography")
    spelled = convert(scraped, out, "-t", "HTML", "-s", "--transform", "Typography")
    assert counts(spelled.stderr) == (0, 0, COUNT)


def test_another_format_into_the_same_folder_is_not_confused(tmp_path: Path, scraped: Path) -> None:
    out = tmp_path / "out"
    convert(scraped, out)
    markdown = run("convert", scraped, "-t", "markdown", "-o", out)
    assert counts(markdown.stderr) == (COUNT, 0, 0)
    assert counts(convert(scraped, out).stderr) == (0, 0, COUNT)
    assert counts(run("convert", scraped, "-t", "markdown", "-o", out).stderr) == (0, 0, COUNT)


@pytest.mark.parametrize(
    ("field", "why"), [("newsarticle", "newsarticle's version changed"), ("distribution", "plugin changed")]
)
def test_a_version_change_converts_again(tmp_path: Path, scraped: Path, field: str, why: str) -> None:
    out = tmp_path / "out"
    convert(scraped, out)
    manifest = json.loads((out / MANIFEST).read_text())
    for recipe in manifest["recipes"].values():  # as an older version would have written it
        recipe[field] = "0.0.1" if field == "newsarticle" else "newsarticle 0.0.1"
    (out / MANIFEST).write_text(json.dumps(manifest))
    again = convert(scraped, out)
    assert counts(again.stderr) == (COUNT, 0, 0)
    assert why in again.stderr
    assert counts(convert(scraped, out).stderr) == (0, 0, COUNT)


def test_outputs_the_manifest_does_not_know_are_skipped_and_counted_apart(tmp_path: Path, scraped: Path) -> None:
    out = tmp_path / "out"
    convert(scraped, out)
    first = sorted(out.rglob("*.html"))[0]
    first.write_text("the user's own file")
    manifest = json.loads((out / MANIFEST).read_text())
    del manifest["outputs"][first.relative_to(out).as_posix()]
    (out / MANIFEST).write_text(json.dumps(manifest))
    again = convert(scraped, out, "-s")
    assert counts(again.stderr) == (COUNT - 1, 0, 1)
    assert "1 existing, not in the output folder's manifest (--force overwrites)" in again.stderr
    assert first.read_text() == "the user's own file"


def test_a_rerun_from_another_input_of_the_same_name_converts_again(tmp_path: Path, scraped: Path) -> None:
    out = tmp_path / "out"
    convert(scraped, out)
    name = next(scraped.glob("*.txt"))
    name.rename(name.with_suffix(".md"))
    again = convert(scraped, out, "--glob", "*.md")
    assert counts(again.stderr) == (1, 0, 0)
    assert "1 converted again (another input made it)" in again.stderr


def test_another_input_folder_into_the_same_output_folder_is_never_up_to_date(tmp_path: Path, scraped: Path) -> None:
    # The same names below another folder: every output is another file's, though its name is the same.
    other = tmp_path / "other"
    shutil.copytree(scraped, other)
    for path in other.rglob("*.txt"):
        path.write_text(path.read_text(encoding="utf-8").replace("\n\n", "\n\nOther folder.\n\n", 1), encoding="utf-8")
    out = tmp_path / "out"
    convert(scraped, out)
    again = convert(other, out)
    assert counts(again.stderr) == (COUNT, 0, 0)
    assert f"{COUNT} converted again (the inputs changed)" in again.stderr
    fresh = tmp_path / "fresh"
    convert(other, fresh)
    assert outputs(out) == outputs(fresh)
    # The same relative name from another working folder is another folder too.
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copytree(scraped, tmp_path / "a" / "in")
    shutil.copytree(other, tmp_path / "b" / "in")
    assert run("convert", "in", "-t", "html", "-o", out, cwd=tmp_path / "a").returncode == 0
    relative = run("convert", "in", "-t", "html", "-o", out, cwd=tmp_path / "b")
    assert counts(relative.stderr) == (COUNT, 0, 0), relative.stderr
    assert outputs(out) == outputs(fresh)


def test_one_output_file_is_converted_again_when_its_recipe_or_input_changed(tmp_path: Path) -> None:
    first, second = sorted(DATA.glob("*.txt"))[:2]
    target = tmp_path / "a.html"
    assert run("convert", first, "-o", target).returncode == 0
    same = run("convert", first, "-o", target)
    assert "is up to date; skipped (--force converts again)" in same.stderr
    standalone = run("convert", first, "-o", target, "-s")
    assert "converting again (the options changed)" in standalone.stderr
    assert target.read_text().startswith("<!DOCTYPE html>")
    other = run("convert", second, "-o", target, "-s")
    assert "converting again (another input made it)" in other.stderr
    assert target.read_bytes() == run("convert", second, "-t", "html", "-s").stdout.encode()


def test_a_jsonl_corpus_is_converted_again_when_its_inputs_or_recipe_changed(tmp_path: Path, scraped: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    assert run("convert", scraped, "-o", corpus).returncode == 0
    assert "is up to date" in run("convert", scraped, "-o", corpus).stderr
    fewer = run("convert", scraped, "-o", corpus, "--glob", "0*.txt")
    assert "converting again (the inputs changed)" in fewer.stderr
    assert len(corpus.read_text().splitlines()) == len(list(scraped.rglob("0*.txt")))
    french = run("convert", scraped, "-o", corpus, "--glob", "0*.txt", "--locale", "fr")
    assert "converting again (the locale changed)" in french.stderr


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00",
        b"[" * 100_000,
        b'{"newsarticle-manifest": 2, "recipes": {"1": {}}, "outputs": {"a.html": ["7", "a.txt", 1, 2, 3]}}',
        b'{"newsarticle-manifest": 2, "recipes": {"1": {}}, "outputs": {"a.html": ["1", "a.txt", 1, 2, true]}}',
        b'{"newsarticle-manifest": 2, "recipes": [], "outputs": {}}',
        b'{"newsarticle-manifest": 1, "recipes": {}, "outputs": {}}',
        b'{"newsarticle-manifest": 99, "recipes": {}, "outputs": {}}',
        b'{"newsarticle-manifest": 2, "recipes": {"\xc2\xb2": {}}, "outputs": {}}',
        b"null",
    ],
)
def test_a_corrupt_or_hostile_manifest_is_treated_as_absent_with_a_warning(
    tmp_path: Path, scraped: Path, content: bytes
) -> None:
    out = tmp_path / "out"
    convert(scraped, out)
    (out / MANIFEST).write_bytes(content)
    again = convert(scraped, out, "-s")
    assert f"{MANIFEST}: warning: manifest: " in again.stderr
    assert "treated as absent" in again.stderr
    assert "Traceback" not in again.stderr
    assert counts(again.stderr) == (0, 0, COUNT)  # whatever made them is unknown now: kept, as before manifests
    forced = convert(scraped, out, "-s", "--force")
    assert "warning" in forced.stderr
    assert counts(convert(scraped, out, "-s").stderr) == (0, 0, COUNT)  # the forced run wrote a good one


def test_a_manifest_that_is_a_fifo_a_folder_or_a_link_to_an_input_is_never_read_or_written_through(
    tmp_path: Path, scraped: Path
) -> None:
    victim = next(scraped.glob("*.txt"))
    before = victim.read_bytes()
    for kind in ("fifo", "folder", "link"):
        out = tmp_path / f"out-{kind}"
        out.mkdir()
        if kind == "fifo":
            os.mkfifo(out / MANIFEST)
        elif kind == "folder":
            (out / MANIFEST).mkdir()
        else:
            (out / MANIFEST).symlink_to(victim)
        result = run("convert", scraped, "-t", "html", "-o", out)
        assert f"{MANIFEST}: warning: manifest: not read (not a regular file)" in result.stderr, result.stderr
        assert counts(result.stderr) == (COUNT, 0, 0)
    assert victim.read_bytes() == before
    assert (tmp_path / "out-link" / MANIFEST).is_file()  # the link was replaced, not written through


def test_a_rerun_under_a_memory_limit_reads_its_manifest(tmp_path: Path, scraped: Path) -> None:
    """SECURITY.md asks to run untrusted corpora under ulimit: reading a small manifest must fit under one."""
    import resource

    out = tmp_path / "out"
    convert(scraped, out)
    limit = 768 << 20  # far more than the command needs, less than reading the manifest used to reserve

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    command = [COMMAND, "convert", str(scraped), "-t", "html", "-o", str(out), "-j", "1"]
    again = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, preexec_fn=limited)
    assert again.returncode == 0, again.stderr
    assert f"{COUNT} up to date" in again.stderr


def test_the_manifest_is_never_taken_as_an_input(tmp_path: Path, scraped: Path) -> None:
    out = tmp_path / "out"
    convert(scraped, out)
    everything = run("check", out, "--glob", "*.json")
    assert everything.returncode == 2
    assert "nothing to check: no file matches --glob '*.json'" in everything.stderr
    # Writing into the input folder itself, with a pattern that selects everything.
    inside = run("convert", scraped, "-t", "html", "-o", scraped, "--glob", "*.txt")
    assert inside.returncode == 0, inside.stderr
    again = run("convert", scraped, "-t", "source", "-o", tmp_path / "copy", "--glob", "*")
    assert MANIFEST not in again.stderr
    assert not (tmp_path / "copy" / ".newsarticle-manifest.txt").exists()


def test_an_input_whose_output_would_be_the_manifest_is_refused(tmp_path: Path, scraped: Path) -> None:
    shutil.copyfile(DATA / "001_174fa88330290a76.txt", scraped / ".newsarticle-manifest.txt")
    result = run("convert", scraped, "-t", "json", "-o", tmp_path / "out")
    assert result.returncode == 1
    assert "output-collision: refused: " in result.stderr
    assert "has the name of an output folder's manifest" in result.stderr
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text())
    assert manifest["newsarticle-manifest"] == 2


@pytest.mark.parametrize("name", [".newsarticle-manifest.txt", ".NewsArticle-Manifest.txt"])
def test_no_output_of_a_tree_is_named_as_a_manifest_in_any_folder(tmp_path: Path, scraped: Path, name: str) -> None:
    # A subfolder that is a link to the output folder itself, and a subfolder whose one-file output keeps its
    # manifest there: an output of that name (in any case: macOS ignores it) would replace a manifest.
    out = tmp_path / "out"
    (out / "one").mkdir(parents=True)
    (out / "loop").symlink_to(out)
    single = run("convert", DATA / "001_174fa88330290a76.txt", "-o", out / "one" / "a.html")
    assert single.returncode == 0, single.stderr
    for folder in ("loop", "one"):
        (scraped / folder).mkdir()
        shutil.copyfile(DATA / "002_39ff97ad6b11d36b.txt", scraped / folder / name)
    result = run("convert", scraped, "-t", "json", "-o", out)
    assert result.returncode == 1
    assert result.stderr.count("has the name of an output folder's manifest") == 2
    for manifest in (out / MANIFEST, out / "one" / MANIFEST):
        assert json.loads(manifest.read_text())["newsarticle-manifest"] == 2
    assert "up to date" in run("convert", DATA / "001_174fa88330290a76.txt", "-o", out / "one" / "a.html").stderr


def _generated(number: int) -> str:
    rng = random.Random(number)
    words = ("Stadtrat", "Haushalt", "beraten", "Mittwoch", "Schule", "Radweg", "Kreistag", "Bürgermeisterin")
    paragraphs = "\n\n".join(" ".join(rng.choice(words) for _ in range(60)) + "." for _ in range(20))
    return f"Lokales\nArtikel {number}\n2025-02-{1 + number % 28:02d}\n\n{paragraphs}\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_interrupted_rerun_with_a_new_recipe_is_finished_by_the_next_run(tmp_path: Path, jobs: str) -> None:
    scraped, out, fresh = tmp_path / "in", tmp_path / "out", tmp_path / "fresh"
    count = 300
    for number in range(count):
        path = scraped / f"{number % 3}" / f"{number:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_generated(number), encoding="utf-8")
    convert(scraped, out, "-j", jobs)
    command = [COMMAND, "convert", str(scraped), "-t", "html", "-o", str(out), "-s", "-j", jobs]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while sum(path.read_bytes().startswith(b"<!DOCTYPE") for path in out.rglob("*.html")) < 5:
        assert process.poll() is None, "the conversion ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    done, _failed, _skipped = counts(stderr)
    assert 5 <= done < count

    finish = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert finish.returncode == 0, finish.stderr
    assert counts(finish.stderr) == (count - done, 0, done)
    assert f"{count - done:,} converted again (the options changed)" in finish.stderr
    convert(scraped, fresh, "-s", "-j", jobs)
    assert outputs(out) == outputs(fresh)
    assert counts(convert(scraped, out, "-s", "-j", jobs).stderr) == (0, 0, count)


def test_outputs_replaced_by_a_run_whose_manifest_was_lost_are_never_up_to_date(tmp_path: Path, scraped: Path) -> None:
    # A run that wrote its outputs but whose manifest never reached the disk (killed with SIGKILL, or saved
    # before a concurrent run of the same folder saved its own): the manifest still names the older recipe.
    out = tmp_path / "out"
    convert(scraped, out)
    older = (out / MANIFEST).read_bytes()
    convert(scraped, out, "-s")
    (out / MANIFEST).write_bytes(older)
    again = convert(scraped, out)
    assert "up to date" not in again.stderr
    assert counts(again.stderr) == (0, 0, COUNT)
    assert f"{COUNT} existing, not in the output folder's manifest (--force overwrites)" in again.stderr
    forced = convert(scraped, out, "--force")
    assert counts(forced.stderr) == (COUNT, 0, 0)
    fresh = tmp_path / "fresh"
    convert(scraped, fresh)
    assert outputs(out) == outputs(fresh)
    assert f"{COUNT} up to date" in convert(scraped, out).stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_rerun_after_sigkill_calls_no_output_of_the_killed_run_up_to_date(tmp_path: Path, jobs: str) -> None:
    from processes import finish

    scraped, out = tmp_path / "in", tmp_path / "out"
    count = 300
    for number in range(count):
        path = scraped / f"{number % 3}" / f"{number:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_generated(number), encoding="utf-8")
    convert(scraped, out, "-j", jobs)
    command = [COMMAND, "convert", str(scraped), "-t", "html", "-o", str(out), "-s", "-j", jobs]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while sum(path.read_bytes().startswith(b"<!DOCTYPE") for path in out.rglob("*.html")) < 5:
        assert process.poll() is None, "the conversion ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    finish(process, 60)

    rerun = convert(scraped, out, "-j", jobs)  # the older recipe again
    standalone = sum(path.read_bytes().startswith(b"<!DOCTYPE") for path in out.rglob("*.html"))
    assert standalone >= 5
    assert f"{standalone:,} existing, not in the output folder's manifest" in rerun.stderr
    assert counts(rerun.stderr) == (0, 0, count)
    assert f"{count - standalone:,} up to date" in rerun.stderr


def test_two_commands_writing_one_output_folder_at_once_leave_no_stale_output_up_to_date(tmp_path: Path) -> None:
    from processes import finish

    scraped, out = tmp_path / "in", tmp_path / "out"
    count = 400
    for number in range(count):
        path = scraped / f"{number % 4}" / f"{number:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_generated(number), encoding="utf-8")
    command = [COMMAND, "convert", str(scraped), "-t", "html", "-o", str(out), "-j", "1", "--force"]
    # The first command is held up (stopped) after some outputs, while a second one with another recipe
    # rewrites them all; the first then finishes and saves its manifest last, naming its own recipe also for
    # the outputs the second one wrote after it.
    first = subprocess.Popen([*command, "-s"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while sum(path.read_bytes().startswith(b"<!DOCTYPE") for path in out.rglob("*.html")) < 20:
        assert first.poll() is None, "the first command ended before it could be stopped"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.killpg(first.pid, signal.SIGSTOP)
    try:
        second = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        assert second.returncode == 0, second.stderr
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    finish(first, 120)
    assert first.returncode == 0

    rerun = convert(scraped, out, "-j", "1", "-s")  # the recipe of the manifest saved last
    _converted, failed, _skipped = counts(rerun.stderr)
    assert failed == 0
    plain = sum(not path.read_bytes().startswith(b"<!DOCTYPE") for path in out.rglob("*.html"))
    unknown = re.search(r"([\d,]+) existing, not in the output folder's manifest", rerun.stderr)
    assert plain >= 20  # the second command's outputs among the first's
    assert unknown is not None, rerun.stderr
    assert int(unknown.group(1).replace(",", "")) == plain  # each of them unknown, none up to date


def test_planning_a_rerun_against_the_manifest_is_linear(tmp_path: Path) -> None:
    from newsarticle._batch import Inputs, Manifest, plan_mirror
    from newsarticle._batch.manifest import made_by
    from scaling import LINEAR, lowest_doubling_ratio

    recipe = {"format": "html", "options": {}}

    def make(n: int) -> Path:
        root = tmp_path / f"r{n}"
        for index in range(n):
            folder = root / "in" / f"{index % 50}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{index}.txt").touch()
            (root / "out" / f"{index % 50}").mkdir(parents=True, exist_ok=True)
            (root / "out" / f"{index % 50}" / f"{index}.html").touch()
        manifest = Manifest(str(root / "out"), recipe)
        for index in range(n):
            output = root / "out" / f"{index % 50}" / f"{index}.html"
            manifest.record(str(output), f"{index}.txt", made_by(output.stat()))
        manifest.save()
        return root

    def plan(root: Path) -> int:
        inputs = Inputs([str(root / "in")], "*.txt", prune=str(root / "out"))
        manifest = Manifest(str(root / "out"), recipe)
        return sum(1 for _ in plan_mirror(inputs, str(root / "out"), ".html", force=False, manifest=manifest))

    assert plan(make(100)) == 100
    assert lowest_doubling_ratio(make, plan, 10_000) < LINEAR
