from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    """Every article of the development corpus, in name order."""
    return sorted(DATA.glob("*.txt"))
