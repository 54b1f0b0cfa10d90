"""The search core: one query language, one result shape, whatever the engine.

The CLI and the web UI are thin layers over ``Archive``; nothing here knows of either.
"""

from __future__ import annotations

import re
from pathlib import Path

from indexer.engine import SearchRequest
from indexer.engine.base import FACETS, SORTS
from indexer.query import (
    KINDS,
    Node,
    QueryError,
    Term,
    combine,
    parse_query,
    positive_terms,
    without_stop_words,
)
from indexer.settings import setting
from indexer.snippets import best_snippet
from indexer.store import IndexStore

DEFAULT_FACETS = ("author", "domain", "site", "year")
HIT_FIELDS = (
    "id", "kind", "thread_id", "thread_title", "thread_url", "site", "platform", "source", "author", "date",
    "position", "parent_id", "permalink", "text", "snippet", "links", "domains", "score", "thread_hits",
)
SELECTABLE = ("author", "domain", "site", "kind", "year", "month", "thread")


class Archive:
    """An opened index: search it, read its threads, count what it holds."""

    def __init__(self, index_dir: Path):
        self.store = IndexStore(index_dir)
        self.engine = self.store.open_engine()

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- searching ----------------------------------------------------------------------------

    def search(self, q: str | None = "", *, selections: dict[str, list[str]] | None = None,
               after: str | None = None, before: str | None = None, sort: str = "relevance",
               page: int = 1, per_page: int | None = None, facets: tuple | dict = DEFAULT_FACETS,
               facet_size: int | None = None, facet_prefixes: dict[str, str] | None = None,
               cursor: str | None = None, group_by_thread: bool = False, suggest: bool = True) -> dict:
        """Search with the query language; ``selections`` are facet values (OR within, AND across).

        :param facets: facet names (each with ``facet_size`` values), or {name: size}.
        :param cursor: continue after the hit a previous page's ``next_cursor`` names (deep paging
            without a cap; ``page`` is then ignored).
        :param group_by_thread: one hit per thread, its best, with ``thread_hits`` counting the thread's hits.
        :param facet_prefixes: per facet, only values whose name or a word of it starts so.
        :param suggest: offer ``did_you_mean`` when the query finds few or no hits.
        :raise QueryError: with a one-line reason when the query or a parameter is malformed.
        """
        per_page = setting("default_page_size") if per_page is None else per_page
        facet_size = setting("default_facet_size") if facet_size is None else facet_size
        _check(sort in SORTS, f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        _check(page >= 1, "page must be 1 or more")
        _check(1 <= per_page <= setting("max_page_size"), f"per page must be from 1 to {setting('max_page_size')}")
        _check(0 <= facet_size <= setting("max_facet_size"), f"facet size must be from 0 to {setting('max_facet_size')}")
        selections = {k: [v for v in vs if v] for k, vs in (selections or {}).items() if vs}
        for name, values in selections.items():
            _check(name in SELECTABLE, f"cannot filter on {name!r}; use one of {', '.join(SELECTABLE)}")
            if name == "kind":
                for value in values:
                    _check(value in KINDS, f"kind must be one of {', '.join(KINDS)}, not {value!r}")
        sizes = dict(facets) if isinstance(facets, dict) else {name: facet_size for name in facets}
        for name, size in sizes.items():
            _check(name in FACETS, f"unknown facet {name!r}; the facets are {', '.join(FACETS)}")
            _check(0 <= size <= setting("max_facet_size"), f"facet size must be from 0 to {setting('max_facet_size')}")
        tree = combine(parse_query(q), after=after, before=before)
        tree = without_stop_words(tree, lambda word: self.engine.doc_frequency(word) < 0)
        for name in facet_prefixes or {}:
            _check(name in FACETS, f"unknown facet {name!r}; the facets are {', '.join(FACETS)}")
        request = SearchRequest(query=tree, selections=selections, sort=sort, offset=(page - 1) * per_page,
                                limit=per_page, facets=sizes,
                                facet_prefixes=dict(facet_prefixes or {}), cursor=cursor,
                                group_by_thread=group_by_thread)
        found = self.engine.search(request)
        hits = [self._hit(payload, tree) for payload in found["hits"]]
        result = {
            "query": q or "",
            "total": found["total"],
            "page": page if not cursor else None,
            "per_page": per_page,
            "sort": sort,
            "group_by_thread": group_by_thread,
            "threads": found["groups"],
            "selections": selections,
            "hits": hits,
            "next_cursor": found["next_cursor"],
            "facets": {name: [{"value": v, "count": c} for v, c in f["values"]] for name, f in found["facets"].items()},
            "facets_truncated": [name for name, f in found["facets"].items() if f["truncated"]],
            "did_you_mean": None,
        }
        if suggest and found["total"] < setting("suggest_below_hits") and q:
            result["did_you_mean"] = self._did_you_mean(q, tree, found["total"], selections)
        return result

    def iter_hits(self, q: str | None = "", *, chunk: int = 500, **options):
        """Every hit of a search, in order, fetched a chunk at a time through cursors (for exports)."""
        cursor = None
        while True:
            found = self.search(q, per_page=chunk, facets=(), cursor=cursor, suggest=False, **options)
            yield from found["hits"]
            cursor = found["next_cursor"]
            if not cursor:
                return

    def facet_values(self, facet: str, prefix: str = "", q: str | None = "", *, size: int = 20, **options) -> dict:
        """A facet's values among a search's matches, filtered by prefix ("kt" finds "KT Chong")."""
        found = self.search(q, facets=(facet,), facet_size=size, facet_prefixes={facet: prefix} if prefix else None,
                            per_page=1, suggest=False, **options)
        return {"facet": facet, "prefix": prefix, "values": found["facets"][facet],
                "truncated": facet in found["facets_truncated"]}

    def _did_you_mean(self, q: str, tree: Node, total: int, selections: dict) -> dict | None:
        """A respelling of the query's words from the index's own vocabulary that finds more hits."""
        suggestion = q
        changed = False
        for word in set(re.findall(r"(?<![\w:*\"-])([^\W\d_]{3,})(?![\w:*~])", q)):
            if word in ("AND", "OR", "NOT") or self.engine.doc_frequency(word) > 0:
                continue
            candidates = self.engine.vocabulary_suggestions(word, limit=1)
            if not candidates:
                continue
            spelled = self._surface_form(candidates[0]) or candidates[0]
            suggestion = re.sub(rf"(?<![\w:]){re.escape(word)}(?!\w)", spelled, suggestion)
            changed = True
        if not changed:
            return None
        try:
            better = self.search(suggestion, selections=selections, per_page=1, facets=(), suggest=False)["total"]
        except QueryError:
            return None
        return {"query": suggestion, "total": better} if better > total else None

    def _surface_form(self, term: str) -> str | None:
        """A word as people write it for an indexed (stemmed) term, read from a post that has it."""
        hit = self.engine.search(SearchRequest(query=Term(term), limit=1))["hits"]
        if not hit:
            return None
        for token, start, end in self.engine.analyze(hit[0]["text"]):
            if token == term:
                return hit[0]["text"][start:end].lower()
        return None

    def _hit(self, payload: dict, tree: Node) -> dict:
        terms, prefixes = self._highlight_terms(tree)
        payload["snippet"] = best_snippet(payload["text"], self.engine.analyze, terms, prefixes,
                                          width=setting("snippet_chars"))
        hit = {name: payload.get(name) for name in HIT_FIELDS}
        if hit["thread_hits"] is None:
            del hit["thread_hits"]
        return hit

    def _highlight_terms(self, tree: Node) -> tuple[set[str], tuple[str, ...]]:
        terms, prefixes = set(), []
        for word in positive_terms(tree):
            if word.endswith("*"):
                prefixes.append(self.engine.normalize_prefix(word[:-1]))
            else:
                for token in word.split():
                    terms.add(self.engine.normalize_term(token))
        return terms, tuple(prefixes)

    # -- reading threads ---------------------------------------------------------------------

    def thread(self, thread_id: str) -> dict | None:
        posts = self.engine.thread_posts(thread_id)
        if not posts:
            return None
        root = next((p for p in posts if p["kind"] == "post"), posts[0])
        thread = {
            "thread_id": thread_id,
            "title": root["thread_title"],
            "url": root["thread_url"],
            "site": root["site"],
            "platform": root["platform"],
            "source": root["source"],
            "author": root["thread_author"],
            "date": root["thread_date"],
            "comments": sum(1 for p in posts if p["kind"] == "comment"),
        }
        keep = ("id", "kind", "author", "author_url", "date", "text", "links", "domains", "parent_id", "position",
                "permalink")
        return {"thread": thread, "posts": [{k: p[k] for k in keep} for p in posts]}

    def threads(self, site: str | None = None) -> list[dict]:
        rows = []
        for root in self.engine.threads(site=site):
            rows.append({
                "thread_id": root["thread_id"],
                "title": root["thread_title"],
                "url": root["thread_url"],
                "site": root["site"],
                "platform": root["platform"],
                "source": root["source"],
                "author": root["thread_author"],
                "date": root["thread_date"],
                "comments": root["comments"],
                "authors": root["authors"],
            })
        return sorted(rows, key=lambda r: (r["date"] is None, r["date"] or "", r["title"] or ""), reverse=False)

    def stats(self) -> dict:
        counts = self.engine.stats()
        status = self.store.status()
        return {
            **counts,
            "engine": self.engine.name,
            "index": str(self.store.root),
            "last_reindex": status.get("last_reindex"),
            "failing_files": status.get("failing_files", {}),
        }


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise QueryError(message)
