"""Fixtures, the Hypothesis profiles, and the guard that keeps ``pytest -m "not slow"`` quick.

Two tiers (README, "Tests"): ``pytest -m "not slow"`` in about a minute, and
the whole suite. A test that starts a process (the command, a fresh
interpreter, Java, Chromium, a Dask cluster, a wheel build, ``mount``) belongs
to the slow tier; one that does so without the ``slow`` marker fails, so the
quick tier cannot grow slow unnoticed.

Hypothesis: the ``dev`` profile (a quick look, the default) or the ``ci``
profile (thorough; chosen when ``CI`` is set), or any profile named by
``HYPOTHESIS_PROFILE``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Generator
from pathlib import Path

import pytest
from hypothesis import settings

DATA = Path(__file__).parent / "data"

# ci: 200 a test, about 10 minutes of CPU in all for the property tests (the renderers' with hostile
# text cost up to 40 s each), which CI shares between two processes. print_blob: a CI log alone
# reproduces a failure.
settings.register_profile("dev", max_examples=25)
settings.register_profile("ci", max_examples=200, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

# Audit events (PEP 578) that start a program: every way the standard library offers.
_STARTS = frozenset({"subprocess.Popen", "os.system", "os.posix_spawn", "os.spawn", "os.exec"})
# What the running quick test started; None while no quick test runs.
_started: list[str] | None = None


def _audit(event: str, arguments: tuple[object, ...]) -> None:
    if _started is not None and event in _STARTS:
        # Every event's first arguments name the program and, but for os.system, its argument list.
        _started.append(f"{event} {arguments[:2]!r:.300}")


sys.addaudithook(_audit)


def _watched(item: pytest.Item, when: str) -> Generator[None, None, None]:
    """Run one phase of a quick test and fail it if the phase started a process."""
    global _started  # noqa: PLW0603 -- the audit hook is process-wide and cannot carry state otherwise
    if item.get_closest_marker("slow") is not None:
        yield
        return
    _started = started = []
    try:
        yield
    finally:
        _started = None
    if started:
        pytest.fail(
            f"{item.nodeid} started a process during {when} but is not marked slow: {started[0]}\n"
            'Mark it @pytest.mark.slow (or its module: pytestmark), so that pytest -m "not slow" stays quick.',
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _watched(item, "setup"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _watched(item, "the test"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _watched(item, "teardown"))


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    """Every article of the development corpus, in name order."""
    return sorted(DATA.glob("*.txt"))


@pytest.fixture
def registered() -> Generator[list[str], None, None]:
    """The names that the code under test registers plugins under; unregistered afterwards.

    For documented examples that call :func:`newsarticle.register_plugin`: what
    they register must not reach the tests after them.
    """
    import newsarticle  # here, not at the top: the conftest imports nothing of the package before the tests do

    names: list[str] = []
    register = newsarticle.register_plugin

    def remembering(plugin: object, name: str | None = None) -> str:
        names.append(register(plugin, name=name))
        return names[-1]

    newsarticle.register_plugin = remembering  # type: ignore[assignment]
    try:
        yield names
    finally:
        newsarticle.register_plugin = register
        for name in names:
            with contextlib.suppress(ValueError):  # the example unregistered it itself
                newsarticle.unregister_plugin(name)
