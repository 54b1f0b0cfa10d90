"""Mailing-list archives and news articles: mbox files (plain or gzipped), Pipermail and HyperKitty
monthly exports, single RFC 822 / NNTP articles; one thread per conversation.

Messages are split on mbox ``From `` lines and read with the ``email`` package
(``policy=default``): headers decoded (RFC 2047), the ``text/plain`` part preferred to
``text/html`` (turned into text), each part decoded with its charset.

Conversations are found the way mail readers find them (after JWZ's threading): a message
belongs with every message its ``References`` and ``In-Reply-To`` name, even through
messages missing from the file; its parent is the ``In-Reply-To`` message, else the nearest
``References`` message the file holds. A conversation whose first message is a reply
(``Re:``, or naming a parent the file lacks) joins the latest earlier conversation with the
same subject, compared without ``Re:``/``Fwd:``/``[list]`` prefixes. The first message is
the thread's root (``kind: post``), the others its comments, in file order with parents
before replies.

In the text, quoted lines stay quoted (``> ``, nested ``> > ``); signatures (after a ``-- ``
line), Pipermail's scrubbed-attachment notes and Mailman's list footers are dropped. Authors
are display names only, ``unknown`` where the ``From`` header has none: never any part of an
address. Addresses in the text are hidden, Pipermail's ``name at host`` form too where it
stands as an address (in ``<…>``, alone on a line, in a "wrote:" line).

A gzipped file (recognised by its magic bytes, whatever its name) is decompressed up to the
``max_file_bytes`` setting; a file that would decompress to more is refused (a gzip bomb).
"""

from __future__ import annotations

import email
import email.utils
import re
import zlib
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage

from indexer.dates import iso_date, to_iso
from indexer.links import url_domain
from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.messages import (
    ADDRESS_HIDDEN,
    add_post,
    author_name,
    hide_addresses,
    message_text,
    parents_first,
)
from indexer.records import Thread, stable_id
from indexer.settings import setting

GZIP_MAGIC = b"\x1f\x8b"
UNKNOWN_AUTHOR = "unknown"

# -- recognising mail -----------------------------------------------------------------------------
# An mbox separator: "From " at the start of a line, then the envelope sender and an asctime date.
FROM_LINE = re.compile(rb"^From \S")
ASCTIME = re.compile(rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+\w+\s+\d{1,2}\s+\d{1,2}:\d{2}")
HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
# Headers that only mail and news carry; one of them beside From: makes a header block a message.
MAIL_HEADERS = frozenset(
    b"message-id newsgroups references in-reply-to received return-path path mime-version "
    b"x-mailer user-agent list-id delivered-to nntp-posting-host xref".split()
)
MIN_HEADERS = 3

# -- threading ------------------------------------------------------------------------------------
MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
# Reply and forward prefixes in the languages of our archives, and list tags ("[Fedora-devel]").
REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|sv|antw|vs|odp|ynt|r|rif|res|ref|fwd?|wg|tr|enc)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)", re.I)
LIST_TAG = re.compile(r"^\s*\[[^\]]{1,60}\]\s*")

# -- the text -------------------------------------------------------------------------------------
QUOTE_PREFIX = re.compile(r"^((?:[ \t]?>)+)[ \t]?(.*)$")
SIGNATURE = re.compile(r"^--[ \t]?$")
PIPERMAIL_SCRUBBED = re.compile(r"^-{10,} ?next part ?-{10,}$")
FOOTER_RULE = re.compile(r"^_{20,}$")
FOOTER_LIST = re.compile(r"(?i)mailing list$")
ATTRIBUTION = re.compile(
    r"(?i)(wrote|writes|schrieb|a écrit|escribió|escreveu|scrisse|ha scritto|schreef|skrev|napisał|kirjoitti|написал)"
    r"\s*:\s*$"
)
ORIGINAL_MESSAGE = re.compile(r"(?i)^-{3,}\s*(original message|ursprüngliche nachricht|message d'origine)\s*-{3,}$")
# UTF-8 read as Windows-1252: a lead byte (Ã, Â, Å, Ä, â…) followed by a continuation byte.
DOUBLE_ENCODED = re.compile("[\u00c2-\u00c5\u00e2][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u20ac\u2122]")
# Pipermail's obfuscated address, "jdoe at example.org"; hidden only where it stands as an address.
OBFUSCATED = re.compile(r"[\w.+-]+ at [\w-]+(?:\.[\w-]+)+")
OBFUSCATED_IN_BRACKETS = re.compile(r"<\s*[\w.+-]+ at [\w-]+(?:\.[\w-]+)+\s*>")


@dataclass
class Mail:
    """One message as the threading sees it: its place in the file, its ids and what a reader sees."""

    index: int
    message_id: str
    in_reply_to: list[str]
    references: list[str]
    subject: str
    author: str
    date: str | None
    text: str
    hrefs: list[str] = field(default_factory=list)
    permalink: str | None = None
    archive: str | None = None

    @property
    def is_reply(self) -> bool:
        return bool(self.in_reply_to or self.references or REPLY_PREFIX.match(self.subject))


class MailboxParser(Parser):
    PLATFORM = "mbox"
    DESCRIPTION = (
        "Mailing-list archives: mbox (also gzipped), Pipermail and HyperKitty exports, single news articles;"
        " one thread per conversation"
    )

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if source.data.startswith(GZIP_MAGIC):
            return True  # no other parser reads compressed files; parse() says if it holds no mail
        return looks_like_mail(source.data)

    def parse(self, source: SourceFile) -> list[Thread]:
        data = source.data
        if data.startswith(GZIP_MAGIC):
            data = gunzip(data, setting("max_file_bytes"), source.relpath)
            if not looks_like_mail(data):
                raise ParseError(source.relpath, "mbox: the gzipped file holds no mail (not an mbox or a news article)")
        mails = read_mails(data)
        if not mails:
            raise ParseError(source.relpath, "mbox: no message found in the file")
        strip_list_tag(mails)
        return [self._thread(source, conversation) for conversation in conversations(mails)]

    def _thread(self, source: SourceFile, conversation: list[tuple[Mail, Mail | None]]) -> Thread:
        root = conversation[0][0]
        builder = ThreadBuilder(
            source, self.PLATFORM, url=root.permalink, title=base_subject(root.subject, keep_tags=True) or None,
            site=url_domain(root.archive) if root.archive else None, author=root.author, date=root.date,
            thread_key=f"{source.relpath}#{root.message_id}",
        )
        for position, (mail, parent) in enumerate(conversation):
            add_post(
                builder,
                kind="post" if position == 0 else "comment",
                author=mail.author,
                text=mail.text,
                hrefs=mail.hrefs,
                date=mail.date,
                native_id=_native(mail),
                parent=_native(parent) if parent is not None else None,
                permalink=mail.permalink,
            )
        return builder.build()


def _native(mail: Mail) -> str:
    # Message-IDs often hold a host name or an address: the post id gets a digest of it instead.
    return stable_id(mail.message_id, length=12)


# -- bytes to messages ----------------------------------------------------------------------------


def gunzip(data: bytes, limit: int, relpath: str) -> bytes:
    """The decompressed bytes of a gzip file (every member), refusing to produce more than ``limit``."""
    out = bytearray()
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    pending = data
    try:
        while pending:
            out += decompressor.decompress(pending, limit + 1 - len(out))
            if len(out) > limit:
                raise ParseError(
                    relpath,
                    f"mbox: the gzipped file decompresses to more than the {limit:,}-byte limit"
                    " (max_file_bytes); refused as a possible gzip bomb",
                )
            if decompressor.eof:
                pending = decompressor.unused_data
                if not pending.strip(b"\0"):
                    break
                decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            else:
                pending = decompressor.unconsumed_tail
        if not decompressor.eof:
            raise ParseError(relpath, "mbox: the gzipped file is cut short (its end is missing); save it again")
    except zlib.error as exc:
        raise ParseError(relpath, f"mbox: the file starts like gzip but cannot be decompressed ({exc})") from None
    return bytes(out)


def looks_like_mail(data: bytes) -> bool:
    """An mbox (a ``From `` line then headers) or one message or article (a block of mail headers)."""
    head = data[:16384].lstrip(b"\xef\xbb\xbf \t\r\n")
    lines = head.replace(b"\r\n", b"\n").split(b"\n")
    if lines and FROM_LINE.match(lines[0]):
        # "From the editor" then "Update: …" is prose: an mbox's first message has mail headers
        # (or its From line carries the date an mbox writes there)
        following = set()
        for line in lines[1:40]:
            if not line.strip():
                break
            if HEADER_LINE.match(line):
                following.add(line.split(b":", 1)[0].strip().lower())
        return bool(following & MAIL_HEADERS) or (bool(ASCTIME.search(lines[0])) and bool(following))
    names = set()
    for line in lines[:200]:
        if not line.strip() or not (HEADER_LINE.match(line) or line[:1] in (b" ", b"\t")):
            break  # the end of the header block (or of a file cut short inside it)
        if line[:1] not in (b" ", b"\t"):  # not a folded header's continuation
            names.add(line.split(b":", 1)[0].strip().lower())
    return len(names) >= MIN_HEADERS and b"from" in names and bool(names & MAIL_HEADERS)


def split_mbox(data: bytes) -> list[tuple[bytes, str | None]]:
    """(message bytes, its ``From `` line) for each message; a file without From lines is one message.

    A ``From `` line separates messages when it starts the file or follows a blank line, and
    is followed by a header or carries a date. ``>From `` lines (mboxrd quoting) lose one ``>``.
    """
    lines = data.replace(b"\r\n", b"\n").split(b"\n")
    messages: list[tuple[list[bytes], str | None]] = []
    current: list[bytes] = []
    envelope: str | None = None
    previous_blank = True
    for number, line in enumerate(lines):
        if previous_blank and FROM_LINE.match(line):
            following = lines[number + 1] if number + 1 < len(lines) else b""
            if HEADER_LINE.match(following) or ASCTIME.search(line):
                if current or envelope is not None:
                    messages.append((current, envelope))
                current, envelope = [], line.decode("utf-8", errors="replace")
                previous_blank = False
                continue
        if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
            line = line[1:]
        current.append(line)
        previous_blank = not line.strip()
    if current and any(line.strip() for line in current):
        messages.append((current, envelope))
    return [(b"\n".join(body), env) for body, env in messages if any(line.strip() for line in body)]


def read_mails(data: bytes) -> list[Mail]:
    """Every message in an mbox or article, in file order."""
    mails = []
    for index, (raw, envelope) in enumerate(split_mbox(data)):
        message = email.message_from_bytes(raw, policy=policy.default)
        mails.append(_mail(index, message, envelope))
    return mails


def _mail(index: int, message: EmailMessage, envelope: str | None) -> Mail:
    message_ids = MESSAGE_ID.findall(_header(message, "Message-ID"))
    message_id = message_ids[0] if message_ids else (_header(message, "Message-ID").strip() or f"no-id-{index}")
    text, hrefs = body_text(message)
    return Mail(
        index=index,
        message_id=message_id,
        in_reply_to=[i for i in MESSAGE_ID.findall(_header(message, "In-Reply-To"))[:1] if i != message_id],
        references=[i for i in MESSAGE_ID.findall(_header(message, "References")) if i != message_id],
        subject=clean_text(_header(message, "Subject")),
        author=sender_name(_header(message, "From")),
        date=_date(_header(message, "Date"), envelope),
        text=text,
        hrefs=hrefs,
        permalink=_http_in(_header(message, "Archived-At")),
        archive=_http_in(_header(message, "List-Archive")),
    )


def _header(message: EmailMessage, name: str) -> str:
    """A header's value as written, RFC 2047 words decoded, unfolded; "" when absent.

    Read from the raw header rather than the policy's parsed one: the parsed From header
    drops the comment that holds Pipermail's display name ("jdoe at example.org (Jane Doe)").
    """
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is None:
        return ""
    raw = _unsurrogate(str(raw))
    try:
        text = str(make_header(decode_header(raw)))
    except Exception:  # noqa: BLE001 - a malformed encoded word: keep the header as written
        text = raw
    return " ".join(text.split())


def _unsurrogate(text: str) -> str:
    """Raw 8-bit bytes in a header (no RFC 2047 encoding) arrive as surrogates: decode them properly."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    raw = text.encode("utf-8", errors="surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def sender_name(value: str) -> str:
    """The display name of a From header; ``unknown`` when it has none. Never any part of the address.

    The name is taken as written ("Name <addr>", or Pipermail's "addr (Name)"), not re-spaced
    by ``parseaddr``, which serves only for forms neither of these reads.
    """
    value = value.strip()
    if "<" in value:
        name = value.split("<", 1)[0].strip()
    elif value.endswith(")") and "(" in value:
        name = value[value.index("(") + 1 : -1].strip()
    else:
        name = email.utils.parseaddr(value)[0]
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    name = author_name(OBFUSCATED.sub(" ", name)) or ""
    return name if name and "@" not in name else UNKNOWN_AUTHOR


def _date(value: str, envelope: str | None) -> str | None:
    if value:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is not None:
            try:
                return to_iso(parsed)
            except (OverflowError, ValueError):
                pass
        found = iso_date(value)
        if found:
            return found
    if envelope:
        match = ASCTIME.search(envelope.encode("utf-8", errors="replace"))
        if match:
            return iso_date(envelope[match.start():])
    return None


def _http_in(value: str) -> str | None:
    for candidate in re.findall(r"https?://[^\s<>\"]+", value):
        return candidate
    return None


# -- the body -------------------------------------------------------------------------------------


def body_text(message: EmailMessage) -> tuple[str, list[str]]:
    """(text a reader sees, links written as HTML) of a message: text/plain preferred, else HTML."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001 - broken MIME structure: fall back to the whole payload
        part = None
    if part is None:
        if message.is_multipart():
            return "", []
        part = message
    raw = decode_part(part)
    if part.get_content_subtype() == "html":
        text, hrefs = message_text(raw)
    else:
        if (part.get_param("format") or "").lower() == "flowed":
            raw = unflow(raw, delsp=(part.get_param("delsp") or "").lower() == "yes")
        text, hrefs = raw, []
    return clean_body(text), hrefs


def decode_part(part) -> str:
    """A MIME part's text, decoded with its declared charset, else as UTF-8, else as Windows-1252."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        payload = None
    if payload is None:
        payload = str(part.get_payload() or "").encode("utf-8", errors="surrogateescape")
    if isinstance(payload, str):
        payload = payload.encode("utf-8", errors="surrogateescape")
    declared = (part.get_content_charset() or "").lower()
    # Valid UTF-8 with non-ASCII bytes labelled as a one-byte charset is UTF-8 mislabelled:
    # genuine Latin-1 or Windows-1252 text almost never forms valid multi-byte sequences.
    candidates = ["utf-8", declared] if _single_byte(declared) else [declared, "utf-8"]
    for charset in candidates:
        if not charset:
            continue
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("cp1252", errors="replace")


def _single_byte(charset: str) -> bool:
    return charset in ("", "us-ascii", "ascii") or charset.startswith(("iso-8859", "windows-125", "cp125", "latin"))


def unflow(text: str, *, delsp: bool) -> str:
    """Undo format=flowed (RFC 3676): a line ending in a space continues on the next line of its quote depth."""
    result: list[str] = []
    carry: tuple[int, str] | None = None  # (quote depth, text so far) of a paragraph still flowing
    for line in text.replace("\r\n", "\n").split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        if carry is not None and carry[0] == depth:
            content = carry[1] + content
        elif carry is not None:
            result.append(">" * carry[0] + (" " if carry[0] else "") + carry[1])
        carry = None
        if content.endswith(" ") and not SIGNATURE.match(content):
            carry = (depth, content[:-1] if delsp else content)
            continue
        result.append(">" * depth + (" " if depth else "") + content)
    if carry is not None:
        result.append(">" * carry[0] + (" " if carry[0] else "") + carry[1])
    return "\n".join(result)


def clean_body(text: str) -> str:
    """The author's text: quotes normalised, signature, scrubbed-attachment notes and list footers dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [_normalise_quote(_undouble(line)) for line in lines]
    kept: list[str] = []
    in_signature = False
    index = 0
    while index < len(lines):
        line = lines[index]
        quoted = line.startswith(">")
        if not quoted and PIPERMAIL_SCRUBBED.match(line):
            break  # Pipermail's notes on scrubbed attachments run to the end of the message
        footer = _footer_length(lines, index)
        if footer:
            index += footer
            continue
        if not quoted and SIGNATURE.match(line):
            in_signature = True
            index += 1
            continue
        if in_signature:
            if quoted or ATTRIBUTION.search(line) or ORIGINAL_MESSAGE.match(line):
                in_signature = False  # a top-posted reply: the quoted message follows the signature
            else:
                index += 1
                continue
        kept.append(_hide(line))
        index += 1
    text = "\n".join(kept).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _undouble(line: str) -> str:
    """A line of UTF-8 that was decoded as Windows-1252 once too often ("HorÃ¡k"), repaired; others as they are."""
    if not DOUBLE_ENCODED.search(line):
        return line
    try:
        return line.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return line


def _normalise_quote(line: str) -> str:
    match = QUOTE_PREFIX.match(line)
    if not match:
        return line
    depth = match.group(1).count(">")
    return ("> " * depth + match.group(2).strip()).rstrip()


def _footer_length(lines: list[str], index: int) -> int:
    """How many lines a Mailman footer starting here takes (rule, "<list> mailing list", address, URL); 0 if none."""
    prefix, rest = _split_quote(lines[index])
    if not FOOTER_RULE.match(rest) or index + 1 >= len(lines):
        return 0
    next_prefix, next_rest = _split_quote(lines[index + 1])
    if next_prefix != prefix or not FOOTER_LIST.search(next_rest):
        return 0
    length = 2
    while index + length < len(lines) and length < 5:
        more_prefix, more = _split_quote(lines[index + length])
        if more_prefix != prefix or not more or not (
            "@" in more or OBFUSCATED.fullmatch(more) or more.startswith(("http://", "https://"))
        ):
            break
        length += 1
    return length


def _split_quote(line: str) -> tuple[str, str]:
    match = QUOTE_PREFIX.match(line)
    if not match:
        return "", line.strip()
    return "> " * match.group(1).count(">"), match.group(2).strip()


def _hide(line: str) -> str:
    """The line with addresses hidden: plain ones everywhere, Pipermail's "x at y" where it stands as one."""
    line = hide_addresses(line)
    if " at " not in line:
        return line
    line = OBFUSCATED_IN_BRACKETS.sub("<" + ADDRESS_HIDDEN + ">", line)
    prefix, rest = _split_quote(line)
    if OBFUSCATED.fullmatch(rest) or ATTRIBUTION.search(rest):
        rest = OBFUSCATED.sub(ADDRESS_HIDDEN, rest)
        line = (prefix + rest) if prefix else rest
    return line


# -- conversations --------------------------------------------------------------------------------


def base_subject(subject: str, *, keep_tags: bool = False) -> str:
    """The subject without reply and forward prefixes (and, for comparing, without [tags])."""
    previous = None
    while previous != subject:
        previous = subject
        subject = REPLY_PREFIX.sub("", subject)
        if not keep_tags:
            subject = LIST_TAG.sub("", subject)
    return clean_text(subject)


def strip_list_tag(mails: list[Mail]) -> None:
    """Drop the mailing list's own subject tag ("[Metrics-grimoire] ...") where most messages carry it."""
    tags: dict[str, int] = {}
    for mail in mails:
        match = LIST_TAG.match(base_subject(mail.subject, keep_tags=True))
        if match:
            tags[match.group(0).strip().lower()] = tags.get(match.group(0).strip().lower(), 0) + 1
    if not tags:
        return
    tag, count = max(tags.items(), key=lambda item: item[1])
    if count * 2 <= len(mails):
        return
    for mail in mails:
        stripped = base_subject(mail.subject, keep_tags=True)
        match = LIST_TAG.match(stripped)
        if match and match.group(0).strip().lower() == tag:
            prefix = mail.subject[: len(mail.subject) - len(stripped)]
            mail.subject = clean_text(prefix + stripped[match.end():])


def conversations(mails: list[Mail]) -> list[list[tuple[Mail, Mail | None]]]:
    """The file's conversations in order of their first message, each as (message, parent) in reading order."""
    by_id: dict[str, Mail] = {}
    for mail in mails:
        by_id.setdefault(mail.message_id, mail)

    parents: dict[int, Mail | None] = {}
    for mail in mails:
        parent = None
        for candidate in [*mail.in_reply_to, *reversed(mail.references)]:
            found = by_id.get(candidate)
            if found is not None and found is not mail:
                parent = found
                break
        parents[mail.index] = parent

    # every message with every id it names, missing ones included (JWZ's empty containers)
    group = _UnionFind()
    for mail in mails:
        group.union(mail.message_id, f"#{mail.index}")
        for ref in [*mail.references, *mail.in_reply_to]:
            group.union(f"#{mail.index}", ref)

    members: dict[str, list[Mail]] = {}
    for mail in mails:
        members.setdefault(group.find(f"#{mail.index}"), []).append(mail)

    # a conversation that starts with a reply joins the latest earlier one on the same subject
    ordered = sorted(members.values(), key=lambda ms: ms[0].index)
    by_subject: dict[str, list[Mail]] = {}
    merged: list[list[Mail]] = []
    for conversation in ordered:
        first = min(conversation, key=lambda m: (parents[m.index] is not None, m.index))
        subject = base_subject(first.subject).casefold()
        target = by_subject.get(subject) if subject else None
        if target is not None and first.is_reply:
            target.extend(conversation)
            target.sort(key=lambda m: m.index)
        else:
            merged.append(conversation)
            if subject:
                by_subject[subject] = conversation

    result = []
    for conversation in merged:
        entries = [(m.message_id, parents[m.index].message_id if parents[m.index] else None, m) for m in conversation]
        ordered_entries = parents_first(entries)
        result.append([(m, by_id.get(parent) if parent else None) for _id, parent, m in ordered_entries])
    return result


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


__all__ = ["MailboxParser", "conversations", "gunzip", "read_mails"]
