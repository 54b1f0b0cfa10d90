from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
REALDATA = SHARED / "realdata"
SEED = SHARED / "seed" / "000_7c77725e7978afdf.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def require_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared (the project's real saved pages) is not beside this checkout")
    return path
