"""The mailbox parser on hand-written fixtures named after their quirks, and on the real archives.

Fixtures use invented lists and reserved addresses (example.org); the real archives in
../shared/realdata hold posters' addresses, which are only read at run time to check that no
part of one reaches a record. The fedora-devel month is checked against the MHonArc thread
index of the same month, the archive's own view of its threads.
"""

from __future__ import annotations

import gzip
import json
import re
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from indexer.parsers import PARSERS, parse_file, parser_for
from indexer.parsers.base import SourceFile
from indexer.parsers.generic import GenericHtmlParser
from indexer.parsers.mailbox import MailboxParser
from indexer.parsers.plaintext import PlainTextParser
from tests.conftest import FIXTURES, REALDATA, require_shared
from tests.golden import EMAIL

MBOX = FIXTURES / "mbox"
LISTS = REALDATA / "mailing_list"
FEDORA = "mailing_list/fedora-devel-list-2010-January.txt.gz"
FEDORA_INDEX = LISTS / "fedora-devel-list-2010-January-thread-index-mhonarc.html.gz"
OBFUSCATED = re.compile(r"[\w.+-]+ at [\w-]+(?:\.[\w-]+)+")
MOJIBAKE = re.compile("Ã|Â|â€|\ufffd")


def source_of(data: bytes, name: str = "archive.mbox") -> SourceFile:
    return SourceFile(path=Path(name), relpath=name, data=data)


def parse(name: str):
    return parse_file(MBOX / name)


def parents(thread) -> list[int | None]:
    positions = {p.id: p.position for p in thread.posts}
    return [positions.get(p.parent_id) if p.parent_id else None for p in thread.posts]


def records_text(threads) -> str:
    return json.dumps([t.as_dict() for t in threads], ensure_ascii=False)


def from_headers(data: bytes) -> list[str]:
    """The From headers and mbox From lines of an archive, RFC 2047 words decoded."""
    text = data.decode("utf-8", errors="replace")
    return [decode_words(line) for line in re.findall(r"(?m)^From:? .*$", text)]


def decode_words(text: str) -> str:
    return re.sub(
        r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=(?:\s+(?==\?))?", lambda m: str(make_header(decode_header(m.group(0)))), text
    )


def leaks(threads, data: bytes) -> int:
    """How many addresses, or names not written as a display name, the records hold.

    Only a count, so a failing test never prints an address. An author must be written in a
    From header outside its address (``Jane <jane@…>``, ``jane at … (Jane)``), or be ``unknown``.
    """
    text = records_text(threads)
    count = len(EMAIL.findall(text))
    headers = from_headers(data)
    addresses = {a for line in headers for a in [*EMAIL.findall(line), *OBFUSCATED.findall(line)]}
    count += sum(1 for address in addresses if address in text)
    shown = " ".join(OBFUSCATED.sub(" ", EMAIL.sub(" ", line)) for line in headers).replace("\\", "").replace('"', "")
    authors = {post.author for thread in threads for post in thread.posts if post.author != "unknown"}
    count += sum(1 for author in authors if author.replace('"', "") not in shown)
    return count


# -- the registry ---------------------------------------------------------------------------------


def test_platform_and_description():
    assert "mbox" == MailboxParser.PLATFORM
    assert MailboxParser.DESCRIPTION and "\n" not in MailboxParser.DESCRIPTION
    assert PARSERS.index(MailboxParser) < PARSERS.index(PlainTextParser) < PARSERS.index(GenericHtmlParser)


@pytest.mark.parametrize("name", sorted(p.name for p in MBOX.iterdir()))
def test_every_fixture_is_claimed_by_mailbox(name):
    assert MailboxParser is parser_for(SourceFile.read(MBOX / name))


@pytest.mark.parametrize(
    "name",
    [
        "fedora-devel-list-2010-January.txt.gz",
        "perceval-hyperkitty-metrics-grimoire-2016-04.mbox",
        "perceval-nntp-mozilla-dev-project-link.txt",
        "perceval-pipermail-metrics-grimoire-2015-11.mbox",
        "perceval-wikimedia-analytics-dnt.mbox",
    ],
)
def test_real_archives_keep_no_address(name):
    path = require_shared(LISTS / name)
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    threads = parse_file(path, REALDATA)
    assert 0 == leaks(threads, data)
    assert not MOJIBAKE.search(records_text(threads))


def test_real_pipermail_and_hyperkitty_authors_are_display_names():
    pipermail = parse_file(require_shared(LISTS / "perceval-pipermail-metrics-grimoire-2015-11.mbox"), REALDATA)
    hyperkitty = parse_file(require_shared(LISTS / "perceval-hyperkitty-metrics-grimoire-2016-04.mbox"), REALDATA)
    assert ["Andy Grunwald", "Jesus M. Gonzalez-Barahona", "Andy Grunwald", "Andy Grunwald"] == [
        p.author for p in pipermail[0].posts
    ]
    assert ["Jesus M. Gonzalez-Barahona", "Andy Grunwald", "Jesus M. Gonzalez-Barahona"] == [
        p.author for p in hyperkitty[0].posts
    ]
    assert "[GrimoireLab] Presenting GrimoireLab" == hyperkitty[0].title  # the list's own tag dropped
