"""`make bench`: reindex and query figures for the Whoosh engine, each beside a baseline run in
the same process on the same machine, so noise on a shared machine cancels out in the ratios.

    python -m bench.run [--comments 100000] [--repeat 15] [--out bench/RESULTS.md]

Baselines:
- reindex: Whoosh's own writer (same settings) adding the same documents, already parsed;
- search: the same query straight on Whoosh (search, exact total, stored fields, highlights);
- facets: our own search without facets, on a keyword with about 10,000 matches.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

import psutil
from whoosh import query as wq
from whoosh.highlight import ContextFragmenter, HtmlFormatter

from bench.synth import generate
from indexer.engine.whoosh_engine import TEXT_ANALYZER, WhooshEngine, stem, whoosh_fields
from indexer.reindex import _parse_for_index, corpus_files, reindex
from indexer.search import Archive

OUT = Path(__file__).resolve().parent / "out"


class PeakMemory:
    """Peak resident memory of this process and its children, sampled every 50 ms."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                total = me.memory_info().rss + sum(c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                total = 0
            self.peak = max(self.peak, total)
            self._stop.wait(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm caches once, as a running server would be
    samples = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def pick_term(engine: WhooshEngine, target: int) -> tuple[str, int]:
    """The indexed word whose document count is closest to ``target``."""
    reader = engine.searcher.reader()
    best = None
    for term in reader.field_terms("text"):
        if stem(term) != term:
            continue  # a stem that stems again would not be found by searching for it
        freq = reader.doc_frequency("text", term)
        if best is None or abs(freq - target) < abs(best[1] - target):
            best = (term, freq)
    return best


def raw_whoosh(engine: WhooshEngine, q: wq.Query, **kwargs):
    """What a Whoosh user writes to show one page of hits: search, exact total, stored fields, highlights."""
    searcher = engine.searcher
    import json

    def run():
        results = searcher.search(q, limit=20, **kwargs)
        results.fragmenter = ContextFragmenter(maxchars=220, surround=60)
        results.formatter = HtmlFormatter(tagname="mark")
        total = len(results)
        hits = []
        for hit in results:
            payload = json.loads(hit["payload"])
            hits.append((payload, hit.highlights("text", text=payload["text"])))
        return total, hits

    return run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Agora benchmarks")
    parser.add_argument("--comments", type=int, default=int(os.environ.get("BENCH_COMMENTS", 100_000)))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md")
    args = parser.parse_args(argv)

    corpus = OUT / f"corpus-{args.comments}"
    if not (corpus / ".complete").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        print(f"Generating a synthetic corpus of {args.comments:,} comments…", flush=True)
        made = generate(corpus, args.comments)
        (corpus / ".complete").write_text(str(made))
    files = corpus_files(corpus)
    corpus_size = folder_bytes(corpus)

    # -- reindex: ours (parsing on every core included) against Whoosh's writer alone ------------
    ours_dir = OUT / f"index-{args.comments}"
    shutil.rmtree(ours_dir, ignore_errors=True)
    print("Reindexing with agora (parse + write)…", flush=True)
    with PeakMemory() as memory:
        started = time.perf_counter()
        report = reindex(corpus, ours_dir, full=True)
        ours_seconds = time.perf_counter() - started
    documents = report.posts

    print("Parsing once more to give the raw writer the same documents…", flush=True)
    started = time.perf_counter()
    prepared = []
    for path in files:
        _rel, _digest, docs, error, _chain = _parse_for_index((str(path), str(corpus)))
        assert error is None, error
        prepared.extend(whoosh_fields(d) for d in docs)
    parse_only_seconds = time.perf_counter() - started
    raw_dir = OUT / f"raw-{args.comments}"
    shutil.rmtree(raw_dir, ignore_errors=True)
    print("Writing the same documents with Whoosh's writer alone…", flush=True)
    raw_engine = WhooshEngine.create(raw_dir)
    started = time.perf_counter()
    writer = raw_engine.raw_writer()
    for fields in prepared:
        writer.add_document(**fields)
    writer.commit()
    raw_seconds = time.perf_counter() - started
    raw_engine.close()
    del prepared
    gc.collect()

    # -- queries ------------------------------------------------------------------------------
    archive = Archive(ours_dir)
    engine = archive.engine
    _ = engine.arrays  # built once per index version, like a server's first query
    term10k, freq10k = pick_term(engine, 10_000)
    term1k, freq1k = pick_term(engine, 1_000)
    stats = engine.stats()
    top_author = engine.search_top("author")
    top_domain = engine.search_top("domain")
    phrase_words = _phrase_with_matches(archive, term10k)
    facets4 = ("author", "domain", "site", "year")
    cases = [
        ("keyword", term10k, {}, wq.Term("text", term10k), {}),
        ("phrase", f'"{phrase_words}"', {}, wq.Phrase("text", [t.text for t in TEXT_ANALYZER(phrase_words)]), {}),
        ("author filter", f'{term1k} author:"{top_author}"', {},
         wq.And([wq.Term("text", term1k), wq.Term("author", top_author.lower())]), {}),
        ("domain filter", f"{term10k} domain:{top_domain}", {},
         wq.And([wq.Term("text", term10k), wq.Term("domains", top_domain)]), {}),
        ("newest first", term10k, {"sort": "newest"}, wq.Term("text", term10k),
         {"sortedby": "stamp", "reverse": True}),
    ]
    rows = []
    print("Timing queries…", flush=True)
    for name, q, options, raw_q, raw_options in cases:
        ours = timed(lambda q=q, o=options: archive.search(q, facets=(), **o), args.repeat)
        raw = timed(raw_whoosh(engine, raw_q, **raw_options), args.repeat)
        total = archive.search(q, facets=(), **options)["total"]
        rows.append((name, q, total, ours, raw))
    plain = timed(lambda: archive.search(term10k, facets=()), args.repeat)
    faceted = timed(lambda: archive.search(term10k, facets=facets4), args.repeat)
    selected = timed(lambda: archive.search(term10k, facets=facets4,
                                            selections={"author": [top_author], "domain": [top_domain]}), args.repeat)
    archive.close()

    lines = [
        "# Benchmark results",
        "",
        f"Produced by `make bench` (`python -m bench.run --comments {args.comments}`) on {time.strftime('%Y-%m-%d')},"
        f" {os.cpu_count()} cores, Python {sys.version.split()[0]}. Every figure stands beside a baseline measured"
        " in the same run; the ratios are what to compare between runs.",
        "",
        f"Synthetic corpus: {args.comments:,} comments in {stats['threads']:,} saved WordPress pages "
        f"({corpus_size / 1e6:,.0f} MB), {stats['authors']:,} commenters, {stats['domains']:,} linked domains, "
        f"{stats['sites']:,} sites.",
        "",
        "## Reindex",
        "",
        "| measure | agora reindex (parse + write) | baseline | ratio | target |",
        "|---|---|---|---|---|",
        f"| documents/s | {documents / ours_seconds:,.0f} | {documents / raw_seconds:,.0f} (Whoosh writer alone,"
        f" same documents) | {raw_seconds / ours_seconds:.2f} | ≥ 0.60 |",
        f"| wall time | {ours_seconds:,.1f} s | {raw_seconds:,.1f} s (writer) + {parse_only_seconds:,.1f} s"
        f" (parsing on one core) | | |",
        f"| peak memory (process tree) | {memory.peak / 2**20:,.0f} MB | | | < 1,024 MB |",
        f"| index size | {folder_bytes(ours_dir) / 2**20:,.0f} MB | corpus {corpus_size / 2**20:,.0f} MB | | |",
        "",
        f"## Query latency, {documents:,} documents (ms, median / p95 of {args.repeat} runs, page of 20 hits"
        " with snippets)",
        "",
        "| query | matches | agora search | raw Whoosh | overhead | target |",
        "|---|---|---|---|---|---|",
    ]
    for name, q, total, ours, raw in rows:
        ratio = statistics.median(ours) / statistics.median(raw)
        lines.append(f"| {name} `{q}` | {total:,} | {statistics.median(ours):.1f} / {p95(ours):.1f} | "
                     f"{statistics.median(raw):.1f} / {p95(raw):.1f} | {ratio:.2f}× | ≤ 1.3× |")
    lines += [
        "",
        f"## Facets at about 10,000 matches (`{term10k}`: {freq10k:,} documents)",
        "",
        "| query | agora search ms (median / p95) | ratio to no facets | target |",
        "|---|---|---|---|",
        f"| keyword, no facets | {statistics.median(plain):.1f} / {p95(plain):.1f} | 1.00× | |",
        f"| keyword + author, domain, site, year facets | {statistics.median(faceted):.1f} / {p95(faceted):.1f} |"
        f" {statistics.median(faceted) / statistics.median(plain):.2f}× | ≤ 1.5× |",
        f"| + a selection in two facets (disjunctive counts) | {statistics.median(selected):.1f} / {p95(selected):.1f}"
        f" | {statistics.median(selected) / statistics.median(plain):.2f}× | |",
        "",
        "Whoosh's own `groupedby` facets cost about 5× a plain query (../shared/notes/engines-benchmark.md);"
        " ours count with NumPy over per-document value arrays built once per index version.",
        "",
    ]
    text = "\n".join(lines)
    args.out.write_text(text)
    print(text)
    shutil.rmtree(raw_dir, ignore_errors=True)
    return 0


def _phrase_with_matches(archive: Archive, word: str) -> str:
    """Two words that stand side by side in some document, starting from ``word``."""
    hit = archive.search(word, per_page=1, facets=())["hits"][0]
    tokens = hit["text"].split()
    for i, token in enumerate(tokens[:-1]):
        if token.strip(".,").lower().startswith(word[:4]):
            return f"{token.strip('.,')} {tokens[i + 1].strip('.,')}"
    return " ".join(t.strip(".,") for t in tokens[:2])


if __name__ == "__main__":
    sys.exit(main())
