import pytest

from indexer.dates import iso_date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-06-03T10:20:00+02:00", "2024-06-03T08:20:00Z"),
        ("2024-06-03", "2024-06-03T00:00:00"),
        ("January 27, 2025 at 3:11 pm", "2025-01-27T15:11:00"),
        ("12. März 2016 um 14:31", "2016-03-12T14:31:00"),
        ("5 juin 2019", "2019-06-05T00:00:00"),
        ("am 3. Mai 2016 um 12:20", "2016-05-03T12:20:00"),
        ("May 3, 2016 at 12:20 AM", "2016-05-03T00:20:00"),
        ("May 3, 2016 12:20 am", "2016-05-03T00:20:00"),
        ("18. Okt 2023 - 14:05", "2023-10-18T14:05:00"),
        ("2018年11月23日 12:00", "2018-11-23T12:00:00"),
        ("Sat, 14 Nov 2015 10:00:00 +0100", "2015-11-14T09:00:00Z"),
        ("1447224000", "2015-11-11T06:40:00Z"),
    ],
)
def test_dates_people_write_become_iso(text, expected):
    assert iso_date(text) == expected


@pytest.mark.parametrize("text", [None, "", "14:31", "2016", "yesterday", "no date here", "3 hours ago", "x" * 500])
def test_what_is_not_a_full_date_is_none(text):
    assert iso_date(text) is None
