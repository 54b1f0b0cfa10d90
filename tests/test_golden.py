"""Every golden file: the parser's output matches it, and it matches the page itself."""

from __future__ import annotations

import json

import pytest

from indexer.parsers import parse_file
from tests.conftest import REALDATA, require_shared
from tests.golden import EMAIL, GOLDEN, page_text, project

CASES = sorted(p.relative_to(GOLDEN).as_posix()[: -len(".json")] for p in GOLDEN.rglob("*.json"))


@pytest.mark.parametrize("relpath", CASES)
def test_parser_matches_golden(relpath):
    path = require_shared(REALDATA / relpath)
    expected = json.loads((GOLDEN / f"{relpath}.json").read_text())
    assert expected["threads"] == project(parse_file(path, REALDATA))


@pytest.mark.parametrize("relpath", CASES)
def test_golden_agrees_with_the_page(relpath):
    path = require_shared(REALDATA / relpath)
    expected = json.loads((GOLDEN / f"{relpath}.json").read_text())
    shown = expected["page_shows"]["comments"]
    found = sum(1 for t in expected["threads"] for p in t["posts"] if p["kind"] == "comment")
    assert shown == found, f"{relpath}: the page shows {shown} comments ({expected['page_shows']['how']})"
    visible = page_text(path)
    for thread in expected["threads"]:
        for post in thread["posts"]:
            if post["author"]:
                assert " ".join(post["author"].split()) in visible, f"{post['author']!r} is not written on the page"


@pytest.mark.parametrize("relpath", CASES)
def test_golden_holds_no_email_address(relpath):
    assert not EMAIL.search((GOLDEN / f"{relpath}.json").read_text())
