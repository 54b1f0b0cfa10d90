"""The search core: one query language, one result shape, whatever the engine.

The CLI and the web UI are thin layers over ``Archive``; nothing here knows of either.
"""

from __future__ import annotations

from pathlib import Path

from indexer.engine import SearchRequest
from indexer.engine.base import FACETS, SORTS
from indexer.query import KINDS, Node, QueryError, combine, parse_query, positive_terms
from indexer.settings import setting
from indexer.snippets import best_snippet
from indexer.store import IndexStore

DEFAULT_FACETS = ("author", "domain", "site", "year")
HIT_FIELDS = (
    "id", "kind", "thread_id", "thread_title", "thread_url", "site", "platform", "source", "author", "date",
    "position", "parent_id", "permalink", "text", "snippet", "links", "domains", "score",
)
SELECTABLE = ("author", "domain", "site", "kind", "year", "month", "thread")


class Archive:
    """An opened index: search it, read its threads, count what it holds."""

    def __init__(self, index_dir: Path):
        self.store = IndexStore(index_dir)
        self.engine = self.store.open_engine()

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- searching ----------------------------------------------------------------------------

    def search(self, q: str | None = "", *, selections: dict[str, list[str]] | None = None,
               after: str | None = None, before: str | None = None, sort: str = "relevance",
               page: int = 1, per_page: int | None = None, facets=DEFAULT_FACETS,
               facet_size: int | None = None) -> dict:
        """Search with the query language; ``selections`` are facet values (OR within, AND across).

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
        for name in facets:
            _check(name in FACETS, f"unknown facet {name!r}; the facets are {', '.join(FACETS)}")
        tree = combine(parse_query(q), after=after, before=before)
        request = SearchRequest(query=tree, selections=selections, sort=sort, offset=(page - 1) * per_page,
                                limit=per_page, facets={name: facet_size for name in facets})
        found = self.engine.search(request)
        hits = [self._hit(payload, tree) for payload in found["hits"]]
        return {
            "query": q or "",
            "total": found["total"],
            "page": page,
            "per_page": per_page,
            "sort": sort,
            "selections": selections,
            "hits": hits,
            "facets": {name: [{"value": v, "count": c} for v, c in f["values"]] for name, f in found["facets"].items()},
            "facets_truncated": [name for name, f in found["facets"].items() if f["truncated"]],
        }

    def _hit(self, payload: dict, tree: Node) -> dict:
        terms, prefixes = self._highlight_terms(tree)
        payload["snippet"] = best_snippet(payload["text"], self.engine.analyze, terms, prefixes,
                                          width=setting("snippet_chars"))
        return {name: payload.get(name) for name in HIT_FIELDS}

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
