"""Links in post text: finding them, normalising URLs and reducing hosts to domains.

The Public Suffix List comes from the ``publicsuffixlist`` package's bundled copy;
nothing here touches the network.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from publicsuffixlist import PublicSuffixList

# Query parameters that identify a campaign or a click, never the page itself.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid",
        "igshid", "yclid", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url",
        "spm", "vero_id", "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid", "si",
        "__s", "_ga", "_gl", "trk", "trkcampaign", "sc_campaign", "cmpid",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")

# Host prefixes that name the same site as the bare domain.
SAME_SITE_PREFIXES = ("www.", "m.", "mobile.")
DOMAIN_ALIASES = {
    "youtu.be": "youtube.com",
    "twitter.com": "x.com",
}

# A bare URL in running text; stops at whitespace and at brackets or quotes around it.
URL_IN_TEXT = re.compile(r"""(?i)\b(?:https?://|www\.)[^\s<>"'\[\]{}|\\^`]+""")
TRAILING_PUNCTUATION = ".,;:!?…'\"’”»"
BRACKET_PAIRS = {")": "(", "]": "[", "}": "{"}

_psl = PublicSuffixList()


def _strip_trailing(url: str) -> str:
    while url:
        last = url[-1]
        if last in TRAILING_PUNCTUATION:
            url = url[:-1]
        elif last in BRACKET_PAIRS and url.count(last) > url.count(BRACKET_PAIRS[last]):
            url = url[:-1]
        else:
            break
    return url


def normalize_url(url: str) -> str | None:
    """The URL without tracking parameters, fragments of no meaning or trailing punctuation.

    Returns None for anything that is not an http(s) link.
    """
    url = _strip_trailing(url.strip())
    if url.lower().startswith("www."):
        url = "http://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    netloc = parts.netloc.lower() if "@" not in parts.netloc else parts.netloc.rsplit("@", 1)[1].lower()
    path = parts.path or "/"
    fragment = "" if parts.fragment in ("", "!") else parts.fragment
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query, doseq=True), fragment))


@lru_cache(maxsize=65536)
def normalize_domain(host: str | None) -> str | None:
    """A host as people name a site: lower case, no port, no www./m./mobile., aliases merged."""
    if not host:
        return None
    host = host.strip().lower().rstrip(".")
    if "://" in host:
        host = urlsplit(host).hostname or ""
    host = host.split(":", 1)[0]
    for prefix in SAME_SITE_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    host = DOMAIN_ALIASES.get(host, host)
    return host or None


def url_domain(url: str) -> str | None:
    try:
        return normalize_domain(urlsplit(url).hostname)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def registrable_domain(domain: str) -> str:
    """The part of a domain someone registered: ``stephaniekelton.substack.com`` → ``substack.com``."""
    return _psl.privatesuffix(domain) or domain


def domain_and_parents(domain: str) -> list[str]:
    """The domain and every parent of it down to the registrable domain, most specific first.

    Indexing all of them lets a filter on ``substack.com`` match ``stephaniekelton.substack.com``.
    """
    base = registrable_domain(domain)
    labels = domain.split(".")
    result = []
    for i in range(len(labels)):
        candidate = ".".join(labels[i:])
        result.append(candidate)
        if candidate == base:
            break
    return result


def urls_in_text(text: str) -> list[str]:
    """Every http(s) or www. URL written out in plain text, in order."""
    # "http://example.com/My.....Start.html" is a shortened display form, not a working link
    return [m.group(0) for m in URL_IN_TEXT.finditer(text) if "..." not in m.group(0) and "…" not in m.group(0)]


def collect_links(urls) -> tuple[list[str], list[str]]:
    """Normalised, de-duplicated links (in order) and their domains (in order of first use)."""
    links: list[str] = []
    domains: list[str] = []
    for raw in urls:
        url = normalize_url(raw)
        if url is None or url in links:
            continue
        links.append(url)
        domain = url_domain(url)
        if domain and domain not in domains:
            domains.append(domain)
    return links, domains
