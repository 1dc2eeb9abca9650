"""A folder swapped for a link between planning and processing; limits that must not allocate; temporary names.

The races are made deterministic: ``plan_mirror`` runs first, the tree is
changed, then ``process`` runs every task in this process, as ``-j 1`` does.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import mounts
from newsarticle import _atomic, parse_file
from newsarticle._batch import CONVERTED, FAILED, Inputs, Job, Outcome, Task, plan_mirror, process

DATA = Path(__file__).parent / "data"
ARTICLE = sorted(DATA.glob("0*.txt"))[0].read_bytes()
SECRET = ARTICLE.replace(b"\n", b" SECRET\n", 1)

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink") or os.name != "posix", reason="POSIX links")


def command(*args: str | os.PathLike[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsarticle", *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False
    )


def corpus(folder: Path, count: int = 3) -> None:
    (folder / "sub").mkdir(parents=True)
    for number in range(count):
        (folder / "sub" / f"{number}.txt").write_bytes(ARTICLE)


def plan(tmp_path: Path) -> list[Task]:
    items = list(plan_mirror(Inputs([str(tmp_path / "in")], "*.txt"), str(tmp_path / "out"), ".html", force=True))
    assert all(isinstance(item, Task) for item in items), items
    return [item for item in items if isinstance(item, Task)]


def swap_for_link(folder: Path, target: Path) -> None:
    shutil.rmtree(folder)
    folder.symlink_to(target, target_is_directory=True)


def run_all(tasks: list[Task]) -> list[Outcome]:
    return [process(task, Job("render", "html")) for task in tasks]


def test_an_output_folder_swapped_for_a_link_after_planning_is_not_written_through(tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    victim = tmp_path / "victim"
    victim.mkdir()
    (tmp_path / "out" / "sub").mkdir(parents=True)  # a second run: the output folder is there when planned
    tasks = plan(tmp_path)
    swap_for_link(tmp_path / "out" / "sub", victim)

    outcomes = run_all(tasks)

    assert list(victim.iterdir()) == []
    assert [(o.status, o.errors[0].code) for o in outcomes] == [(FAILED, "output-outside")] * 3


def test_a_new_output_folder_created_as_a_link_after_planning_is_not_written_through(tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    victim = tmp_path / "victim"
    victim.mkdir()
    tasks = plan(tmp_path)  # a first run: out/sub does not exist yet
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "sub").symlink_to(victim, target_is_directory=True)

    outcomes = run_all(tasks)

    assert list(victim.iterdir()) == []
    assert {o.errors[0].code for o in outcomes} == {"output-outside"}


def test_outputs_are_written_when_nothing_was_swapped(tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    outcomes = run_all(plan(tmp_path))
    assert {o.status for o in outcomes} == {CONVERTED}
    assert sorted(p.name for p in (tmp_path / "out" / "sub").iterdir()) == ["0.html", "1.html", "2.html"]


def test_an_input_folder_swapped_for_a_link_after_listing_is_not_read(tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    secret = tmp_path / "secret"
    secret.mkdir()
    for number in range(3):
        (secret / f"{number}.txt").write_bytes(SECRET)
    tasks = plan(tmp_path)
    swap_for_link(tmp_path / "in" / "sub", secret)

    outcomes = run_all(tasks)

    assert [(o.status, o.errors[0].code) for o in outcomes] == [(FAILED, "symlink")] * 3
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))


def test_an_input_folder_swapped_after_listing_is_read_with_follow_symlinks(tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    for number in range(3):
        (secret / f"{number}.txt").write_bytes(SECRET)
    items = plan_mirror(
        Inputs([str(tmp_path / "in")], "*.txt", follow_symlinks=True), str(tmp_path / "out"), ".html", force=True
    )
    tasks = [item for item in items if isinstance(item, Task)]
    swap_for_link(tmp_path / "in" / "sub", secret)

    assert {o.status for o in run_all(tasks)} == {CONVERTED}


def test_the_swap_is_refused_by_the_command_too(tmp_path: Path) -> None:
    """check reads through the same path: a listed folder that became a link is not read."""
    corpus(tmp_path / "in")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "0.txt").write_bytes(b"not an article at all\n")
    from newsarticle._cli.commands import plain_tasks

    tasks = [t for t in plain_tasks(Inputs([str(tmp_path / "in")], "*.txt")) if isinstance(t, Task)]
    swap_for_link(tmp_path / "in" / "sub", secret)
    outcomes = [process(task, Job("check")) for task in tasks]
    assert {o.errors[0].code for o in outcomes} == {"symlink"}


# -- limits far above the file ------------------------------------------------------------------


@pytest.mark.parametrize("limit", [2**40, 2**70])
def test_parse_file_with_a_huge_limit_reads_a_small_file(tmp_path: Path, limit: int) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE)
    assert parse_file(path, max_size=limit) == parse_file(path, max_size=None)


@pytest.mark.slow
@pytest.mark.parametrize(("limit", "jobs"), [("1024G", "1"), ("1024G", "2"), ("99999999999999999999G", "2")])
def test_a_huge_max_size_converts_without_a_traceback(tmp_path: Path, limit: str, jobs: str) -> None:
    corpus(tmp_path / "in", 2)
    done = command("convert", "in", "-t", "html", "-o", "out", "--max-size", limit, "-j", jobs, cwd=tmp_path)
    assert (done.returncode, done.stderr.count("Traceback")) == (0, 0), done.stderr
    assert len(list((tmp_path / "out").rglob("*.html"))) == 2


@pytest.mark.slow
def test_a_huge_max_size_reads_standard_input(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "newsarticle", "convert", "-", "-t", "json", "--max-size", "1024G"],
        input=ARTICLE,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_a_file_that_grows_past_its_size_is_still_held_to_the_limit(tmp_path: Path) -> None:
    from newsarticle._paths import read_limited

    class Growing:
        """A file whose fstat said 10 bytes, but which holds 3 MiB by the time it is read."""

        def __init__(self) -> None:
            self.left = 3 * 1024 * 1024

        def read(self, size: int) -> bytes:
            size = min(size, self.left)
            self.left -= size
            return b"x" * size

    assert len(read_limited(Growing(), 10, 2_000_000)) == 2_000_001  # type: ignore[arg-type]
    assert len(read_limited(Growing(), 10, None)) == 3 * 1024 * 1024  # type: ignore[arg-type]
    assert len(read_limited(Growing(), 10, 2**70)) == 3 * 1024 * 1024  # type: ignore[arg-type]


# -- temporary names ------------------------------------------------------------------------------


def test_only_our_temporary_files_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / ".draft.tmp").write_bytes(ARTICLE)
    (folder / ".a.txt.tmp").write_bytes(ARTICLE)
    (folder / ".a.bak.0123abcd.tmp").write_bytes(ARTICLE)  # no writer named: a user's name
    ours = f".a.html.{_atomic._host()}-{os.getpid()}-0123abcd.tmp"  # the shape write_atomic gives its own files
    (folder / ours).write_bytes(ARTICLE)
    found = sorted(os.path.basename(item.source) for item in Inputs([str(folder)], "*.tmp").walk())
    assert found == [".a.bak.0123abcd.tmp", ".a.txt.tmp", ".draft.tmp"]


# -- bind mounts: the same folder under another path ----------------------------------------------


def bind(folder: Path, mount_point: Path) -> contextlib.AbstractContextManager[Path]:
    """``folder`` mounted again at ``mount_point``: same device and inode, another path (needs root, as in CI)."""
    return mounts.mounted(mount_point, "--bind", str(folder))


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    """in/ (a.txt, b.txt, sub/c.txt) and mnt/, a bind mount of it."""
    corpus(tmp_path / "in", 1)
    for name in ("a.txt", "b.txt"):
        (tmp_path / "in" / name).write_bytes(ARTICLE)
    with bind(tmp_path / "in", tmp_path / "mnt"):
        yield tmp_path


@pytest.mark.slow
def test_a_jsonl_output_reached_through_a_bind_mount_is_an_input(mounted: Path) -> None:
    done = command("convert", "in", "-t", "jsonl", "-o", "mnt/a.txt", "--force", cwd=mounted)
    assert done.returncode == 2
    assert "is an input" in done.stderr
    assert (mounted / "in" / "a.txt").read_bytes() == ARTICLE


@pytest.mark.slow
def test_an_error_report_reached_through_a_bind_mount_is_an_input(mounted: Path) -> None:
    (mounted / "in" / "e.txt").write_bytes(b"")
    done = command("convert", "in", "-t", "html", "-o", "out", "--errors", "mnt/b.txt", cwd=mounted)
    assert done.returncode == 2
    assert "is an input" in done.stderr
    assert (mounted / "in" / "b.txt").read_bytes() == ARTICLE


@pytest.mark.slow
def test_an_output_folder_reached_through_a_bind_mount_is_not_read_back(mounted: Path) -> None:
    for _run in range(2):
        done = command("convert", "in", "-t", "source", "-o", "mnt/out", "--force", cwd=mounted)
        assert done.returncode == 0, done.stderr
    written = sorted(p.relative_to(mounted / "in" / "out").as_posix() for p in (mounted / "in" / "out").rglob("*.txt"))
    assert written == ["a.txt", "b.txt", "sub/0.txt"]


@pytest.mark.slow
def test_an_input_folder_and_a_bind_mount_of_it_or_of_its_subfolder_are_one_place(mounted: Path) -> None:
    twice = command("convert", "in", "mnt", "-t", "html", "-o", "out", cwd=mounted)
    inside = command("convert", "in", "mnt/sub", "-t", "html", "-o", "out", cwd=mounted)
    assert (twice.returncode, inside.returncode) == (2, 2)
    assert "given twice" in twice.stderr
    assert "inside the input folder" in inside.stderr
    assert not (mounted / "out").exists()


@pytest.mark.slow
def test_a_subfolder_named_again_through_a_bind_mount_is_converted_once(mounted: Path) -> None:
    with bind(mounted / "in" / "sub", mounted / "again"):
        done = command("convert", "in", "again", "-t", "html", "-o", "out", cwd=mounted)
    assert done.returncode == 0, done.stderr
    converted = sorted(p.relative_to(mounted / "out").as_posix() for p in (mounted / "out").rglob("*.html"))
    assert converted == ["again/0.html", "in/a.html", "in/b.html"]
    assert "overlap" in done.stderr


def test_checking_folders_again_costs_a_few_system_calls_per_folder_in_a_deep_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.path.realpath per file would take one lstat per level: quadratic in a chain of folders.

    Counted, not timed: the kernel's own walk of a deep path (which the read
    and the write make anyway) swamps a timing at the depths a path allows.
    """
    from newsarticle._paths import FolderCheck

    chain, folder = [], tmp_path
    for _ in range(300):
        folder = folder / "d"
        folder.mkdir()
        chain.append(str(folder))
    calls = [0]
    for name in ("stat", "lstat"):
        original = getattr(os, name)

        def counted(*args: object, _original: Callable[..., object] = original, **kwargs: object) -> object:
            calls[0] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(os, name, counted)
    checked = FolderCheck()
    assert all(checked(folder, folder) for folder in chain)
    assert calls[0] <= 4 * len(chain) + 2 * len(chain[0]), calls  # the first folder may resolve every level
    monkeypatch.undo()
    for folder in reversed(chain):  # shutil.rmtree recurses once per level
        os.rmdir(folder)
