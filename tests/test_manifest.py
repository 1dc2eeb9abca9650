"""The output folder's manifest read in process: what the command's tests cannot time, such as a swap mid-read."""

from __future__ import annotations

import contextlib
import os
import threading
import tracemalloc
from pathlib import Path

import pytest

from newsarticle._batch import Manifest
from newsarticle._batch.manifest import MANIFEST_NAME, made_by

RECIPE = {"format": "html", "options": {}}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.html").write_text("<p>a</p>\n", encoding="utf-8")
    manifest = Manifest(str(out), RECIPE)
    manifest.record(str(out / "a.html"), "a.txt", made_by((out / "a.html").stat()))
    manifest.save()
    return out


@pytest.mark.parametrize("swap", ["fifo", "link to a device"])
def test_a_manifest_swapped_after_its_look_is_not_read_and_nothing_blocks(
    folder: Path, monkeypatch: pytest.MonkeyPatch, swap: str
) -> None:
    """The reader looks at the name, then opens it: a FIFO (or a link to an endless device) put there in
    between must neither block the open nor be read."""
    path = str(folder / MANIFEST_NAME)
    real_lstat = os.lstat

    def lstat_then_swap(name: str | os.PathLike[str], **kwargs: object) -> os.stat_result:
        status = real_lstat(name, **kwargs)  # type: ignore[arg-type]
        if os.fspath(name) == path:
            os.unlink(path)
            if swap == "fifo":
                os.mkfifo(path)
            else:
                os.symlink("/dev/zero", path)
        return status

    monkeypatch.setattr(os, "lstat", lstat_then_swap)
    read: list[Manifest] = []
    reader = threading.Thread(target=lambda: read.append(Manifest(str(folder), RECIPE)), daemon=True)
    tracemalloc.start()
    try:
        reader.start()
        reader.join(30)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        monkeypatch.undo()
    assert peak < 64 << 20, f"{peak:,} bytes allocated: the device was read"
    if reader.is_alive():
        with contextlib.suppress(OSError):  # let the blocked open go, so the thread ends
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading the manifest blocked on what was swapped in")
    (manifest,) = read
    assert manifest.warning is not None
    assert "treated as absent" in manifest.warning
    assert manifest.verdict(str(folder / "a.html"), "a.txt") == "not in the manifest"
