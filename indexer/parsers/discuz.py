"""Discuz! X thread pages: every floor (post), its short remarks, and floor-in-floor replies.

A Discuz! page is recognised by its markup (the ``Discuz!`` generator, "Powered by Discuz!",
its ``discuz_uid`` script variable) together with its post bodies (``td.t_f#postmessage_N``),
never by its file name or URL. Each floor is a ``table#pidN`` whose author is the first link in
``div.authi``, whose date is ``em#authorpostonN`` ("发表于 2018-11-1 23:44") and whose text is
``td.t_f``. Quotes are ``div.quote`` blocks opened by a "X 发表于 DATE" link to the quoted
floor, which becomes the reply's parent.

Replies to a floor that the page shows under it are comments whose parent is that floor: the
remarks (点评) in ``div.cm``, and the floor-in-floor replies (楼中楼) of the widespread
``cack_lzl`` plugin in ``div.lzl_view_list``.
"""

from __future__ import annotations

import re

from bs4 import Tag

from indexer.parsers.base import ParseError, Parser, SourceFile, ThreadBuilder, clean_text
from indexer.parsers.forum import (
    add_post,
    base_href,
    date_in,
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

# -- recognising a Discuz! page ---------------------------------------------------------------------
MARKERS = (
    re.compile(r"""(?i)<meta\b[^>]*name=["']generator["'][^>]*content=["']Discuz!"""),
    re.compile(r"(?i)Powered by\s*(?:<[^>]+>\s*)*Discuz!"),
    re.compile(r"\bdiscuz_uid\s*="),
    re.compile(r"""\bid=["']authorposton\d+["']"""),
)
MIN_MARKERS = 2
POST_MARKUP = re.compile(r"""\bid=["']postmessage_\d+["']""")

# -- the floors -------------------------------------------------------------------------------------
POST_SELECTORS = ("#postlist table[id^='pid']", "table[id^='pid']")
POST_ID = re.compile(r"^pid(\d+)$")
BODY_SELECTORS = ("td.t_f[id^='postmessage_']", "td.t_f", "[id^='postmessage_']")
AUTHOR_SELECTORS = ("td.pls .authi a", ".pls .authi a", ".authi a.xw1", ".authi a")
DATE_SELECTORS = ("em[id^='authorposton'] span[title]", "em[id^='authorposton']", ".authi em")
TITLE_SELECTORS = ("#thread_subject", "h1 .ts", "h1")
# The "register to see attachments" box, edit notes, attachment captions and hidden-content notices.
BODY_CHROME_SELECTORS = (
    ".attach_nopermission", ".pstatus", ".locked", ".tip", ".aimg_tip", ".attach_popup", "script", "style",
)
QUOTE_SELECTORS = ("div.quote",)
QUOTE_ATTRIBUTION_SELECTORS = ("a[href*='findpost']", "font[size='2']", "font")
QUOTED_POST = re.compile(r"[?&]pid=(\d+)")
# Per-floor replies shown under the floor.
REMARK_SELECTORS = ("div.cm .pstl",)  # 点评
REMARK_AUTHOR_SELECTORS = (".psta a.xw1", ".psta a[href*='space']")
REMARK_TEXT_SELECTORS = (".psti",)
REMARK_DATE_SELECTORS = (".psti .xg1",)
LZL_SELECTORS = ("div.lzl_view_list li", ".j_lzl_m_w li")  # 楼中楼, the cack_lzl plugin
LZL_AUTHOR_SELECTORS = (".lzl_cnt > a[href]", ".lzl_cnt a[href*='space']")
LZL_TEXT_SELECTORS = (".lzl_content_main",)
LZL_DATE_SELECTORS = (".lzl_time",)
LZL_ID = re.compile(r"[?&]lzlid=(\d+)")
DATE_TEXT = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")


class DiscuzParser(Parser):
    PLATFORM = "discuz"
    DESCRIPTION = "Discuz! X thread pages: floors, quotes kept apart, remarks and floor-in-floor replies under a floor"

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
        floors = []
        for selector in POST_SELECTORS:
            floors = [t for t in soup.select(selector) if POST_ID.match(t.get("id") or "")]
            if floors:
                break
        if not floors:
            raise ParseError(source.relpath, "discuz: no floors (table#pidN with td.t_f) found")
        url = page_url(soup)
        base = base_href(soup, url)
        builder = ThreadBuilder(source, self.PLATFORM, url=url, title=_title(soup))
        for position, floor in enumerate(floors):
            native_id = POST_ID.match(floor["id"]).group(1)
            body = first(floor, BODY_SELECTORS)
            text, hrefs = post_text(body, base, quotes=QUOTE_SELECTORS, attribution=QUOTE_ATTRIBUTION_SELECTORS,
                                    chrome=BODY_CHROME_SELECTORS, page_url=url)
            author_el = first(floor, AUTHOR_SELECTORS)
            add_post(
                builder,
                kind="post" if position == 0 else "comment",
                author=clean_text(author_el.get_text(" ")) if author_el else None,
                author_url=link_of(author_el, base),
                text=text,
                hrefs=hrefs,
                date=_date(floor, DATE_SELECTORS),
                native_id=native_id,
                parent=_quoted_post(body) if position else None,
                # the floor number ("楼主", "沙发", "3#") links the floor itself
                permalink=link_of(floor.find("a", id=f"postnum{native_id}"), base),
            )
            for reply in _replies(floor, url, base):
                add_post(builder, parent=native_id, **reply)
        return builder.build()


def _title(soup) -> str | None:
    """The thread's subject; the page title ("Subject - Forum - Site - Powered by Discuz!") as a last resort."""
    found = first(soup, TITLE_SELECTORS)
    if found is not None and clean_text(found.get_text(" ")):
        return clean_text(found.get_text(" "))
    title = page_title(soup, ())
    return title.split(" - ")[0] if title else None


def _date(element: Tag, selectors) -> str | None:
    """A date as Discuz! writes it ("发表于 2018-11-1 23:44", or a title on recent posts)."""
    for selector in selectors:
        for found in element.select(selector):
            for value in (found.get("title"), found.get_text(" ")):
                match = DATE_TEXT.search(value or "")
                if match:
                    return read_date(match.group(0))
    return date_in(element, selectors)


def _quoted_post(body: Tag | None) -> str | None:
    if body is None:
        return None
    for anchor in body.select("div.quote a[href*='findpost']"):
        match = QUOTED_POST.search(anchor["href"])
        if match:
            return match.group(1)
    return None


def _replies(floor: Tag, url: str | None, base: str | None) -> list[dict]:
    """The remarks and floor-in-floor replies shown under a floor, in page order."""
    replies = []
    for item in floor.select(", ".join((*REMARK_SELECTORS, *LZL_SELECTORS))):
        remark = item.name != "li"
        author_el = first(item, REMARK_AUTHOR_SELECTORS if remark else LZL_AUTHOR_SELECTORS)
        body = first(item, REMARK_TEXT_SELECTORS if remark else LZL_TEXT_SELECTORS)
        text, hrefs = post_text(body, base, chrome=REMARK_DATE_SELECTORS if remark else (), page_url=url)
        if not text:
            continue  # the plugin's empty list and its "say something" pager
        native_id = None
        if not remark:
            report = item.find("a", href=LZL_ID)
            native_id = f"lzl{LZL_ID.search(report['href']).group(1)}" if report is not None else None
        replies.append({
            "author": clean_text(author_el.get_text(" ")) if author_el else None,
            "author_url": link_of(author_el, base),
            "text": text,
            "hrefs": hrefs,
            "date": _date(item, REMARK_DATE_SELECTORS if remark else LZL_DATE_SELECTORS),
            "native_id": native_id,
        })
    return replies
