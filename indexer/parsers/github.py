"""GitHub issue and pull-request pages: the opening post and the timeline's comments.

A GitHub page is recognised by its markup (``github.githubassets.com`` assets, GitHub's
``octolytics`` and ``hostname`` metas) together with its comment markup (React's
``react-issue-comment`` blocks or the classic ``.timeline-comment``), never by its file name or
URL. Two layouts are read:

* React (2024 on): the opening post in ``[data-testid=issue-body]``, each comment a
  ``.react-issue-comment`` whose header (``id="issuecomment-N"``) holds the author link
  (``data-testid=avatar-link``) and a ``relative-time[datetime]``, the text in ``.markdown-body``;
* classic: ``.timeline-comment`` blocks (the first is the opening post) with ``a.author``,
  ``relative-time[datetime]`` and ``.comment-body``.

Markdown quotes (``blockquote``, "> " in the source) stay ``> `` lines; ``@mentions`` are names,
not links.
"""

from __future__ import annotations

import re

from bs4 import Tag

from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.forum import (
    absolute,
    add_post,
    base_href,
    date_in,
    guarded,
    has_markers,
    link_of,
    page_title,
    page_url,
    post_text,
)
from indexer.parsers.html import first
from indexer.records import Thread

# -- recognising a GitHub page ----------------------------------------------------------------------
MARKERS = (
    re.compile(r"github\.githubassets\.com/"),
    re.compile(r"""(?i)<meta\b[^>]*name=["']octolytics-"""),
    re.compile(r"""(?i)<meta\b[^>]*name=["']hostname["'][^>]*content=["']github\.com["']"""),
    re.compile(r"""(?i)<meta\b[^>]*property=["']og:site_name["'][^>]*content=["']GitHub["']"""),
)
MIN_MARKERS = 1
COMMENT_MARKUP = re.compile(r"""\breact-issue-comment\b|\btimeline-comment\b|data-testid=["']issue-body["']""")

# -- the React layout -------------------------------------------------------------------------------
ISSUE_BODY_SELECTORS = ("[data-testid='issue-body']", ".react-issue-body")
ISSUE_AUTHOR_SELECTORS = ("[data-testid='issue-body-header-author']", "a[data-testid='avatar-link']", "a.author")
COMMENT_SELECTORS = (".react-issue-comment", "[data-testid^='comment-viewer-outer-box']")
COMMENT_AUTHOR_SELECTORS = ("a[data-testid='avatar-link']", "[data-testid='comment-header'] a[class*='AuthorLink']",
                            "a.author")
COMMENT_ID_SELECTORS = ("[data-testid='comment-header'][id^='issuecomment-']", "[id^='issuecomment-']")
# -- the classic layout -----------------------------------------------------------------------------
CLASSIC_COMMENT_SELECTORS = (".js-discussion .timeline-comment", ".timeline-comment")
CLASSIC_AUTHOR_SELECTORS = ("a.author", ".author")
# -- both -------------------------------------------------------------------------------------------
TITLE_SELECTORS = ("[data-testid='issue-title']", "bdi.js-issue-title", ".js-issue-title", "h1 .markdown-title")
BODY_SELECTORS = (".markdown-body", ".comment-body", ".js-comment-body")
DATE_SELECTORS = ("relative-time[datetime]", "time[datetime]", "relative-time", "local-time")
PERMALINK_SELECTORS = ("a[href*='#issuecomment-']", "a[href*='#issue-']", "a.js-timestamp[href]")
QUOTE_SELECTORS = ("blockquote",)
# Screen-reader headings, the "edited by" note and GitHub's own chrome inside a body.
BODY_CHROME_SELECTORS = (".sr-only", "details.js-comment-edit-history", ".email-hidden-toggle", "button", "svg")
# ``@name`` links to a profile name someone; they are not links the author shared.
MENTION_SELECTORS = ("a.user-mention", "a.team-mention")
COMMENT_ID = re.compile(r"issuecomment-(\d+)$")
TITLE_SUFFIX = re.compile(r"\s*·\s*(?:Issue|Pull Request|Discussion) #\d+.*$")


class GitHubParser(Parser):
    PLATFORM = "github"
    DESCRIPTION = "GitHub issue and pull-request pages: the opening post and the timeline's comments"

    @classmethod
    def suitable(cls, source: SourceFile) -> bool:
        if not source.looks_like_html:
            return False
        text = source.text
        return COMMENT_MARKUP.search(text) is not None and has_markers(text, MARKERS, MIN_MARKERS)

    def parse(self, source: SourceFile) -> list[Thread]:
        return guarded(self.PLATFORM, source, lambda: [self._thread(source)])

    def _thread(self, source: SourceFile) -> Thread:
        soup = source.soup
        url = page_url(soup)
        base = base_href(soup, url)
        title = page_title(soup, TITLE_SELECTORS)
        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=TITLE_SUFFIX.sub("", title or "") or None)
        issue = first(soup, ISSUE_BODY_SELECTORS)
        comments = [c for c in soup.select(", ".join(COMMENT_SELECTORS)) if not _inside_match(c, COMMENT_SELECTORS)]
        if issue is not None or comments:
            entries = [(issue, ISSUE_AUTHOR_SELECTORS)] if issue is not None else []
            entries += [(c, COMMENT_AUTHOR_SELECTORS) for c in comments]
        else:
            entries = [(c, CLASSIC_AUTHOR_SELECTORS) for c in _classic_comments(soup)]
        if not entries:
            raise ParseError(source.relpath, "github: no issue body and no timeline comments found")
        for position, (element, author_selectors) in enumerate(entries):
            body = first(element, BODY_SELECTORS)
            text, hrefs = post_text(body, base, quotes=QUOTE_SELECTORS, chrome=BODY_CHROME_SELECTORS,
                                    unlink=MENTION_SELECTORS, page_url=url)
            author_el = first(element, author_selectors)
            native_id = _comment_id(element)
            permalink = first(element, PERMALINK_SELECTORS)
            add_post(
                builder,
                kind="post" if position == 0 else "comment",
                author=clean_text(author_el.get_text(" ")) if author_el else None,
                author_url=link_of(author_el, base),
                text=text,
                hrefs=hrefs,
                date=date_in(element, DATE_SELECTORS),
                native_id=native_id,
                permalink=absolute(permalink["href"], base) if permalink else None,
            )
        return builder.build()


def _classic_comments(soup) -> list[Tag]:
    for selector in CLASSIC_COMMENT_SELECTORS:
        found = [c for c in soup.select(selector) if first(c, BODY_SELECTORS) is not None]
        if found:
            return found
    return []


def _inside_match(element: Tag, selectors) -> bool:
    joined = ", ".join(selectors)
    return any(parent.css.match(joined) for parent in element.parents
               if isinstance(parent, Tag) and parent.name != "[document]")


def _comment_id(element: Tag) -> str | None:
    """The comment's id: on its header (React) or on the group around it (classic)."""
    group = element.find_parent(id=COMMENT_ID)
    for candidate in [element, *element.select(", ".join(COMMENT_ID_SELECTORS)), *([group] if group else [])]:
        match = COMMENT_ID.search(candidate.get("id") or "")
        if match:
            return match.group(1)
    return None

