"""Ingest stage: text files -> :class:`kg.types.Article`.

The stage finds the input files, decodes them strictly, reads the optional
header line, strips the boilerplate that news aggregators wrap around an
article, and builds one :class:`~kg.types.Article` per distinct text.

Layout of ``Article.text``
--------------------------
``Article.text`` is the title (when the file has a header line) followed by the
cleaned body paragraphs, all joined with :data:`PARAGRAPH_SEP` (``"\\n\\n"``).
One paragraph is one non-empty line of the input; a paragraph never contains a
newline, so ``text.split(PARAGRAPH_SEP)`` gives the paragraphs back and the
blank line gives spaCy a clear break between paragraphs (the title usually has
no full stop). ``Article.body_start`` is the offset of the first body
paragraph (``0`` without a title).

Boilerplate rules
-----------------
:func:`clean_text` works on the *shapes* of lines, never on strings copied from
sample pages. A line may be:

* a **link marker**: a short line that ends in an arrow (``»``, ``›``, ``>>``,
  ``→`` ...) or is a short "read more" / "continue reading" / "click here"
  phrase;
* a **UI line**: a short line made only of generic page-furniture words
  ("Advertisement", "Share this:", "Follow us on ..."), a copyright line, a
  "Click here to ..." line, a call to action ("Subscribe to our newsletter
  ...", "Sign up for ... alerts"), or a section label from the related-links
  vocabulary ("Also read: ...", "Related stories:");
* a **banner**: at most 12 words, no sentence-final punctuation, two or more
  Title Case phrases separated by commas, pipes or bullets;
* a **section header**: a short label followed by a colon, or a short line
  without sentence-final punctuation, that introduces a block of links;
* a **teaser**: a line followed by a link marker, or a headline glued to its
  lede ("...defense ministerNorth Korean leader ...").

The cleaner then

1. drops lines without letters or digits (``* * *``, ``---``);
2. drops link markers, UI lines, banners and label-only headers at the very
   start of the body;
3. cuts the body at the start of the trailing boilerplate zone: the first
   boilerplate line (marker, UI line, banner, section header) after which every
   remaining line is boilerplate, a teaser or a headline-shaped line. A zone
   never starts at a teaser, so an article paragraph that happens to be
   followed by "Read more" stays;
4. drops link markers and UI lines left inside the body;
5. drops paragraphs that repeat an earlier paragraph (or the title) after
   normalising case, quotes, dashes, punctuation and whitespace, keeping the
   first.

A sentence-shaped last paragraph (ending in ``.``, ``!``, ``?`` or a closing
quote) is kept however short: only copyright, click-here and "read more" lines
that look like sentences count as boilerplate, and a finished sentence is a
teaser only when a link marker follows it inside a boilerplate zone.

Limitation: hard-wrapped text (one paragraph spread over several lines) is
kept one paragraph per line.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
import warnings
from datetime import date as _date
from pathlib import Path
from typing import Iterable, Optional, Union

from kg.errors import InputError
from kg.types import Article

__all__ = [
    "PARAGRAPH_SEP",
    "find_files",
    "read_article",
    "article_from_text",
    "parse_header",
    "clean_text",
    "read_articles",
]

log = logging.getLogger(__name__)

PathLike = Union[str, "os.PathLike[str]"]

#: Separator between paragraphs (and between the title and the body) in
#: ``Article.text``.
PARAGRAPH_SEP = "\n\n"

# --------------------------------------------------------------------------
# finding files
# --------------------------------------------------------------------------

_SUFFIX = ".txt"


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _as_path_list(paths) -> list:
    if isinstance(paths, (str, bytes, os.PathLike)):
        return [paths]
    return list(paths)


def _expand(path: PathLike) -> list[Path]:
    """The ``.txt`` files one input path stands for, in a deterministic order."""
    p = Path(path)
    if not p.exists():
        raise InputError(path, "no such file or directory")
    if p.is_file():
        if p.suffix.lower() != _SUFFIX:
            raise InputError(path, "not a .txt file")
        return [p]
    if not p.is_dir():
        raise InputError(path, "not a regular file or directory")

    def fail(err: OSError) -> None:
        raise InputError(err.filename or path, f"cannot read directory ({err.strerror or err})")

    found: list[tuple[tuple[str, ...], Path]] = []
    for root, dirs, files in os.walk(p, onerror=fail):
        dirs[:] = [d for d in dirs if not _is_hidden(d)]
        rel_root = Path(root).relative_to(p)
        for name in files:
            if _is_hidden(name) or not name.lower().endswith(_SUFFIX):
                continue
            full = Path(root) / name
            if full.is_file():
                found.append(((rel_root / name).parts, full))
    if not found:
        raise InputError(path, "no .txt files in directory")
    found.sort(key=lambda item: item[0])
    return [full for _, full in found]


def _unique_files(files: Iterable[Path], seen: set) -> list[Path]:
    out = []
    for f in files:
        key = os.path.realpath(f)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def find_files(paths) -> list[Path]:
    """Expand input paths into the list of ``.txt`` files to read.

    Parameters
    ----------
    paths : str, os.PathLike or iterable of them
        Each path is a ``.txt`` file or a directory. Directories are searched
        recursively for ``*.txt`` (case-insensitive); files and directories
        whose name starts with ``.`` are skipped.

    Returns
    -------
    list of pathlib.Path
        The files in argument order; within a directory, sorted by their path
        relative to it. A file reached twice (same real path) is listed once,
        at its first place. Paths are built from the path as given, so
        ``str(path)`` is what the user typed plus the relative part.

    Raises
    ------
    kg.errors.InputError
        A path does not exist, is a file not ending in ``.txt``, or is a
        directory holding no ``.txt`` file.
    """
    seen: set = set()
    out: list[Path] = []
    for path in _as_path_list(paths):
        out.extend(_unique_files(_expand(path), seen))
    return out


# --------------------------------------------------------------------------
# decoding
# --------------------------------------------------------------------------

_BOM = b"\xef\xbb\xbf"
_SNIFF_BYTES = 8192
_BINARY_CONTROL_RATIO = 0.10
# C0 controls except \t \n \v \f \r, plus DEL.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])


def _decode(path: PathLike, data: bytes) -> str:
    if b"\x00" in data:
        raise InputError(path, "binary file, not text")
    sample = data[:_SNIFF_BYTES]
    if sample:
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if controls / len(sample) > _BINARY_CONTROL_RATIO:
            raise InputError(path, "binary file, not text")
    skip = 0
    if data.startswith(_BOM):
        skip = len(_BOM)
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as err:
        bad = data[skip + err.start]
        raise InputError(
            path, f"not valid UTF-8 (byte 0x{bad:02x} at offset {skip + err.start})"
        ) from None


_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
# One translate table for what _normalise drops or blanks, character by character: the invisible
# characters and every control character (category Cc: U+0000-U+001F and U+007F-U+009F, a set
# Unicode guarantees never to change) but the newline out, the tab to a space. Space separators
# (category Zs) need no entry: all of them are whitespace to str.split, which collapses them.
_DROP = {**_INVISIBLE,
         **{c: None for c in (*range(0x20), *range(0x7F, 0xA0)) if unicodedata.category(chr(c)) == "Cc"},
         ord("\t"): " "}
del _DROP[ord("\n")]
_DROP_ANY = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_DROP)) + "]")


def _normalise(text: str) -> str:
    """Newlines to ``\\n``, NFC, invisible and control characters out, spaces collapsed per line."""
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text))
    if _DROP_ANY.search(text):
        text = text.translate(_DROP)
    return "\n".join([" ".join(line.split()) for line in text.split("\n")])


# --------------------------------------------------------------------------
# header
# --------------------------------------------------------------------------

_HEADER = re.compile(
    r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})(?:\s*[-\u2013\u2014]\s*(.*?))?\s*$",
    re.IGNORECASE,
)


def parse_header(text: str) -> tuple[Optional[str], Optional[str], str]:
    """Split the optional ``date YYYY-MM-DD - Title`` line off a text.

    Parameters
    ----------
    text : str
        The article text with ``\\n`` newlines. The header, if any, is the first
        non-blank line; leading whitespace is allowed and the separator may be
        ``-``, ``–`` or ``—``.

    Returns
    -------
    title : str or None
        The title, whitespace-collapsed; None without a header or when the
        header has no title (``date 2023-09-16`` alone).
    date : str or None
        ISO ``YYYY-MM-DD``. A date that is not a real calendar day
        (``2023-02-30``) means the line is not a header.
    body : str
        The text after the header line (the whole text without a header).
    """
    stripped = text.lstrip("\n \t")
    first, _, rest = stripped.partition("\n")
    m = _HEADER.match(first)
    if not m:
        return _front_matter(text)
    year, month, day, title = m.groups()
    try:
        iso = _date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None, None, text
    title = " ".join(title.split()) if title else None
    return title or None, iso, rest


_META_DATE = re.compile(
    r"^(published|posted|updated|last updated|first published|date|dated)\b\s*(?:on|at)?\s*[:\-\u2013\u2014]?\s*(.+)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+[^\W\d_]", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
_MONTH_NAME = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?=\s|,|$)", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\b")
_FRONT_LINES = 8
# "WASHINGTON (AP) —", "BEIJING, China -": a dateline on a line of its own is not a headline
_DATELINE = re.compile(r"(?:\([A-Za-z.\- ]{2,40}\)|[\-\u2013\u2014])\s*$|^[A-Z][A-Z .'\-]+(?:,|$)")


def _parse_date(value: str) -> Optional[str]:
    """ISO date of a short date expression with a year ("April 9, 2024", "2024-04-09",
    "Tue 9 Apr 2024 10:32 BST"), else None."""
    value = value.strip()
    if len(value.split()) > 9 or not _YEAR.search(value) \
            or not (_MONTH_NAME.search(value) or _NUMERIC_DATE.search(value)):
        return None
    from datetime import datetime

    from dateutil import parser

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "BST", "EDT": the zone does not change the day we keep
            parsed = parser.parse(value, fuzzy=True, default=datetime(1900, 1, 1), ignoretz=True)
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat() if parsed.year >= 1800 else None


def _front_matter(text: str) -> tuple[Optional[str], Optional[str], str]:
    """Title and date from the lines before the first body paragraph.

    Among the first lines (up to the first full sentence of 15 words or more):
    "Published: 9 April 2024" / "Posted on ..." / "Updated ..." lines and a line
    that is only a date give the date (a publication date wins over an update);
    a "By ..." byline is dropped; the first short line that is not page furniture
    and not a finished sentence is the title. Anything else ends the scan.
    """
    lines = text.split("\n")
    title = date = updated = None
    drop: set[int] = set()
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        words = line.split()
        if seen > _FRONT_LINES or (len(words) >= 15 and _ends_sentence(line)):
            break
        m = _META_DATE.match(line)
        found = _parse_date(m.group(2)) if m else None
        if found is None and m is None and len(words) <= 9:
            found = _parse_date(line)
        if found is not None:
            if m is not None and "updated" in m.group(1).lower():
                updated = updated or found
            else:
                date = date or found
            drop.add(i)
            continue
        if _BYLINE.match(line) and len(words) <= 10 and not _ends_sentence(line):
            drop.add(i)
            continue
        if title is None and 2 <= len(words) <= 25 and (not _ends_sentence(line) or line.rstrip().endswith(("?", "!"))) \
                and not (_is_ui_line(line) or _is_banner(line) or _label(line) or _DATELINE.search(line)):
            title = " ".join(words)
            drop.add(i)
            continue
        break
    if title is None and date is None and updated is None:
        return None, None, text
    if not any(line.strip() for i, line in enumerate(lines) if i not in drop):
        return None, None, text  # nothing but a header: keep the text as it is
    return title, date or updated, "\n".join(line for i, line in enumerate(lines) if i not in drop)


# --------------------------------------------------------------------------
# line shapes
# --------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*$|[\"\u201d\u2019]$")
_ARROW_END = re.compile(r"(?:\u00bb|\u203a|>>|\u2192|\u27f6|\u2794|\u279c|\u279d|\u21d2|\u25b6|\u25ba|\u25b8)\s*$")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_ALNUM = re.compile(r"[^\W_]")
_LABEL = re.compile(r"^([^\W\d_][^:]{0,60}?)\s*:\s*(.*)$")
_GLUED = re.compile(r"[a-z]{2}[A-Z](?:[A-Za-z]|\s)")  # "ministerNorth", "EastSEOUL", "fourA section"
_COPYRIGHT = re.compile(r"^(?:\u00a9|\(c\)\s|copyright\b)|\ball rights reserved\b", re.IGNORECASE)
_CLICK_HERE = re.compile(r"^(?:click|tap)\s+(?:here|this link)\b", re.IGNORECASE)
_BANNER_SPLIT = re.compile(r"\s*(?:,|\||\u2022|\u00b7|\u203a|\u00bb|>|/|\s[-\u2013\u2014]\s)\s*")

# First word of a "read more"-shaped link and the words that may follow it.
_LINK_VERBS = frozenset(
    "read continue see view show load click tap watch listen more full go".split()
)
_LINK_OBJECTS = frozenset(
    "more reading full story stories article articles here all comments video "
    "videos coverage on this link gallery photos".split()
)
# Page furniture: a short line made only of these words is not article text.
_UI_WORDS = frozenset(
    "advertisement advertisements advertising ad ads sponsored promoted partner "
    "content share shares sharing tweet email e-mail print comments comment "
    "subscribe subscribed newsletter newsletters follow us on via this article "
    "story page facebook twitter x linkedin whatsapp telegram reddit pinterest "
    "instagram youtube copy link save bookmark sign up log in login register "
    "like loading scroll continue continues reading below and or the to our".split()
)
_UI_CORE = _UI_WORDS - frozenset(
    "us on via this article story page and or the to our in up continue reading below".split()
)
# Labels that introduce related-links sections ("Also read:", "Related stories").
_SECTION_CORE = frozenset(
    "related similar also recommended suggested trending popular latest "
    "further missed more watch listen".split()
)
_SECTION_WORDS = _SECTION_CORE | frozenset(
    "read see reading top news stories story articles article posts links videos "
    "coverage headlines from the you may might like don't dont miss in case it "
    "other around web our this on elsewhere most network partners to".split()
)
# Calls to action: the first words, and one word of what they offer.
_CALL_TO_ACTION = re.compile(
    r"^(?:subscribe|sign[- ]up|follow us|download (?:our|the)|support (?:our|independent)|get (?:our|the latest)"
    r"|don'?t miss|never miss)\b", re.IGNORECASE)
_CALL_TO_ACTION_WORDS = frozenset(
    "newsletter newsletters subscribe subscription app updates alerts briefing inbox email e-mail twitter "
    "facebook instagram journalism story stories".split())
_TITLE_FUNCTION_WORDS = frozenset("of and the in on for to a an at by with from &".split())


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def _is_link_marker(line: str) -> bool:
    n = len(line.split())
    if n == 0 or n > 8:
        return False
    if _ARROW_END.search(line):
        return True
    words = [w.lower() for w in _words(line)]
    if not words or len(words) > 6 or words[0] not in _LINK_VERBS:
        return False
    # "Show more restraint." is a sentence; "Read more..." is a link.
    if _ends_sentence(line) and not line.endswith(("\u2026", "...")):
        return False
    return len(words) == 1 or bool(set(words[1:]) & _LINK_OBJECTS)


def _label(line: str) -> Optional[tuple[str, str]]:
    """``(label, rest)`` when the line starts with a short label and a colon."""
    m = _LABEL.match(line)
    if not m:
        return None
    label, rest = m.group(1), m.group(2)
    if len(label.split()) > 5 or _ends_sentence(label) or not label[0].isupper():
        return None
    return label, rest


def _is_section_label(label: str) -> bool:
    words = [w.lower() for w in _words(label)]
    return bool(words) and bool(set(words) & _SECTION_CORE) and all(w in _SECTION_WORDS for w in words)


def _is_ui_line(line: str) -> bool:
    """Page furniture recognised anywhere: copyright, click-here, share/ad lines, link labels."""
    n = len(line.split())
    if n <= 30 and (_COPYRIGHT.search(line) or _CLICK_HERE.search(line)):
        return True
    if _is_link_marker(line):
        return True
    if n <= 20 and _CALL_TO_ACTION.search(line) and {w.lower() for w in _words(line)} & _CALL_TO_ACTION_WORDS:
        # "Subscribe to our newsletter for more stories like this."
        return True
    # "Loading..." is page furniture although it ends like a sentence.
    if n <= 6 and (not _ends_sentence(line) or line.endswith(("\u2026", "..."))):
        words = [w.lower() for w in _words(line)]
        if words and all(w in _UI_WORDS for w in words) and set(words) & _UI_CORE:
            return True
        if words and _is_section_label(line.rstrip(": ")):
            return True
    lab = _label(line)
    if lab and _is_section_label(lab[0]) and (not lab[1] or not _ends_sentence(lab[1])):
        return True
    return False


def _is_banner(line: str) -> bool:
    """Navigation / site banner: Title Case phrases separated by commas, pipes, bullets."""
    if _ends_sentence(line) or line.endswith(":") or len(line.split()) > 12:
        return False
    parts = [p for p in _BANNER_SPLIT.split(line) if p]
    if len(parts) < 2:
        return False
    for part in parts:
        words = _words(part)
        if not words:
            return False
        if not words[0][0].isupper():
            return False
        if any(not w[0].isupper() and w.lower() not in _TITLE_FUNCTION_WORDS for w in words):
            return False
    return True


def _is_label_only(line: str) -> bool:
    lab = _label(line)
    return bool(lab) and not lab[1]


def _is_headline_shape(line: str) -> bool:
    return len(line.split()) <= 15 and not _ends_sentence(line)


def _is_teaser(lines: list[str], i: int) -> bool:
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if nxt is not None and _is_link_marker(nxt):
        return True
    # A headline glued to a cut-off lede; a finished sentence is not a teaser
    # (brand names such as "YouTube" look glued too).
    return bool(_GLUED.search(lines[i])) and not _ends_sentence(lines[i])


def _link_block_follows(lines: list[str], i: int) -> bool:
    """A block of links starts right after line ``i``."""
    j = i + 1
    if j >= len(lines):
        return False
    return _is_link_marker(lines[j]) or _is_teaser(lines, j)


def _is_section_header(lines: list[str], i: int) -> bool:
    """A short label or no-punctuation line that introduces a block of links."""
    line = lines[i]
    if not (_label(line) or _is_headline_shape(line)):
        return False
    return _link_block_follows(lines, i)


def _starts_zone(lines: list[str], i: int) -> bool:
    line = lines[i]
    return (
        _is_ui_line(line)
        or _is_banner(line)
        or _is_label_only(line)
        or _is_section_header(lines, i)
    )


def _in_zone(lines: list[str], i: int) -> bool:
    line = lines[i]
    return (
        _starts_zone(lines, i)
        or _is_teaser(lines, i)
        or (_is_headline_shape(line) and not _label(line))
    )


def _trailing_zone_start(lines: list[str]) -> int:
    """Index where the trailing boilerplate zone starts (``len(lines)`` if none)."""
    n = len(lines)
    # ok_from[i]: every line from i to the end may belong to a zone.
    ok_from = [True] * (n + 1)
    for i in range(n - 1, -1, -1):
        ok_from[i] = ok_from[i + 1] and _in_zone(lines, i)
    for i in range(n):
        if ok_from[i + 1] and _starts_zone(lines, i):
            return i
    return n


def _dedupe_key(paragraph: str) -> str:
    text = unicodedata.normalize("NFKC", paragraph).casefold()
    return " ".join(re.findall(r"[^\W_]+", text))


def _clean_paragraphs(body: str, *, title: Optional[str] = None, normalised: bool = False) -> list[str]:
    lines = [line for line in (body if normalised else _normalise(body)).split("\n") if _ALNUM.search(line)]

    start = 0
    while start < len(lines) and (
        _is_ui_line(lines[start]) or _is_banner(lines[start]) or _is_label_only(lines[start])
    ):
        start += 1
    lines = lines[start:]

    lines = lines[: _trailing_zone_start(lines)]
    lines = [line for line in lines if not _is_ui_line(line)]

    seen = {_dedupe_key(title)} if title else set()
    out = []
    for line in lines:
        key = _dedupe_key(line)
        if key in seen:
            continue
        seen.add(key)
        out.append(line)
    return out


def clean_text(body: str) -> str:
    """Strip aggregator boilerplate from an article body.

    Parameters
    ----------
    body : str
        The body text (header line already removed). Any newline convention.

    Returns
    -------
    str
        The kept paragraphs, one per non-empty input line, joined with
        :data:`PARAGRAPH_SEP`; ``""`` when nothing is left. See the module
        docstring for the rules.
    """
    return PARAGRAPH_SEP.join(_clean_paragraphs(body))


# --------------------------------------------------------------------------
# articles
# --------------------------------------------------------------------------


def _article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def article_from_text(text: str, source: str) -> Article:
    """Build an :class:`~kg.types.Article` from decoded text.

    Parameters
    ----------
    text : str
        The file content, decoded.
    source : str
        Where the text came from; stored as ``Article.source``.

    Returns
    -------
    kg.types.Article
        ``text`` is the title (if any) and the cleaned body paragraphs joined
        with :data:`PARAGRAPH_SEP`; ``id`` is the first 16 hex digits of the
        SHA-256 of ``text`` in UTF-8.

    Raises
    ------
    kg.errors.InputError
        ``"empty article"`` when no body paragraph is left after cleaning.
    """
    normal = _normalise(text)
    title, date, body = parse_header(normal)
    paragraphs = _clean_paragraphs(body, title=title, normalised=True)
    if not paragraphs:
        raise InputError(source, "empty article")
    prefix = title + PARAGRAPH_SEP if title else ""
    full = prefix + PARAGRAPH_SEP.join(paragraphs)
    return Article(
        id=_article_id(full),
        text=full,
        source=str(source),
        title=title,
        date=date,
        body_start=len(prefix),
    )


def read_article(path: PathLike) -> Article:
    """Read, decode, check and clean one file.

    Parameters
    ----------
    path : str or os.PathLike
        The file. ``Article.source`` is ``str(path)``.

    Returns
    -------
    kg.types.Article

    Raises
    ------
    kg.errors.InputError
        The file cannot be read; is binary (a NUL byte, or more than 10% control
        bytes in its first 8 KiB); is not valid UTF-8 (the message names the
        first bad byte and its offset in the file); or is empty after cleaning.
        A UTF-8 byte-order mark is accepted and dropped.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file or directory") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, not a file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as err:
        raise InputError(path, f"cannot read ({err.strerror or err})") from None
    return article_from_text(_decode(path, data), str(path))


def read_articles(paths, *, keep_going: bool = False,
                  duplicates: Optional[list] = None) -> tuple[list[Article], list[InputError]]:
    """Read every input before returning, so callers write nothing on bad input.

    Parameters
    ----------
    paths : str, os.PathLike or iterable of them
        Files and directories, as for :func:`find_files`.
    keep_going : bool, default False
        False: raise the first error (in input order). True: collect the
        errors (bad paths and bad files) and return them with the good
        articles.
    duplicates : list, optional
        Receives ``(article id, source)`` for every file left out because
        an earlier file has the same text.

    Returns
    -------
    articles : list of kg.types.Article
        In input order. An article whose ``id`` equals an earlier one (the
        same cleaned text in another file) is left out: the first file wins.
        Such duplicates are not errors; they are logged at INFO level on the
        ``kg.ingest`` logger.
    errors : list of kg.errors.InputError
        In input order; always empty when ``keep_going`` is False. No paths
        at all gives ``([], [])``.

    Raises
    ------
    kg.errors.InputError
        Without ``keep_going``, the first bad path or file.
    """
    errors: list[InputError] = []
    seen_files: set = set()
    files: list[Path] = []
    for path in _as_path_list(paths):
        try:
            files.extend(_unique_files(_expand(path), seen_files))
        except InputError as err:
            if not keep_going:
                raise
            errors.append(err)

    articles: list[Article] = []
    first_source: dict[str, str] = {}
    for f in files:
        try:
            article = read_article(f)
        except InputError as err:
            if not keep_going:
                raise
            errors.append(err)
            continue
        if article.id in first_source:
            if duplicates is not None:
                duplicates.append((article.id, article.source))
            log.info(
                "%s: same text as %s (article %s), skipped",
                article.source,
                first_source[article.id],
                article.id,
            )
            continue
        first_source[article.id] = article.source
        articles.append(article)
    return articles, errors
