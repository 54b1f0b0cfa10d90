"""Settings as data: every tunable with its default and what it means (documented in the README)."""

from __future__ import annotations

from typing import NamedTuple


class Setting(NamedTuple):
    name: str
    default: object
    help: str


SETTINGS = (
    Setting("max_file_bytes", 50_000_000, "Largest saved file a parser will read; larger files are skipped and reported"),
    Setting("max_markup_depth", 512, "Deepest element nesting an HTML page may have; deeper pages are refused"),
    Setting("parse_files_in_flight", 4, "Files each parser process may have parsed ahead of the index writer"),
    Setting("parse_seconds_per_file", 120, "Longest a parser may spend on one file before it is skipped and reported"),
    Setting("parse_memory_mb", 3072, "Address space each parser process may use; a file needing more is skipped"),
    Setting("default_facet_size", 10, "Values shown per facet"),
    Setting("max_facet_size", 1000, "Most values a facet may be asked for"),
    Setting("default_page_size", 20, "Hits per page"),
    Setting("max_page_size", 500, "Most hits one page may hold"),
    Setting("snippet_chars", 220, "Longest snippet shown for a hit"),
    Setting("writer_memory_mb", 256, "Memory the index writer may use before it flushes a segment"),
    Setting("suggest_below_hits", 3, "Queries finding fewer hits than this get a \"did you mean\" from the index's vocabulary"),
    Setting("suggest_engine_docs", 200_000, "Document count past which reindex suggests a faster engine"),
    Setting("max_capture_bytes", 20_000_000, "Largest answer `agora save` accepts for one file, after gzip/deflate decoding"),
    Setting("max_capture_pages", 20, "Most files `agora save` fetches for one thread: the page, its JSON and further comment pages"),
    Setting("capture_connect_timeout", 10, "Seconds `agora save` waits to connect to a site"),
    Setting("capture_read_timeout", 30, "Seconds `agora save` waits for each read of a site's answer"),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str):
    return _BY_NAME[name].default
