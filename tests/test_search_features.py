"""Deep paging, grouping by thread, facet value search, did-you-mean, thread filters, exports."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from indexer.query import QueryError


def test_cursor_pages_through_every_hit_in_the_same_order_as_pages(archive):
    by_page = [h["id"] for p in (1, 2, 3) for h in archive.search("", per_page=10, page=p)["hits"]]
    by_cursor, cursor = [], None
    while True:
        found = archive.search("", per_page=7, cursor=cursor)
        by_cursor += [h["id"] for h in found["hits"]]
        cursor = found["next_cursor"]
        if not cursor:
            break
    assert by_cursor == by_page and len(by_cursor) == 24


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_cursor_agrees_with_offsets_for_every_sort(archive, sort):
    q = "china OR people OR money OR billionaires OR west"
    everything = [h["id"] for h in archive.search(q, sort=sort, per_page=100)["hits"]]
    assert len(everything) > 8
    first = archive.search(q, sort=sort, per_page=4)
    second = archive.search(q, sort=sort, per_page=4, cursor=first["next_cursor"])
    assert [h["id"] for h in first["hits"] + second["hits"]] == everything[:8]


def test_a_foreign_cursor_is_refused_with_a_clear_line(archive):
    with pytest.raises(QueryError, match="the cursor is not one Agora gave out"):
        archive.search("", cursor="garbage!")
    from indexer.engine.results import Cursor

    stale = Cursor("0.1", 0.0, 3).encode()
    with pytest.raises(QueryError, match="the index changed since this cursor was given out"):
        archive.search("", cursor=stale)


def test_iter_hits_streams_every_hit(archive):
    assert len(list(archive.iter_hits("", chunk=5))) == 24


def test_group_by_thread_gives_the_best_hit_per_thread_and_the_count(archive):
    found = archive.search("bus OR billionaires", group_by_thread=True)
    assert found["threads"] == 2 and len(found["hits"]) == 2
    counts = {h["thread_title"][:3]: h["thread_hits"] for h in found["hits"]}
    plain = archive.search("bus OR billionaires", per_page=100)
    assert sum(counts.values()) == plain["total"]
    best = archive.search("bus OR billionaires", per_page=1)["hits"][0]
    assert found["hits"][0]["id"] == best["id"]


def test_facet_values_searchable_by_prefix(archive):
    assert archive.facet_values("author", "kt")["values"] == [{"value": "KT Chong", "count": 3}]
    assert archive.facet_values("author", "chong")["values"] == [{"value": "KT Chong", "count": 3}]
    assert [v["value"] for v in archive.facet_values("domain", "you")["values"]] == ["youtube.com"]
    assert archive.facet_values("author", "zzz")["values"] == []


def test_more_facets_and_sizes(archive):
    found = archive.search("", facets=("kind", "month", "thread"), facet_size=2)
    assert found["facets"]["kind"] == [{"value": "comment", "count": 22}, {"value": "post", "count": 2}]
    assert found["facets"]["month"] == [{"value": "2024-06", "count": 1}]
    assert len(found["facets"]["thread"]) == 2


def test_did_you_mean_comes_from_the_index_vocabulary(archive):
    assert archive.search("leningrd")["did_you_mean"] == {"query": "leningrad", "total": 1}
    assert archive.search("quants")["did_you_mean"] is None


def test_thread_comment_counts(archive):
    assert archive.search("comments>10")["total"] == 20
    assert archive.search("comments>10 kind:post")["total"] == 1
    assert archive.search("comments<=3")["total"] == 4
    assert archive.search("-comments>10")["total"] == 4
    with pytest.raises(QueryError, match="comments>N can only be joined"):
        archive.search("bus OR comments>3")


def test_fuzzy_words(archive):
    assert {h["author"] for h in archive.search("leningrd~")["hits"]} == {"Soredemos"}


def test_exports_stream_jsonl_and_csv(seed_index):
    runner = CliRunner()
    jsonl = runner.invoke(cli, ["search", "", "--format", "jsonl", "--index", str(seed_index)])
    rows = [json.loads(line) for line in jsonl.output.splitlines()]
    assert len(rows) == 24 and rows[0]["id"]
    table = runner.invoke(cli, ["search", "domain:youtube.com", "--format", "csv", "--index", str(seed_index)])
    parsed = list(csv.DictReader(io.StringIO(table.output)))
    assert len(parsed) == 3 and all("youtube.com" in r["domains"].split() for r in parsed)


def test_selected_values_are_listed_with_their_counts_however_far_down(archive):
    found = archive.search("", selections={"author": ["sbt42"]}, facets={"author": 1})
    values = [v["value"] for v in found["facets"]["author"]]
    assert values[0] in ("KT Chong", "Z") and values[-1] == "sbt42"
    assert found["facets"]["author"][-1]["count"] == 1


def test_stop_words_do_not_empty_a_query(archive):
    assert archive.search("the billionaires")["total"] == archive.search("billionaires")["total"] > 0
    assert archive.search("the OR leningrad")["total"] == 1
    assert archive.search("the")["total"] == 0


def test_a_facet_of_size_zero_lists_nothing(archive):
    found = archive.search("", facets={"author": 0})
    assert found["facets"]["author"] == [] and "author" in found["facets_truncated"]
