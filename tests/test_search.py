"""Searching the seed thread gives what a reader of it would expect."""

from __future__ import annotations

import pytest

from indexer.query import QueryError


def authors(result):
    return [hit["author"] for hit in result["hits"]]


def test_commenter_search_is_case_insensitive_and_keeps_the_display_name(archive):
    for spelling in ('author:"KT Chong"', 'author:"kt chong"', 'author:"KT  CHONG"'):
        result = archive.search(spelling)
        assert result["total"] == 3
        assert set(authors(result)) == {"KT Chong"}


def test_everything_kt_chong_wrote_about_quants(archive):
    result = archive.search('quants author:"KT Chong"')
    assert result["total"] == 1
    assert "<mark>quant</mark>" in result["hits"][0]["snippet"]


def test_linked_domain_and_its_parent_domain(archive):
    assert sorted(authors(archive.search("domain:youtube.com"))) == ["Altandmain", "KT Chong", "Mei Lin"]
    assert authors(archive.search("domain:substack.com")) == ["david lamy"]
    assert authors(archive.search("domain:stephaniekelton.substack.com")) == ["david lamy"]
    assert authors(archive.search("domain:x.com")) == ["Altandmain"]
    assert authors(archive.search("domain:twitter.com")) == ["Altandmain"]
    assert archive.search("domain:kelton.substack.com")["total"] == 0


def test_keywords_match_text_not_author_names(archive):
    assert archive.search("Revelo")["total"] == 0
    assert authors(archive.search("Pontin")) == ["Revelo"]


def test_keyword_phrase_prefix_and_exclusion(archive):
    assert {"david lamy"} <= set(authors(archive.search("billionaires")))
    phrase = archive.search('"gold backed currency"', facets=())
    assert set(authors(phrase)) == {"Soredemos", "Z"}  # Z wrote "gold-backed currency"
    assert archive.search("billionair*")["total"] >= archive.search("billionaires")["total"]
    excluded = archive.search("gold -author:Z")
    assert "Z" not in authors(excluded) and excluded["total"] > 0
    either = archive.search("quants OR leningrad")
    assert either["total"] == archive.search("quants")["total"] + archive.search("leningrad")["total"]


def test_thread_titles_match_keywords_on_the_root_post(archive):
    result = archive.search("title:bus")
    assert result["total"] == 4  # the night-bus thread's post and comments
    assert authors(archive.search("night bus", per_page=1))[0] == "Priya Raman"


def test_dates_filters_and_sorting(archive):
    assert archive.search("after:2024-06")["total"] == 1
    assert archive.search("before:2024-06")["total"] == 0
    assert archive.search("on:2024-06-03")["total"] == 1
    newest = archive.search("", sort="newest", per_page=1)
    assert newest["hits"][0]["date"] == "2024-06-03T00:00:00"
    oldest = archive.search("", sort="oldest", per_page=1)
    assert oldest["hits"][0]["date"] == "2024-06-03T00:00:00"  # undated posts sort last either way


def test_facets_count_every_match_not_only_the_page(archive):
    result = archive.search("", per_page=1)
    assert result["total"] == 24
    facet = {v["value"]: v["count"] for v in result["facets"]["author"]}
    assert facet["KT Chong"] == 3 and facet["Z"] == 3
    assert len(result["facets"]["author"]) == 10
    assert "author" in result["facets_truncated"]
    assert result["facets"]["site"] == [{"value": "ianwelsh.net", "count": 20},
                                        {"value": "transit.example.com", "count": 4}]
    assert result["facets"]["year"] == [{"value": "2024", "count": 1}]


def test_selections_or_within_a_facet_and_across_facets(archive):
    both = archive.search("", selections={"author": ["KT Chong", "Z"]})
    assert both["total"] == 6
    # each facet counts as if its own selection were not applied
    assert {v["value"] for v in both["facets"]["author"]} >= {"KT Chong", "Z", "Oakchair"}
    narrowed = archive.search("", selections={"author": ["KT Chong", "Z"], "domain": ["youtube.com"]})
    assert authors(narrowed) == ["KT Chong"]


def test_paging(archive):
    first = archive.search("", per_page=10, page=1)
    third = archive.search("", per_page=10, page=3)
    assert len(first["hits"]) == 10 and len(third["hits"]) == 4
    ids = [h["id"] for p in (1, 2, 3) for h in archive.search("", per_page=10, page=p)["hits"]]
    assert len(set(ids)) == 24


def test_hit_shape(archive):
    hit = archive.search("quants")["hits"][0]
    assert list(hit) == ["id", "kind", "thread_id", "thread_title", "thread_url", "site", "platform", "source",
                         "author", "date", "position", "parent_id", "permalink", "text", "snippet", "links",
                         "domains", "score"]


def test_snippets_are_escaped(archive):
    hit = archive.search("domain:substack.com")["hits"][0]
    assert "&amp;" in hit["snippet"] and "<" not in hit["snippet"].replace("<mark>", "").replace("</mark>", "")


@pytest.mark.parametrize("kwargs", [{"sort": "best"}, {"page": 0}, {"per_page": 0}, {"selections": {"color": ["x"]}},
                                    {"selections": {"kind": ["reply"]}}, {"facets": ("colour",)}])
def test_bad_parameters_are_query_errors(archive, kwargs):
    with pytest.raises(QueryError):
        archive.search("x", **kwargs)


def test_thread_and_threads_and_stats(archive):
    rows = archive.threads()
    assert [r["comments"] for r in rows] == [3, 19]
    seed = rows[1]
    assert seed["authors"] == 14 and seed["site"] == "ianwelsh.net"
    shown = archive.thread(seed["thread_id"])
    assert [p["kind"] for p in shown["posts"]][:2] == ["post", "comment"]
    assert shown["posts"][1]["author"] == "david lamy"
    assert archive.thread("nope") is None
    stats = archive.stats()
    assert {k: stats[k] for k in ("threads", "posts", "comments", "authors", "sites")} == {
        "threads": 2, "posts": 2, "comments": 22, "authors": 17, "sites": 2}


def test_relevance_and_date_sorts_count_the_same_matches(tmp_path):
    """The top-N collector must not skip matches that cannot reach the first page."""
    from indexer.reindex import reindex
    from indexer.search import Archive

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(40):
        words = " ".join(["zephyr"] * (1 + n % 7) + ["filler"] * 30)
        (corpus / f"t{n}.txt").write_text(f"Title: zephyr thread {n}\n\n{words}\nAnna\nzephyr once.\nBo\nnothing here.\n")
    reindex(corpus, tmp_path / "index", workers=1)
    with Archive(tmp_path / "index") as archive:
        by_relevance = archive.search("zephyr", per_page=5)["total"]
        by_date = archive.search("zephyr", sort="newest", per_page=5)["total"]
        assert by_relevance == by_date == 80
