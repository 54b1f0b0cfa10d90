"""Golden files: what a real saved page must parse into, checked against the page itself.

Each ``tests/golden/<realdata path>.json`` holds the expected thread and every post's kind,
author, date, parent (by position), links and opening words, plus ``page_shows``: the
number of comments the page itself shows, counted by hand, and how it was counted.

Regenerate one after a deliberate parser change (``page_shows`` is kept, never derived):
    python -m tests.golden wordpress/some-page.html
"""

from __future__ import annotations

import json
import re
import sys
from email.header import decode_header, make_header
from html import unescape
from pathlib import Path

from indexer.parsers import parse_file

GOLDEN = Path(__file__).resolve().parent / "golden"
REALDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"
ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=(?:\s+(?==\?))?")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
TEXT_START_CHARS = 60


def golden_path(relpath: str) -> Path:
    return GOLDEN / f"{relpath}.json"


def project(threads) -> list[dict]:
    """The parts of parsed threads a golden file pins down."""
    result = []
    for thread in threads:
        positions = {p.id: p.position for p in thread.posts}
        meta = thread.metadata()
        result.append(
            {
                "thread": {k: meta[k] for k in ("platform", "title", "url", "site", "author", "date")},
                "posts": [
                    {
                        "kind": p.kind,
                        "author": p.author,
                        "date": p.date,
                        "parent": positions.get(p.parent_id) if p.parent_id else None,
                        "links": p.links,
                        "text_start": p.text[:TEXT_START_CHARS],
                    }
                    for p in thread.posts
                ],
            }
        )
    return result


def page_text(path: Path) -> str:
    """The page's visible characters as a reader sees them, for checking names against."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        import gzip

        data = gzip.decompress(data)
    raw = data.decode("utf-8", errors="replace")
    raw = raw.replace("<![CDATA[", " ").replace("]]>", " ")  # XML exports keep names in CDATA
    # mail headers write non-ASCII names as RFC 2047 encoded words: "=?utf-8?q?Alexander_Bostr=C3=B6m?="
    raw = ENCODED_WORD.sub(lambda m: str(make_header(decode_header(m.group(0)))), raw)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def regenerate(relpath: str) -> Path:
    target = golden_path(relpath)
    old = json.loads(target.read_text()) if target.exists() else {}
    threads = parse_file(REALDATA / relpath, REALDATA)
    data = {
        "source": relpath,
        "page_shows": old.get("page_shows", {"comments": None, "how": "COUNT BY HAND FROM THE PAGE"}),
        "threads": project(threads),
    }
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if EMAIL.search(text):
        raise SystemExit(f"{relpath}: the golden file would hold an e-mail address; fix the parser first")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text + "\n")
    return target


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(regenerate(arg))
