"""A deterministic synthetic corpus of saved WordPress pages, for benchmarks.

Threads of about 40 comments; authors, sites and linked domains Zipf-distributed; dates over
15 years; 20–250 words a comment from a Zipfian vocabulary; 0–3 links a comment. The same
arguments always write the same bytes, so runs on different days compare.

    python -m bench.synth OUT_DIR --comments 100000
"""

from __future__ import annotations

import argparse
import html
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

SYLLABLES = ("ka ri to mo na se lu vi pe do ra ne mi ko sa ta li be gu fa zo ha ju we ol an er in us "
             "or el ar on ex al im").split()
START = datetime(2010, 1, 1)
SPAN_DAYS = 15 * 365


def _zipf_cdf(n: int, s: float = 1.1) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** s
    cdf = np.cumsum(weights / weights.sum())
    cdf[-1] = 1.0
    return cdf


def _draw(rng: np.random.Generator, cdf: np.ndarray, count: int | None = None):
    """Indices drawn from a Zipf distribution (much faster than ``rng.choice(p=...)`` per call)."""
    if count is None:
        return int(np.searchsorted(cdf, rng.random(), side="right"))
    return np.searchsorted(cdf, rng.random(count), side="right")


def _words(rng: np.random.Generator, n: int) -> list[str]:
    words, seen = [], set()
    while len(words) < n:
        length = int(rng.integers(1, 4)) + 1
        word = "".join(SYLLABLES[i] for i in rng.integers(0, len(SYLLABLES), length))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Universe:
    """Names, words, sites and domains drawn once from the seed."""

    def __init__(self, seed: int = 7, vocabulary: int = 20_000, authors: int = 20_000, sites: int = 50,
                 domains: int = 2_000):
        rng = np.random.default_rng(seed)
        self.vocabulary = np.array(_words(rng, vocabulary))
        self.word_cdf = _zipf_cdf(vocabulary, 1.05)
        first = _words(rng, 800)
        last = _words(rng, 1500)
        self.authors = [f"{first[i].title()} {last[j].title()}" for i, j in
                        zip(rng.integers(0, len(first), authors), rng.integers(0, len(last), authors), strict=True)]
        self.author_cdf = _zipf_cdf(authors, 1.0)
        self.sites = [f"{w}{n}.example.org" for n, w in enumerate(_words(rng, sites))]
        self.site_cdf = _zipf_cdf(sites, 0.8)
        hosts = _words(rng, domains)
        tlds = ("com", "org", "net", "co.uk", "de", "io")
        self.domains = [f"{h}.{tlds[i % len(tlds)]}" for i, h in enumerate(hosts)]
        # a few real ones people link all the time, at the head of the distribution
        self.domains[:6] = ["youtube.com", "youtu.be", "en.wikipedia.org", "x.com", "substack.com", "nytimes.com"]
        self.domain_cdf = _zipf_cdf(domains, 1.0)


def _text(rng, universe: Universe, links: list[str]) -> str:
    count = int(rng.integers(20, 251))
    words = universe.vocabulary[_draw(rng, universe.word_cdf, count)]
    sentences, pos = [], 0
    while pos < count:
        size = int(rng.integers(6, 18))
        chunk = " ".join(words[pos:pos + size])
        sentences.append(chunk[:1].upper() + chunk[1:] + ".")
        pos += size
    body = " ".join(sentences)
    for url in links:
        body += f' See <a href="{html.escape(url)}" rel="nofollow ugc">{html.escape(url)}</a>.'
    return f"<p>{body}</p>"


def _link(rng, universe: Universe) -> str:
    domain = universe.domains[_draw(rng, universe.domain_cdf)]
    if domain == "substack.com":
        domain = f"{universe.vocabulary[int(rng.integers(0, 500))]}.substack.com"
    return f"https://{domain}/{universe.vocabulary[int(rng.integers(0, 5000))]}/{int(rng.integers(1, 10**6))}"


def thread_page(rng, universe: Universe, site: str, number: int, comments: int) -> str:
    posted = START + timedelta(days=int(rng.integers(0, SPAN_DAYS)), minutes=int(rng.integers(0, 1440)))
    slug = f"post-{number}"
    url = f"https://{site}/{posted:%Y/%m}/{slug}/"
    title = " ".join(universe.vocabulary[_draw(rng, universe.word_cdf, 5)]).title()
    author = universe.authors[int(rng.integers(0, 50))]
    items, open_ids, when = [], [], posted
    for n in range(comments):
        comment_id = number * 1000 + n + 1
        when = when + timedelta(minutes=int(rng.integers(1, 600)))
        name = universe.authors[_draw(rng, universe.author_cdf)]
        links = [_link(rng, universe) for _ in range(int(rng.choice(4, p=(0.55, 0.3, 0.1, 0.05))))]
        parent = open_ids[int(rng.integers(0, len(open_ids)))] if open_ids and rng.random() < 0.3 else None
        items.append((comment_id, parent, name, when, _text(rng, universe, links)))
        open_ids.append(comment_id)
    children: dict[int | None, list] = {}
    for item in items:
        children.setdefault(item[1], []).append(item)

    def render(parent, depth) -> str:
        out = []
        for comment_id, _parent, name, stamp, body in children.get(parent, []):
            nested = render(comment_id, depth + 1)
            out.append(
                f'<li class="comment byuser depth-{depth}" id="comment-{comment_id}">'
                f'<article id="div-comment-{comment_id}" class="comment-body">'
                f'<footer class="comment-meta"><div class="comment-author vcard">'
                f'<b class="fn">{html.escape(name)}</b> <span class="says">says:</span></div>'
                f'<div class="comment-metadata"><a href="{url}#comment-{comment_id}">'
                f'<time datetime="{stamp:%Y-%m-%dT%H:%M:%S}+00:00">{stamp:%B %-d, %Y at %-I:%M %p}</time></a></div>'
                f'</footer><div class="comment-content">{body}</div>'
                f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="?replytocom={comment_id}#respond">Reply</a></div>'
                f"</article>"
                + (f'<ol class="children">{nested}</ol>' if nested else "")
                + "</li>"
            )
        return "".join(out)

    post_body = _text(rng, universe, [_link(rng, universe)])
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8">
<title>{html.escape(title)} &#8211; {site}</title>
<meta name="generator" content="WordPress 6.4.2">
<link rel="canonical" href="{url}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="article:published_time" content="{posted:%Y-%m-%dT%H:%M:%S}+00:00">
<link rel="stylesheet" href="https://{site}/wp-content/themes/twentytwentyone/style.css">
</head><body class="post-template-default single single-post">
<article class="post type-post status-publish hentry"><header class="entry-header">
<h1 class="entry-title">{html.escape(title)}</h1>
<span class="byline"><span class="author vcard"><a class="url fn n" href="https://{site}/author/a/">{html.escape(author)}</a></span></span>
<time class="entry-date published" datetime="{posted:%Y-%m-%dT%H:%M:%S}+00:00">{posted:%B %-d, %Y}</time>
</header><div class="entry-content">{post_body}</div></article>
<div id="comments" class="comments-area"><h2 class="comments-title">{comments} thoughts on &ldquo;{html.escape(title)}&rdquo;</h2>
<ol class="comment-list">{render(None, 1)}</ol></div>
</body></html>
"""


def generate(out: Path, comments: int, seed: int = 7, per_thread: int = 40) -> dict:
    """Write pages holding ``comments`` comments in all under ``out``; returns what was written."""
    universe = Universe(seed)
    rng = np.random.default_rng(seed + 1)
    out.mkdir(parents=True, exist_ok=True)
    written = threads = 0
    while written < comments:
        count = min(comments - written, max(1, int(rng.normal(per_thread, per_thread / 4))))
        site = universe.sites[_draw(rng, universe.site_cdf)]
        folder = out / site
        folder.mkdir(exist_ok=True)
        (folder / f"post-{threads:06d}.html").write_text(thread_page(rng, universe, site, threads, count),
                                                          encoding="utf-8")
        written += count
        threads += 1
    return {"comments": written, "threads": threads, "posts": written + threads}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(generate(args.out, args.comments, args.seed))


if __name__ == "__main__":
    main()
