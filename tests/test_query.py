"""The query language: every operator, and one clear line for each malformed query."""

from datetime import datetime

import pytest

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
    QueryError,
    Term,
    combine,
    parse_query,
)


@pytest.mark.parametrize(
    "text, tree",
    [
        ("", MatchAll()),
        ("quants", Term("quants")),
        ('"open source"', Phrase(("open", "source"))),
        ("billion*", Prefix("billion")),
        ("quantz~", Fuzzy("quantz")),
        ("a b", And((Term("a"), Term("b")))),
        ("a AND b", And((Term("a"), Term("b")))),
        ("a OR b", Or((Term("a"), Term("b")))),
        ("a -b", And((Term("a"), Not(Term("b"))))),
        ("a NOT b", And((Term("a"), Not(Term("b"))))),
        ('a -"b c"', And((Term("a"), Not(Phrase(("b", "c")))))),
        ("(a OR b) c", And((Or((Term("a"), Term("b"))), Term("c")))),
        ('author:"KT Chong"', Filter("author", "KT Chong")),
        ("author:Z -author:Y", And((Filter("author", "Z"), Not(Filter("author", "Y"))))),
        ("author:a author:b", Or((Filter("author", "a"), Filter("author", "b")))),
        ("domain:a.com site:b.org", And((Filter("domain", "a.com"), Filter("site", "b.org")))),
        ("kind:comment", Filter("kind", "comment")),
        ("has:link", HasLink()),
        ("after:2024-06", DateRange(datetime(2024, 6, 1), None)),
        ("before:2025-02-01", DateRange(None, datetime(2025, 2, 1))),
        ("on:2024", DateRange(datetime(2024, 1, 1), datetime(2025, 1, 1))),
        ("on:2024-12", DateRange(datetime(2024, 12, 1), datetime(2025, 1, 1))),
        ("on:2024-02-29", DateRange(datetime(2024, 2, 29), datetime(2024, 3, 1))),
        ("title:bus", Filter("title", "bus")),
        ("thread:abc123", Filter("thread", "abc123")),
    ],
)
def test_parse(text, tree):
    assert tree == parse_query(text)


@pytest.mark.parametrize(
    "text, message",
    [
        ("(a", "a '(' in the query is never closed; add the matching ')'"),
        ("a)", "unbalanced ')' in the query; remove it or add the matching '('"),
        ('"open', 'a quote in the query is never closed; add a closing "'),
        ('author:"KT', 'the quote after author: is never closed; add a closing "'),
        ("author:", 'author: needs a value, e.g. author:"some value"'),
        ("after:", "after: needs a date, e.g. after:2024-06"),
        ("after:June", "after:June is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("on:2023-02-30", "on:2023-02-30 is not a real date"),
        ("has:pictures", "has:pictures is not known; use has:link"),
        ("kind:reply", "kind:reply is not known; use kind:post or kind:comment"),
        ("color:red", "unknown field color:; the fields are author:, domain:, site:, thread:, title:, kind:, after:, before:, on:, has:, comments>N"),
        ("comments>many", "comments>many needs a whole number, e.g. comments>10"),
        ("bus OR comments>3", "comments>N can only be joined to the rest of the query by AND, not OR or NOT"),
        ("OR a", "OR needs a word or filter before it"),
        ("a OR", "OR needs a word or filter after it"),
        ("a AND", "AND needs a word or filter after it"),
        ("NOT", "NOT needs a word or filter after it"),
        ("()", "empty parentheses '()' in the query"),
        ("a*", "'a*': a prefix search needs at least two letters before '*'"),
    ],
)
def test_malformed_queries_say_what_is_wrong_in_one_line(text, message):
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert message == str(caught.value)
    assert "\n" not in str(caught.value)


def test_pasted_urls_are_searched_as_words():
    assert parse_query("https://x.com/a") == Term("https://x.com/a")


def test_command_line_filters_join_the_query():
    tree = combine(Term("gold"), {"author": ["Z", "Revelo"], "domain": []}, after="2024")
    assert tree == And((Term("gold"), Or((Filter("author", "Z"), Filter("author", "Revelo"))),
                        DateRange(datetime(2024, 1, 1), None)))
