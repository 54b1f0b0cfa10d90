"""Engines behind one interface; the name is stored with each index so later commands just work."""

from __future__ import annotations

from indexer.engine.base import Engine, EngineWriter, SearchRequest, index_document
from indexer.engine.tantivy_engine import TantivyEngine
from indexer.engine.whoosh_engine import WhooshEngine

ENGINES: dict[str, type[Engine]] = {"whoosh": WhooshEngine, "tantivy": TantivyEngine}
DEFAULT_ENGINE = "whoosh"


def engine_class(name: str) -> type[Engine]:
    try:
        return ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}") from None


__all__ = ["ENGINES", "DEFAULT_ENGINE", "Engine", "EngineWriter", "SearchRequest", "engine_class", "index_document"]
