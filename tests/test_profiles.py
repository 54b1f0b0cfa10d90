"""Commenter and linked-domain profiles, and threads laid out for reading (indexer/profiles.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer import profiles
from indexer.profiles import author_profile, domain_profile, mark_text, thread_view

PROJECT = Path(__file__).resolve().parent.parent
BUDGET_THREAD = "b067d92c257a6a5d"  # corpus/blog.example.org: WordPress, with threaded replies
BUDGET_TITLE = "What the town council learned from a year of open budget meetings"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """An index of the sample corpus (WordPress, Blogger, schema.org forum and the seed thread)."""
    from indexer.reindex import reindex
    from indexer.search import Archive

    root = tmp_path_factory.mktemp("profiles")
    shutil.copytree(PROJECT / "corpus", root / "corpus")
    reindex(root / "corpus", root / "index", workers=1)
    with Archive(root / "index") as opened:
        yield opened


def test_author_profile_counts_threads_sites_dates_domains_and_replies(archive):
    profile = author_profile(archive, "Rosalind Achterberg")
    assert {
        "author": "Rosalind Achterberg",
        "posts": 3,
        "kinds": {"comment": 2, "post": 1},
        "thread_count": 1,
        "threads": [{
            "thread_id": BUDGET_THREAD, "title": BUDGET_TITLE, "site": "blog.example.org",
            "url": "https://blog.example.org/2023/06/open-budget-meetings/", "posts": 3,
            "last": "2023-06-13T09:30:00Z",
        }],
        "sites": [{"value": "blog.example.org", "count": 3}],
        "first_seen": "2023-06-12T07:45:00Z",
        "last_seen": "2023-06-13T09:30:00Z",
        "months": [{"value": "2023-06", "count": 3}],
        "domains": [{"value": "instituteforgovernment.org.uk", "count": 1}, {"value": "youtube.com", "count": 1}],
        "replies_to": [{"author": "Dev Okonkwo", "count": 1}, {"author": "Hannah Pryce", "count": 1}],
        "replied_by": [{"author": "Dev Okonkwo", "count": 1}],
        "reply_threads_read": 1,
        "complete": True,
    } == profile


def test_who_replies_to_whom_comes_from_parent_ids(archive):
    dev = author_profile(archive, "Dev Okonkwo")
    assert [{"author": "Rosalind Achterberg", "count": 1}] == dev["replies_to"]
    assert [{"author": "Margaret Lowe", "count": 1}, {"author": "Rosalind Achterberg", "count": 1}] == dev["replied_by"]
    gerald = author_profile(archive, "Gerald P.")
    assert [{"author": "Dee (Elm St. Parents)", "count": 1}] == gerald["replies_to"]
    assert [{"author": "Martha Kowalski", "count": 1}] == gerald["replied_by"]


def test_undated_commenter_has_no_first_or_last_date_and_no_months(archive):
    profile = author_profile(archive, "KT Chong")
    assert (3, None, None, []) == (profile["posts"], profile["first_seen"], profile["last_seen"], profile["months"])
    assert [{"value": "youtube.com", "count": 1}] == profile["domains"]
    assert ([], []) == (profile["replies_to"], profile["replied_by"])


def test_unknown_or_empty_author_has_no_profile(archive):
    assert author_profile(archive, "Nobody At All") is None
    assert author_profile(archive, "") is None
    assert author_profile(archive, "Rosalind") is None  # a whole name, not a part of one


def test_author_names_ignore_case_and_come_back_as_written(archive):
    assert author_profile(archive, "Rosalind Achterberg") == author_profile(archive, "rosalind ACHTERBERG")


def test_domain_profile_takes_in_subdomains_and_counts_urls(archive):
    profile = domain_profile(archive, "substack.com")
    assert "substack.com" == profile["domain"]
    assert 'domain:"substack.com"' == profile["query"]
    assert 3 == profile["posts"]
    assert [{"value": "david lamy", "count": 1}, {"value": "Hannah Pryce", "count": 1},
            {"value": "Priti Shah", "count": 1}] == profile["authors"]
    assert ["stephaniekelton.substack.com", "thelocalbrief.substack.com", "ukpolitics.substack.com"] == [
        s["value"] for s in profile["subdomains"]]
    assert {"https://thelocalbrief.substack.com/p/why-our-open-budget-experiment-stalled",
            "https://ukpolitics.substack.com/p/spreadsheets-not-pdfs"} < {u["url"] for u in profile["urls"]}
    assert [(BUDGET_THREAD, 2), ("3cc1c8a6f980c20f", 1)] == [(t["thread_id"], t["posts"]) for t in profile["threads"]]
    assert ("2023-06-13T08:15:00Z", "2023-06-16T13:50:00Z") == (profile["first_seen"], profile["last_seen"])
    assert [{"value": "2023-06", "count": 2}] == profile["months"]
    assert profile["complete"]


def test_domain_profile_normalises_the_name_and_merges_aliases(archive):
    youtube = domain_profile(archive, "www.YouTube.com")
    assert "youtube.com" == youtube["domain"]
    assert youtube == domain_profile(archive, "youtu.be")
    short_links = [u for u in youtube["urls"] if u["url"].startswith("https://youtu.be/")]
    assert short_links, "youtu.be links count as youtube.com links"
    assert ["2018-11", "2023-06"] == [m["value"] for m in youtube["months"]]


def test_unknown_or_malformed_domain_has_no_profile(archive):
    for name in ("nowhere.example", "", 'x.com" OR "y', "a b", "kelton.substack.com"):
        assert domain_profile(archive, name) is None, name


def test_profiles_say_when_they_read_only_part_of_the_posts(archive, monkeypatch):
    monkeypatch.setattr(profiles, "PROFILE_SCAN_LIMIT", 2)
    profile = domain_profile(archive, "youtube.com")
    assert profile["posts"] == 7 and not profile["complete"]
    assert sum(t["posts"] for t in profile["threads"]) == 2


def test_thread_view_nests_replies_and_names_the_parent(archive):
    found = thread_view(archive, BUDGET_THREAD)
    layout = [(p["author"], p["depth"], p["parent_author"]) for p in found["posts"]]
    assert [
        ("Rosalind Achterberg", 0, None),
        ("Dev Okonkwo", 1, None),
        ("Rosalind Achterberg", 2, "Dev Okonkwo"),
        ("Dev Okonkwo", 3, "Rosalind Achterberg"),
        ("Margaret Lowe", 2, "Dev Okonkwo"),
        ("Hannah Pryce", 1, None),
        ("Rosalind Achterberg", 2, "Hannah Pryce"),
        ("Weekly links: open budgets, closed working groups – Civic Digest", 1, None),
        ("Colin from Mill Lane", 1, None),
        ("Priti Shah", 1, None),
    ] == layout
    assert BUDGET_TITLE == found["thread"]["title"]
    assert {"url": "https://youtu.be/Xq3b7Lm0ZPk?t=1834", "domain": "youtube.com"} in found["posts"][1]["links"]


def test_thread_view_marks_the_words_of_a_query(archive):
    found = thread_view(archive, BUDGET_THREAD, "budget meet*")
    root = found["posts"][0]["html"]
    assert "every <mark>budget</mark> session" in root
    assert [p["marked"] for p in found["posts"]].count(True) >= 4
    assert "<mark>" not in thread_view(archive, BUDGET_THREAD, "-budget")["posts"][0]["html"]
    # a query that does not parse marks nothing and fails nothing
    assert not any(p["marked"] for p in thread_view(archive, BUDGET_THREAD, "(budget")["posts"])


def test_marked_text_is_escaped_and_keeps_line_breaks(archive):
    terms = {archive.engine.normalize_term("budget")}
    html = mark_text(archive, 'a <script>alert("x")</script> budget\nnext line & more', terms, ())
    assert 'a &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>budget</mark>\nnext line &amp; more' == html


def test_unknown_thread_has_no_view(archive):
    assert thread_view(archive, "0000000000000000") is None
    assert thread_view(archive, "") is None
