"""Dates as pages write them, read with python-dateutil and written as ISO 8601."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from dateutil import parser as dateutil_parser

# Month and weekday names of the languages our saved pages are written in, mapped to English,
# so dateutil (which reads English only) understands "12. März 2016" or "5 juin 2019".
FOREIGN_MONTHS = {
    "januar": "January", "jänner": "January", "februar": "February", "märz": "March", "maerz": "March",
    "april": "April", "mai": "May", "juni": "June", "juli": "July", "august": "August",
    "september": "September", "oktober": "October", "november": "November", "dezember": "December",
    "janvier": "January", "février": "February", "fevrier": "February", "mars": "March", "avril": "April",
    "juin": "June", "juillet": "July", "août": "August", "aout": "August", "septembre": "September",
    "octobre": "October", "décembre": "December", "enero": "January", "febrero": "February",
    "marzo": "March", "abril": "April", "mayo": "May", "junio": "June", "julio": "July", "agosto": "August",
    "septiembre": "September", "octubre": "October", "noviembre": "November", "diciembre": "December",
    "jan.": "Jan", "feb.": "Feb", "mär.": "Mar", "apr.": "Apr", "jun.": "Jun", "jul.": "Jul",
    "aug.": "Aug", "sep.": "Sep", "sept.": "Sep", "okt.": "Oct", "nov.": "Nov", "dez.": "Dec",
    "mär": "Mar", "okt": "Oct", "dez": "Dec", "mrz": "Mar",
}
FOREIGN_WORDS = re.compile(
    r"(?i)(?<![\w])(" + "|".join(re.escape(k) for k in sorted(FOREIGN_MONTHS, key=len, reverse=True)) + r")(?![\w])"
)
# Words around dates in comment metadata ("um", "at", "Uhr", "says:") that confuse dateutil.
NOISE = re.compile(
    r"(?i)\b(um|uhr|at|à|a las|le|on|says:?|sagt:?|schrieb:?|posted|geschrieben)\b"
    r"|(?<!\d)(?<!\d\s)\bam\b"  # German "am 12. März", not the "AM" after a time
)
CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
EARLIEST = datetime(1980, 1, 1, tzinfo=timezone.utc)
DEFAULT_A = datetime(2000, 1, 1)
DEFAULT_B = datetime(2001, 2, 2)


def to_iso(value: datetime) -> str:
    """ISO 8601, with the offset when the page gave one."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
        return value.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return value.replace(microsecond=0).isoformat()


def parse_date(text: str | None, *, dayfirst: bool = False) -> datetime | None:
    """A datetime from what a page shows or declares, or None when it names no date we can trust."""
    if not text:
        return None
    text = " ".join(str(text).split())
    if not text or len(text) > 120:
        return None
    if text.isdigit() and len(text) >= 9:
        try:
            stamp = int(text)
            return datetime.fromtimestamp(stamp / 1000 if stamp > 1e11 else stamp, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    value = None
    if len(text) >= 10:
        try:
            value = dateutil_parser.isoparse(text)
        except (ValueError, OverflowError):
            value = None
    if value is None:
        value = _parse_loose(text, dayfirst)
    if value is None:
        return None
    check = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if check < EARLIEST or check.year > 2100:
        return None
    return value


def _parse_loose(text: str, dayfirst: bool) -> datetime | None:
    text = CJK_DATE.sub(r"\1-\2-\3", text)
    text = FOREIGN_WORDS.sub(lambda m: FOREIGN_MONTHS[m.group(1).lower()], text)
    text = NOISE.sub(" ", text)
    # A bare time or a year alone is not a date: dateutil fills what is missing from its
    # default, so parsing against two different defaults shows whether anything was missing.
    try:
        first = dateutil_parser.parse(text, fuzzy=True, dayfirst=dayfirst, default=DEFAULT_A)
        second = dateutil_parser.parse(text, fuzzy=True, dayfirst=dayfirst, default=DEFAULT_B)
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():
        return None
    return first


def iso_date(text: str | None, *, dayfirst: bool = False) -> str | None:
    value = parse_date(text, dayfirst=dayfirst)
    return to_iso(value) if value else None
