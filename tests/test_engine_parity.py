"""Whoosh and Tantivy answer every query alike: the same matches, totals, facet counts and dates order.

Both engines index the same corpus (the seed thread, saved twice, and the sample pages of
``corpus/``); every operator of the query language is asked of both through ``Archive``.
Relevance scores differ between the engines, so hits are compared as sets there.

Words are chosen whose stems group alike in both engines: Whoosh stems with Porter, Tantivy
with Porter2, and a few words differ (see ``test_engine_tantivy.py``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.reindex import reindex
from indexer.search import Archive
from tests.conftest import PROJECT, build_corpus

FACETS = ("author", "domain", "site", "year", "month", "kind", "thread")
QUERIES = [
    "",                                   # everything
    "billionaires",                       # a word, stemmed
    "china russia",                       # both words
    '"gold backed currency"',             # a phrase ("gold-backed" in one post)
    '"the billionaires"',                 # a phrase with a stop word
    "quants OR leningrad",                # either
    "(china OR russia) money",            # parentheses
    "gold -author:Z",                     # a filter excluded
    "deepseek -china",                    # a word excluded
    "deepseek NOT china",                 # NOT
    "-deepseek",                          # only an exclusion
    "billionair*",                        # a prefix
    "gold~",                              # fuzzy
    'author:"KT Chong"',                  # a commenter, any case
    'author:"kt  chong" quants',          # ... with a word
    "-author:Z -author:Oakchair",         # commenters excluded
    "author:Z author:Oakchair",           # repeated filters OR-ed
    "domain:youtube.com",                 # a linked domain (youtu.be included)
    "domain:substack.com",                # a parent domain
    "domain:twitter.com",                 # an alias of x.com
    "-domain:youtube.com has:link",       # links elsewhere
    "site:ianwelsh.net",                  # a site
    "site:example.org",                   # a parent of sites
    "kind:post",                          # opening posts
    "kind:comment deepseek",              # replies
    "thread:3cc1c8a6f980c20f",            # one thread
    "title:bus",                          # a title word
    'title:"night bus"',                  # a title phrase
    "after:2024-06",                      # dates: a month
    "before:2024",                        # a year
    "on:2024-02-11",                      # a day
    "after:2023 before:2024-03",          # a span
    "has:link",                           # posts with links
    "-has:link kind:comment",             # without
    "comments>5",                         # threads with many comments
    "gold comments<=10",
    "the",                                # only a stop word: nothing
    "the billionaires",                   # Whoosh's NullQuery makes AND-ed stop words match nothing
]
SELECTIONS = [
    {"author": ["KT Chong", "z"]},
    {"author": ["kt chong"], "domain": ["youtube.com"]},
    {"domain": ["substack.com"]},
    {"site": ["example.org", "IanWelsh.net"]},
    {"year": ["2023"], "kind": ["comment"]},
    {"month": ["2023-06", "2024-02"]},
    {"thread": ["3cc1c8a6f980c20f"], "author": ["nobody"]},
]


def build(root: Path, engine: str) -> Path:
    corpus = build_corpus(root)
    for page in (PROJECT / "corpus").rglob("*"):
        if page.is_file():
            target = corpus / page.relative_to(PROJECT / "corpus")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(page, target)
    reindex(corpus, root / "index", engine=engine, workers=1)
    return root / "index"


@pytest.fixture(scope="module")
def indexes(tmp_path_factory) -> tuple[Path, Path]:
    return build(tmp_path_factory.mktemp("whoosh"), "whoosh"), build(tmp_path_factory.mktemp("tantivy"), "tantivy")


@pytest.fixture(scope="module", params=["top", "arrays"])
def engines(request, indexes):
    """Whoosh and Tantivy; Tantivy either picking pages and counting facets itself where it can
    ("top") or always listing every match into the arrays, as Whoosh does ("arrays")."""
    whoosh, tantivy = Archive(indexes[0]), Archive(indexes[1])
    assert (whoosh.stats()["engine"], tantivy.stats()["engine"]) == ("whoosh", "tantivy")
    tantivy.engine.fast = request.param == "top"
    yield whoosh, tantivy
    whoosh.close()
    tantivy.close()


def ids(result: dict) -> set[str]:
    return {hit["id"] for hit in result["hits"]}


def assert_same(expected: dict, found: dict) -> None:
    assert expected["total"] == found["total"]
    assert ids(expected) == ids(found)
    assert expected["facets"] == found["facets"]
    assert expected["facets_truncated"] == found["facets_truncated"]


def test_the_corpus_is_big_enough_to_tell(engines):
    whoosh, _ = engines
    assert whoosh.search("")["total"] > 50
    assert all(whoosh.search(q, per_page=1)["total"] for q in QUERIES[:35])


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("q", QUERIES)
def test_every_operator_finds_the_same_posts(engines, q, sort):
    whoosh, tantivy = engines
    options = {"sort": sort, "per_page": 500, "facets": FACETS, "facet_size": 1000, "suggest": False}
    expected, found = whoosh.search(q, **options), tantivy.search(q, **options)
    assert_same(expected, found)
    if sort != "relevance":
        assert [h["date"] for h in expected["hits"]] == [h["date"] for h in found["hits"]]


@pytest.mark.parametrize("size", [1, 2, 3, 10])
@pytest.mark.parametrize("selections", SELECTIONS)
@pytest.mark.parametrize("q", ["", "deepseek OR bus", "-has:link"])
def test_facet_selections_and_truncated_facets_count_alike(engines, q, selections, size):
    whoosh, tantivy = engines
    options = {"selections": selections, "per_page": 500, "facets": FACETS, "facet_size": size, "suggest": False}
    assert_same(whoosh.search(q, **options), tantivy.search(q, **options))


@pytest.mark.parametrize("q", ["", "china OR money OR gold", "comments>5"])
def test_grouping_by_thread_and_cursors_agree(engines, q):
    whoosh, tantivy = engines
    expected = whoosh.search(q, group_by_thread=True, per_page=500, suggest=False)
    found = tantivy.search(q, group_by_thread=True, per_page=500, suggest=False)
    assert expected["threads"] == found["threads"]
    assert {(h["thread_id"], h["thread_hits"]) for h in expected["hits"]} == \
        {(h["thread_id"], h["thread_hits"]) for h in found["hits"]}
    for sort in ("relevance", "newest", "oldest"):
        streamed = [h["id"] for h in tantivy.iter_hits(q, chunk=4, sort=sort)]
        assert len(streamed) == len(set(streamed)) == tantivy.search(q, per_page=1)["total"]
        assert set(streamed) == {h["id"] for h in whoosh.iter_hits(q, chunk=4, sort=sort)}


@pytest.mark.parametrize("facet,prefix", [("author", "k"), ("author", "ch"), ("domain", "y"), ("site", "ian"),
                                          ("year", "20"), ("thread", "3")])
def test_facet_value_search_agrees(engines, facet, prefix):
    whoosh, tantivy = engines
    assert whoosh.facet_values(facet, prefix) == tantivy.facet_values(facet, prefix)
    assert whoosh.facet_values(facet, prefix, "deepseek") == tantivy.facet_values(facet, prefix, "deepseek")


def test_threads_thread_and_stats_agree(engines):
    whoosh, tantivy = engines
    assert whoosh.threads() == tantivy.threads()
    assert whoosh.threads(site="ianwelsh.net") == tantivy.threads(site="ianwelsh.net")
    for row in whoosh.threads():
        assert whoosh.thread(row["thread_id"]) == tantivy.thread(row["thread_id"])
    counts = ("documents", "threads", "posts", "comments", "pingbacks", "authors", "domains", "sites")
    assert {k: whoosh.stats()[k] for k in counts} == {k: tantivy.stats()[k] for k in counts}


def test_did_you_mean_agrees(engines):
    whoosh, tantivy = engines
    for q in ("billionares", "chna russia", "goverment gold"):
        assert whoosh.search(q)["did_you_mean"] == tantivy.search(q)["did_you_mean"]
