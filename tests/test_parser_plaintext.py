"""Plain-text threads: the seed thread our first users gave us, and the edge cases of the format."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.parsers import parse_file
from indexer.parsers.plaintext import PlainTextParser, is_name_line
from tests.conftest import FIXTURES, SEED, require_shared

# The commenters of the seed thread in page order, as a reader of it counts them. Z signs
# three of his comments with "Z" alone on the last line; those signatures start no comment.
SEED_COMMENTERS = [
    "david lamy", "sbt42", "Altandmain", "Oakchair", "NR", "Duncan Kinder", "different clue", "Mark Pontin",
    "GrimJim", "KT Chong", "KT Chong", "KT Chong", "Z", "Z", "Oakchair", "Ian Welsh", "Soredemos", "Revelo", "Z",
]


def seed_thread():
    return parse_file(require_shared(SEED))[0]


def test_seed_thread_has_its_post_and_every_comment_in_order():
    thread = seed_thread()
    assert thread.platform == "plaintext"
    assert [p.kind for p in thread.posts] == ["post"] + ["comment"] * len(SEED_COMMENTERS)
    assert [p.author for p in thread.comments] == SEED_COMMENTERS
    assert thread.posts[0].text.startswith("So, a Chinese financial firm")
    assert thread.posts[0].text.endswith("China has already won, and they deserve to.")


def test_each_seed_commenter_is_written_exactly_so_in_the_file():
    lines = set(SEED.read_text(encoding="utf-8").splitlines()) if SEED.exists() else set()
    for author in set(SEED_COMMENTERS):
        assert author in lines


def test_signatures_stay_in_their_comment():
    z_comments = [p for p in seed_thread().comments if p.author == "Z"]
    assert len(z_comments) == 3
    assert [p.text.splitlines()[-1] for p in z_comments] == ["Z", "Z", "Z"]
    assert z_comments[1].text == "I had it wrong, the $500B investment into AI is supposed to be a private investment.\nZ"


def test_comment_text_keeps_url_lines_bullets_and_one_word_lines():
    thread = seed_thread()
    by_author = {}
    for post in thread.comments:
        by_author.setdefault(post.author, []).append(post)
    pontin = by_author["Mark Pontin"][0]
    assert pontin.text.endswith("\nSweet.")
    quants = by_author["KT Chong"][2]
    assert "• “That’s my quant…” https://www.youtube.com/watch?v=QpsI_Gvn7C8" in quants.text
    assert quants.domains == ["youtube.com"]
    assert quants.links == [
        "https://www.youtube.com/watch?v=QpsI_Gvn7C8",
        "https://www.youtube.com/watch?v=Elyfo1DIlzs&t=55s",
        "https://www.youtube.com/watch?v=quILe6WoLgs&t=340s",
    ]
    lamy = by_author["david lamy"][0]
    assert lamy.domains == ["stephaniekelton.substack.com"]
    assert by_author["Altandmain"][0].domains == ["x.com", "youtube.com"]


def test_seed_ids_are_stable_across_parses():
    first, second = seed_thread(), seed_thread()
    assert [p.id for p in first.posts] == [p.id for p in second.posts]
    assert len({p.id for p in first.posts}) == len(first.posts)


def test_seed_dates_are_null_not_the_time_of_indexing():
    thread = seed_thread()
    assert thread.date is None
    assert all(p.date is None for p in thread.posts)


def test_headers_give_thread_metadata_and_dash_signature_is_kept():
    thread = parse_file(FIXTURES / "plaintext" / "headers-and-signatures.txt", FIXTURES)[0]
    assert thread.title == "Why the night bus matters"
    assert thread.url == "https://transit.example.com/2024/06/night-bus/?utm_source=feed"
    assert thread.site == "transit.example.com"
    assert thread.author == "Priya Raman"
    assert thread.date == "2024-06-03T00:00:00"
    assert thread.posts[0].author == "Priya Raman"
    assert thread.posts[0].links == ["https://transit.example.com/maps/night.pdf"]
    assert [(p.author, p.text.splitlines()[0]) for p in thread.comments] == [
        ("Jonas Weber", "I ride it every Thursday."),
        ("Mei Lin", "Three things I noticed:"),
        ("Jonas Weber", "Replying to Mei: the gap is real."),
    ]
    first, mei = thread.comments[0], thread.comments[1]
    assert first.text.splitlines() == ["I ride it every Thursday.", "Indeed", "It is always full after midnight.",
                                       "Jonas Weber"]
    assert mei.text.splitlines()[1:4] == ["Timing", "Frequency", "Cost"]
    assert mei.text.splitlines()[-1] == "— Mei Lin"
    assert mei.domains == ["youtube.com"]


def test_one_word_lines_after_a_colon_and_interjections_start_no_comment():
    thread = parse_file(FIXTURES / "plaintext" / "one-word-lines-and-colons.txt", FIXTURES)[0]
    assert [p.author for p in thread.comments] == ["baker_bob", "Ana", "Ana"]
    assert thread.comments[0].text == "I agree with this:\nSourdough\nis the only bread worth the wait.\nSweet."
    assert thread.comments[1].text == "Yes"


def test_a_post_without_comments_is_a_thread_of_one():
    thread = parse_file(FIXTURES / "plaintext" / "post-only.txt", FIXTURES)[0]
    assert len(thread.posts) == 1
    assert thread.comments == []


def test_folder_named_for_a_host_gives_the_site(tmp_path: Path):
    folder = tmp_path / "www.ianwelsh.net"
    folder.mkdir()
    (folder / "t.txt").write_text("A post.\nSomeone\nA reply.\n", encoding="utf-8")
    thread = parse_file(folder / "t.txt", tmp_path)[0]
    assert thread.site == "ianwelsh.net"
    assert thread.source == "www.ianwelsh.net/t.txt"


def test_name_lines():
    assert is_name_line("KT Chong")
    assert is_name_line("sbt42")
    assert is_name_line("different clue")
    assert not is_name_line("Sweet.")
    assert not is_name_line("Deepseek for Dummies, anyone?")
    assert not is_name_line("https://x.com/RnaudBertrand/status/1789936780063723829")
    assert not is_name_line("• a bullet")
    assert not is_name_line("Here is a list:")
    assert not is_name_line("Indeed")
    assert not is_name_line("A line that is much too long to be anybody's name at all")


def test_html_and_binary_files_are_not_plain_text(tmp_path: Path):
    from indexer.parsers.base import SourceFile

    html = tmp_path / "page.txt"
    html.write_text("<!DOCTYPE html><html><body><p>hi</p></body></html>")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    assert not PlainTextParser.suitable(SourceFile.read(html))
    assert not PlainTextParser.suitable(SourceFile.read(binary))
    assert re.match(r"\w", "x")
