"""Ground date expressions against the article's date, with dateutil.

* A weekday in past-tense reporting is the latest such day on or before the
  article date ("On Saturday" in an article of Saturday 2023-09-16 is that
  day; "on Tuesday" is 2023-09-12).
* A weekday in future-tense text ("will visit on Monday") is the next such day
  after the article date.
* Explicit dates ("September 14", "14 September 2023", "2023-09-14") are parsed
  with the article date supplying missing parts; a month-day that would fall
  after the article date in past-tense text belongs to the previous year.
* Without an article date, weekday and relative expressions stay text only.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dparser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

__all__ = ["ground_date"]

_WEEKDAYS = {"monday": MO, "tuesday": TU, "wednesday": WE, "thursday": TH, "friday": FR,
             "saturday": SA, "sunday": SU}
_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0, "this morning": 0,
             "this afternoon": 0, "this evening": 0}
_HAS_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def ground_date(text: str | None, article_date: str | None, tense: str = "past") -> str | None:
    """ISO date for ``text`` read in an article dated ``article_date``, or None.

    Examples
    --------
    >>> ground_date("On Saturday", "2023-09-16")
    '2023-09-16'
    >>> ground_date("on Tuesday", "2023-09-16")
    '2023-09-12'
    >>> ground_date("Monday", "2023-09-16", tense="future")
    '2023-09-18'
    >>> ground_date("Wednesday night", "2023-09-16")
    '2023-09-13'
    >>> ground_date("Saturday", None) is None
    True
    """
    if not text:
        return None
    low = re.sub(r"^(on|by|since|from|until|last|this|next|early|late)\s+", "", text.strip().lower())
    low = low.rstrip(".,")
    base = dt.date.fromisoformat(article_date) if article_date else None
    first = low.split(maxsplit=1)[0].rstrip(",") if low else ""
    if first in _WEEKDAYS and not any(ch.isdigit() for ch in low):
        low = first  # "Tuesday night", "Wednesday, days after": the weekday
    if low in _WEEKDAYS:
        if base is None:
            return None
        if tense == "future":
            return (base + relativedelta(days=1, weekday=_WEEKDAYS[low](+1))).isoformat()
        return (base + relativedelta(weekday=_WEEKDAYS[low](-1))).isoformat()
    if low in _RELATIVE:
        return (base + dt.timedelta(days=_RELATIVE[low])).isoformat() if base else None
    has_year = bool(_HAS_YEAR.search(low))
    if base is None and not has_year:
        return None
    if not any(ch.isdigit() for ch in low):
        return None  # "July", "the weekend": too vague for a day
    try:
        default = dt.datetime.combine(base, dt.time()) if base else dt.datetime(2000, 1, 1)
        parsed = dparser.parse(low, default=default, fuzzy=False).date()
    except (ValueError, OverflowError):
        return None
    if base is not None and not has_year and tense == "past" and parsed > base:
        parsed = parsed - relativedelta(years=1)
    return parsed.isoformat()
