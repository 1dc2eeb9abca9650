"""Commands started by tests that must end: a regression fails the test instead of hanging the suite."""

from __future__ import annotations

import os
import signal
import subprocess
from typing import AnyStr

import pytest

__all__ = ["finish"]


def finish(process: subprocess.Popen[AnyStr], timeout: float) -> tuple[AnyStr, AnyStr]:
    """Wait for the command; one that does not end in time is killed with its workers, and the test fails.

    The command must have been started with ``start_new_session=True``, so that its
    whole process group (its workers too) can be killed.
    """
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"the command did not end within {timeout} s")
