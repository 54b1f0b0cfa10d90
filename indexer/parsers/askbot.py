"""Askbot question pages: the question, its answers, and the comments under each, with their parents.

An Askbot page is recognised by its markup (the ``askbot[...]`` script object, "powered by
Askbot", ``askbot`` static files) together with its post markup (``id="post-id-N"``), never by
its file name or URL. The question is ``div.post.js-question`` (its ``.post-content`` is
``#post-id-N``), each answer a ``div.post.answer#post-id-N``. Author and date come from the
post's first ``.post-update-info`` ("asked", "answered"; later ones name editors), the text
from ``.post-body`` without those boxes. Comments are ``div.comment#post-id-N`` inside the
``.comments[data-parent-post-id]`` of the post they answer, which becomes their parent.

Answers of a question spread over several pages ("31 answers", ten a page) are counted as
``not_loaded`` on each page.
"""

from __future__ import annotations

import re

from bs4 import Tag

from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.forum import (
    absolute,
    add_post,
    base_href,
    count_in,
    date_in,
    guarded,
    has_markers,
    link_of,
    page_dayfirst,
    page_title,
    page_url,
    post_text,
)
from indexer.parsers.html import first
from indexer.records import Thread

# -- recognising an Askbot page ---------------------------------------------------------------------
MARKERS = (
    re.compile(r"""\baskbot\[['"](?:functions|urls|data|settings|messages|controllers)['"]\]"""),
    re.compile(r"""(?i)powered by\s*<a[^>]*askbot\.(?:com|org)"""),
    re.compile(r"(?i)/askbot/|askbot[_-](?:converter|devel)|\bvar askbot\b"),
)
MIN_MARKERS = 1
POST_MARKUP = re.compile(r"""\bid=["']post-id-\d+["']""")

# -- the question and the answers -------------------------------------------------------------------
QUESTION_SELECTORS = ("div.post.js-question", "div.js-question", "div.question", "#question")
ANSWER_SELECTORS = ("div.post.answer", "div.answer[data-post-id]", "div.answer[id^='post-id-']")
POST_ID = re.compile(r"^post-id-(\d+)$")
TITLE_SELECTORS = (".js-question h1", "h1.question-title", "#question-title", "h1")
BODY_SELECTORS = (".post-body", ".question-body", ".answer-body")
# The "asked"/"answered" box is the first .post-update-info; later ones name the post's editors.
UPDATE_INFO_SELECTORS = (".post-update-info",)
AUTHOR_SELECTORS = (".user-info a[href*='/users/']", ".user-card .user-info a", ".user-info a", ".user-info")
DATE_SELECTORS = ("abbr.timeago", ".timeago", "abbr", "strong")
PERMALINK_SELECTORS = ("a.permant-link[href]", "a.permanent-link[href]", "a[title='permanent link'][href]")
BODY_CHROME_SELECTORS = (".post-update-info-container", ".post-update-info", "script", "style")
QUOTE_SELECTORS = ("blockquote",)
DELETED_CLASSES = ("deleted",)
# "31 answers" above the answers; the page shows ten or so of them.
ANSWER_COUNT_SELECTORS = (".tabBar-answer h2", ".tabBar h2", "#answers-header h2")

# -- the comments -----------------------------------------------------------------------------------
COMMENTS_SELECTORS = (".comments[data-parent-post-id]",)
COMMENT_SELECTORS = (".comment[data-comment-id]", ".comment[id^='post-id-']")
COMMENT_BODY_SELECTORS = (".comment-body",)
COMMENT_AUTHOR_SELECTORS = ("a.author", ".author")
COMMENT_DATE_SELECTORS = (".age abbr.timeago", ".age", "abbr.timeago")


class AskbotParser(Parser):
    PLATFORM = "askbot"
    DESCRIPTION = "Askbot question pages: the question, its answers and the comments under each, with parents"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if not source.looks_like_html:
            return False
        text = source.text
        return POST_MARKUP.search(text) is not None and has_markers(text, MARKERS, MIN_MARKERS)

    def parse(self, source: SourceFile) -> list[Thread]:
        return guarded(self.PLATFORM, source, lambda: [self._thread(source)])

    def _thread(self, source: SourceFile) -> Thread:
        soup = source.soup
        question = first(soup, QUESTION_SELECTORS)
        if question is None:
            raise ParseError(source.relpath, "askbot: no question (div.post.js-question) found")
        url = page_url(soup)
        base = base_href(soup, url)
        dayfirst = page_dayfirst(soup)
        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=page_title(soup, TITLE_SELECTORS))
        answers = [a for a in soup.select(", ".join(ANSWER_SELECTORS)) if a is not question]
        for position, post in enumerate([question, *answers]):
            native_id = _post_id(post)
            body = first(post, BODY_SELECTORS)
            text, hrefs = post_text(body, base, quotes=QUOTE_SELECTORS, chrome=BODY_CHROME_SELECTORS, page_url=url)
            info = first(post, UPDATE_INFO_SELECTORS)
            author_el = first(info, AUTHOR_SELECTORS) if info is not None else None
            permalink = first(post, PERMALINK_SELECTORS)
            deleted = any(c in (post.get("class") or []) for c in DELETED_CLASSES)
            add_post(
                builder,
                kind="post" if position == 0 else ("deleted" if deleted else "comment"),
                author=clean_text(author_el.get_text(" ")) if author_el else None,
                author_url=link_of(author_el, base),
                text=text,
                hrefs=hrefs,
                date=date_in(info, DATE_SELECTORS, dayfirst) if info is not None else None,
                native_id=native_id,
                permalink=absolute(permalink["href"], base) if permalink else _anchor(url, native_id, position),
            )
            for comment in _comments(post, url, base, dayfirst):
                add_post(builder, parent=native_id, **comment)
        thread = builder.build()
        declared = count_in(first(soup, ANSWER_COUNT_SELECTORS))
        if declared is not None:
            thread.not_loaded = max(0, declared - len(answers))
        return thread


def _anchor(url: str | None, native_id: str | None, position: int) -> str | None:
    """The page itself for the question; an answer's place on it (``#post-id-N``) when it shows no link."""
    if not url or position == 0 or not native_id:
        return url if position == 0 else None
    return f"{url.split('#')[0]}#post-id-{native_id}"


def _post_id(post: Tag) -> str | None:
    if (post.get("data-post-id") or "").isdigit():
        return post["data-post-id"]
    for element in [post, *post.select("[id^='post-id-']")]:
        match = POST_ID.match(element.get("id") or "")
        if match:
            return match.group(1)
    return None


def _comments(post: Tag, url: str | None, base: str | None, dayfirst: bool) -> list[dict]:
    """The comments in the post's own comment list (the template comment, id 0, left out)."""
    result = []
    for holder in post.select(", ".join(COMMENTS_SELECTORS)):
        if holder.find_parent(["div"], class_=["answer", "js-question"]) not in (post, None):
            continue  # a nested post's comments
        for comment in holder.select(", ".join(COMMENT_SELECTORS)):
            native_id = comment.get("data-comment-id") or ""
            if not native_id:
                match = POST_ID.match(comment.get("id") or "")
                native_id = match.group(1) if match else ""
            text, hrefs = post_text(first(comment, COMMENT_BODY_SELECTORS), base, quotes=QUOTE_SELECTORS, page_url=url)
            if native_id == "0" or not text:
                continue
            author_el = first(comment, COMMENT_AUTHOR_SELECTORS)
            result.append({
                "author": clean_text(author_el.get_text(" ")) if author_el else None,
                "author_url": link_of(author_el, base),
                "text": text,
                "hrefs": hrefs,
                "date": date_in(comment, COMMENT_DATE_SELECTORS, dayfirst),
                "native_id": native_id or None,
                "permalink": f"{url.split('#')[0]}#post-id-{native_id}" if url and native_id else None,
            })
    return result
