"""Reindexing: incremental, never losing data, safe to interrupt."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from indexer.reindex import reindex
from indexer.search import Archive
from indexer.store import IndexStore
from tests.conftest import FIXTURES, REALDATA, build_corpus


def hit_ids(index: Path, q: str) -> list[str]:
    with Archive(index) as archive:
        return [h["id"] for h in archive.search(q, per_page=100)["hits"]]


def test_second_reindex_of_an_unchanged_corpus_parses_nothing(tmp_path):
    corpus = build_corpus(tmp_path)
    first = reindex(corpus, tmp_path / "index", workers=1)
    assert (first.files_parsed, first.posts, first.threads) == (2, 24, 2)
    second = reindex(corpus, tmp_path / "index", workers=1)
    assert (second.files_parsed, second.files_unchanged, second.skipped) == (0, 2, [])
    # a touched but unchanged file is recognised by its hash and not parsed either
    os.utime(corpus / "night-bus.txt", ns=(1, 1))
    third = reindex(corpus, tmp_path / "index", workers=1)
    assert (third.files_parsed, third.files_unchanged) == (0, 2)


def test_changed_and_deleted_files_replace_and_drop_their_documents(tmp_path):
    corpus = build_corpus(tmp_path)
    index = tmp_path / "index"
    reindex(corpus, index, workers=1)
    bus = corpus / "night-bus.txt"
    bus.write_text(bus.read_text() + "Omar\nThe 3am bus is my commute, zeppelins aside.\n")
    report = reindex(corpus, index, workers=1)
    assert report.files_parsed == 1
    assert len(hit_ids(index, "zeppelins")) == 1
    assert len(hit_ids(index, "title:bus")) == 5
    bus.unlink()
    report = reindex(corpus, index, workers=1)
    assert report.files_removed == 1
    assert hit_ids(index, "title:bus") == []
    assert len(hit_ids(index, "")) == 20


def test_a_file_turned_to_garbage_keeps_its_old_documents_and_is_reported(tmp_path):
    corpus = build_corpus(tmp_path)
    index = tmp_path / "index"
    reindex(corpus, index, workers=1)
    before = hit_ids(index, 'author:"KT Chong"')
    (corpus / "ianwelsh.net" / "deepseek.txt").write_bytes(os.urandom(4096) + b"\x00" * 64)
    report = reindex(corpus, index, workers=1)
    assert [s.source for s in report.skipped] == ["ianwelsh.net/deepseek.txt"]
    assert "no parser recognises this file" in report.skipped[0].reason
    assert hit_ids(index, 'author:"KT Chong"') == before
    # still reported (not re-parsed) while it stays broken, and kept through a full rebuild
    again = reindex(corpus, index, workers=1)
    assert (again.files_parsed, [s.source for s in again.skipped]) == (0, ["ianwelsh.net/deepseek.txt"])
    full = reindex(corpus, index, full=True, workers=1)
    assert [s.source for s in full.skipped] == ["ianwelsh.net/deepseek.txt"]
    assert hit_ids(index, 'author:"KT Chong"') == before
    with Archive(index) as archive:
        assert list(archive.stats()["failing_files"]) == ["ianwelsh.net/deepseek.txt"]


def test_full_rebuild_switches_generations_and_removes_the_old_ones(tmp_path):
    corpus = build_corpus(tmp_path)
    index = tmp_path / "index"
    reindex(corpus, index, workers=1)
    for _ in range(3):
        reindex(corpus, index, full=True, workers=1)
    generations = [p.name for p in index.iterdir() if p.is_dir()]
    assert len(generations) <= 2  # the live one and the one before it, for readers still on it
    assert IndexStore(index).current.name in generations
    assert len(hit_ids(index, "")) == 24


def test_parsing_on_several_workers_gives_the_same_index(tmp_path):
    corpus = build_corpus(tmp_path)
    for n in range(6):
        shutil.copy(corpus / "night-bus.txt", corpus / f"copy-{n}.txt")
    reindex(corpus, tmp_path / "one", workers=1)
    reindex(corpus, tmp_path / "two", workers=2)
    assert sorted(hit_ids(tmp_path / "one", "")) == sorted(hit_ids(tmp_path / "two", ""))


def _big_corpus(tmp_path: Path, copies: int) -> Path:
    corpus = build_corpus(tmp_path)
    seed = (corpus / "ianwelsh.net" / "deepseek.txt").read_text()
    for n in range(copies):
        (corpus / "ianwelsh.net" / f"copy-{n:04d}.txt").write_text(f"Title: copy {n}\n\n{seed}")
    return corpus


def _kill_mid_reindex(args: list[str], index: Path, after_seconds: float) -> None:
    process = subprocess.Popen([sys.executable, "-m", "indexer.cli", "reindex", "--quiet", *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after_seconds)
    assert process.poll() is None, "the reindex finished before it could be killed; give it more work"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_kill_9_during_an_incremental_reindex_leaves_the_previous_index_answering(tmp_path):
    corpus = build_corpus(tmp_path)
    index = tmp_path / "index"
    reindex(corpus, index, workers=1)
    before = hit_ids(index, 'author:"KT Chong" OR domain:youtube.com')
    seed = (corpus / "ianwelsh.net" / "deepseek.txt").read_text()
    for n in range(300):
        (corpus / "ianwelsh.net" / f"copy-{n:04d}.txt").write_text(f"Title: copy {n}\n\n{seed}")
    _kill_mid_reindex(["--corpus", str(corpus), "--index", str(index), "--workers", "1"], index, 2.0)
    assert hit_ids(index, 'author:"KT Chong" OR domain:youtube.com') == before
    finished = reindex(corpus, index, workers=1)
    assert finished.files_parsed == 300
    with Archive(index) as archive:
        assert archive.search('author:"KT Chong"')["total"] == 3 * 301


def test_kill_9_during_a_full_rebuild_leaves_the_previous_index_answering(tmp_path):
    corpus = _big_corpus(tmp_path, 300)
    index = tmp_path / "index"
    small = build_corpus(tmp_path / "small")
    reindex(small, index, workers=1)
    before = hit_ids(index, "quants")
    _kill_mid_reindex(["--corpus", str(corpus), "--index", str(index), "--full", "--workers", "1"], index, 2.0)
    assert hit_ids(index, "quants") == before
    reindex(corpus, index, full=True, workers=1)
    assert not [p for p in index.iterdir() if p.name.startswith(".building-")]


def test_ctrl_c_during_a_reindex_says_nothing_changed(tmp_path):
    corpus = build_corpus(tmp_path)
    index = tmp_path / "index"
    reindex(corpus, index, workers=1)
    before = hit_ids(index, "quants")
    seed = (corpus / "ianwelsh.net" / "deepseek.txt").read_text()
    for n in range(300):
        (corpus / "ianwelsh.net" / f"copy-{n:04d}.txt").write_text(f"Title: copy {n}\n\n{seed}")
    process = subprocess.Popen([sys.executable, "-m", "indexer.cli", "reindex", "--corpus", str(corpus),
                                "--index", str(index), "--workers", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)
    assert process.poll() is None
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Interrupted: nothing was changed; the previous index is intact and searchable." in err
    assert hit_ids(index, "quants") == before


def test_one_thread_saved_twice_is_one_thread_and_the_newer_snapshot_wins(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    older = corpus / "saved-in-may.txt"
    newer = corpus / "saved-in-june.txt"
    header = "Title: A thread\nURL: https://blog.example.org/a-thread/\n\nThe post.\n"
    older.write_text(header + "Ann\nMy first version.\n")
    newer.write_text(header + "Ann\nMy edited version.\nBob\nA comment added later.\n")
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_710_000_000, 1_710_000_000))
    index = tmp_path / "index"
    reindex(corpus, index, workers=1)
    with Archive(index) as archive:
        assert archive.search("")["total"] == 3
        assert archive.search("first")["total"] == 0
        assert archive.search("edited")["total"] == 1
        (thread,) = archive.threads()
        assert thread["comments"] == 2
        shown = archive.thread(thread["thread_id"])
        assert [p["text"] for p in shown["posts"]] == ["The post.", "My edited version.", "A comment added later."]
        assert archive.stats()["comments"] == 2
    newer.unlink()
    reindex(corpus, index, workers=1)
    assert len(hit_ids(index, "first")) == 1


def test_a_root_made_for_a_comments_only_file_gives_way_to_the_real_root(tmp_path):
    """Reddit's morechildren responses hold only comments of a thread saved elsewhere."""
    import json

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    thread = json.loads((FIXTURES / "reddit" / "morechildren-for-thread.json").read_text())
    (corpus / "more.json").write_text(json.dumps(thread))
    index = tmp_path / "index"
    reindex(corpus, index, workers=1)
    with Archive(index) as archive:
        (only,) = archive.threads()
        roots_before = archive.search("kind:post")["total"]
    assert roots_before == 1
    shutil.copy(FIXTURES / "reddit" / "nested-replies-with-more-stub.json", corpus / "thread.json")
    reindex(corpus, index, workers=1)
    with Archive(index) as archive:
        assert archive.search(f"kind:post thread:{only['thread_id']}")["total"] == 1


def test_more_comments_pages_join_the_thread_they_continue(tmp_path):
    """Hacker News' 2012 "more comments" pages name neither the story nor its id."""
    from tests.conftest import require_shared

    pages = [require_shared(REALDATA / "hackernews" / f"hn-item-who-is-hiring-jan-2012-{n}.html")
             for n in ("page1", "page2-more", "page3-last")]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # the continuations first: they join the thread once the first page arrives
    shutil.copy(pages[2], corpus / "p3.html")
    shutil.copy(pages[1], corpus / "p2.html")
    index = tmp_path / "index"
    reindex(corpus, index, workers=1)
    with Archive(index) as archive:
        assert [t["comments"] for t in archive.threads()] == [127]  # pages 2 and 3 already one thread
    shutil.copy(pages[0], corpus / "p1.html")
    reindex(corpus, index, workers=1)
    with Archive(index) as archive:
        (thread,) = archive.threads()
        assert thread["comments"] == 97 + 100 + 27
        shown = archive.thread(thread["thread_id"])
        assert shown["posts"][0]["kind"] == "post" and sum(p["kind"] == "post" for p in shown["posts"]) == 1
        titles = {h["thread_title"] for h in archive.search("", per_page=500)["hits"]}
        assert titles == {thread["title"]}  # the continuation pages' hits name the thread too
    full = reindex(corpus, index, full=True, workers=1)
    assert full.files_parsed == 3
    with Archive(index) as archive:
        assert [t["comments"] for t in archive.threads()] == [224]
