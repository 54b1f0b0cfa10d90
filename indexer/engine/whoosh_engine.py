"""The embedded default engine: Whoosh (the maintained ``whoosh3`` distribution).

Facet counts, selections and date sorting do not go through Whoosh's ``groupedby``
(about 5x a plain query) but through NumPy arrays aligned with Whoosh's document numbers
(``FacetArrays``), built once per index version and cached on disk.
"""

from __future__ import annotations

import json
from array import array
from datetime import datetime
from pathlib import Path

import numpy as np
from whoosh import analysis, index, query
from whoosh.collectors import ScoredCollector
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.engine.base import Engine, EngineWriter, SearchRequest, epoch_seconds, payload_of
from indexer.engine.facet_arrays import NO_DATE, Column, FacetArrays
from indexer.engine.results import answer, index_totals, most_frequent, thread_counts
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

UNDATED = -(2**62)  # the date column's value for posts without a date
TEXT_ANALYZER = analysis.StemmingAnalyzer()
EXACT_LOWER = analysis.IDTokenizer() | analysis.LowercaseFilter()
# Facet field in the index → the name the search core uses.
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


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        thread_id=ID(stored=True),
        source=ID(stored=True),
        kind=ID(stored=True),
        author=ID(analyzer=EXACT_LOWER),
        author_facet=ID(),
        domains=KEYWORD(lowercase=True, commas=True),
        domain_facet=KEYWORD(commas=True),
        sites=KEYWORD(lowercase=True, commas=True),
        site_facet=ID(),
        year=ID(),
        month=ID(),
        stamp=NUMERIC(bits=64, signed=True, sortable=True, default=UNDATED),
        snapshot=NUMERIC(bits=64, signed=True, sortable=True, default=0),
        has=KEYWORD(),
        text=TEXT(analyzer=TEXT_ANALYZER, phrase=True),
        title=TEXT(analyzer=TEXT_ANALYZER, phrase=True, field_boost=2.0),
        thread_title=TEXT(analyzer=TEXT_ANALYZER, phrase=True),
        payload=STORED(),
    )


def whoosh_fields(document: dict) -> dict:
    """The Whoosh field values of one engine-neutral document (see ``index_document``)."""
    fields = {
        "id": document["id"],
        "thread_id": document["thread_id"],
        "source": document["source"],
        "kind": document["kind"],
        "text": document["text"] or "",
        "thread_title": document["thread_title"] or "",
        "snapshot": document.get("snapshot") or 0,
        "payload": json.dumps(payload_of(document), ensure_ascii=False),
    }
    if document["kind"] == "post" and document["thread_title"]:
        fields["title"] = document["thread_title"]
    if document["author"]:
        fields["author"] = document["author"]
        fields["author_facet"] = document["author"]
    has = []
    if document["domains"]:
        fields["domains"] = ",".join(document["domain_terms"])
        fields["domain_facet"] = ",".join(document["domains"])
        has.append("link")
    if document["kind"] == "post" and document["position"] < 0:
        has.append("madeuproot")
    if has:
        fields["has"] = " ".join(has)
    if document["site"]:
        fields["sites"] = ",".join(document["site_terms"])
        fields["site_facet"] = document["site"]
    if document["datetime"] is not None:
        fields["stamp"] = epoch_seconds(document["datetime"])
        fields["year"] = document["year"]
        fields["month"] = document["month"]
    return fields


class MatchRecorder(ScoredCollector):
    """Scores every match, with no block skipping, and records each one's document number and
    score: totals, facets, sorting, grouping and deep pages all come from these arrays."""

    def __init__(self):
        super().__init__(replace=0)
        self.docnums = array("q")
        self.scores = array("d")

    def _use_block_quality(self):
        return False

    def _collect(self, global_docnum, score):
        self.docnums.append(global_docnum)
        self.scores.append(score)
        return 0 - score


class WhooshWriter(EngineWriter):
    def __init__(self, engine: WhooshEngine):
        self.engine = engine
        self.writer = engine.raw_writer()

    def delete_source(self, source: str) -> None:
        self.writer.delete_by_term("source", source)

    def add(self, document: dict) -> None:
        self.writer.add_document(**whoosh_fields(document))

    def commit(self) -> None:
        self.writer.commit()
        self.engine._reset()

    def cancel(self) -> None:
        self.writer.cancel()


class WhooshEngine(Engine):
    name = "whoosh"

    def __init__(self, path: Path):
        super().__init__(path)
        self._index = index.open_dir(str(self.path))
        self._searcher = None
        self._arrays: FacetArrays | None = None

    @classmethod
    def create(cls, path: Path) -> WhooshEngine:
        Path(path).mkdir(parents=True, exist_ok=True)
        index.create_in(str(path), make_schema())
        return cls(path)

    # -- writing ----------------------------------------------------------------------------

    def writer(self) -> WhooshWriter:
        return WhooshWriter(self)

    def raw_writer(self):
        """Whoosh's own writer with our settings, for benchmarks that measure the engine alone."""
        return self._index.writer(limitmb=setting("writer_memory_mb"), procs=1)

    def _reset(self):
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        self._arrays = None

    def close(self) -> None:
        self._reset()
        self._index.close()

    # -- reading ----------------------------------------------------------------------------

    @property
    def searcher(self):
        if self._searcher is None:
            self._searcher = self._index.searcher()
        elif not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
            self._arrays = None
        return self._searcher

    @property
    def arrays(self) -> FacetArrays:
        if self._arrays is None:
            searcher = self.searcher
            cache = self.path / f"facets-{self._index.latest_generation()}-{searcher.doc_count_all()}.npz"
            if cache.exists():
                self._arrays = FacetArrays.load(cache)
            else:
                self._arrays = build_facet_arrays(searcher.reader())
                for stale in self.path.glob("facets-*.np*"):
                    stale.unlink(missing_ok=True)
                self._arrays.save(cache)
        return self._arrays

    def compile(self, node) -> query.Query:
        return compile_query(node, self.searcher)

    @property
    def version(self) -> str:
        """Changes whenever the index does: cursors carry it so a stale one is refused."""
        return f"{self._index.latest_generation()}.{self.searcher.doc_count_all()}"

    def search(self, request: SearchRequest) -> dict:
        searcher = self.searcher
        arrays = self.arrays
        text_query, thread_filters = split_thread_filters(request.query)
        compiled = self.compile(text_query)
        scores = None
        if isinstance(compiled, query.Every):
            matched = np.flatnonzero(arrays.live)
        elif request.sort == "relevance" or request.group_by_thread:
            recorder = MatchRecorder()
            searcher.search_with_collector(compiled, recorder)
            matched = np.frombuffer(recorder.docnums, dtype=np.int64)
            scores = np.frombuffer(recorder.scores, dtype=np.float64)
        else:
            matched = np.fromiter(searcher.docs_for_query(compiled), dtype=np.int64)
        return answer(arrays, request, matched, scores, thread_filters, version=self.version,
                      load_payload=lambda docnum: json.loads(searcher.stored_fields(docnum)["payload"]))

    def _payloads(self, q: query.Query, *, shown_only: bool = True) -> list[dict]:
        searcher = self.searcher
        live = self.arrays.live if shown_only else None
        return [json.loads(searcher.stored_fields(d)["payload"]) for d in searcher.docs_for_query(q)
                if live is None or live[d]]

    def source_payloads(self, source: str) -> list[dict]:
        return self._payloads(query.Term("source", source), shown_only=False)

    def thread_posts(self, thread_id: str) -> list[dict]:
        posts = self._payloads(query.Term("thread_id", thread_id))
        # a thread saved in several files (pages, snapshots) reads file by file, root first
        return sorted(posts, key=lambda p: (p["kind"] != "post", p["source"], p["position"]))

    def threads(self, site: str | None = None) -> list[dict]:
        roots = query.Term("kind", "post")
        if site:
            roots = query.And([roots, query.Term("sites", normalize_domain(site) or site.lower())])
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
        corrector = self.searcher.corrector("text")
        # the index holds stems, so a misspelling is compared as a stem too
        return corrector.suggest(stem(word), limit=limit, maxdist=2, prefix=1)

    def doc_frequency(self, word: str) -> int:
        """How many posts hold the word (0 for a stop word or a word the index never saw)."""
        terms = list(TEXT_ANALYZER(word))
        return self.searcher.doc_frequency("text", terms[0].text) if terms else -1


def build_facet_arrays(reader) -> FacetArrays:
    """Walk each facet field's postings once and lay the values out per document number."""
    size = reader.doc_count_all()
    columns = {}
    for name, fieldname in FACET_FIELDS.items():
        values, docs_per_value = [], []
        for term in reader.field_terms(fieldname):
            ids = np.fromiter(reader.postings(fieldname, term).all_ids(), dtype=np.int64)
            if ids.size:
                values.append(term.decode("utf-8") if isinstance(term, bytes) else str(term))
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
    live = np.zeros(size, bool)
    live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
    dates = _column(reader, "stamp", size, UNDATED)
    dates[dates == UNDATED] = NO_DATE
    _hide_older_copies(reader, live, _column(reader, "snapshot", size, 0))
    _hide_made_up_roots(reader, live, columns)
    return FacetArrays(size, columns, dates, live)


def _column(reader, name: str, size: int, missing: int) -> np.ndarray:
    values = np.full(size, missing, dtype=np.int64)
    for leaf, offset in reader.leaf_readers():
        # a segment in which no document had the field has no column for it at all
        if leaf.has_column(name) and leaf.doc_count_all():
            count = leaf.doc_count_all()
            values[offset:offset + count] = np.fromiter(leaf.column_reader(name), dtype=np.int64, count=count)
    return values


def _hide_older_copies(reader, live: np.ndarray, snapshots: np.ndarray) -> None:
    """A post saved in two files (two snapshots of one thread) is shown once: the newer copy."""
    for term, info in reader.iter_field("id"):
        if info.doc_frequency() < 2:
            continue
        copies = np.fromiter(reader.postings("id", term).all_ids(), dtype=np.int64)
        if len(copies) < 2:
            continue
        newest = copies[np.lexsort((copies, snapshots[copies]))[-1]]
        live[copies[copies != newest]] = False


def _hide_made_up_roots(reader, live: np.ndarray, columns: dict) -> None:
    """A root made for a comments-only file is hidden where another file of the thread has the real one."""
    made_up = np.fromiter(reader.postings("has", "madeuproot").all_ids(), dtype=np.int64) \
        if reader.doc_frequency("has", "madeuproot") else np.zeros(0, np.int64)
    if not len(made_up):
        return
    thread = columns["thread"].ords
    kind = columns["kind"]
    post_ord = kind.values.index("post")
    real_roots = live & (kind.ords == post_ord)
    real_roots[made_up] = False
    threads_with_real_root = np.zeros(len(columns["thread"].values) + 1, bool)
    threads_with_real_root[thread[real_roots]] = True
    live[made_up[threads_with_real_root[thread[made_up]]]] = False


def compile_query(node, searcher) -> query.Query:
    """The Whoosh query for a parsed query tree."""
    if isinstance(node, MatchAll):
        return query.Every()
    if isinstance(node, Term):
        return _text_query(node.text, phrase=False)
    if isinstance(node, Phrase):
        return _text_query(" ".join(node.words), phrase=True)
    if isinstance(node, Prefix):
        text = prefix_stem(node.text)
        return query.Or([query.Prefix("text", text), query.Prefix("title", text)])
    if isinstance(node, Fuzzy):
        stem = [t.text for t in TEXT_ANALYZER(node.text)] or [node.text]
        return query.Or([query.FuzzyTerm("text", stem[0], maxdist=2, prefixlength=1),
                         query.FuzzyTerm("title", stem[0], maxdist=2, prefixlength=1)])
    if isinstance(node, Filter):
        return query.ConstantScoreQuery(_filter_query(node), 0.0)
    if isinstance(node, DateRange):
        return query.ConstantScoreQuery(query.NumericRange("stamp", _stamp(node.start), _stamp(node.end),
                                                           endexcl=True), 0.0)
    if isinstance(node, HasLink):
        return query.ConstantScoreQuery(query.Term("has", "link"), 0.0)
    if isinstance(node, Not):
        return query.Not(compile_query(node.child, searcher))
    if isinstance(node, And):
        positives = [c for c in node.children if not isinstance(c, Not)]
        negatives = [c.child for c in node.children if isinstance(c, Not)]
        base = query.And([compile_query(c, searcher) for c in positives]) if positives else query.Every()
        if negatives:
            return query.AndNot(base, query.Or([compile_query(c, searcher) for c in negatives]))
        return base
    if isinstance(node, Or):
        return query.Or([compile_query(c, searcher) for c in node.children])
    raise TypeError(f"cannot compile {node!r}")


def _stamp(value: datetime | None) -> int | None:
    return epoch_seconds(value) if value is not None else None


def _text_query(text: str, *, phrase: bool) -> query.Query:
    words = [t.text for t in TEXT_ANALYZER(text)]
    if not words:
        return query.NullQuery
    parts = []
    for field in ("text", "title"):
        if phrase or len(words) > 1:
            parts.append(query.Phrase(field, words) if len(words) > 1 else query.Term(field, words[0]))
        else:
            parts.append(query.Term(field, words[0]))
    return query.Or(parts)


def _filter_query(node: Filter) -> query.Query:
    if node.field == "title":
        words = [t.text for t in TEXT_ANALYZER(node.value)]
        if not words:
            return query.NullQuery
        return query.Phrase("thread_title", words) if len(words) > 1 else query.Term("thread_title", words[0])
    value = node.value.strip()
    if node.field == "author":
        return query.Term("author", " ".join(value.split()).lower())
    if node.field in ("domain", "site"):
        return query.Term(FILTER_FIELDS[node.field], normalize_domain(value) or value.lower())
    return query.Term(FILTER_FIELDS[node.field], value.lower() if node.field == "kind" else value)



def analyze(text: str):
    """(term, start, end) for each word as the text field indexes it."""
    for token in TEXT_ANALYZER(text, chars=True, removestops=False):
        yield token.text, token.startchar, token.endchar


def stem(word: str) -> str:
    terms = [t.text for t in TEXT_ANALYZER(word, removestops=False)]
    return terms[0] if terms else word.lower()


def prefix_stem(word: str) -> str:
    """A prefix that still matches stemmed terms: ``billionaire*`` searches ``billionair``."""
    word = word.lower()
    stemmed = stem(word)
    common = 0
    while common < min(len(word), len(stemmed)) and word[common] == stemmed[common]:
        common += 1
    return word[:max(common, 2)]
