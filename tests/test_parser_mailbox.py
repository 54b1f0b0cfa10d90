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
import tracemalloc
import zlib
from dataclasses import dataclass
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.parsers import PARSERS, parse_file, parse_source, parser_for
from indexer.parsers.base import ParseError, SourceFile, clean_text
from indexer.parsers.generic import GenericHtmlParser
from indexer.parsers.mailbox import MailboxParser, gunzip, read_mails
from indexer.parsers.plaintext import PlainTextParser
from indexer.settings import setting
from tests.conftest import FIXTURES, REALDATA, parents, require_shared
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


# -- each fixture's threads -----------------------------------------------------------------------


def posts_of(thread) -> list[tuple]:
    """(kind, author, date, parent position, text, links) of each post, in thread order."""
    return [
        (p.kind, p.author, p.date, parent, p.text, p.links)
        for p, parent in zip(thread.posts, parents(thread), strict=True)
    ]


FIXTURE_NAMES = sorted(p.name for p in MBOX.iterdir())


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixtures_keep_no_address_and_no_mojibake(name):
    threads = parse(name)
    assert 0 == leaks(threads, (MBOX / name).read_bytes())
    assert not MOJIBAKE.search(records_text(threads))
    assert all(t.platform == "mbox" and t.source == name for t in threads)


def test_html_only_message_becomes_text_and_format_flowed_is_joined():
    [thread] = parse("mbox-html-only-and-format-flowed.mbox")
    assert ("Rotavator booking", "Kofi Mensah", "2019-04-02T18:00:00Z") == (thread.title, thread.author, thread.date)
    assert [
        (
            "post",
            "Kofi Mensah",
            "2019-04-02T18:00:00Z",
            None,
            # <blockquote> nested in <blockquote> becomes "> > "; &mdash; decoded; the tag markup gone
            "Hello neighbours,\n\n> Can we borrow the rotavator?\n>\n> > Only on weekends.\n\n"
            "Yes — the booking sheet is at this link.\n\nKofi",
            ["https://sheets.example.com/rotavator"],  # the href, its fbclid tracker dropped
        ),
        (
            "comment",
            "Priya Shah",
            "2019-04-02T19:00:00Z",
            0,
            # flowed lines joined, quoted flowed lines joined within the quote; the signature
            # (and the URL in it) dropped up to the attribution line of the quoted message
            "Agreed, let's meet on Friday at the community hall after work.\n\n"
            "On Tue, 2 Apr 2019 18:00, Kofi Mensah <[address hidden]> wrote:\n"
            "> Yes, the booking sheet is online.",
            [],
        ),
    ] == posts_of(thread)
    assert "<" not in thread.posts[0].text and "priya.example.net" not in records_text([thread])


def test_latin1_quoted_printable_and_mislabelled_charsets_are_decoded():
    data = (MBOX / "mbox-latin1-quoted-printable.mbox").read_bytes()
    assert b"=?iso-8859-1?q?Ren=E9_Lef=E8vre?=" in data and b"=?utf-8?b?" in data  # RFC 2047 names
    [thread] = parse("mbox-latin1-quoted-printable.mbox")
    # every message carries "[Cuisine]": the list's own tag is dropped from the title
    assert "crème brûlée sans chalumeau" == thread.title
    assert ("René Lefèvre", "2019-03-04T09:00:00Z") == (thread.author, thread.date)
    assert [
        (
            "post",
            "René Lefèvre",
            "2019-03-04T09:00:00Z",
            None,
            # quoted-printable latin-1; the "--=20" signature (and its URL) dropped
            "Bonjour à tous,\n\nComment caraméliser la crème brûlée sans chalumeau ? J'ai lu\n"
            "http://recettes.example.com/creme-brulee mais ça ne marche pas.",
            ["http://recettes.example.com/creme-brulee"],
        ),
        (
            "comment",
            "Jürgen Müller",
            "2019-03-04T11:30:00Z",
            0,
            # windows-1252 8bit: curly quotes, dash, euro; ">http://" quoted without its space,
            # kept as a "> " line and out of the links
            "Le 04/03/2019 à 10:00, René Lefèvre a écrit :\n"
            "> Comment caraméliser la crème brûlée sans chalumeau ? J'ai lu\n"
            "> http://recettes.example.com/creme-brulee mais ça ne marche pas.\n\n"
            "Use the grill: “broil” it for 2 minutes — it costs 0 €.",
            [],
        ),
        (
            "comment",
            "Zoë Ångström",
            "2019-03-05T08:00:00Z",
            1,
            # UTF-8 labelled iso-8859-1, and a raw UTF-8 From header; ">From " unquoted (mboxrd)
            "Très bien, merci Jürgen ! Ça marche.\n\nFrom the archives: the grill trick is old.",
            [],
        ),
    ] == posts_of(thread)
    assert not thread.posts[1].text.endswith("Jürgen")  # the signature


def test_pipermail_obfuscated_addresses_are_hidden():
    [thread] = parse("mbox-pipermail-obfuscated-addresses.mbox")
    assert ("Seed swap", "Jane Doe", "2015-11-03T09:00:00Z") == (thread.title, thread.author, thread.date)
    assert [
        (
            # "look at example.org" is prose, not an address; the scrubbed-attachment note is dropped
            "post",
            "Jane Doe",
            "2015-11-03T09:00:00Z",
            None,
            "Seed swap on Saturday; look at example.org for details.",
            [],
        ),
        (
            # "sam at example.org" alone is an address, not a name; Mailman's footers (quoted
            # and not) dropped; the addresses in the "wrote:" line and in <…> hidden
            "comment",
            "unknown",
            "2015-11-03T11:00:00Z",
            0,
            "On Tue, 2015-11-03 at 10:00 +0100, [address hidden] wrote:\n"
            "> Seed swap on Saturday; look at example.org for details.\n\n"
            "Thanks! I will bring beans. Questions to <[address hidden]>.",
            [],
        ),
    ] == posts_of(thread)
    text = records_text([thread])
    for address in ("jdoe at example.org", "sam at example.org", "garden at lists.example.org"):
        assert address not in text
    assert "attachment" not in text and "listinfo" not in text and "mailing list" not in text


def test_threading_by_normalised_subject_when_headers_are_missing():
    threads = parse("mbox-thread-by-subject-only.mbox")
    # no message has References or In-Reply-To: replies join by subject, without parents
    assert [
        ("Allotment water rota", "Alice Hart", "2019-04-01T08:00:00Z"),
        ("Weekly meeting", "Carol Ng", "2019-04-01T10:00:00Z"),
        ("Weekly meeting", "Erin Walsh", "2019-04-08T10:00:00Z"),  # not a reply: a new conversation
        ("Compost bins", "Gita Rao", "2019-04-09T07:00:00Z"),  # a reply to nothing in the file
    ] == [(t.title, t.author, t.date) for t in threads]
    assert [
        [
            ("post", "Alice Hart", "2019-04-01T08:00:00Z", None, "Who waters plot 7 this week?", []),
            ("comment", "Bob Stone", "2019-04-01T09:00:00Z", None, "I can do Tuesday.", []),
            # "RE: [Garden] allotment  water rota": case, spacing and the tag do not matter
            ("comment", "unknown", "2019-04-01T11:00:00Z", None, "Wednesday is mine.", []),
        ],
        [("post", "Carol Ng", "2019-04-01T10:00:00Z", None, "Meeting on Thursday at the shed.", [])],
        [
            ("post", "Erin Walsh", "2019-04-08T10:00:00Z", None, "Next meeting: Thursday again, bring seeds.", []),
            # "Fwd:" joins the latest earlier conversation on the subject, not Carol's
            ("comment", "Frank Ode", "2019-04-08T12:00:00Z", None, "Forwarding for those not on the list.", []),
        ],
        [
            (
                "post",
                "Gita Rao",
                "2019-04-09T07:00:00Z",
                None,
                "The bins arrived; the thread that started this is in last month's archive.",
                [],
            )
        ],
    ] == [posts_of(t) for t in threads]


def test_nntp_article_prefers_text_plain():
    [thread] = parse("nntp-article.txt")
    # a reply whose parent is not in the file is the root of its own thread
    assert ("Qual wiki?", "Ana Souza", "2016-03-15T21:14:56Z") == (thread.title, thread.author, thread.date)
    assert [
        (
            "post",
            "Ana Souza",
            "2016-03-15T21:14:56Z",
            None,
            "Bom dia,\n\nConcordo com a proposta da Fernanda: vamos usar a wiki em\n"
            "https://wiki.example.org/Projeto.\n\nEm 15/03/2016 12:05, Fernanda Lima escreveu:\n"
            "> Qual wiki usamos?",
            ["https://wiki.example.org/Projeto"],
        )
    ] == posts_of(thread)
    assert ["wiki.example.org"] == thread.posts[0].domains
    text = records_text([thread])
    assert "HTML version" not in text and "multi-part" not in text and "203.0.113.9" not in text


INLINE_MBOX = b"""From ann@example.org Mon Apr  1 08:00:00 2019
From: Ann Lee <ann@example.org>
Subject: Shed roof
Date: Mon, 1 Apr 2019 08:00:00 +0000
Message-ID: <t1@example.org>

The shed roof leaks.

From ben@example.org Mon Apr  1 09:00:00 2019
From: Ben Cho <ben@example.org>
Subject: Re: Shed roof
Date: Mon, 1 Apr 2019 09:00:00 +0000
Message-ID: <t3@example.org>
In-Reply-To: <t2@example.org>
References: <t1@example.org> <t2@example.org>

Tar it.

From cy@example.org Mon Apr  1 10:00:00 2019
From: Cy Dunn <cy@example.org>
Subject: Tar prices
Message-ID: <t4@example.org>
References: <t0@example.org> <t2@example.org>

Tar is cheap this spring.

From di@example.org Tue Apr  2 10:00:00 2019
From: Di Fox <di@example.org>
Subject: Re: Fence
Date: Tue, 2 Apr 2019 10:00:00 +0000
Message-ID: <u2@example.org>
In-Reply-To: <u1@example.org>

Agreed.

From ed@example.org Tue Apr  2 09:00:00 2019
From: Ed Gray <ed@example.org>
Subject: Fence
Date: Tue, 2 Apr 2019 09:00:00 +0000
Message-ID: <u1@example.org>

The fence needs paint.
"""


def test_threading_by_references_through_missing_messages_and_parents_first():
    shed, fence = MailboxParser().parse(source_of(INLINE_MBOX))
    # Ben replies to t2, missing from the file: his parent is the nearest References message
    # the file holds; Cy names only missing messages (and another subject) yet shares t2
    assert "Shed roof" == shed.title
    assert [("post", "Ann Lee", None), ("comment", "Ben Cho", 0), ("comment", "Cy Dunn", None)] == [
        (p.kind, p.author, parent) for p, parent in zip(shed.posts, parents(shed), strict=True)
    ]
    # no Date header: the date of the mbox From line
    assert shed.posts[2].date.startswith("2019-04-01T10:00:00")
    # Di's reply comes first in the file; her parent still comes first in the thread
    assert ("Fence", "Ed Gray", "2019-04-02T09:00:00Z") == (fence.title, fence.author, fence.date)
    assert [("post", "Ed Gray", None), ("comment", "Di Fox", 0)] == [
        (p.kind, p.author, parent) for p, parent in zip(fence.posts, parents(fence), strict=True)
    ]


# -- gzip -----------------------------------------------------------------------------------------


def gzip_stream(*chunks: bytes, repeat_last: int = 1) -> bytes:
    """One gzip member of the chunks, the last one compressed ``repeat_last`` times, never all in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = [compressor.compress(chunk) for chunk in chunks[:-1]]
    out += [compressor.compress(chunks[-1]) for _ in range(repeat_last)]
    out.append(compressor.flush())
    return b"".join(out)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_gzipped_fixture_parses_like_the_plain_one(name):
    data = (MBOX / name).read_bytes()
    packed = source_of(gzip.compress(data), name)
    assert MailboxParser is parser_for(packed)
    assert [t.as_dict() for t in parse_source(source_of(data, name))] == [t.as_dict() for t in parse_source(packed)]


def test_gzip_bomb_is_refused_naming_the_limit():
    limit = setting("max_file_bytes")
    chunk = bytes(1 << 20)
    # a real mbox, then zero bytes past the limit: refused for its size, whatever it holds
    bomb = gzip_stream(
        (MBOX / "mbox-thread-by-subject-only.mbox").read_bytes(), chunk, repeat_last=limit // len(chunk) + 1
    )
    assert len(bomb) < limit // 100
    with pytest.raises(ParseError) as raised:
        parse_source(source_of(bomb, "bomb.mbox.gz"))
    assert "bomb.mbox.gz" == raised.value.path
    assert f"{limit:,}-byte limit" in raised.value.reason
    assert "max_file_bytes" in raised.value.reason and "gzip bomb" in raised.value.reason


@pytest.mark.parametrize(
    "damage",
    [
        lambda gz: gz[:2] + b"\x00" * (len(gz) - 2),  # the magic, then nothing gzip
        lambda gz: gz[:30] + bytes(b ^ 0xFF for b in gz[30:40]) + gz[40:],  # the deflate data flipped
        lambda gz: gz[:-5] + bytes([gz[-5] ^ 1]) + gz[-4:],  # the size in the trailer wrong
        lambda gz: gz[:-8] + bytes([gz[-8] ^ 1]) + gz[-7:],  # the CRC wrong
        lambda gz: gz + b"garbage after the member",
        lambda gz: gz[:6],  # cut inside the header
    ],
    ids=["not-gzip", "flipped", "size", "crc", "trailing-garbage", "cut-in-header"],
)
def test_corrupt_gzip_raises_parse_error(damage):
    gz = gzip.compress((MBOX / "mbox-latin1-quoted-printable.mbox").read_bytes())
    with pytest.raises(ParseError, match="mbox: "):
        MailboxParser().parse(source_of(damage(gz), "broken.mbox.gz"))


def test_truncated_gzip_raises_only_parse_error():
    gz = gzip.compress((MBOX / "mbox-latin1-quoted-printable.mbox").read_bytes())
    errors = 0
    for end in range(2, len(gz), 3):
        try:
            MailboxParser().parse(source_of(gz[:end], "cut.mbox.gz"))
        except ParseError:
            errors += 1
    assert errors  # and nothing but ParseError, at any cut


def test_gzip_cut_short_is_refused():
    gz = gzip.compress((MBOX / "mbox-latin1-quoted-printable.mbox").read_bytes())
    with pytest.raises(ParseError):
        MailboxParser().parse(source_of(gz[:-8], "cut.mbox.gz"))


def test_gunzip_reads_every_member_up_to_the_limit():
    first, second = b"From a\n" * 10, b"From b\n" * 10
    members = gzip.compress(first) + gzip.compress(second)
    assert first + second == gunzip(members, len(first + second), "two.gz")
    assert first == gunzip(gzip.compress(first) + b"\0" * 512, len(first), "padded.gz")  # tape padding
    with pytest.raises(ParseError, match=f"{len(first + second) - 1:,}-byte limit"):
        gunzip(members, len(first + second) - 1, "two.gz")  # the second member passes the limit


def test_gunzip_stops_at_the_limit():
    bomb = gzip_stream(bytes(1 << 20), repeat_last=64)  # 64 MiB of zeros
    tracemalloc.start()
    try:
        with pytest.raises(ParseError, match="100,000-byte limit"):
            gunzip(bomb, 100_000, "bomb.gz")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000


# -- what is not mail -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "plaintext").iterdir()))
def test_plain_text_is_not_claimed(name):
    source = SourceFile.read(FIXTURES / "plaintext" / name)
    assert not MailboxParser.suitable(source)
    assert PlainTextParser is parser_for(source)


@pytest.mark.parametrize(
    "text",
    [
        b"Subject: notes\nDate: Mon, 1 Apr 2019\n\nNot a message: no From header.\n",
        b"From: Ann\nSubject: notes\nDate: Mon, 1 Apr 2019\n\nA header block, but no header only mail carries.\n",
        b"Dear Ann,\nFrom Monday the shed is open.\nRegards\n",
    ],
)
def test_mail_like_text_is_not_claimed(text):
    assert not MailboxParser.suitable(source_of(text, "notes.txt"))


def test_prose_starting_with_from_is_not_claimed():
    assert not MailboxParser.suitable(source_of(b"From the editor\nUpdate: the meeting moved to Friday.\n", "a.txt"))


def test_gzipped_files_read_as_what_they_hold():
    text = (FIXTURES / "plaintext" / "post-only.txt").read_bytes()
    source = source_of(gzip.compress(text), "notes.txt.gz")
    assert MailboxParser is parser_for(source)  # the mailbox parser itself reads gzip
    with pytest.raises(ParseError, match="holds no mail"):
        MailboxParser().parse(source)
    # the registry unpacks first, so the plain-text parser reads the post
    assert [t.posts[0].text for t in parse_source(source)] == [text.decode().strip()]


def test_mhonarc_index_is_not_mail():
    path = require_shared(FEDORA_INDEX)
    assert [t.platform for t in parse_file(path, REALDATA)][:1] == ["mhonarc"]
    html = source_of(gzip.decompress(path.read_bytes()), "thread.html")
    claimed = MailboxParser.suitable(html)  # not asserted on the call: a failure would print the page
    assert not claimed


# -- the fedora-devel month against its MHonArc thread index --------------------------------------

INDEX_LEVELS = 4  # the index nests replies at most this many levels deep (the root is level 1)


@dataclass
class IndexEntry:
    number: int  # msgNNNNN.html: the message's place in the month, from 0
    subject: str
    author: str
    depth: int  # 0 for a thread's first message
    parent: int | None  # the entry it is listed under
    follow_up: bool  # listed under "<Possible follow-ups>": its parent is not in the archive


def mhonarc_threads(html: bytes) -> list[list[IndexEntry]]:
    soup = BeautifulSoup(html, "lxml")
    threads = []
    for item in soup.find("hr").find_next("ul").find_all("li", recursive=False):
        entries: list[IndexEntry] = []
        _read_index([item], 0, None, entries)
        threads.append(entries)
    return threads


def _read_index(items, depth: int, parent: int | None, entries: list[IndexEntry]) -> None:
    follow_up = False
    for item in items:
        strong = item.find("strong", recursive=False)
        if strong is None:
            follow_up = follow_up or "Possible follow-ups" in item.get_text()
            continue
        number = int(re.fullmatch(r"msg(\d{5})\.html", strong.a["href"]).group(1))
        author = item.find("em", recursive=False).get_text()
        entries.append(
            IndexEntry(number, clean_text(strong.a.get_text()), clean_text(author), depth, parent, follow_up)
        )
        replies = item.find("ul", recursive=False)
        if replies is not None:
            _read_index(replies.find_all("li", recursive=False), depth + 1, number, entries)


def shown_name(name: str) -> str:
    """A sender's name compared the way MHonArc shows it: without the quoted-pair backslashes
    it keeps (\\"spot\\"), and a trailing "(…)" taken for a comment holding the name (MHonArc
    shows the decoded RFC 2047 name "Parag N(…)" as "…")."""
    name = name.replace("\\", "")
    comment = re.fullmatch(r".+\((.+)\)", name)
    return comment.group(1) if comment else name


def test_fedora_threads_match_the_mhonarc_thread_index():
    path = require_shared(REALDATA / FEDORA)
    index = mhonarc_threads(gzip.decompress(require_shared(FEDORA_INDEX).read_bytes()))
    entries = {e.number: e for thread in index for e in thread}
    assert (60, 292, list(range(292))) == (len(index), len(entries), sorted(entries))
    assert INDEX_LEVELS - 1 == max(e.depth for e in entries.values())

    # msgNNNNN is the NNNNNth message of the file: the same subject and sender, all 292
    mails = read_mails(gzip.decompress(path.read_bytes()))
    assert 292 == len(mails)
    assert [(e.subject, shown_name(e.author)) for e in sorted(entries.values(), key=lambda e: e.number)] == [
        (m.subject, shown_name(m.author)) for m in mails
    ]
    # a record's post is found by its sender and date, which no two messages share
    number_of = {(m.author, m.date): m.index for m in mails}
    assert 292 == len(number_of)

    threads = parse_file(path, REALDATA)
    ours = [[number_of[(p.author, p.date)] for p in t.posts] for t in threads]
    assert (60, 292) == (len(threads), sum(len(t.posts) for t in threads))
    assert sorted(sorted(e.number for e in t) for t in index) == sorted(sorted(numbers) for numbers in ours)

    by_root = {t[0].number: t for t in index}
    parent_of: dict[int, int | None] = {}
    root_of: dict[int, int] = {}
    for thread, numbers in zip(threads, ours, strict=True):
        first = by_root[numbers[0]][0]  # the thread starts where the index's does
        assert (re.sub(r"^(Re: )+", "", first.subject), shown_name(first.author)) == (
            thread.title,
            shown_name(thread.author),
        )
        assert ["post"] + ["comment"] * (len(numbers) - 1) == [p.kind for p in thread.posts]
        for number, parent in zip(numbers, parents(thread), strict=True):
            parent_of[number] = numbers[parent] if parent is not None else None
            root_of[number] = numbers[0]

    def path_to(number: int) -> list[int]:
        """The parser's thread from its root down to the message; one without a parent hangs under the root."""
        chain = [number]
        while parent_of[chain[0]] is not None:
            chain.insert(0, parent_of[chain[0]])
        return chain if chain[0] == root_of[number] else [root_of[number], *chain]

    # the index puts deeper replies at its last level, under their ancestor there
    deeper = 0
    for entry in entries.values():
        chain = path_to(entry.number)
        if entry.depth < INDEX_LEVELS - 1:
            assert (entry.number, entry.depth) == (entry.number, len(chain) - 1)
        else:
            assert len(chain) - 1 >= entry.depth, entry.number
            deeper += len(chain) > INDEX_LEVELS
        if entry.parent is not None:
            assert (entry.number, entry.parent) == (entry.number, chain[entry.depth - 1])
    assert deeper  # the parser keeps the nesting the index flattens

    # follow-ups: replies whose parent the month lacks, put with their thread by References or subject
    follow_ups = sorted(e.number for e in entries.values() if e.follow_up)
    assert [6, 11, 12, 153, 285] == follow_ups
    ids = {m.message_id for m in mails}
    for number in follow_ups:
        assert parent_of[number] is None and root_of[number] != number
        assert not any(ref in ids for ref in [*mails[number].in_reply_to, *mails[number].references])
