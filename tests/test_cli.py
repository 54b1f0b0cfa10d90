"""The `agora` command line: thin over the search core, clear about errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from indexer.cli import cli
from tests.conftest import build_corpus


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result


def test_reindex_prints_a_summary_and_stats_prints_totals(tmp_path):
    corpus = build_corpus(tmp_path)
    index = tmp_path / "index"
    result = run("reindex", "--corpus", corpus, "--index", index, "--workers", 1)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("Indexed 24 posts from 2 threads in ")
    again = run("reindex", "--corpus", corpus, "--index", index)
    assert again.output.splitlines()[0].startswith("Nothing to index: 2 files unchanged")
    stats = run("stats", "--index", index, "--json")
    data = json.loads(stats.output)
    assert {k: data[k] for k in ("threads", "posts", "comments", "authors", "domains", "sites")} == {
        "threads": 2, "posts": 2, "comments": 22, "authors": 17, "domains": 4, "sites": 2}
    text = run("stats", "--index", index)
    assert "comments           22" in text.output


def test_strict_reindex_exits_1_and_names_the_bad_file(tmp_path):
    corpus = build_corpus(tmp_path)
    (corpus / "broken.html").write_bytes(b"\x00\x01\x02" * 100)
    result = run("reindex", "--corpus", corpus, "--index", tmp_path / "index", "--strict")
    assert result.exit_code == 1
    assert "1 file skipped" in result.output
    assert "skipped broken.html: no parser recognises this file" in result.output
    assert run("reindex", "--corpus", corpus, "--index", tmp_path / "index2").exit_code == 0


def test_search_json_has_the_documented_shape(seed_index):
    result = run("search", 'quants author:"KT Chong"', "--index", seed_index, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"query", "total", "page", "per_page", "hits", "facets"} <= set(data)
    assert data["total"] == 1 and data["page"] == 1 and data["per_page"] == 20
    assert set(data["facets"]) == {"author", "domain", "site", "year"}
    hit = data["hits"][0]
    assert {"id", "kind", "thread_id", "thread_title", "thread_url", "site", "platform", "source", "author", "date",
            "position", "parent_id", "permalink", "text", "snippet", "links", "domains"} <= set(hit)
    assert hit["author"] == "KT Chong" and hit["domains"] == ["youtube.com"]


def test_search_options_filter_like_the_query_language(seed_index):
    by_option = json.loads(run("search", "--author", "Z", "--author", "KT Chong", "--domain", "youtube.com",
                               "--index", seed_index, "--json").output)
    by_query = json.loads(run("search", 'author:Z author:"KT Chong" domain:youtube.com',
                              "--index", seed_index, "--json").output)
    assert [h["id"] for h in by_option["hits"]] == [h["id"] for h in by_query["hits"]]
    dated = json.loads(run("search", "--after", "2024-01", "--kind", "post", "--index", seed_index, "--json").output)
    assert dated["total"] == 1


def test_human_search_output(seed_index):
    result = run("search", "leningrad", "--index", seed_index)
    lines = result.output.splitlines()
    assert lines[0] == "1 hits:" or lines[0].startswith("1 hit")
    assert lines[2].startswith("Soredemos · undated · So, a Chinese financial firm")
    assert "siege of Leningrad" in result.output
    assert "<mark>" not in result.output


def test_malformed_query_is_one_line_and_no_traceback(seed_index):
    result = run("search", '(quants author:"KT', "--index", seed_index)
    assert result.exit_code == 1
    assert result.output == 'Error: bad query: the quote after author: is never closed; add a closing "\n'


def test_missing_index_says_what_to_do(tmp_path):
    result = run("search", "x", "--index", tmp_path / "none")
    assert result.exit_code == 1
    assert f"no index at {tmp_path / 'none'}; run `agora reindex --index {tmp_path / 'none'}` first" in result.output


def test_threads_and_show(seed_index):
    rows = json.loads(run("threads", "--index", seed_index, "--json").output)
    assert [r["comments"] for r in rows] == [3, 19]
    assert set(rows[0]) == {"thread_id", "title", "url", "site", "platform", "source", "author", "date", "comments",
                            "authors"}
    only = json.loads(run("threads", "--site", "ianwelsh.net", "--index", seed_index, "--json").output)
    assert len(only) == 1
    shown = json.loads(run("show", rows[1]["thread_id"], "--index", seed_index, "--json").output)
    assert [p["author"] for p in shown["posts"][1:4]] == ["david lamy", "sbt42", "Altandmain"]
    assert {"kind", "author", "date", "text", "links", "parent_id"} <= set(shown["posts"][0])
    missing = run("show", "nope", "--index", seed_index)
    assert missing.exit_code == 1 and "no thread 'nope' in the index" in missing.output
    human = run("show", rows[0]["thread_id"], "--index", seed_index)
    assert human.output.startswith("Why the night bus matters\n")


def test_formats_lists_every_parser():
    result = run("formats")
    from indexer.parsers import PARSERS

    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == [p.PLATFORM for p in PARSERS]
    assert names[-1] == "generic" and {"wordpress", "blogger", "plaintext"} <= set(names)
