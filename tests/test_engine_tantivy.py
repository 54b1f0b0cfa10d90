"""The Tantivy engine: incremental reindexing, atomic commits, analysis, and where it differs from Whoosh.

The checks of ``test_search.py`` and ``test_search_features.py`` that read the seed index also run
here against a Tantivy index of it (the ``archive`` fixture below replaces conftest's).
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.engine import ENGINES, SearchRequest, engine_class, index_document, tantivy_engine, whoosh_engine
from indexer.engine.base import FACETS
from indexer.engine.tantivy_engine import TantivyEngine
from indexer.query import QueryError, parse_query
from indexer.records import Post, Thread
from indexer.reindex import reindex
from indexer.search import Archive
from indexer.store import IndexStore
from tests import test_search, test_search_features
from tests.conftest import build_corpus


@pytest.fixture(scope="module")
def tantivy_seed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tantivy-seed")
    reindex(build_corpus(root), root / "index", engine="tantivy", workers=1)
    return root / "index"


@pytest.fixture(scope="module")
def archive(tantivy_seed):
    with Archive(tantivy_seed) as opened:
        yield opened


# the search checks written against the seed index, run once more on Tantivy
for _module in (test_search, test_search_features):
    for _name, _check in inspect.getmembers(_module, inspect.isfunction):
        if _name.startswith("test_") and "archive" in inspect.signature(_check).parameters:
            globals()[f"{_name}_on_tantivy"] = _check
del _module, _name, _check


def hit_ids(index: Path, q: str) -> list[str]:
    with Archive(index) as opened:
        return [h["id"] for h in opened.search(q, per_page=100, suggest=False)["hits"]]


def documents(source: str, *texts: str, title: str = "A thread") -> list[dict]:
    thread = Thread(id=f"t-{source}", platform="plaintext", source=source, site="example.com", title=title)
    posts = [Post(id=f"{source}-{i}", thread_id=thread.id, kind="post" if i == 0 else "comment",
                  author=f"Author {i}", text=text, position=i) for i, text in enumerate(texts)]
    return [index_document(thread, post) for post in posts]


def test_the_engine_is_registered_and_remembered_by_the_index(tmp_path):
    assert ENGINES["tantivy"] is TantivyEngine and engine_class("tantivy") is TantivyEngine
    corpus = build_corpus(tmp_path)
    reindex(corpus, tmp_path / "index", engine="tantivy", workers=1)
    assert IndexStore(tmp_path / "index").engine_name == "tantivy"
    again = reindex(corpus, tmp_path / "index", workers=1)  # no engine named: the index's own
    assert (again.engine, again.full, again.files_unchanged) == ("tantivy", False, 2)
    with Archive(tmp_path / "index") as opened:
        assert opened.stats()["engine"] == "tantivy"


def test_changed_and_deleted_files_replace_and_drop_their_documents(tmp_path):
    corpus = build_corpus(tmp_path)
    index = tmp_path / "index"
    reindex(corpus, index, engine="tantivy", workers=1)
    assert len(hit_ids(index, "")) == 24
    bus = corpus / "night-bus.txt"
    bus.write_text(bus.read_text() + "Omar\nThe 3am bus is my commute, zeppelins aside.\n")
    report = reindex(corpus, index, workers=1)
    assert (report.full, report.files_parsed) == (False, 1)
    assert len(hit_ids(index, "zeppelins")) == 1
    assert len(hit_ids(index, "title:bus")) == 5
    assert len(hit_ids(index, "")) == 25
    bus.unlink()
    report = reindex(corpus, index, workers=1)
    assert report.files_removed == 1
    assert hit_ids(index, "title:bus") == [] and hit_ids(index, "zeppelins") == []
    assert len(hit_ids(index, "")) == 20
    with Archive(index) as opened:
        assert opened.stats()["documents"] == 20 and [r["comments"] for r in opened.threads()] == [19]


def test_cancel_leaves_the_index_as_it_was_and_frees_the_writer(tmp_path):
    corpus = build_corpus(tmp_path)
    index = tmp_path / "index"
    reindex(corpus, index, engine="tantivy", workers=1)
    before = hit_ids(index, "")
    engine = IndexStore(index).open_engine()
    writer = engine.writer()
    writer.delete_source("night-bus.txt")
    for document in documents("extra.txt", "zeppelins over the harbour", "more zeppelins"):
        writer.add(document)
    writer.cancel()
    assert hit_ids(index, "") == before and hit_ids(index, "zeppelins") == []
    writer = engine.writer()  # the writer lock was released
    for document in documents("extra.txt", "zeppelins over the harbour"):
        writer.add(document)
    writer.commit()
    engine.close()
    assert len(hit_ids(index, "zeppelins")) == 1 and len(hit_ids(index, "")) == len(before) + 1


def test_an_open_archive_sees_another_process_commit_and_refuses_older_cursors(tmp_path):
    corpus = build_corpus(tmp_path)
    index = tmp_path / "index"
    reindex(corpus, index, engine="tantivy", workers=1)
    with Archive(index) as opened:
        first = opened.search("", per_page=5)
        assert first["total"] == 24 and first["next_cursor"]
        (corpus / "night-bus.txt").write_text((corpus / "night-bus.txt").read_text() + "Omar\nzeppelins\n")
        subprocess.run([sys.executable, "-c", f"from indexer.reindex import reindex; reindex({str(corpus)!r}, "
                        f"{str(index)!r}, workers=1)"], check=True, cwd=Path(__file__).parent.parent)
        assert opened.search("zeppelins")["total"] == 1
        with pytest.raises(QueryError, match="the index changed since this cursor was given out"):
            opened.search("", per_page=5, cursor=first["next_cursor"])


def test_threads_and_stats_equal_whooshs_on_the_seed_corpus(tmp_path, archive):
    reindex(build_corpus(tmp_path), tmp_path / "whoosh", engine="whoosh", workers=1)
    with Archive(tmp_path / "whoosh") as whoosh:
        assert archive.threads() == whoosh.threads()
        assert archive.threads(site="ianwelsh.net") == whoosh.threads(site="ianwelsh.net")
        counts = ("documents", "threads", "posts", "comments", "pingbacks", "authors", "domains", "sites")
        assert {k: archive.stats()[k] for k in counts} == {k: whoosh.stats()[k] for k in counts}
        for row in whoosh.threads():
            assert archive.thread(row["thread_id"]) == whoosh.thread(row["thread_id"])
        assert archive.engine.search_top("author") == whoosh.engine.search_top("author")
        assert archive.engine.search_top("domain") == whoosh.engine.search_top("domain")


def engine_of(root: Path, *texts: str) -> TantivyEngine:
    engine = TantivyEngine.create(root / "tantivy")
    writer = engine.writer()
    for document in documents("a.txt", *texts):
        writer.add(document)
    writer.commit()
    return engine


def texts(engine: TantivyEngine, q: str) -> list[str]:
    return sorted(hit["text"] for hit in engine.search(SearchRequest(query=parse_query(q), limit=100))["hits"])


def test_words_are_cut_where_whoosh_cuts_them():
    text = ("The U.S. café's gold-backed x.com plan_b, 3.14 a I'd naïve 日本語 and E=mc2\n"
            "> quoted: Ünïcode ÉMILE's end of the world.")
    assert [(start, end) for _, start, end in tantivy_engine.analyze(text)] == \
        [(start, end) for _, start, end in whoosh_engine.analyze(text)]
    assert tantivy_engine.stem("Billionaires") == whoosh_engine.stem("Billionaires") == "billionair"
    assert tantivy_engine.prefix_stem("billionaires") == whoosh_engine.prefix_stem("billionaires") == "billionair"


def test_known_differences_from_whoosh(tmp_path):
    """Porter2 keeps apart words Porter merges; a phrase keeps the places of the stop words it holds."""
    engine = engine_of(tmp_path, "a generous offer", "the general strike", "the end of the world", "end world")
    assert whoosh_engine.stem("generous") == whoosh_engine.stem("general") == "gener"
    assert engine.normalize_term("generous") == "generous" != engine.normalize_term("general")
    assert texts(engine, "generous") == ["a generous offer"]  # Whoosh finds the strike too
    # Whoosh drops the stop words of both phrases and finds both posts each time
    assert texts(engine, '"end of the world"') == ["the end of the world"]
    assert texts(engine, '"end world"') == ["end world"]
    # a query of stop words only matches nothing, AND-ed or alone, as Whoosh's NullQuery does
    assert texts(engine, "the") == texts(engine, "the generous") == []
    assert len(texts(engine, "-the")) == 4


def test_prefix_and_fuzzy_keep_to_words_of_the_index(tmp_path):
    engine = engine_of(tmp_path, "gold and bold claims", "a golden age", "old news", "c++ (o'neil)")
    # as Whoosh's fuzzy terms, the first letter is kept: "old" is near "gold" but starts otherwise
    assert texts(engine, "gold~") == ["a golden age", "gold and bold claims"]
    assert texts(engine, "gol*") == ["a golden age", "gold and bold claims"]
    assert texts(engine, "o'n*") == texts(engine, "c+*") == []
    assert engine.vocabulary_suggestions("goldan") == ["gold", "golden"]
    assert engine.doc_frequency("gold") == 1 and engine.doc_frequency("the") == -1


@pytest.mark.parametrize("q", ["china OR russia", "gold -author:Z", "-deepseek", "author:Z OR author:Oakchair",
                               "kind:comment -has:link", "billionair*", "gold~", '"the billionaires"', "bus"])
def test_pages_picked_by_tantivy_equal_pages_from_the_arrays(archive, q):
    """The fast way (Tantivy's own top hits and aggregations) gives exactly what the general way gives."""
    engine = archive.engine
    for sort in ("relevance", "newest", "oldest"):
        for selections in ({}, {"author": ["kt chong", "Z"]}, {"domain": ["com"], "kind": ["comment"]}):
            for offset, limit in ((0, 100), (0, 3), (4, 2)):
                request = SearchRequest(query=parse_query(q), selections=selections, sort=sort, offset=offset,
                                        limit=limit, facets={name: 3 for name in FACETS},
                                        facet_prefixes={"author": "k"} if offset else {})
                engine.fast = True
                fast = engine.search(request)
                engine.fast = False
                general = engine.search(request)
                engine.fast = True
                assert fast == general
