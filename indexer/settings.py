"""Settings as data: every tunable with its default and what it means (documented in the README)."""

from __future__ import annotations

from typing import NamedTuple


class Setting(NamedTuple):
    name: str
    default: object
    help: str


SETTINGS = (
    Setting("max_file_bytes", 50_000_000, "Largest saved file a parser will read; larger files are skipped and reported"),
    Setting("default_facet_size", 10, "Values shown per facet"),
    Setting("max_facet_size", 1000, "Most values a facet may be asked for"),
    Setting("default_page_size", 20, "Hits per page"),
    Setting("max_page_size", 500, "Most hits one page may hold"),
    Setting("snippet_chars", 220, "Longest snippet shown for a hit"),
    Setting("writer_memory_mb", 256, "Memory the index writer may use before it flushes a segment"),
    Setting("suggest_below_hits", 3, "Queries finding fewer hits than this get a \"did you mean\" from the index's vocabulary"),
    Setting("suggest_engine_docs", 200_000, "Document count past which reindex suggests a faster engine"),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str):
    return _BY_NAME[name].default
