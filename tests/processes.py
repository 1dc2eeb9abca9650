"""Commands started by tests that must end: a regression fails the test instead of hanging the suite."""

from __future__ import annotations

import os
import signal
import subprocess
from typing import AnyStr

import pytest

__all__ = ["finish", "fresh_environment"]


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


def fresh_environment() -> dict[str, str]:
    """This environment without what would point Python at this checkout or switch plugins off."""
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "NEWSARTICLE_"))},
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",  # nothing left in the source folders the tests install from
    }
