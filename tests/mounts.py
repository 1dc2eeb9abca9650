"""File systems mounted for a test (a full disk, a bind mount): root only, as in CI, and always unmounted."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["mounted"]


@contextlib.contextmanager
def mounted(mount_point: Path, *arguments: str) -> Iterator[Path]:
    """``mount ARGUMENTS MOUNT_POINT`` for the block; outside CI a refusal (no root) skips, in CI it fails."""
    mount_point.mkdir()
    done = subprocess.run(["mount", *arguments, str(mount_point)], capture_output=True, check=False)
    if done.returncode != 0:
        assert not os.environ.get("CI"), f"CI runs as root and must mount {arguments}: {done.stderr!r}"
        pytest.skip(f"cannot mount {arguments} here: {done.stderr!r}")
    try:
        yield mount_point
    finally:
        # Lazily if a file is still open there (a failing test's): the mount must not outlive the test.
        if subprocess.run(["umount", str(mount_point)], capture_output=True, check=False).returncode != 0:
            subprocess.run(["umount", "--lazy", str(mount_point)], check=True)
