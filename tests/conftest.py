"""Shared fixtures. The external gold sets live in ../shared/data beside the repository
(or $VNPIPE_SHARED_DATA); tests that need them skip cleanly when they are absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpus" / "samples"
SHARED_DATA = Path(os.environ.get("VNPIPE_SHARED_DATA", REPO.parent / "shared" / "data"))
SEED_DIR = SHARED_DATA.parent / "seed"


def shared(relative: str) -> Path:
    """A path under ../shared/data, or skip the test when it is not there."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"external data not available: {path}")
    return path


@pytest.fixture(scope="session")
def nlp():
    from pipeline import load

    return load()


@pytest.fixture(scope="session")
def seed_text() -> str:
    files = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    if not files:
        pytest.skip("seed article not available")
    return files[0].read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))}
