"""The test tiers of tests/conftest.py: a quick test that starts a process fails, and CI gets the thorough profile."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow  # each test runs pytest in a process of its own

CONFTEST = Path(__file__).with_name("conftest.py")
MARKERS = "[pytest]\nmarkers =\n    slow: starts a process\n"

PROBES = """
import os
import subprocess
import sys

import pytest


def test_quick():
    assert True


def test_starts_python():
    subprocess.run([sys.executable, "-c", "pass"], check=True)


def test_calls_the_shell():
    os.system("true")


@pytest.mark.slow
def test_marked_slow():
    subprocess.run([sys.executable, "-c", "pass"], check=True)


@pytest.fixture
def started():
    subprocess.run([sys.executable, "-c", "pass"], check=True)


def test_through_a_fixture(started):
    assert True
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A copy of this suite's conftest.py, beside the files a test writes."""
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makeini(MARKERS)
    return pytester


def test_a_quick_test_that_starts_a_process_fails_and_says_how_to_mark_it(suite: pytest.Pytester) -> None:
    suite.makepyfile(test_probes=PROBES)
    result = suite.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2, errors=1)
    for line in (
        "*test_starts_python started a process during the test but is not marked slow: subprocess.Popen*",
        "*test_calls_the_shell started a process during the test but is not marked slow: os.system*",
        "*test_through_a_fixture started a process during setup but is not marked slow*",
        "Mark it @pytest.mark.slow*",
    ):
        result.stdout.fnmatch_lines([line])
    quick = suite.runpytest_subprocess("-p", "no:cacheprovider", "-m", "not slow", "-k", "quick or marked")
    quick.assert_outcomes(passed=1, deselected=4)


PROFILE_PROBE = """
import os

from hypothesis import settings


def test_profile():
    assert settings().max_examples == settings.get_profile(os.environ["EXPECTED"]).max_examples
"""


@pytest.mark.parametrize(
    ("ci", "profile", "expected"),
    [(None, None, "dev"), ("true", None, "ci"), ("true", "dev", "dev"), (None, "ci", "ci")],
)
def test_ci_gets_the_thorough_profile_unless_another_is_named(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str | None, profile: str | None, expected: str
) -> None:
    for name, value in (("CI", ci), ("HYPOTHESIS_PROFILE", profile), ("EXPECTED", expected)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    suite.makepyfile(test_profile=PROFILE_PROBE)
    suite.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_thorough_profile_tries_more_examples() -> None:
    from hypothesis import settings

    assert settings.get_profile("ci").max_examples > 10 * settings.get_profile("dev").max_examples
