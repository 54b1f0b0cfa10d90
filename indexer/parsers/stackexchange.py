"""Stack Exchange question pages (Stack Overflow and its sister sites): question, answers, comments.

A Stack Exchange page is recognised by its markup (``cdn.sstatic.net`` assets, the
``StackExchange.`` scripts) together with its question markup (``#question`` or
``[data-questionid]`` with a post body), never by its file name or URL. The question and each
``div.answer`` have their text in ``.s-prose.js-post-body`` (``.post-text`` before 2020), their
author in the owner's ``.post-signature .user-details`` (the other signature names the last
editor) and their date in ``time[itemprop=dateCreated]`` or the signature's
``.relativetime[title]``. Comments are ``li.comment`` with ``.comment-copy``,
``.comment-user`` and ``.comment-date``; the post they sit under is their parent.

Comments the page hides behind "show N more comments" and answers on other pages are
counted as ``not_loaded``.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.forum import (
    absolute,
    add_post,
    base_href,
    count_in,
    date_of,
    guarded,
    has_markers,
    link_of,
    page_title,
    page_url,
    post_text,
    read_date,
)
from indexer.parsers.html import first
from indexer.records import Thread

# -- recognising a Stack Exchange page --------------------------------------------------------------
MARKERS = (
    re.compile(r"cdn\.sstatic\.net/"),
    re.compile(r"\bStackExchange\.(?:ready|init|using|options|question)\b"),
    re.compile(r"""(?i)<meta\b[^>]*content=["'][^"']*Stack (?:Exchange|Overflow)"""),
)
MIN_MARKERS = 1
QUESTION_MARKUP = re.compile(r"""\bid=["']question["']|\bdata-questionid=["']\d+["']""")

# -- the question and the answers -------------------------------------------------------------------
QUESTION_SELECTORS = ("#question", "div.question[data-questionid]", "[data-questionid]")
ANSWER_SELECTORS = ("div.answer[data-answerid]", "div.answer[id^='answer-']")
TITLE_SELECTORS = ("#question-header h1 a", "#question-header h1", "h1[itemprop='name']", "h1")
BODY_SELECTORS = (".s-prose.js-post-body", ".js-post-body", ".post-text", "[itemprop='text']")
# The owner's signature: marked on questions, the last one on answers (the first names the editor).
OWNER_SIGNATURE_SELECTORS = (".post-signature.owner",)  # rejected: ".owner", comments by the owner have it too
SIGNATURE_SELECTORS = (".post-signature",)
USER_NAME_SELECTORS = ("[itemprop='name']", "a[href*='/users/']", "a")
POST_DATE_SELECTORS = ("time[itemprop='dateCreated']",)
SIGNATURE_DATE_SELECTORS = (".user-action-time .relativetime", ".relativetime", ".user-action-time")
PERMALINK_SELECTORS = ("a.js-share-link[href]", "a.short-link[href]", "a[itemprop='url'][href]")
QUOTE_SELECTORS = ("blockquote",)
DELETED_CLASSES = ("deleted-answer",)
ANSWER_COUNT_SELECTORS = ("#answers-header h2[data-answercount]", "#answers-header h2", "[itemprop='answerCount']")

# -- the comments -----------------------------------------------------------------------------------
COMMENT_SELECTORS = ("li.comment[data-comment-id]", "li.comment[id^='comment-']", "tr.comment[id^='comment-']")
COMMENT_TEXT_SELECTORS = (".comment-copy",)
COMMENT_AUTHOR_SELECTORS = (".comment-user",)
COMMENT_DATE_SELECTORS = (".comment-date .relativetime-clean", ".comment-date [title]", ".comment-date")
REMAINING_COMMENTS = "data-remaining-comments-count"
COMMENT_ID = re.compile(r"^comment-(\d+)$")


class StackExchangeParser(Parser):
    PLATFORM = "stackexchange"
    DESCRIPTION = "Stack Exchange / Stack Overflow question pages: question, answers and comments with parents"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if not source.looks_like_html:
            return False
        text = source.text
        return QUESTION_MARKUP.search(text) is not None and has_markers(text, MARKERS, MIN_MARKERS)

    def parse(self, source: SourceFile) -> list[Thread]:
        return guarded(self.PLATFORM, source, lambda: [self._thread(source)])

    def _thread(self, source: SourceFile) -> Thread:
        soup = source.soup
        question = first(soup, QUESTION_SELECTORS)
        if question is None or first(question, BODY_SELECTORS) is None:
            raise ParseError(source.relpath, "stackexchange: no question (#question with a post body) found")
        url = page_url(soup)
        base = base_href(soup, url)
        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=page_title(soup, TITLE_SELECTORS))
        answers = [a for a in soup.select(", ".join(ANSWER_SELECTORS)) if a is not question]
        hidden = 0
        for position, post in enumerate([question, *answers]):
            native_id = post.get("data-questionid") or post.get("data-answerid")
            body = first(post, BODY_SELECTORS)
            text, hrefs = post_text(body, base, quotes=QUOTE_SELECTORS, page_url=url)
            author_el, date = _owner(post)
            permalink = first(post, PERMALINK_SELECTORS)
            deleted = any(c in (post.get("class") or []) for c in DELETED_CLASSES)
            add_post(
                builder,
                kind="post" if position == 0 else ("deleted" if deleted else "comment"),
                author=_user_name(author_el),
                author_url=link_of(author_el, base),
                text=text,
                hrefs=hrefs,
                # the signature's title ends in Z; the time element's datetime leaves the zone out
                date=date or read_date(_attr(first(post, POST_DATE_SELECTORS), "datetime")),
                native_id=native_id,
                permalink=absolute(permalink["href"], base) if permalink else (url if position == 0 else None),
            )
            for comment in _comments(post, url, base):
                add_post(builder, parent=native_id, **comment)
            hidden += _remaining_comments(post)
        thread = builder.build()
        declared_answers = _answer_count(soup)
        thread.not_loaded = hidden + (max(0, declared_answers - len(answers)) if declared_answers is not None else 0)
        return thread


def _owner(post: Tag) -> tuple[Tag | None, str | None]:
    """(the owner's user-details element, the date their signature shows) of a question or answer."""
    signature = _own(post, OWNER_SIGNATURE_SELECTORS)
    if signature is None:
        signatures = [s for s in post.select(", ".join(SIGNATURE_SELECTORS)) if _belongs(s, post)]
        signature = signatures[-1] if signatures else None
    if signature is None:
        return None, None
    details = signature.select_one(".user-details")
    stamp = first(signature, SIGNATURE_DATE_SELECTORS)
    return details, date_of(stamp) if stamp is not None else None


def _user_name(details: Tag | None) -> str | None:
    """The name in a signature's user details: the profile link, else the plain name of a deleted user."""
    if details is None:
        return None
    found = first(details, USER_NAME_SELECTORS)
    if found is not None and clean_text(found.get_text(" ")):
        return clean_text(found.get_text(" "))
    own_text = " ".join(str(s) for s in details.children if isinstance(s, NavigableString))
    return clean_text(own_text) or None


def _comments(post: Tag, url: str | None, base: str | None) -> list[dict]:
    post_id = post.get("data-questionid") or post.get("data-answerid")
    result = []
    for comment in post.select(", ".join(COMMENT_SELECTORS)):
        if not _belongs(comment, post):
            continue
        text, hrefs = post_text(first(comment, COMMENT_TEXT_SELECTORS), base, quotes=QUOTE_SELECTORS, page_url=url)
        if not text:
            continue
        native_id = comment.get("data-comment-id")
        if not native_id:
            match = COMMENT_ID.match(comment.get("id") or "")
            native_id = match.group(1) if match else None
        author_el = first(comment, COMMENT_AUTHOR_SELECTORS)
        stamp = first(comment, COMMENT_DATE_SELECTORS)
        result.append({
            "author": clean_text(author_el.get_text(" ")) if author_el else None,
            "author_url": link_of(author_el, base),
            "text": text,
            "hrefs": hrefs,
            # the title reads "2014-02-06 23:18:04Z, License: CC BY-SA 3.0"
            "date": read_date(_attr(stamp, "title").split(",")[0]) or date_of(stamp),
            # comment ids are their own series and may equal a post id
            "native_id": f"comment-{native_id}" if native_id else None,
            "permalink": f"{url.split('#')[0]}#comment{native_id}_{post_id}" if url and native_id else None,
        })
    return result


def _remaining_comments(post: Tag) -> int:
    total = 0
    for holder in post.select(f"[{REMAINING_COMMENTS}]"):
        if _belongs(holder, post) and holder[REMAINING_COMMENTS].strip().isdigit():
            total += int(holder[REMAINING_COMMENTS])
    return total


def _answer_count(soup: BeautifulSoup) -> int | None:
    found = first(soup, ANSWER_COUNT_SELECTORS)
    if found is None:
        return None
    value = found.get("data-answercount") or found.get("content")
    return int(value) if value and value.isdigit() else count_in(found)


def _own(post: Tag, selectors) -> Tag | None:
    for selector in selectors:
        for found in post.select(selector):
            if _belongs(found, post):
                return found
    return None


def _belongs(element: Tag, post: Tag) -> bool:
    """Whether ``element`` is part of ``post`` itself rather than of an answer inside it (on pages
    that nest the answers in the question's container)."""
    holder = element.find_parent(lambda t: t is post or "answer" in (t.get("class") or []) or t.get("id") == "question")
    return holder is post


def _attr(element: Tag | None, name: str) -> str:
    value = element.get(name) if element is not None else None
    return value if isinstance(value, str) else ""
