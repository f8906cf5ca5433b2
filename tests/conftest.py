"""Fixtures every test can use: where ../shared is, and skipping clearly when a fresh clone lacks it."""

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


def shared_path(*parts: str) -> Path:
    """Path inside ../shared/, skipping the calling test when the folder is not beside the clone."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared fixtures sit beside the repository only in CI")
    return path


@pytest.fixture
def fixtures_dir() -> Path:
    """../shared/fixtures, or a skip with the reason."""
    return shared_path("fixtures")
