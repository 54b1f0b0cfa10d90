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


def build_corpus(root: Path) -> Path:
    """A small corpus: the seed thread under its site's folder plus hand-written fixtures."""
    import shutil

    corpus = root / "corpus"
    (corpus / "ianwelsh.net").mkdir(parents=True)
    shutil.copy(require_shared(SEED), corpus / "ianwelsh.net" / "deepseek.txt")
    shutil.copy(FIXTURES / "plaintext" / "headers-and-signatures.txt", corpus / "night-bus.txt")
    return corpus


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """An index of ``build_corpus``, built once for the whole session (tests must not change it)."""
    from indexer.reindex import reindex

    root = tmp_path_factory.mktemp("seed")
    corpus = build_corpus(root)
    reindex(corpus, root / "index", workers=1)
    return root / "index"


@pytest.fixture(scope="session")
def archive(seed_index):
    from indexer.search import Archive

    with Archive(seed_index) as opened:
        yield opened


def parents(thread) -> list[int | None]:
    """Each post's parent as a position, the way a reader sees the nesting."""
    positions = {p.id: p.position for p in thread.posts}
    return [positions.get(p.parent_id) if p.parent_id else None for p in thread.posts]
