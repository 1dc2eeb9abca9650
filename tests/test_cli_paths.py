"""Path safety of the ``newsarticle`` command, run as a subprocess: links, hard links, names, special files.

Every place where the command compares paths compares places (resolved paths,
device and inode), so no spelling of a path reaches an input; a file name
that is not UTF-8 is read by its real name and shown in one documented form;
nothing but regular files is read, and nothing blocks on a FIFO.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from newsarticle._batch import Inputs, plan_mirror
from newsarticle._paths import InputRefused, display, read_input
from scaling import LINEAR, lowest_doubling_ratio

DATA = Path(__file__).parent / "data"
SCRIPT = Path(sys.executable).with_name("newsarticle")
# The installed console script; if it is missing, running it fails every test loudly.
COMMAND = str(SCRIPT) if SCRIPT.exists() else (shutil.which("newsarticle") or "newsarticle")
# A FIFO that blocks the command must fail the test, not hang the suite.
TIMEOUT = 60

pytestmark = [
    pytest.mark.slow,  # most tests run the command in a process of its own
    pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX links, FIFOs and byte file names"),
]


def run(
    *args: str | os.PathLike[str], cwd: Path | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [COMMAND, *map(os.fsencode, args)], cwd=cwd, input=stdin, capture_output=True, timeout=TIMEOUT, check=False
    )


def tree(folder: Path) -> dict[bytes, bytes]:
    """Every regular file under ``folder`` (links not followed) by relative path as bytes, with its bytes;
    not the output folder's manifest."""
    found = {}
    for directory, _folders, names in os.walk(os.fsencode(folder)):
        for name in names:
            path = os.path.join(directory, name)
            if os.path.isfile(path) and not os.path.islink(path) and name != b".newsarticle-manifest.json":
                with open(path, "rb") as file:
                    found[os.path.relpath(path, os.fsencode(folder))] = file.read()
    return found


def article(number: int) -> bytes:
    return sorted(DATA.glob("0*.txt"))[number].read_bytes()


@pytest.fixture
def originals(tmp_path: Path) -> Path:
    """Inputs that a ``-t source`` rewrite would change: a Windows-1252 file and a CRLF file, one in a subfolder."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copyfile(DATA / "edge_cp1252.txt", folder / "cp1252.txt")
    shutil.copyfile(DATA / "edge_crlf.txt", folder / "sub" / "crlf.txt")
    return folder


# -- resolved paths: the inputs are never written ---------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_output_folder_reached_through_a_link_into_the_inputs_writes_nothing(
    tmp_path: Path, originals: Path, jobs: str
) -> None:
    (tmp_path / "link").symlink_to(originals, target_is_directory=True)
    before = tree(originals)
    report = tmp_path / "errors.jsonl"
    result = run(
        "convert", originals, "-t", "source", "-o", tmp_path / "link", "--force", "-j", jobs, "--errors", report
    )
    assert result.returncode == 1, result.stderr
    assert tree(originals) == before
    records = [json.loads(line) for line in report.read_text().splitlines()]
    assert [r["code"] for r in records] == ["overwrites-input", "overwrites-input"]
    # The same through a link to the subfolder: it is inside the input folder, so it is not read
    # back as input, and its own file (crlf.txt) is not the output of anything.
    (tmp_path / "sublink").symlink_to(originals / "sub", target_is_directory=True)
    inner = run("convert", originals, "-t", "source", "-o", tmp_path / "sublink", "--force", "-j", jobs)
    assert inner.returncode == 0, inner.stderr
    assert tree(originals)[b"sub/crlf.txt"] == before[b"sub/crlf.txt"]
    again = run("convert", originals, "-t", "source", "-o", tmp_path / "sublink", "-j", jobs)
    # The output folder is pruned from the walk however it is spelled: outputs are never read back.
    assert b"1 converted" not in again.stderr
    assert b"0 converted, 0 failed, 1 skipped" in again.stderr, again.stderr
    assert b"sub/sub/crlf.txt" not in tree(originals)


def test_one_input_named_twice_or_inside_another_through_a_link_is_refused(tmp_path: Path, originals: Path) -> None:
    (tmp_path / "link").symlink_to(originals, target_is_directory=True)
    for inputs in ([originals, tmp_path / "link"], [originals, tmp_path / "link" / "sub"]):
        result = run("convert", *inputs, "-t", "html", "-o", tmp_path / "out")
        assert result.returncode == 2, (inputs, result.stderr)
        assert not (tmp_path / "out").exists()
    assert b"is given twice" in run("convert", originals, tmp_path / "link", "-t", "html", "-o", tmp_path / "o").stderr


def test_corpus_and_report_files_reached_through_a_link_are_inputs(tmp_path: Path, originals: Path) -> None:
    (tmp_path / "link").symlink_to(originals, target_is_directory=True)
    before = tree(originals)
    for arguments in (
        ["-t", "jsonl", "-o", tmp_path / "link" / "sub" / "new.txt"],  # --glob would read it next time
        ["-t", "html", "-o", tmp_path / "out", "--errors", tmp_path / "link" / "new.txt"],
        ["-t", "html", "-o", tmp_path / "out", "--errors", tmp_path / "link" / "cp1252.txt"],
    ):
        result = run("convert", originals, *arguments)
        assert result.returncode == 2, (arguments, result.stderr)
        assert b"refused: " in result.stderr
        assert tree(originals) == before


def test_a_report_that_could_replace_an_output_is_refused(tmp_path: Path, originals: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "outlink").symlink_to(out, target_is_directory=True)
    for report in (out / "cp1252.html", tmp_path / "outlink" / "cp1252.html"):
        result = run("convert", originals, "-t", "html", "-o", out, "--errors", report)
        assert result.returncode == 2, (report, result.stderr)
        assert b"refused: the error report" in result.stderr
        assert os.listdir(out) == []
    beside = run("convert", originals, "-t", "html", "-o", out, "--errors", out / "errors.jsonl")
    assert beside.returncode == 0, beside.stderr


def test_an_output_that_is_a_hard_link_of_an_input_is_an_input(tmp_path: Path, originals: Path) -> None:
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    os.link(originals / "sub" / "crlf.txt", out / "sub" / "crlf.txt")
    os.link(originals / "cp1252.txt", tmp_path / "same.txt")
    before = tree(originals)
    batch = run("convert", originals, "-t", "source", "-o", out, "--force")
    assert batch.returncode == 1, batch.stderr
    assert b"out/sub/crlf.txt is the same file as an input" in batch.stderr
    assert (out / "cp1252.txt").exists()  # the other file converted
    single = run("convert", originals / "cp1252.txt", "-t", "source", "-o", tmp_path / "same.txt", "--force")
    assert single.returncode == 2
    assert tree(originals) == before
    assert (tmp_path / "same.txt").read_bytes() == before[b"cp1252.txt"]


def test_an_output_subfolder_that_links_elsewhere_is_not_written_through(tmp_path: Path, originals: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(elsewhere, target_is_directory=True)
    report = tmp_path / "errors.jsonl"
    result = run("convert", originals, "-t", "html", "-o", out, "--errors", report)
    assert result.returncode == 1, result.stderr
    assert os.listdir(elsewhere) == []
    assert (out / "cp1252.html").exists()
    (record,) = (json.loads(line) for line in report.read_text().splitlines())
    assert record["code"] == "output-outside"
    assert record["path"].endswith("sub/crlf.txt")


# -- symbolic links found while walking ------------------------------------------------------


@pytest.fixture
def linked_tree(tmp_path: Path) -> Path:
    """A folder with one real article, a link to a file outside it, a link to a folder outside it, and a loop."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "private.txt").write_bytes(article(1))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(article(0))
    (folder / "leak.txt").symlink_to(secret / "private.txt")
    (folder / "outside").symlink_to(secret, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_links_found_in_a_folder_are_skipped_with_a_warning(tmp_path: Path, linked_tree: Path, jobs: str) -> None:
    out = tmp_path / "out"
    result = run("convert", linked_tree, "-t", "json", "-o", out, "-j", jobs)
    assert result.returncode == 0, result.stderr
    assert sorted(tree(out)) == [b"a.json"]
    stderr = result.stderr.decode()
    assert "leak.txt: warning: symlink: skipped: a symbolic link to a file" in stderr
    assert "outside: warning: symlink: skipped: a symbolic link to a folder" in stderr
    assert "--follow-symlinks" in stderr
    checked = run("check", linked_tree, "--format", "json")
    assert checked.returncode == 0
    records = json.loads(checked.stdout)["diagnostics"]
    assert {(r["code"], r["severity"]) for r in records} == {("symlink", "warning")}
    corpus = run("convert", linked_tree, "-t", "jsonl", "-q")
    assert len(corpus.stdout.splitlines()) == 1


def test_follow_symlinks_follows_files_and_folders_and_walks_each_folder_once(
    tmp_path: Path, linked_tree: Path
) -> None:
    out = tmp_path / "out"
    result = run("convert", linked_tree, "-t", "json", "-o", out, "--follow-symlinks")
    assert result.returncode == 0, result.stderr
    assert sorted(tree(out)) == [b"a.json", b"leak.json", b"outside/private.json"]
    assert b"loop: warning: symlink: skipped: a symbolic link to a folder that is walked already" in result.stderr


def test_a_followed_link_whose_target_is_an_output_keeps_its_target(tmp_path: Path, originals: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    shutil.copyfile(DATA / "edge_crlf.txt", out / "elsewhere.txt")
    (originals / "elsewhere.txt").symlink_to(out / "elsewhere.txt")
    before = (out / "elsewhere.txt").read_bytes()
    result = run("convert", originals, "-t", "source", "-o", out, "--force", "--follow-symlinks")
    assert result.returncode == 1, result.stderr
    assert b"elsewhere.txt is the same file as an input" in result.stderr
    assert (out / "elsewhere.txt").read_bytes() == before
    assert (out / "cp1252.txt").exists()


def test_a_link_named_on_the_command_line_is_followed(tmp_path: Path, linked_tree: Path) -> None:
    result = run("convert", linked_tree / "leak.txt", "-t", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["source"].endswith("leak.txt")
    folder = run("convert", linked_tree / "outside", "-t", "json", "-o", tmp_path / "out")
    assert folder.returncode == 0, folder.stderr
    assert sorted(tree(tmp_path / "out")) == [b"private.json"]


# -- file names that are not UTF-8 -----------------------------------------------------------

LATIN1 = b"caf\xe9.txt"
SHOWN = "caf\\xe9.txt"


@pytest.fixture
def byte_names(tmp_path: Path) -> Path:
    """Good articles around two files whose names are not UTF-8, one good and one that fails."""
    folder = tmp_path / "in"
    folder.mkdir()
    for index, name in enumerate([b"a.txt", LATIN1, b"d.txt", b"e.txt", b"f.txt", b"g.txt"]):
        descriptor = os.open(os.path.join(os.fsencode(folder), name), os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(descriptor, article(index))
        os.close(descriptor)
    descriptor = os.open(os.path.join(os.fsencode(folder), b"broken\xff.txt"), os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(descriptor, b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    os.close(descriptor)
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_names_that_are_not_utf8_convert_and_are_reported_in_one_form(
    tmp_path: Path, byte_names: Path, jobs: str
) -> None:
    out, report = tmp_path / "out", tmp_path / "errors.jsonl"
    result = run("convert", byte_names, "-t", "json", "-o", out, "-j", jobs, "--errors", report)
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr
    assert sorted(tree(out)) == [b"a.json", b"caf\xe9.json", b"d.json", b"e.json", b"f.json", b"g.json"]
    assert json.loads(tree(out)[b"caf\xe9.json"])["source"].endswith("in/" + SHOWN)
    (record,) = (json.loads(line) for line in report.read_text(encoding="utf-8").splitlines())
    assert record["path"].endswith("in/broken\\xff.txt")
    assert record["code"] == "binary"
    assert "broken\\xff.txt:" in result.stderr.decode("utf-8")


def test_names_that_are_not_utf8_in_a_corpus_file_and_a_check_report(tmp_path: Path, byte_names: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    converted = run("convert", byte_names, "-t", "jsonl", "-o", corpus, "-j", "2")
    assert converted.returncode == 1, converted.stderr
    sources = [json.loads(line)["source"] for line in corpus.read_text(encoding="utf-8").splitlines()]
    assert [Path(s).name for s in sources] == ["a.txt", SHOWN, "d.txt", "e.txt", "f.txt", "g.txt"]
    checked = run("check", byte_names, "--format", "json", "-j", "1")
    assert checked.returncode == 1, checked.stderr
    report = json.loads(checked.stdout.decode("utf-8"))
    assert report["summary"]["checked"] == 7
    assert [Path(d["path"]).name for d in report["diagnostics"] if d["severity"] == "error"] == ["broken\\xff.txt"]
    text = run("check", byte_names, "--strict")
    assert b"broken\\xff.txt:" in text.stdout


def test_a_corpus_file_named_in_bytes_is_shown_in_the_same_form(tmp_path: Path, byte_names: Path) -> None:
    corpus = os.path.join(os.fsencode(tmp_path), b"corpus-\xe9.jsonl")
    with open(corpus, "wb") as file:
        file.write(b"earlier\n")
    skipped = run("convert", byte_names, "-t", "jsonl", "-o", os.fsdecode(corpus))
    assert skipped.returncode == 0
    assert b"corpus-\\xe9.jsonl exists; skipped" in skipped.stderr
    assert b"Traceback" not in skipped.stderr


def test_display_marks_every_byte_that_is_not_text() -> None:
    assert display(os.fsdecode(b"caf\xe9.txt")) == "caf\\xe9.txt"
    assert display(os.fsdecode(b"a\nb\x1b[31m.txt")) == "a\\x0ab\\x1b[31m.txt"
    assert display("gr\u00fc\u00dfe/\u65e5\u672c.txt") == "gr\u00fc\u00dfe/\u65e5\u672c.txt"  # text stays text
    assert display("evil\u202etxt.exe") == "evil\\u202etxt.exe"
    # Invisible bidi marks: after an RLM the digits and colons of "name:3:1:" can show in another order.
    assert display("a\u200f1.txt \u200e \u061c") == "a\\u200f1.txt \\u200e \\u061c"
    shown = display(os.fsdecode(bytes(range(1, 256))))
    assert shown.encode("utf-8").decode("utf-8") == shown  # any writer takes it
    assert display(shown) == shown


# -- special files ---------------------------------------------------------------------------


def test_a_fifo_in_the_tree_is_skipped_and_nothing_hangs(tmp_path: Path, originals: Path) -> None:
    os.mkfifo(originals / "pipe.txt")
    for arguments in (
        ["convert", originals, "-t", "html", "-o", tmp_path / "out", "-j", "1"],
        ["convert", originals, "-t", "html", "-o", tmp_path / "out2", "-j", "2"],
        ["check", originals],
    ):
        result = run(*arguments)  # a regression blocks in open(): the timeout fails the test
        assert result.returncode == 0, (arguments, result.stderr)
        assert (
            b"pipe.txt: warning: special-file: skipped: a FIFO (named pipe), not a regular file"
            in result.stdout + result.stderr
        )
    assert sorted(tree(tmp_path / "out")) == [b"cp1252.html", b"sub/crlf.html"]


def test_a_special_file_named_on_the_command_line_is_refused_but_a_pipe_on_stdin_works(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    for name in (tmp_path / "pipe.txt", Path(os.devnull)):
        result = run("convert", name, "-t", "html")
        assert result.returncode == 2, result.stderr
        assert b"not a file or folder" in result.stderr
    with subprocess.Popen(["cat", DATA / "edge_crlf.txt"], stdout=subprocess.PIPE) as cat:
        piped = subprocess.run(
            [COMMAND, "convert", "-", "-t", "json"], stdin=cat.stdout, capture_output=True, timeout=TIMEOUT, check=False
        )
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["headline"]


def test_an_output_or_report_that_is_a_special_file_is_refused_not_replaced(tmp_path: Path, originals: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for arguments in (
        [originals / "cp1252.txt", "-t", "html", "-o", fifo, "--force"],
        [originals, "-t", "jsonl", "-o", fifo, "--force"],
        [originals, "-t", "html", "-o", tmp_path / "out", "--errors", fifo],
    ):
        result = run("convert", *arguments)
        assert result.returncode == 2, (arguments, result.stderr)
        assert b"is a FIFO (named pipe), not a file" in result.stderr
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode), arguments  # still the FIFO, not replaced by a file


def test_read_input_refuses_what_is_not_a_regular_file_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    refused: list[BaseException] = []

    def read() -> None:
        try:
            read_input(str(fifo), follow_symlinks=False)
        except InputRefused as exc:
            refused.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # unblock the thread so the suite goes on, then fail
        open(fifo, "wb").close()  # the blocked reader is the other end
        pytest.fail("read_input blocked on a FIFO")
    assert [getattr(e, "code", None) for e in refused] == ["special-file"]
    (tmp_path / "a.txt").write_bytes(b"0123456789")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    with pytest.raises(InputRefused, match="symbolic link") as link:
        read_input(str(tmp_path / "link.txt"), follow_symlinks=False)
    assert link.value.code == "symlink"
    assert read_input(str(tmp_path / "link.txt"), follow_symlinks=True) == b"0123456789"
    with pytest.raises(InputRefused, match="10 bytes, over the limit of 9 bytes") as large:
        read_input(str(tmp_path / "a.txt"), follow_symlinks=False, max_size=9)
    assert large.value.code == "too-large"
    assert read_input(str(tmp_path / "a.txt"), follow_symlinks=False, max_size=10) == b"0123456789"


# -- linear in every shape of tree -----------------------------------------------------------


@pytest.mark.parametrize("shape", ["folders", "files"])
def test_planning_a_tree_is_linear_in_its_folders_and_its_files(tmp_path: Path, shape: str) -> None:
    def make(n: int) -> Path:
        root = tmp_path / f"{shape}{n}"
        folder = root / "in"
        folder.mkdir(parents=True)
        for index in range(n):
            if shape == "folders":  # a folder per file, each a link in a short chain
                (folder / f"{index}" / "sub").mkdir(parents=True)
                (folder / f"{index}" / "sub" / "a.txt").touch()
            else:
                (folder / f"{index}.txt").touch()
        return root

    def plan(root: Path) -> int:
        inputs = Inputs([str(root / "in")], "*.txt", prune=str(root / "out"))
        return sum(1 for _ in plan_mirror(inputs, str(root / "out"), ".html", force=False))

    assert plan(make(8)) == 8
    assert lowest_doubling_ratio(make, plan, 3_000 if shape == "folders" else 20_000) < LINEAR


def test_a_tree_deeper_than_python_recurses_is_walked(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    depth = 1_200  # os.walk recursed once per level and raised RecursionError past about 1,000
    chain = []
    try:
        for _ in range(depth):
            folder = folder / "d"
            folder.mkdir()
            chain.append(folder)
            (folder / "a.txt").write_bytes(article(0))
        result = run("check", tmp_path / "in", "-q", "-j", "2")
        assert result.returncode == 0, result.stderr[-2000:]
        checked = run("check", tmp_path / "in", "--format", "json", "-j", "1")
        assert json.loads(checked.stdout)["summary"]["checked"] == depth
    finally:
        # pytest's clean-up (shutil.rmtree) recurses once per level too: remove the chain from the bottom.
        for level in reversed(chain):
            (level / "a.txt").unlink(missing_ok=True)
            level.rmdir()
