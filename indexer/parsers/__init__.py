"""The registry of platform parsers.

The order matters: the first parser whose ``suitable`` accepts a file parses it, so specific
platforms come before general ones and the generic HTML parser comes last.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from pathlib import Path

from indexer.parsers.askbot import AskbotParser
from indexer.parsers.base import ParseError, Parser, SourceFile
from indexer.parsers.blogger import BloggerParser
from indexer.parsers.discourse import DiscourseParser
from indexer.parsers.discuz import DiscuzParser
from indexer.parsers.disqus import DisqusParser
from indexer.parsers.drupal import DrupalParser
from indexer.parsers.generic import GenericHtmlParser
from indexer.parsers.github import GitHubParser
from indexer.parsers.hackernews import HackerNewsParser
from indexer.parsers.lwn import LwnParser
from indexer.parsers.mailbox import MailboxParser, gunzip
from indexer.parsers.mhonarc import MhonarcParser
from indexer.parsers.newscomments import NewsCommentsParser
from indexer.parsers.phpbb import PhpBBParser
from indexer.parsers.pixnet import PixnetParser
from indexer.parsers.plaintext import PlainTextParser
from indexer.parsers.reddit import RedditParser
from indexer.parsers.stackexchange import StackExchangeParser
from indexer.parsers.substack import SubstackParser
from indexer.parsers.vbulletin import VBulletinParser
from indexer.parsers.wordpress import WordPressParser
from indexer.parsers.wxr import WxrParser
from indexer.parsers.xenforo import XenForoParser
from indexer.records import Thread
from indexer.settings import setting

PARSERS: tuple[type[Parser], ...] = (
    WordPressParser,
    BloggerParser,
    RedditParser,
    SubstackParser,
    DisqusParser,
    WxrParser,
    MailboxParser,
    DiscourseParser,
    HackerNewsParser,
    XenForoParser,
    VBulletinParser,
    PhpBBParser,
    DiscuzParser,
    AskbotParser,
    StackExchangeParser,
    GitHubParser,
    DrupalParser,
    LwnParser,
    PixnetParser,
    NewsCommentsParser,
    PlainTextParser,
    MhonarcParser,
    GenericHtmlParser,
)


class ParseTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Stop a parser that runs longer than ``seconds`` (where a signal timer can be used)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise ParseTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def markup_depth(root) -> int:
    """How deeply the elements of a parsed page nest, found without recursion."""
    deepest = 0
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        for child in getattr(node, "contents", ()):
            if getattr(child, "contents", None):
                stack.append((child, depth + 1))
    return deepest


def parser_for(source: SourceFile) -> type[Parser] | None:
    for parser in PARSERS:
        if parser.suitable(source):
            return parser
    return None


def parse_source(source: SourceFile) -> list[Thread]:
    """The threads in one file; raises ParseError (with the file and the reason) for anything else."""
    limit = setting("max_file_bytes")
    if len(source.data) > limit:
        raise ParseError(source.relpath, f"file is {len(source.data):,} bytes, over the {limit:,}-byte limit")
    depth_limit = setting("max_markup_depth")
    if not source.data.strip():
        raise ParseError(source.relpath, "file is empty")
    if source.data[:2] == b"\x1f\x8b":
        # a gzipped saved file reads as what it holds, within the same size limit
        source = SourceFile(path=source.path, relpath=source.relpath, data=gunzip(source.data, limit, source.relpath))
    if source.looks_like_html:
        depth = markup_depth(source.soup)
        if depth > depth_limit:
            raise ParseError(source.relpath, f"markup nested {depth:,} levels deep, over the limit of {depth_limit:,}; "
                                             "refused as absurd (no real page nests so deep)")
    parser = parser_for(source)
    if parser is None:
        raise ParseError(source.relpath, "no parser recognises this file (not a saved discussion we can read)")
    try:
        with time_limit(setting("parse_seconds_per_file")):
            threads = parser().parse(source)
    except ParseTimeout:
        raise ParseError(source.relpath, f"{parser.PLATFORM}: reading took over {setting('parse_seconds_per_file')} s; "
                                         "the file is too large or too deeply nested to read") from None
    except MemoryError:
        raise ParseError(source.relpath, f"{parser.PLATFORM}: reading needed more memory than the parser may use") from None
    except ParseError:
        raise
    except RecursionError:
        raise ParseError(source.relpath, f"{parser.PLATFORM}: markup nested too deeply to read") from None
    except Exception as exc:  # noqa: BLE001 - any parser bug becomes a reported, skipped file
        raise ParseError(source.relpath, f"{parser.PLATFORM} parser failed: {type(exc).__name__}: {exc}") from exc
    if not threads:
        raise ParseError(source.relpath, f"{parser.PLATFORM}: no thread found in the file")
    return threads


def parse_file(path: Path, corpus_root: Path | None = None) -> list[Thread]:
    try:
        source = SourceFile.read(Path(path), corpus_root)
    except OSError as exc:
        raise ParseError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    return parse_source(source)


def formats() -> list[tuple[str, str]]:
    """(platform, what it reads) for every parser, in the order they are tried."""
    return [(p.PLATFORM, p.DESCRIPTION) for p in PARSERS]
