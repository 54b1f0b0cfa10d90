"""The fast engine: Tantivy (the ``tantivy`` Python bindings), for archives past a few hundred thousand posts.

It answers the same requests as ``WhooshEngine`` with the same result shapes and, stemming aside
(below), the same matches, counts and order:

- Documents are numbered in the order they were added (the ``seq`` field), as Whoosh numbers
  them, and the index is laid out in ``FacetArrays`` in that numbering once per index version
  (cached beside it). Cursors, grouping by thread, ``comments>N``, the empty query and every
  method but ``search`` go through the same ``FacetArrays`` and ``results`` code as Whoosh,
  over every match Tantivy lists.
- Other searches list no more than a page: Tantivy picks the page (date sorts on keys unique to
  each document, filter-only queries in order of addition, score ties at the page's edge settled
  by document number) and counts facets with terms aggregations by ``FacetArrays.top``'s rules.
  Both ways give identical results; the tests compare them.

Text is analysed in Rust by an analyzer shaped like Whoosh's ``StemmingAnalyzer``: the same
word pattern, lower case, the same stop words and minimum length, then an English stemmer. The
stemmer is Snowball's English (Porter2) where Whoosh uses the original Porter, so a few words
fall into different stem groups (Porter stems "general" and "generous" both to "gener";
Porter2 keeps them apart). Stop words leave gaps in positions, which phrases account for.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

import numpy as np
import tantivy
from tantivy import Occur, Query

from indexer.engine.base import Engine, EngineWriter, SearchRequest, epoch_seconds, payload_of
from indexer.engine.facet_arrays import DATE_ORDERED, NO_DATE, Column, FacetArrays
from indexer.engine.results import LAST, Cursor, answer, index_totals, most_frequent, thread_counts
from indexer.links import normalize_domain
from indexer.query import (
    And,
    DateRange,
    Filter,
    Fuzzy,
    HasLink,
    MatchAll,
    Not,
    Or,
    Phrase,
    Prefix,
    Term,
    split_thread_filters,
)
from indexer.settings import setting

ANALYZER = "agora_en"
# Whoosh's RegexTokenizer pattern, \w+(\.?\w+)*, and the same words of two characters or more
# (Whoosh's StopFilter drops shorter ones): a one-letter word never becomes a token, so like
# Whoosh's renumbered positions it leaves no gap in a phrase.
WORD = r"\w+(?:\.?\w+)*"
INDEXED_WORD = r"\w(?:\.?\w+)+"
# whoosh.analysis.STOP_WORDS, the stop list of Whoosh's StemmingAnalyzer
STOP_WORDS = (
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have", "if", "in", "is", "it",
    "may", "not", "of", "on", "or", "tbd", "that", "the", "this", "to", "us", "we", "when", "will", "with",
    "yet", "you", "your",
)
MIN_THREAD_HEAP = 16_000_000  # bytes of writer heap per indexing thread, at least
CHUNK = 65_536  # documents fetched per call when walking the whole index
EVERY = 2**31 - 1  # "no limit" for aggregation sizes
SEQ_BITS = 28  # date sort keys hold the epoch seconds (under 2**34) and the order of addition (under 2**28)
UNDATED_KEY = 1 << 62
TIE_FETCH = 10_000  # hits fetched at most to settle ties at a page's edge before listing every match
# Facet name → the field holding its values (display forms, as Whoosh's facet fields hold them).
FACET_FIELDS = {
    "author": "author_facet",
    "domain": "domain_facet",
    "site": "site_facet",
    "year": "year",
    "month": "month",
    "kind": "kind",
    "thread": "thread_id",
}
FILTER_FIELDS = {"author": "author", "domain": "domains", "site": "sites", "thread": "thread_id", "kind": "kind"}


def _analyzer(pattern: str, stop_words: bool) -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(pattern)).filter(tantivy.Filter.lowercase())
    if stop_words:
        builder = builder.filter(tantivy.Filter.custom_stopword(list(STOP_WORDS)))
    return builder.filter(tantivy.Filter.stemmer("english")).build()


# What the text fields index, and the same with every word kept (for snippets, like
# Whoosh's analysis with removestops=False).
TEXT_ANALYZER = _analyzer(INDEXED_WORD, stop_words=True)
ALL_WORDS = _analyzer(WORD, stop_words=False)


def make_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in ("id", "source", "author", "domains", "sites", "has"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in FACET_FIELDS.values():  # counted by terms aggregations
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    for name in ("text", "title", "thread_title"):
        builder.add_text_field(name, tokenizer_name=ANALYZER, index_option="position")
    # epoch seconds, as Whoosh's ``stamp``; absent for undated posts
    builder.add_integer_field("when", indexed=True, fast=True)
    builder.add_integer_field("snapshot", fast=True)
    # the order documents were added in, across commits: documents are numbered by it, as Whoosh numbers them
    builder.add_integer_field("seq", indexed=True, fast=True)
    # date sort keys unique to each document, so Tantivy's order is the arrays' (key, number) order
    builder.add_integer_field("oldest", fast=True)
    builder.add_integer_field("newest", fast=True)
    builder.add_bytes_field("payload", stored=True)
    return builder.build()


def tantivy_document(document: dict, seq: int = 0) -> tantivy.Document:
    """The Tantivy document of one engine-neutral document (see ``index_document``), field for
    field as ``whoosh_fields`` lays it out; ``seq`` is its place in the order of additions."""
    doc = tantivy.Document()
    doc.add_integer("seq", seq)
    when = epoch_seconds(document["datetime"]) if document["datetime"] is not None else None
    keys = date_sort_keys(when, seq)
    if keys:
        doc.add_integer("oldest", keys[0])
        doc.add_integer("newest", keys[1])
    add = doc.add_text
    add("id", document["id"])
    add("thread_id", document["thread_id"])
    add("source", document["source"])
    add("kind", document["kind"])
    add("text", document["text"] or "")
    add("thread_title", document["thread_title"] or "")
    doc.add_integer("snapshot", document.get("snapshot") or 0)
    if document["kind"] == "post" and document["thread_title"]:
        add("title", document["thread_title"])
    if document["author"]:
        add("author", document["author"].lower())
        add("author_facet", document["author"])
    if document["domains"]:
        for term in dict.fromkeys(t.strip().lower() for t in document["domain_terms"]):
            add("domains", term)
        for domain in dict.fromkeys(d.strip() for d in document["domains"]):
            add("domain_facet", domain)
        add("has", "link")
    if document["site"]:
        for term in dict.fromkeys(t.strip().lower() for t in document["site_terms"]):
            add("sites", term)
        add("site_facet", document["site"])
    if when is not None:
        doc.add_integer("when", when)
        add("year", document["year"])
        add("month", document["month"])
    doc.add_bytes("payload", json.dumps(payload_of(document), ensure_ascii=False).encode("utf-8"))
    return doc


def date_sort_keys(when: int | None, seq: int) -> tuple[int, int] | None:
    """Keys that sort documents oldest first (ascending) and newest first (descending), undated
    posts last either way and ties in the order of addition; None where the numbers do not fit."""
    if seq >= 1 << SEQ_BITS or (when is not None and abs(when) >= 1 << 34):
        return None
    if when is None:
        return UNDATED_KEY + seq, -UNDATED_KEY - seq
    return (when << SEQ_BITS) + seq, (when << SEQ_BITS) + (1 << SEQ_BITS) - 1 - seq


class TantivyWriter(EngineWriter):
    """Tantivy's writer (all cores, ``writer_memory_mb`` of heap between them), taken on the first
    addition: deletions wait until then, so that nothing starts Tantivy's threads before a
    reindex has forked its parsing workers."""

    def __init__(self, engine: TantivyEngine):
        self.engine = engine
        self.writer = None
        self.deletions: list[str] = []
        self.seq = 0

    def _writer(self):
        if self.writer is None:
            heap = setting("writer_memory_mb") * 1_000_000
            threads = max(1, min(os.cpu_count() or 1, heap // MIN_THREAD_HEAP))
            self.writer = self.engine.raw_writer(heap, threads)
            self.seq = self.engine.last_seq() + 1
            for source in self.deletions:
                self.writer.delete_documents_by_term("source", source)
            self.deletions = []
        return self.writer

    def delete_source(self, source: str) -> None:
        if self.writer is None:
            self.deletions.append(source)
        else:
            self.writer.delete_documents_by_term("source", source)

    def add(self, document: dict) -> None:
        self._writer().add_document(tantivy_document(document, self.seq))
        self.seq += 1

    def commit(self) -> None:
        if self.writer is None and not self.deletions:
            return  # nothing changed
        self._writer().commit()
        self._release()
        self.engine._reset()

    def cancel(self) -> None:
        self.deletions = []
        if self.writer is not None:
            self.writer.rollback()
            self._release()

    def _release(self) -> None:
        # let merges finish, then drop the writer, which frees the index's writer lock
        writer, self.writer = self.writer, None
        writer.wait_merging_threads()


class TantivyEngine(Engine):
    name = "tantivy"

    def __init__(self, path: Path):
        super().__init__(path)
        if not tantivy.Index.exists(str(self.path)):
            raise FileNotFoundError(f"no Tantivy index at {self.path}")
        self._index = None
        self._meta = None
        self._version = ""
        self._searcher = None
        self._arrays: FacetArrays | None = None
        self._numbering: Numbering | None = None
        self.fast = True  # False: every search goes the general way (the parity tests compare both)

    @classmethod
    def create(cls, path: Path) -> TantivyEngine:
        Path(path).mkdir(parents=True, exist_ok=True)
        tantivy.Index(make_schema(), str(path), reuse=False)
        return cls(path)

    # -- writing ----------------------------------------------------------------------------

    def writer(self) -> TantivyWriter:
        return TantivyWriter(self)

    def raw_writer(self, heap_size: int, num_threads: int):
        """Tantivy's own writer, for benchmarks that measure the engine alone."""
        return self.index.writer(heap_size=heap_size, num_threads=num_threads)

    def last_seq(self) -> int:
        """The order number of the last document added (0 in an empty index)."""
        searcher = self.searcher
        if not searcher.num_docs:
            return 0
        top = searcher.search(Query.all_query(), 1, count=False, order_by_field="seq", order=tantivy.Order.Desc)
        return int(top.hits[0][0] or 0)

    def _reset(self) -> None:
        self._meta = None
        self._searcher = None
        self._arrays = None
        self._numbering = None

    def close(self) -> None:
        self._reset()
        self._index = None

    @property
    def index(self) -> tantivy.Index:
        """The Tantivy index, opened on first use: Tantivy's threads start only then, so a reindex
        forks its parsing workers from a process that has none of them."""
        if self._index is None:
            self._index = tantivy.Index.open(str(self.path))
            self._index.register_tokenizer(ANALYZER, TEXT_ANALYZER)
            # reloaded by us when meta.json changes, so one searcher serves a whole request
            self._index.config_reader(reload_policy="Manual")
        return self._index

    @property
    def schema(self) -> tantivy.Schema:
        return self.index.schema

    # -- reading ----------------------------------------------------------------------------

    @property
    def searcher(self) -> tantivy.Searcher:
        """The searcher of the latest commit, of this process or another."""
        meta = self.path / "meta.json"
        stat = meta.stat()
        seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if self._searcher is None or seen != self._meta:
            content = meta.read_bytes()
            self.index.reload()
            self._searcher = self.index.searcher()
            self._arrays = self._numbering = None
            self._meta = seen
            self._version = hashlib.sha1(content).hexdigest()[:16]
        return self._searcher

    def _view(self) -> tuple[tantivy.Searcher, FacetArrays, Numbering]:
        """The searcher, its ``FacetArrays`` and their document numbering, all of one index version
        (built once per version and cached beside the index, as Whoosh's arrays are)."""
        searcher = self.searcher
        if self._arrays is None:
            cache = self.path / f"facets-{self._version}.npz"
            numbering = self.path / f"facets-{self._version}.numbering.npz"
            if cache.exists() and numbering.exists():
                self._arrays, self._numbering = FacetArrays.load(cache), Numbering.load(numbering)
            else:
                self._numbering = Numbering.of(searcher)
                self._arrays = build_facet_arrays(searcher, self.schema, self._numbering)
                hidden = self._numbering.addresses(np.flatnonzero(~self._arrays.live))
                self._numbering.hidden = searcher.fast_field_values("seq", hidden) if hidden else []
                for stale in self.path.glob("facets-*"):
                    stale.unlink(missing_ok=True)
                self._numbering.save(numbering)
                self._arrays.save(cache)
            self._numbering.date_keys = searcher.search(Query.exists_query("oldest"), 1).count == searcher.num_docs
        return searcher, self._arrays, self._numbering

    @property
    def arrays(self) -> FacetArrays:
        return self._view()[1]

    @property
    def version(self) -> str:
        """Changes whenever the index does (merges too): cursors carry it so a stale one is refused."""
        _ = self.searcher
        return self._version

    def compile(self, node) -> Query:
        return compile_query(node, self.searcher, self.schema)

    def search(self, request: SearchRequest) -> dict:
        searcher, arrays, numbering = self._view()
        text_query, thread_filters = split_thread_filters(request.query)
        if self.fast and not (request.cursor or request.group_by_thread or thread_filters
                              or isinstance(text_query, MatchAll)):
            found = self._search_top(request, text_query)
            if found is not None:
                return found
        scores = None
        if isinstance(text_query, MatchAll):
            matched = np.flatnonzero(arrays.live)
        else:
            compiled = compile_query(text_query, searcher, self.schema)
            matched, scores = numbering.matches(searcher, compiled,
                                                scored=request.sort == "relevance" or request.group_by_thread)
        return answer(arrays, request, matched, scores, thread_filters, version=self._version,
                      load_payload=lambda docnum: json.loads(
                          searcher.doc(numbering.address(docnum)).get_first("payload")))

    def _search_top(self, request: SearchRequest, text_query) -> dict | None:
        """``search`` without listing every match: Tantivy picks the page and counts the facets.

        It gives what the general path gives: the same page in the same order (ties settled by
        document number, as ``results.page`` does), the same cursor and the same facet counts
        (``FacetArrays.top``'s rules, over terms aggregations). None when the ties at the page's
        edge are too many to settle this way."""
        searcher, arrays, numbering = self._view()
        compiled = compile_query(text_query, searcher, self.schema)
        chosen = {}
        for name, values in request.selections.items():
            if values:
                column = arrays.columns[name]
                picked = [v for v, keep in zip(column.values, column.value_mask(values, name), strict=True) if keep]
                chosen[name] = Query.term_set_query(self.schema, FACET_FIELDS[name], picked) if picked else \
                    Query.empty_query()
        hidden = Query.term_set_query(self.schema, "seq", numbering.hidden) if numbering.hidden else None

        def matching(filters) -> Query:
            clauses = [(Occur.Must, compiled)] + [(Occur.Must, Query.const_score_query(f, 0.0)) for f in filters]
            if hidden is not None:
                clauses.append((Occur.MustNot, hidden))  # older copies of posts saved twice stay hidden
            return Query.boolean_query(clauses) if len(clauses) > 1 else compiled

        top = self._top(searcher, numbering, matching(chosen.values()), request, constant_score(text_query))
        if top is None:
            return None
        total, entries = top
        hits = []
        for _key, _docnum, score, address in entries[request.offset:]:
            payload = json.loads(searcher.doc(address).get_first("payload"))
            payload["score"] = round(score, 4) if request.sort == "relevance" else None
            hits.append(payload)
        last = entries[-1] if len(entries) > request.offset else None
        more = last is not None and total > len(entries)
        # each facet counts the matches as if its own selection were not applied
        groups: dict[tuple, dict[str, int]] = {}
        for name, size in request.facets.items():
            groups.setdefault(tuple(other for other in chosen if other != name), {})[name] = size
        facets = {}
        for others, wanted in groups.items():
            facets.update(self._facets(searcher, arrays, matching([chosen[o] for o in others]), wanted,
                                       request.facet_prefixes, request.selections))
        return {
            "total": total,
            "groups": None,
            "hits": hits,
            "next_cursor": Cursor(self._version, last[0], last[1]).encode() if more else None,
            "facets": {name: facets[name] for name in request.facets},
        }

    def _top(self, searcher, numbering: Numbering, q: Query, request: SearchRequest,
             constant: float | None) -> tuple[int, list[tuple]] | None:
        """The total, and (key, document number, score, address) of the first offset + limit matches in
        (key, document number) order, keys as ``results.sort_keys`` makes them; None past ``TIE_FETCH``."""
        want = request.offset + request.limit
        if request.sort != "relevance" and numbering.date_keys:
            # unique keys: Tantivy's order is the arrays' order
            found = searcher.search(q, max(want, 1), count=True, order_by_field=request.sort,
                                    order=tantivy.Order.Desc if request.sort == "newest" else tantivy.Order.Asc)
            addresses = [address for _, address in found.hits][:want]
            dates = searcher.fast_field_values("when", addresses) if addresses else []
            keys = [_sort_key(date, request.sort) for date in dates]
            return int(found.count), list(zip(keys, numbering.of_addresses(addresses).tolist(), [0.0] * len(keys),
                                              addresses, strict=True))
        if request.sort == "relevance" and constant is not None:
            # every match scores the same, so the order is the order of addition
            found = searcher.search(q, max(want, 1), count=True, order_by_field="seq", order=tantivy.Order.Asc)
            addresses = [address for _, address in found.hits][:want]
            return int(found.count), [(-constant, int(d), constant, a) for d, a in
                                      zip(numbering.of_addresses(addresses).tolist(), addresses, strict=True)]
        options = {}
        if request.sort != "relevance":
            options = {"order_by_field": "when",
                       "order": tantivy.Order.Desc if request.sort == "newest" else tantivy.Order.Asc}
        fetch = want + 1
        while True:
            found = searcher.search(q, max(fetch, 1), count=True, **options)
            keys = [_sort_key(value, request.sort) for value, _ in found.hits]
            # Tantivy breaks ties its own way: fetch on until the ties at the page's edge are all in
            if len(keys) < fetch or want == 0 or keys[want - 1] != keys[want]:
                break
            if fetch >= TIE_FETCH:
                return None
            fetch = min(fetch * 4, TIE_FETCH)
        addresses = [address for _, address in found.hits]
        docnums = numbering.of_addresses(addresses)
        order = np.lexsort((docnums, np.array(keys, dtype=np.float64)))[:want]
        entries = [(keys[i], int(docnums[i]), float(found.hits[i][0] or 0.0), addresses[i]) for i in order]
        return int(found.count), entries

    def _facets(self, searcher, arrays: FacetArrays, matching: Query, wanted: dict[str, int],
                prefixes: dict[str, str], selections: dict[str, list[str]]) -> dict[str, dict]:
        """``{name: {"values": [(value, count)], "truncated"}}`` as ``FacetArrays.top`` gives them,
        selected values listed after the top ones whatever their counts."""
        spec = {}
        for name, size in wanted.items():
            terms = {"field": FACET_FIELDS[name], "size": size, "segment_size": EVERY}  # exact counts
            if prefixes.get(name):
                terms["size"] = EVERY
            elif name in DATE_ORDERED:
                terms["order"] = {"_key": "desc"}
            spec[name] = {"terms": terms}
        found = searcher.aggregate(matching, spec)
        facets, ties = {}, {}
        for name, size in wanted.items():
            buckets = [(b["key"], int(b["doc_count"])) for b in found[name]["buckets"]]
            truncated = found[name]["sum_other_doc_count"] > 0
            if prefixes.get(name):
                column = arrays.columns[name]
                allowed = {v for v, keep in zip(column.values, arrays.prefix_mask(name, prefixes[name]),
                                                strict=True) if keep}
                facets[name] = _top_of(name, [b for b in buckets if b[0] in allowed], size)
            elif name in DATE_ORDERED:
                facets[name] = {"values": buckets[::-1], "truncated": truncated}
            elif truncated and buckets:
                ties[name] = buckets[-1][1]  # values left out may count as much as the last one shown
            else:
                facets[name] = _top_of(name, buckets, size)
        if ties:
            spec = {name: {"terms": {"field": FACET_FIELDS[name], "size": EVERY, "segment_size": EVERY,
                                     "min_doc_count": least}} for name, least in ties.items()}
            found = searcher.aggregate(matching, spec)
            for name in ties:
                buckets = [(b["key"], int(b["doc_count"])) for b in found[name]["buckets"]]
                facets[name] = {**_top_of(name, buckets, wanted[name]), "truncated": True}
        for name, include in selections.items():
            if name not in facets or not include:
                continue
            listed = {value for value, _ in facets[name]["values"]}
            column = arrays.columns[name]
            allowed = arrays.prefix_mask(name, prefixes[name]) if prefixes.get(name) else None
            extra = []
            for i in np.flatnonzero(column.value_mask(include, name)):
                value = column.values[i]
                if value in listed:
                    continue
                count = 0
                if allowed is None or allowed[i]:
                    term = Query.term_query(self.schema, FACET_FIELDS[name], value)
                    count = searcher.search(Query.boolean_query([(Occur.Must, matching), (Occur.Must, term)]), 1,
                                            count=True).count
                extra.append((value, int(count)))
            extra.sort(key=lambda b: (-b[1], b[0].casefold(), b[0]))
            facets[name] = {**facets[name], "values": facets[name]["values"] + extra}
        return facets

    def _payloads(self, q: Query, *, shown_only: bool = True) -> list[dict]:
        searcher, arrays, numbering = self._view()
        docs, _ = numbering.matches(searcher, q, scored=False)
        return [json.loads(searcher.doc(numbering.address(d)).get_first("payload")) for d in docs
                if not shown_only or arrays.live[d]]

    def source_payloads(self, source: str) -> list[dict]:
        return self._payloads(Query.term_query(self.schema, "source", source), shown_only=False)

    def thread_posts(self, thread_id: str) -> list[dict]:
        posts = self._payloads(Query.term_query(self.schema, "thread_id", thread_id))
        # a thread saved in several files (pages, snapshots) reads file by file, root first
        return sorted(posts, key=lambda p: (p["kind"] != "post", p["source"], p["position"]))

    def threads(self, site: str | None = None) -> list[dict]:
        roots = Query.term_query(self.schema, "kind", "post")
        if site:
            site_term = Query.term_query(self.schema, "sites", normalize_domain(site) or site.lower())
            roots = Query.boolean_query([(Occur.Must, roots), (Occur.Must, site_term)])
        return thread_counts(self.arrays, self._payloads(roots))

    def stats(self) -> dict:
        return index_totals(self.arrays)

    def search_top(self, facet: str) -> str:
        """The most frequent value of a facet over the whole index."""
        return most_frequent(self.arrays, facet)

    def analyze(self, text: str):
        return analyze(text)

    def normalize_term(self, word: str) -> str:
        return stem(word)

    def normalize_prefix(self, word: str) -> str:
        return prefix_stem(word)

    def vocabulary_suggestions(self, word: str, limit: int = 3) -> list[str]:
        """Indexed words within two edits of the word's stem, sharing its first letter, most frequent first.

        As Whoosh's corrector, except that frequency here is how many documents hold a word
        (Tantivy does not tell how often it occurs in all).
        """
        wanted = stem(word)
        if not wanted or limit <= 0:
            return []
        found = [(count, term) for term, count in self._live_terms("text", prefix=wanted[:1])
                 if term != wanted and within_edits(term, wanted, 2)]
        # Whoosh keeps the `limit` best by (frequency, word), then lists them by frequency, then word
        kept = sorted(found, reverse=True)[:limit]
        return [term for _, term in sorted(kept, key=lambda item: (-item[0], item[1]))]

    def doc_frequency(self, word: str) -> int:
        """How many posts hold the word (0 for a word the index never saw, -1 for a stop word)."""
        terms = TEXT_ANALYZER.analyze(word)
        return self.searcher.doc_freq("text", terms[0]) if terms else -1

    def _live_terms(self, field: str, prefix: str = "") -> list[tuple[str, int]]:
        """(term, documents) for each term of ``field`` starting with ``prefix`` that a live document holds
        (terms of deleted documents stay in the dictionary until segments merge)."""
        return self.searcher.terms_with_prefix(field, prefix, filter_query=Query.all_query())


def _sort_key(value, sort: str) -> float:
    """A hit's key as ``results.sort_keys`` makes it from its score or date: smaller comes first."""
    if sort == "relevance":
        return -float(value)
    if value is None:
        return LAST
    return -float(value) if sort == "newest" else float(value)


def _top_of(name: str, buckets: list[tuple[str, int]], size: int) -> dict:
    """``FacetArrays.top`` over (value, count) buckets holding every counted value that may be shown."""
    buckets = [b for b in buckets if b[1] > 0]
    if name in DATE_ORDERED:
        values = sorted(buckets)[-size:] if size else []
    else:
        # most frequent first, ties by case-folded value, then by value (the column's order)
        values = sorted(buckets, key=lambda b: (-b[1], b[0].casefold(), b[0]))[:size]
    return {"values": values, "truncated": len(buckets) > size}


def _pairs(addresses) -> np.ndarray:
    """(segment, document in segment) of each Tantivy document address."""
    return np.fromiter((n for a in addresses for n in (a.segment_ord, a.doc)), np.int64).reshape(-1, 2)


class Numbering:
    """Document numbers for one index version: live documents counted 0, 1, 2… in the order they
    were added (as Whoosh numbers its documents), whatever segments Tantivy's threads and merges
    put them in. ``FacetArrays`` and cursors use these numbers."""

    def __init__(self, starts: np.ndarray, docnums: np.ndarray, hidden: list[int] | None = None):
        self.starts = starts  # where each segment starts among all (segment, document) slots
        self.docnums = docnums  # per slot, its document number (-1 for a deleted document)
        self.hidden = hidden or []  # ``seq`` of the older copies of posts saved twice
        self.date_keys = False  # whether every document has unique date sort keys
        self.slots = np.full(int(docnums.max()) + 1 if len(docnums) else 0, -1, np.int64)
        numbered = docnums >= 0
        self.slots[docnums[numbered]] = np.flatnonzero(numbered)

    @property
    def size(self) -> int:
        return len(self.slots)

    @classmethod
    def of(cls, searcher: tantivy.Searcher) -> Numbering:
        pairs, seqs, done = [], [], 0
        while done < searcher.num_docs:
            chunk = [a for _, a in searcher.search(Query.all_query(), CHUNK, count=False, offset=done).hits]
            if not chunk:
                break
            done += len(chunk)
            pairs.append(_pairs(chunk))
            seqs.append(np.asarray(searcher.fast_field_values("seq", chunk), dtype=np.int64))
        pairs = np.concatenate(pairs) if pairs else np.zeros((0, 2), np.int64)
        seqs = np.concatenate(seqs) if seqs else np.zeros(0, np.int64)
        sizes = np.zeros(searcher.num_segments, np.int64)
        np.maximum.at(sizes, pairs[:, 0], pairs[:, 1] + 1)  # deleted documents past a segment's last live one never match
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        slots = starts[pairs[:, 0]] + pairs[:, 1]
        docnums = np.full(int(sizes.sum()), -1, np.int64)
        docnums[slots[np.lexsort((slots, seqs))]] = np.arange(len(slots))
        return cls(starts, docnums)

    def of_addresses(self, addresses) -> np.ndarray:
        pairs = _pairs(addresses)
        return self.docnums[self.starts[pairs[:, 0]] + pairs[:, 1]]

    def address(self, docnum) -> tantivy.DocAddress:
        return self.addresses(np.array([docnum]))[0]

    def addresses(self, docnums: np.ndarray) -> list[tantivy.DocAddress]:
        slots = self.slots[docnums]
        segments = np.searchsorted(self.starts, slots, side="right") - 1
        return [tantivy.DocAddress(s, d) for s, d in zip(segments.tolist(), (slots - self.starts[segments]).tolist(), strict=True)]

    def matches(self, searcher: tantivy.Searcher, q: Query, *, scored: bool,
                limit: int | None = None) -> tuple[np.ndarray, np.ndarray | None]:
        """Every match of ``q`` by document number, in order, with scores when ``scored``."""
        found = searcher.search(q, max(limit or searcher.num_docs, 1), count=False).hits
        docs = self.of_addresses(address for _, address in found)
        order = np.argsort(docs, kind="stable")
        scores = np.fromiter((score for score, _ in found), np.float64, len(found))[order] if scored else None
        return docs[order], scores

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as handle:
            np.savez(handle, starts=self.starts, docnums=self.docnums, hidden=np.array(self.hidden, dtype=np.int64))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Numbering:
        with np.load(path, allow_pickle=False) as data:
            return cls(data["starts"], data["docnums"], data["hidden"].tolist())


def build_facet_arrays(searcher: tantivy.Searcher, schema: tantivy.Schema, numbering: Numbering) -> FacetArrays:
    """Walk each facet field's postings once and lay the values out per document number."""
    size = numbering.size
    live = np.ones(size, bool)
    dates = np.full(size, NO_DATE, dtype=np.int64)
    snapshots = np.zeros(size, dtype=np.int64)
    for start in range(0, size, CHUNK):
        chunk = numbering.addresses(np.arange(start, min(size, start + CHUNK)))
        when = searcher.fast_field_values("when", chunk)
        dates[start:start + len(chunk)] = [NO_DATE if v is None else v for v in when]
        snapshots[start:start + len(chunk)] = [v or 0 for v in searcher.fast_field_values("snapshot", chunk)]

    def postings(field: str, term: str, count: int) -> np.ndarray:
        return numbering.matches(searcher, Query.term_query(schema, field, term), scored=False, limit=count)[0]

    columns = {}
    for name, field in FACET_FIELDS.items():
        values, docs_per_value = [], []
        for term, count in sorted(searcher.terms_with_prefix(field, "")):
            ids = postings(field, term, count)
            if ids.size:
                values.append(term)
                docs_per_value.append(ids)
        lengths = np.array([len(d) for d in docs_per_value], dtype=np.int64)
        pair_docs = np.concatenate(docs_per_value) if docs_per_value else np.zeros(0, np.int64)
        pair_ords = np.repeat(np.arange(len(values), dtype=np.int32), lengths)
        if name == "domain":
            columns[name] = Column(values, pair_docs=pair_docs.astype(np.int32), pair_ords=pair_ords)
        else:
            ords = np.full(size, -1, dtype=np.int32)
            ords[pair_docs] = pair_ords
            columns[name] = Column(values, ords=ords)
    # a post saved in two files (two snapshots of one thread) is shown once: the newer copy
    for term, count in searcher.terms_with_prefix("id", "", filter_query=Query.all_query()):
        if count < 2:
            continue
        copies = postings("id", term, count)
        newest = copies[np.lexsort((copies, snapshots[copies]))[-1]]
        live[copies[copies != newest]] = False
    return FacetArrays(size, columns, dates, live)


def compile_query(node, searcher: tantivy.Searcher, schema: tantivy.Schema) -> Query:
    """The Tantivy query for a parsed query tree, clause for clause as ``whoosh_engine.compile_query``."""
    if isinstance(node, MatchAll):
        return Query.all_query()
    if isinstance(node, Term):
        return _text_query(schema, node.text)
    if isinstance(node, Phrase):
        return _text_query(schema, " ".join(node.words))
    if isinstance(node, Prefix):
        pattern = _regex_escape(prefix_stem(node.text)) + ".*"
        return _either(schema, lambda field: Query.regex_query(schema, field, pattern))
    if isinstance(node, Fuzzy):
        words = TEXT_ANALYZER.analyze(node.text) or [node.text]
        return _either(schema, lambda field: _fuzzy(searcher, schema, field, words[0]))
    if isinstance(node, Filter):
        return Query.const_score_query(_filter_query(schema, node), 0.0)
    if isinstance(node, DateRange):
        return Query.const_score_query(_date_query(schema, node), 0.0)
    if isinstance(node, HasLink):
        return Query.const_score_query(Query.term_query(schema, "has", "link"), 0.0)
    if isinstance(node, Not):
        return _all_but([compile_query(node.child, searcher, schema)])
    if isinstance(node, And):
        positives = [compile_query(c, searcher, schema) for c in node.children if not isinstance(c, Not)]
        negatives = [compile_query(c.child, searcher, schema) for c in node.children if isinstance(c, Not)]
        if not positives:
            return _all_but(negatives)
        clauses = [(Occur.Must, q) for q in positives] + [(Occur.MustNot, q) for q in negatives]
        return Query.boolean_query(clauses)
    if isinstance(node, Or):
        return Query.boolean_query([(Occur.Should, compile_query(c, searcher, schema)) for c in node.children])
    raise TypeError(f"cannot compile {node!r}")


def constant_score(node) -> float | None:
    """The score every match of the compiled ``node`` gets, when they all get the same one.

    Filters score 0 and a bare exclusion 1 (see ``_all_but``); Tantivy adds the scores of the
    clauses a document matches, so an OR is constant only when its clauses all score 0."""
    if isinstance(node, (Filter, DateRange, HasLink)):
        return 0.0
    if isinstance(node, Not):
        return 1.0
    if isinstance(node, And):
        positives = [constant_score(c) for c in node.children if not isinstance(c, Not)]
        if not positives:
            return 1.0
        return None if None in positives else float(sum(positives))
    if isinstance(node, Or):
        return 0.0 if all(constant_score(c) == 0.0 for c in node.children) else None
    return None


def _all_but(excluded: list[Query]) -> Query:
    """Every document except those matching any of ``excluded``, each scoring 1."""
    # a bare AllQuery would lose its score when AND-ed with a filter (Tantivy drops it from the intersection)
    every = Query.const_score_query(Query.all_query(), 1.0)
    return Query.boolean_query([(Occur.Must, every)] + [(Occur.MustNot, q) for q in excluded])


def _either(schema, make) -> Query:
    """The post text or, boosted twice as Whoosh's field boost does, the root post's title."""
    return Query.boolean_query([(Occur.Should, make("text")),
                                (Occur.Should, Query.boost_query(make("title"), 2.0))])


def _words(text: str) -> list[tuple[int, str]]:
    """(position from the first word, term) for each indexed word of ``text``."""
    tokens = TEXT_ANALYZER.pre_tokenize(text).tokens
    return [(t.position - tokens[0].position, t.text) for t in tokens]


def _phrase_or_term(schema, field: str, words: list[tuple[int, str]]) -> Query:
    if len(words) == 1:
        return Query.term_query(schema, field, words[0][1])
    # stop words keep their places in the index, so the phrase keeps their gaps
    return Query.phrase_query(schema, field, words)


def _text_query(schema, text: str) -> Query:
    words = _words(text)
    if not words:
        return Query.empty_query()  # only stop words: Whoosh's NullQuery, which matches nothing
    return _either(schema, lambda field: _phrase_or_term(schema, field, words))


def _fuzzy(searcher, schema, field: str, word: str) -> Query:
    """Whoosh's FuzzyTerm(maxdist=2, prefixlength=1): the field's words that share the first letter
    and are within two edits. (Tantivy's fuzzy query cannot keep the first letter, and a document
    matching it and a first-letter regex may do so through two different words.)"""
    near = [term for term, _ in searcher.terms_with_prefix(field, word[:1])
            if within_edits(term, word, 2)] if word else []
    if not near:
        return Query.empty_query()
    return Query.boolean_query([(Occur.Should, Query.term_query(schema, field, term)) for term in near])


def _filter_query(schema, node: Filter) -> Query:
    if node.field == "title":
        words = _words(node.value)
        return _phrase_or_term(schema, "thread_title", words) if words else Query.empty_query()
    value = node.value.strip()
    if node.field == "author":
        return Query.term_query(schema, "author", " ".join(value.split()).lower())
    if node.field in ("domain", "site"):
        return Query.term_query(schema, FILTER_FIELDS[node.field], normalize_domain(value) or value.lower())
    return Query.term_query(schema, FILTER_FIELDS[node.field], value.lower() if node.field == "kind" else value)


def _date_query(schema, node: DateRange) -> Query:
    """From ``start`` (inclusive) to ``end`` (exclusive), in epoch seconds as Whoosh's ``stamp``."""
    if node.start is None and node.end is None:
        return Query.exists_query("when")
    return Query.range_query(
        schema, "when", tantivy.FieldType.Integer,
        lower_bound=_stamp(node.start), upper_bound=_stamp(node.end),
        include_lower=True, include_upper=node.end is None,
    )


def _stamp(value: datetime | None) -> int | None:
    return epoch_seconds(value) if value is not None else None


def _regex_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\.+*?()|[]{}^$#&-~" else c for c in text)


def analyze(text: str):
    """(term, start, end) for each word as the text fields index it, stop words included."""
    for token in ALL_WORDS.pre_tokenize(text).tokens:
        yield token.text, token.char_offset_from, token.char_offset_to


def stem(word: str) -> str:
    terms = ALL_WORDS.analyze(word)
    return terms[0] if terms else word.lower()


def prefix_stem(word: str) -> str:
    """A prefix that still matches stemmed terms: ``billionaire*`` searches ``billionair``."""
    word = word.lower()
    stemmed = stem(word)
    common = 0
    while common < min(len(word), len(stemmed)) and word[common] == stemmed[common]:
        common += 1
    return word[:max(common, 2)]


def within_edits(a: str, b: str, limit: int) -> bool:
    """Whether ``a`` becomes ``b`` in at most ``limit`` insertions, deletions or substitutions
    (Levenshtein distance, as Whoosh's automaton counts it: no transpositions)."""
    if abs(len(a) - len(b)) > limit:
        return False
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if not a or not b:
        return max(len(a), len(b)) <= limit
    if limit == 0:
        return False
    return (within_edits(a[1:], b[1:], limit - 1) or within_edits(a[1:], b, limit - 1)
            or within_edits(a, b[1:], limit - 1))
