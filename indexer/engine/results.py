"""Turning an engine's matches into a page: sorting, grouping by thread, cursors, facets.

Engines hand over every matching document number (and its score, when ranked); everything
here is NumPy over those arrays and the index's ``FacetArrays``, so it is the same for every
engine that keeps such arrays, and costs little even deep into the results.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

import numpy as np

from indexer.engine.facet_arrays import NO_DATE, FacetArrays
from indexer.query import QueryError

LAST = np.inf  # where undated posts sort, whichever way dates are sorted


@dataclass
class Cursor:
    """Where a page ended: the last hit's sort key and document number, in one index version."""

    version: str
    key: float
    docnum: int

    def encode(self) -> str:
        raw = json.dumps([self.version, self.key, self.docnum], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, version: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            saved_version, key, docnum = json.loads(raw)
            cursor = cls(str(saved_version), float(key), int(docnum))
        except (ValueError, TypeError):
            raise QueryError("the cursor is not one Agora gave out; start from the first page") from None
        if cursor.version != version:
            raise QueryError("the index changed since this cursor was given out; search again from the first page")
        return cursor


def sort_keys(docs: np.ndarray, scores: np.ndarray | None, arrays: FacetArrays, sort: str) -> np.ndarray:
    """One float per document: smaller comes first (ties broken by document number)."""
    if sort == "relevance":
        return -scores if scores is not None else np.zeros(len(docs))
    dates = arrays.dates[docs]
    keys = np.where(dates == NO_DATE, LAST, dates.astype(np.float64))
    if sort == "newest":
        keys = np.where(keys == LAST, LAST, -keys)
    return keys


def after_cursor(docs: np.ndarray, keys: np.ndarray, cursor: Cursor | None) -> np.ndarray:
    """Which entries come after the cursor's position."""
    if cursor is None:
        return np.ones(len(docs), bool)
    return (keys > cursor.key) | ((keys == cursor.key) & (docs > cursor.docnum))


def first_n(docs: np.ndarray, keys: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` first entries in (key, docnum) order, sorted; cheap when n is small."""
    if n <= 0 or len(docs) == 0:
        return np.zeros(0, np.int64)
    if n < len(docs):
        kth = np.partition(keys, n - 1)[n - 1]
        candidates = np.flatnonzero(keys <= kth)
    else:
        candidates = np.arange(len(docs))
    order = np.lexsort((docs[candidates], keys[candidates]))
    return candidates[order[:n]]


def group_by_thread(docs: np.ndarray, keys: np.ndarray, arrays: FacetArrays):
    """The best entry of each thread (its leader), and how many entries each leader's thread has."""
    threads = arrays.columns["thread"].ords[docs]
    order = np.lexsort((docs, keys))
    _, first, counts = np.unique(threads[order], return_index=True, return_counts=True)
    leaders = order[first]
    return leaders, counts


def page(docs: np.ndarray, scores: np.ndarray | None, arrays: FacetArrays, *, sort: str, offset: int, limit: int,
         cursor: Cursor | None, group: bool) -> dict:
    """The page of hits: ``{"docs", "scores", "thread_hits", "total", "groups", "last_key"}``."""
    keys = sort_keys(docs, scores, arrays, sort)
    thread_hits = None
    groups = None
    if group and len(docs):
        leaders, counts = group_by_thread(docs, keys, arrays)
        groups = len(leaders)
        entry_docs, entry_keys = docs[leaders], keys[leaders]
        entry_scores = scores[leaders] if scores is not None else None
    else:
        entry_docs, entry_keys, entry_scores, counts = docs, keys, scores, None
    later = after_cursor(entry_docs, entry_keys, cursor)
    candidates = np.flatnonzero(later)
    chosen = candidates[first_n(entry_docs[candidates], entry_keys[candidates], offset + limit)][offset:]
    if counts is not None:
        thread_hits = counts[chosen]
    remaining = len(candidates) - offset - len(chosen)
    return {
        "docs": entry_docs[chosen],
        "scores": entry_scores[chosen] if entry_scores is not None else None,
        "thread_hits": thread_hits,
        "groups": groups,
        "last": (float(entry_keys[chosen[-1]]), int(entry_docs[chosen[-1]])) if len(chosen) and remaining > 0 else None,
    }


def facet_counts(arrays: FacetArrays, matched: np.ndarray, masks: dict[str, np.ndarray], sizes: dict[str, int],
                 prefixes: dict[str, str] | None = None, selections: dict[str, list[str]] | None = None) -> dict:
    """Each requested facet counted over the matches as if its own selection were not applied;
    selected values are always listed, with their counts, however far down they rank."""
    result = {}
    for name, size in sizes.items():
        docs = matched
        for other, mask in masks.items():
            if other != name:
                docs = docs[mask[docs]]
        selected = selections.get(name) if selections else None
        result[name] = arrays.top(name, docs, size, prefix=(prefixes or {}).get(name), include=selected)
    return result


def thread_counts(arrays: FacetArrays, roots: list[dict]) -> list[dict]:
    """Thread roots' payloads with each thread's number of comments and of distinct commenters."""
    thread = arrays.columns["thread"]
    comments = np.flatnonzero(arrays.selection_mask("kind", ["comment"]))
    per_thread = np.bincount(thread.ords[comments], minlength=len(thread.values))
    pairs = np.unique(np.stack([thread.ords[comments], arrays.columns["author"].ords[comments]]), axis=1)
    pairs = pairs[:, pairs[1] >= 0]
    authors = np.bincount(pairs[0], minlength=len(thread.values)) if pairs.size else per_thread * 0
    position = {value: i for i, value in enumerate(thread.values)}
    for payload in roots:
        i = position.get(payload["thread_id"])
        payload["comments"] = int(per_thread[i]) if i is not None else 0
        payload["authors"] = int(authors[i]) if i is not None else 0
    return roots


def index_totals(arrays: FacetArrays) -> dict:
    """What an index holds: documents, threads, posts, comments, pingbacks, authors, domains, sites."""
    live = np.flatnonzero(arrays.live)
    kinds = dict(arrays.top("kind", live, 10)["values"])
    return {
        "documents": int(len(live)),
        "threads": arrays.distinct("thread", live),
        "posts": kinds.get("post", 0),
        "comments": kinds.get("comment", 0),
        "pingbacks": kinds.get("pingback", 0),
        "authors": arrays.distinct("author", live),
        "domains": arrays.distinct("domain", live),
        "sites": arrays.distinct("site", live),
    }


def most_frequent(arrays: FacetArrays, facet: str) -> str:
    """The most frequent value of a facet over the whole index."""
    values = arrays.top(facet, np.flatnonzero(arrays.live), 1)["values"]
    return values[0][0] if values else ""


def answer(arrays: FacetArrays, request, matched: np.ndarray, scores: np.ndarray | None, thread_filters: list,
           *, version: str, load_payload) -> dict:
    """The engine-neutral end of a search: every match (and its score, when ranked) in, the result out.

    Hides older copies of posts saved twice, applies thread filters (part of the query, so they
    narrow the facets too) and the facet selections (which do not: disjunctive counts), then
    pages, loads the page's payloads with ``load_payload(docnum)`` and counts the facets.
    """
    masks = {name: arrays.selection_mask(name, values) for name, values in request.selections.items() if values}
    shown = arrays.live[matched]  # older copies of posts saved twice stay hidden
    if not shown.all():
        matched = matched[shown]
        scores = scores[shown] if scores is not None else None
    if thread_filters:
        keep = np.ones(len(matched), bool)
        for op, number, negated in thread_filters:
            inside = arrays.comment_count_mask(op, number)[matched]
            keep &= ~inside if negated else inside
        matched = matched[keep]
        scores = scores[keep] if scores is not None else None
    pool = np.ones(len(matched), bool)
    for mask in masks.values():
        pool &= mask[matched]
    cursor = Cursor.decode(request.cursor, version) if request.cursor else None
    shaped = page(matched[pool], scores[pool] if scores is not None else None, arrays, sort=request.sort,
                  offset=0 if cursor else request.offset, limit=request.limit, cursor=cursor,
                  group=request.group_by_thread)
    hits = []
    for i, docnum in enumerate(shaped["docs"]):
        payload = load_payload(int(docnum))
        payload["score"] = round(float(shaped["scores"][i]), 4) if shaped["scores"] is not None else None
        if shaped["thread_hits"] is not None:
            payload["thread_hits"] = int(shaped["thread_hits"][i])
        hits.append(payload)
    return {
        "total": int(np.count_nonzero(pool)),
        "groups": shaped["groups"],
        "hits": hits,
        "next_cursor": Cursor(version, *shaped["last"]).encode() if shaped["last"] else None,
        "facets": facet_counts(arrays, matched, masks, request.facets, request.facet_prefixes, request.selections),
    }
