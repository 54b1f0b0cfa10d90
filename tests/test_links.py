import pytest

from indexer.links import collect_links, domain_and_parents, normalize_domain, normalize_url, urls_in_text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("https://example.com/a?utm_source=x&utm_medium=y&id=3", "https://example.com/a?id=3"),
        ("https://example.com/a?fbclid=abc", "https://example.com/a"),
        ("https://Example.COM/Path).", "https://example.com/Path"),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("https://en.wikipedia.org/wiki/Foo_(bar)),", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("www.example.org/page", "http://www.example.org/page"),
        ("https://example.com", "https://example.com/"),
        ("mailto:someone@example.com", None),
        ("javascript:alert(1)", None),
    ],
)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    "host, expected",
    [
        ("WWW.YouTube.com", "youtube.com"),
        ("m.youtube.com", "youtube.com"),
        ("youtu.be", "youtube.com"),
        ("twitter.com", "x.com"),
        ("mobile.twitter.com", "x.com"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("m.co", "m.co"),
        ("example.com:8080", "example.com"),
    ],
)
def test_normalize_domain(host, expected):
    assert normalize_domain(host) == expected


def test_parents_stop_at_the_registrable_domain():
    assert domain_and_parents("stephaniekelton.substack.com") == ["stephaniekelton.substack.com", "substack.com"]
    assert domain_and_parents("a.b.bbc.co.uk") == ["a.b.bbc.co.uk", "b.bbc.co.uk", "bbc.co.uk"]
    assert domain_and_parents("youtube.com") == ["youtube.com"]


def test_urls_in_text_and_collect_links():
    text = "See https://youtu.be/xyz?si=track, and (https://www.youtube.com/watch?v=1&utm_campaign=a). Also www.x.org."
    links, domains = collect_links(urls_in_text(text))
    assert links == ["https://youtu.be/xyz", "https://www.youtube.com/watch?v=1", "http://www.x.org/"]
    assert domains == ["youtube.com", "x.org"]
