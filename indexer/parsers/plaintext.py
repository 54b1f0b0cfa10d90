"""Threads copied out of a browser as plain text.

The post comes first; each comment starts with its commenter's name alone on a line.
Optional ``Title:``, ``URL:``, ``Author:`` and ``Date:`` lines at the top give the thread's
metadata. A commenter may sign a comment with their own name alone on its last line: that
signature belongs to the comment and starts no new one.
"""

from __future__ import annotations

import re

from indexer.dates import iso_date
from indexer.links import URL_IN_TEXT
from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder

HEADER = re.compile(r"^(title|url|author|date|site)\s*:\s*(.*)$", re.I)
MAX_NAME_CHARS = 40
MAX_NAME_WORDS = 4
# A name never ends a sentence, opens a list item or quotes someone.
NOT_NAME_END = tuple(".,;:!?…\"”’)")
NOT_NAME_START = tuple("•*-–—·>\"“‘'([#")
NUMBERED_ITEM = re.compile(r"^\d+[.)]\s")
SIGNATURE_DASHES = re.compile(r"^[\s\-–—~]+")
# One-word lines people write inside a comment; a commenter is rarely named like this.
INTERJECTIONS = frozenset(
    """yes no yep nope yeah ok okay indeed exactly agreed sweet true false right wrong same this that
    thanks cheers wow lol lmao haha hah ha hmm hm well so anyway also however update edit ps bingo
    amen correct absolutely definitely sigh ugh oops whatever sure nice great bravo touché touche
    regards best sincerely again why how what when where who seriously really""".split()
)
DATE_LINE = re.compile(
    r"(?i)^(?=.*\d)(?:[\w,.:\s-]*\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b[\w,.:\s-]*"
    r"|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T,]+[\d:]+\s*(?:am|pm)?)?)$"
)
CHROME_LINES = frozenset({"reply", "log in to reply", "report", "like", "share", "permalink"})


def is_name_line(line: str) -> bool:
    """Could this line be a commenter's name standing alone?"""
    if not line or len(line) > MAX_NAME_CHARS or len(line.split()) > MAX_NAME_WORDS:
        return False
    if line.endswith(NOT_NAME_END) or line.startswith(NOT_NAME_START) or NUMBERED_ITEM.match(line):
        return False
    if URL_IN_TEXT.search(line) or "@" in line.strip("@") and " " not in line:
        return False
    if line.lower().strip("!.") in INTERJECTIONS or DATE_LINE.match(line):
        return False
    return any(ch.isalnum() for ch in line)


def _same_name(line: str, author: str | None) -> bool:
    return author is not None and SIGNATURE_DASHES.sub("", line).strip().casefold() == author.casefold()


class PlainTextParser(Parser):
    PLATFORM = "plaintext"
    DESCRIPTION = "Threads copied out of a browser as text: the post, then each comment under its commenter's name"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if b"\x00" in source.data[:65536]:
            return False
        head = source.head.lstrip()
        if not head or head[0] in "<{[" or source.looks_like_html:
            return False
        if head.startswith("From ") or re.match(r"(?m)^(Message-ID|Received|Return-Path):", head):
            return False  # a mailbox, not a copied page
        sample = source.text[:65536]
        unreadable = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t"))
        lines = [line for line in sample.splitlines() if line.strip()]
        return unreadable <= len(sample) // 100 and len(lines) >= 1

    def parse(self, source: SourceFile) -> list:
        lines = [line.strip() for line in source.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        headers, start = self._headers(lines)
        body = [line for line in lines[start:]]
        while body and not body[0]:
            body.pop(0)
        if not body:
            raise ParseError(source.relpath, "plain text has headers but no post")
        builder = ThreadBuilder(
            source,
            self.PLATFORM,
            url=headers.get("url") or None,
            title=headers.get("title") or _title_from(body[0]),
            site=headers.get("site") or None,
            author=headers.get("author") or None,
            date=iso_date(headers.get("date")),
        )
        blocks = self._split(body)
        post_author, post_lines = blocks[0]
        builder.add(kind="post", author=headers.get("author"), text=_join(post_lines),
                    date=iso_date(headers.get("date")))
        for author, comment_lines in blocks[1:]:
            date = None
            if comment_lines and DATE_LINE.match(comment_lines[0]) and len(comment_lines[0]) <= 40:
                date = iso_date(comment_lines[0])
                if date:
                    comment_lines = comment_lines[1:]
            builder.add(author=author, text=_join(comment_lines), date=date)
        return [builder.build()]

    @staticmethod
    def _headers(lines: list[str]) -> tuple[dict, int]:
        headers: dict[str, str] = {}
        for index, line in enumerate(lines):
            match = HEADER.match(line)
            if not match:
                return headers, index
            headers[match.group(1).lower()] = match.group(2).strip()
        return headers, len(lines)

    @staticmethod
    def _split(body: list[str]) -> list[tuple[str | None, list[str]]]:
        """[(author, lines)]: the post (author None) first, then one block per comment."""
        content = [line for line in body if line.lower() not in CHROME_LINES]
        nonblank = [i for i, line in enumerate(content) if line]
        blocks: list[tuple[str | None, list[str]]] = [(None, [])]
        # short lines listed after a colon ("Timing", "Cost") are items of that list, not commenters
        in_short_lines = False
        for n, i in enumerate(nonblank):
            line = content[i]
            following = content[nonblank[n + 1]] if n + 1 < len(nonblank) else None
            previous = content[nonblank[n - 1]] if n > 0 else ""
            author, text = blocks[-1]
            starts_comment = (
                n > 0
                and is_name_line(line)
                and not previous.endswith(":")
                and not in_short_lines
                and following is not None
                and not is_name_line(following)
            )
            is_signature = (
                author is not None
                and _same_name(line, author)
                and (following is None or is_name_line(following))
            )
            if is_signature:
                text.append(line)
                in_short_lines = False
            elif starts_comment and not (text == [] and author is not None):
                blocks.append((line, []))
                in_short_lines = False
            else:
                if text and i > 0 and not content[i - 1]:
                    text.append("")
                text.append(line)
                in_short_lines = is_name_line(line) and (previous.endswith(":") or in_short_lines)
        return blocks


def _join(lines: list[str]) -> str:
    return "\n".join(lines).strip()


def _title_from(first_line: str) -> str:
    """A title for a thread saved without one: its opening words, cut at a word boundary."""
    sentence = re.split(r"(?<=[.!?])\s", first_line, maxsplit=1)[0]
    if len(sentence) <= 80:
        return sentence
    return sentence[:80].rsplit(" ", 1)[0] + "…"
