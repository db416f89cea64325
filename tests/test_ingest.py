"""Tests for kg.ingest: files -> Article (no spaCy model needed)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import (
    PARAGRAPH_SEP,
    article_from_text,
    clean_text,
    find_files,
    parse_header,
    read_article,
    read_articles,
)

ROOT = Path(__file__).resolve().parent.parent
SEED_000 = ROOT / "seeds" / "000_b80377fabe601009.txt"
SEED_003 = ROOT / "seeds" / "003_da3de08162bbe4eb.txt"

BODY = "Officials met in Geneva on Monday.\nThey agreed to talk again next month.\n"


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def paragraphs(article) -> list[str]:
    return article.text[article.body_start :].split(PARAGRAPH_SEP)


# ---------------------------------------------------------------- header


def test_header_with_leading_space():
    title, date, body = parse_header(" date 2023-09-16 - Kim meets Shoigu.\nBody line.")
    assert (title, date, body) == ("Kim meets Shoigu.", "2023-09-16", "Body line.")


@pytest.mark.parametrize("sep", ["-", "\u2013", "\u2014"])
def test_header_separators(sep):
    title, date, _ = parse_header(f"date 2024-02-29 {sep} Leap day summit\nBody.")
    assert title == "Leap day summit"
    assert date == "2024-02-29"


def test_no_header():
    text = "Officials met in Geneva.\nMore talks are planned."
    assert parse_header(text) == (None, None, text)


@pytest.mark.parametrize("bad", ["2023-02-30", "2023-13-01", "2023-00-10"])
def test_invalid_date_is_not_a_header(bad):
    text = f"date {bad} - Some title\nBody."
    assert parse_header(text) == (None, None, text)


def test_invalid_date_line_stays_in_body(tmp_path):
    art = read_article(write(tmp_path / "a.txt", "date 2023-02-30 - Not a header.\n" + BODY))
    assert art.title is None and art.date is None and art.body_start == 0
    assert art.text.startswith("date 2023-02-30 - Not a header.")


def test_title_and_body_layout(tmp_path):
    art = read_article(write(tmp_path / "a.txt", "date 2023-09-16 - Talks in Geneva\n" + BODY))
    assert art.title == "Talks in Geneva"
    assert art.date == "2023-09-16"
    assert art.text == (
        "Talks in Geneva\n\nOfficials met in Geneva on Monday.\n\nThey agreed to talk again next month."
    )
    assert art.body_start == len("Talks in Geneva\n\n")
    assert art.text[art.body_start :].startswith("Officials met")
    assert art.id == hashlib.sha256(art.text.encode("utf-8")).hexdigest()[:16]
    assert art.source == str(tmp_path / "a.txt")


# ---------------------------------------------------------------- decoding


def test_bom_is_dropped(tmp_path):
    data = b"\xef\xbb\xbf" + b"date 2023-09-16 - Title here\n" + BODY.encode()
    art = read_article(write(tmp_path / "bom.txt", data))
    assert art.title == "Title here"
    assert art.date == "2023-09-16"
    assert "\ufeff" not in art.text


def test_crlf_and_cr_newlines(tmp_path):
    data = b"date 2023-09-16 - Title\r\nFirst paragraph here.\r\nSecond paragraph here.\rThird one.\r\n"
    art = read_article(write(tmp_path / "crlf.txt", data))
    assert "\r" not in art.text
    assert paragraphs(art) == ["First paragraph here.", "Second paragraph here.", "Third one."]
    assert art.title == "Title"


def test_same_text_different_newlines_same_id(tmp_path):
    a = read_article(write(tmp_path / "unix.txt", "Alpha line one.\nBeta line two.\n"))
    b = read_article(write(tmp_path / "dos.txt", b"Alpha line one.\r\nBeta line two.\r\n"))
    assert a.id == b.id


def test_binary_file_with_nul(tmp_path):
    # Mostly printable text: only the NUL byte gives it away.
    path = write(tmp_path / "img.txt", b"Officials met in Geneva on Monday.\x00 They agreed to meet again.")
    with pytest.raises(InputError) as exc:
        read_article(path)
    assert exc.value.problem == "binary file, not text"
    assert exc.value.path == str(path)


def test_binary_file_control_bytes_without_nul(tmp_path):
    path = write(tmp_path / "ctl.txt", bytes([0x01, 0x02, 0x41, 0x03, 0x1B, 0x42]) * 50)
    with pytest.raises(InputError, match="binary file, not text"):
        read_article(path)


def test_invalid_utf8(tmp_path):
    path = write(tmp_path / "latin1.txt", "Caf\u00e9 opens.".encode("latin-1"))
    with pytest.raises(InputError) as exc:
        read_article(path)
    assert exc.value.problem == "not valid UTF-8 (byte 0xe9 at offset 3)"
    assert str(exc.value) == f"{path}: not valid UTF-8 (byte 0xe9 at offset 3)"


def test_invalid_utf8_offset_counts_bom(tmp_path):
    path = write(tmp_path / "bom_bad.txt", b"\xef\xbb\xbfab\xffc")
    with pytest.raises(InputError, match=r"byte 0xff at offset 5\)"):
        read_article(path)


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n\t\n  ", b"\xef\xbb\xbf\r\n", "Read more \u00bb\nAdvertisement\n", "date 2023-09-16 - Only a title\n"],
    ids=["empty", "whitespace", "bom-only", "boilerplate-only", "header-only"],
)
def test_empty_article(tmp_path, content):
    with pytest.raises(InputError) as exc:
        read_article(write(tmp_path / "e.txt", content))
    assert exc.value.problem == "empty article"


def test_missing_file_read_article(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        read_article(tmp_path / "nope.txt")


# ---------------------------------------------------------------- finding files


def test_directory_recursion_and_order(tmp_path):
    root = tmp_path / "in"
    for rel in ["b.txt", "a.txt", "sub/z.txt", "sub/deeper/c.txt", "a2/x.txt", "notes.md", ".hidden.txt", ".git/h.txt", "sub/.cache/q.txt"]:
        write(root / rel, BODY)
    got = [p.relative_to(root).as_posix() for p in find_files([root])]
    assert got == ["a.txt", "a2/x.txt", "b.txt", "sub/deeper/c.txt", "sub/z.txt"]


def test_find_files_keeps_argument_order_and_paths_as_given(tmp_path):
    one = write(tmp_path / "one.txt", BODY)
    write(tmp_path / "d" / "two.txt", BODY)
    got = find_files([str(tmp_path / "d"), str(one), str(one)])
    assert [str(p) for p in got] == [str(tmp_path / "d" / "two.txt"), str(one)]


def test_find_files_accepts_single_path(tmp_path):
    one = write(tmp_path / "one.txt", BODY)
    assert find_files(one) == [one]


def test_missing_path(tmp_path):
    with pytest.raises(InputError) as exc:
        find_files([tmp_path / "missing"])
    assert exc.value.problem == "no such file or directory"
    assert exc.value.path == str(tmp_path / "missing")


def test_directory_without_txt(tmp_path):
    write(tmp_path / "d" / "readme.md", "x")
    write(tmp_path / "d" / ".hidden.txt", BODY)
    with pytest.raises(InputError, match="no .txt files"):
        find_files([tmp_path / "d"])


def test_explicit_non_txt_file(tmp_path):
    with pytest.raises(InputError, match=r"not a \.txt file"):
        find_files([write(tmp_path / "a.md", BODY)])


# ---------------------------------------------------------------- read_articles


def test_read_articles_raises_first_error(tmp_path):
    write(tmp_path / "1_good.txt", BODY)
    write(tmp_path / "2_bin.txt", b"\x00\x01")
    write(tmp_path / "3_empty.txt", b"")
    with pytest.raises(InputError) as exc:
        read_articles([tmp_path])
    assert exc.value.path.endswith("2_bin.txt")


def test_read_articles_keep_going_collects_errors(tmp_path):
    write(tmp_path / "1_good.txt", BODY)
    write(tmp_path / "2_bin.txt", b"\x00\x01")
    write(tmp_path / "3_empty.txt", b"")
    write(tmp_path / "4_bad.txt", b"ok \xc3\x28")
    write(tmp_path / "5_good.txt", "Another article entirely.\n")
    arts, errs = read_articles([tmp_path, tmp_path / "missing"], keep_going=True)
    assert [Path(a.source).name for a in arts] == ["1_good.txt", "5_good.txt"]
    assert [(Path(e.path).name, e.problem) for e in errs] == [
        ("missing", "no such file or directory"),
        ("2_bin.txt", "binary file, not text"),
        ("3_empty.txt", "empty article"),
        ("4_bad.txt", "not valid UTF-8 (byte 0xc3 at offset 3)"),
    ]


def test_read_articles_no_errors_without_keep_going(tmp_path):
    write(tmp_path / "a.txt", BODY)
    arts, errs = read_articles(tmp_path)
    assert len(arts) == 1 and errs == []


def test_same_text_two_places_same_id_deduplicated(tmp_path):
    a = write(tmp_path / "x" / "story.txt", "date 2023-09-16 - Same\n" + BODY)
    b = write(tmp_path / "y" / "copy.txt", b"\xef\xbb\xbf" + ("date 2023-09-16 - Same\r\n" + BODY).encode())
    assert read_article(a).id == read_article(b).id
    arts, errs = read_articles([tmp_path / "y", tmp_path / "x"])
    assert errs == []
    assert [a_.source for a_ in arts] == [str(b)]
    dups = []
    arts, _ = read_articles([tmp_path / "y", tmp_path / "x"], duplicates=dups)
    assert [a_.source for a_ in arts] == [str(b)] and dups == [(arts[0].id, str(a))]


def test_different_text_different_id(tmp_path):
    a = read_article(write(tmp_path / "a.txt", BODY))
    b = read_article(write(tmp_path / "b.txt", BODY + "One more sentence.\n"))
    assert a.id != b.id


# ---------------------------------------------------------------- seeds


def test_seed_000_header():
    art = read_article(SEED_000)
    assert art.date == "2023-09-16"
    assert art.title.startswith("Kim meets with")
    assert art.text.startswith("Kim meets with")
    assert art.text[art.body_start :].startswith("On Saturday, during Kim Jong Un")
    assert art.source == str(SEED_000)
    # 12 body lines in the file, none of them boilerplate.
    assert len(paragraphs(art)) == 12
    assert paragraphs(art)[-1].startswith("This high-profile meeting")


def test_seed_003_cleaned():
    art = read_article(SEED_003)
    text = art.text
    assert art.title is None and art.date is None
    assert "Kim and Shoigu later traveled to Vladivostok" in text
    assert any(p.startswith("In their July meeting") for p in paragraphs(art))
    assert paragraphs(art)[-1].startswith("In their July meeting")
    for junk in ["Read more", "Similar News", "Latest News", "Headlines", "\u00bb"]:
        assert junk not in text, junk
    for teaser in [
        "discussed arms cooperation with Russian defense minister",
        "views Russian nuclear-capable bombers",
        "on his way home after concluding",
        "SEOUL, South Korea (AP)",
    ]:
        assert teaser not in text, teaser
    first = "North Korean leader Kim Jong Un held discussions with Russia's defence minister"
    assert text.count(first) == 1
    assert text.count("strategic and tactical coordination") == 1
    assert len(paragraphs(art)) == 4


def test_seed_003_clean_text_directly():
    raw = SEED_003.read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    assert cleaned.split(PARAGRAPH_SEP)[2].startswith("Kim and Shoigu later traveled")
    assert "\n" not in cleaned.replace(PARAGRAPH_SEP, "")


def test_seeds_directory():
    arts, errs = read_articles([ROOT / "seeds"])
    assert errs == []
    assert [Path(a.source).name for a in arts] == [SEED_000.name, SEED_003.name]


# ---------------------------------------------------------------- invented pages

PAGE_GLOBAL_DESK = """\
Global Desk | World News | Asia Pacific
Tokyo officials on Monday approved a new budget for coastal defence, the finance ministry said.
"We need to be ready," the minister told reporters after the vote in parliament.
\u201cWe need to be ready,\u201d the minister  told reporters after the vote in parliament.
Opposition lawmakers criticised the plan, saying it would raise the national debt.
The vote passed.
Advertisement
Related stories:
Japan unveils record defence budgetThe cabinet approved spending that analysts say will
Continue reading \u2192
Seoul and Tokyo hold security talksOfficials from both countries met in Busan on
Continue reading \u2192
Share this:
Copyright \u00a9 2024 Global Desk Media. All rights reserved.
"""


def test_invented_page_related_stories_block():
    kept = clean_text(PAGE_GLOBAL_DESK).split(PARAGRAPH_SEP)
    assert kept == [
        "Tokyo officials on Monday approved a new budget for coastal defence, the finance ministry said.",
        '"We need to be ready," the minister told reporters after the vote in parliament.',
        "Opposition lawmakers criticised the plan, saying it would raise the national debt.",
        "The vote passed.",
    ]


PAGE_MARKETS = """\
Home \u203a Business \u203a Markets
Oil prices rose on Tuesday after producers agreed to extend supply cuts into next year.
ADVERTISEMENT
Brent crude gained 2% to settle near $90 a barrel, traders said.
Also read: Why oil traders are watching the Red Sea
Analysts expect demand to stay firm through the winter months.
Click here to subscribe to our markets newsletter.
Shares closed flat.
You may also like
Gold hits record high as dollar weakens
Central banks weigh next move on rates
Follow us on Twitter
"""


def test_invented_page_inline_furniture_and_headline_list():
    kept = clean_text(PAGE_MARKETS).split(PARAGRAPH_SEP)
    assert kept == [
        "Oil prices rose on Tuesday after producers agreed to extend supply cuts into next year.",
        "Brent crude gained 2% to settle near $90 a barrel, traders said.",
        "Analysts expect demand to stay firm through the winter months.",
        "Shares closed flat.",
    ]


PAGE_HARBOUR = """\
The harbour authority reopened the northern quay on Friday after repairs.
Ferry operators said services would resume at full capacity next week.
Harbour Times, Coastal News, Local Headlines
More From The Coast
Storm damage closes two piers\u2014Crews worked through the night to secure the
Read full story >>
Fishermen protest new quotasDozens of boats blocked the harbour entrance on
Read full story >>
"""


def test_invented_page_banner_and_untitled_section_header():
    kept = clean_text(PAGE_HARBOUR).split(PARAGRAPH_SEP)
    assert kept == [
        "The harbour authority reopened the northern quay on Friday after repairs.",
        "Ferry operators said services would resume at full capacity next week.",
    ]


def test_invented_page_share_block_and_inline_ad():
    text = (
        "The bridge opened to traffic on Sunday after three years of work.\n"
        "Advertisement - Scroll to continue\n"
        "Story continues below\n"
        "Drivers welcomed the shorter commute.\n"
        "Share this:\n"
        "Twitter\n"
        "Facebook\n"
        "Like this:\n"
        "Like Loading...\n"
        "Related\n"
    )
    assert clean_text(text).split(PARAGRAPH_SEP) == [
        "The bridge opened to traffic on Sunday after three years of work.",
        "Drivers welcomed the shorter commute.",
    ]


def test_invented_page_read_more_ellipsis_links():
    text = (
        "WASHINGTON: The Senate passed the bill late on Friday.\n"
        "Lawmakers said the vote was close.\n"
        "Top Stories\n"
        "Senate passes budget bill after late-night voteLawmakers approved the measure\n"
        "Read More...\n"
        "House leaders react to Senate voteThe speaker said the chamber would take up\n"
        "Read More...\n"
    )
    assert clean_text(text).split(PARAGRAPH_SEP) == [
        "WASHINGTON: The Senate passed the bill late on Friday.",
        "Lawmakers said the vote was close.",
    ]


def test_short_last_sentence_after_ad_is_kept():
    text = (
        "The council voted to expand the bus network across the city.\n"
        "Advertisement\n"
        "Work starts in May.\n"
    )
    assert clean_text(text).split(PARAGRAPH_SEP) == [
        "The council voted to expand the bus network across the city.",
        "Work starts in May.",
    ]


def test_finished_sentence_with_camel_case_brand_is_not_a_teaser():
    text = (
        "The council voted to expand the bus network across the city.\n"
        "Advertisement\n"
        "The clip was posted on YouTube.\n"
    )
    assert clean_text(text).split(PARAGRAPH_SEP) == [
        "The council voted to expand the bus network across the city.",
        "The clip was posted on YouTube.",
    ]


def test_untitled_section_header_before_link_block():
    text = (
        "Rescue teams reached the village on Thursday.\n"
        "Roads remain closed, officials said.\n"
        "Elsewhere In The Region\n"
        "Bridge collapse injures fourA section of the old bridge gave way during\n"
        "See more \u203a\n"
    )
    assert clean_text(text).split(PARAGRAPH_SEP) == [
        "Rescue teams reached the village on Thursday.",
        "Roads remain closed, officials said.",
    ]


def test_paragraph_followed_by_read_more_is_kept():
    text = (
        "The museum reopened after a two-year renovation.\n"
        "Visitors queued for hours to see the restored gallery.\n"
        "Read more \u00bb\n"
    )
    assert clean_text(text).split(PARAGRAPH_SEP) == [
        "The museum reopened after a two-year renovation.",
        "Visitors queued for hours to see the restored gallery.",
    ]


def test_plain_article_untouched():
    text = (
        "More than 200 people attended the rally in the capital.\n"
        "Show more restraint, he said.\n"
        "The video was posted on YouTube.\n"
        "Update: The organisers said a second rally is planned.\n"
    )
    assert clean_text(text) == text.strip().replace("\n", PARAGRAPH_SEP)


def test_duplicate_paragraph_with_different_quotes_and_spacing():
    text = (
        "He called it a \u2018turning point\u2019 for the region.\n"
        "Talks will continue.\n"
        "He  called it a 'turning point' for the region.\n"
    )
    assert clean_text(text).split(PARAGRAPH_SEP) == [
        "He called it a \u2018turning point\u2019 for the region.",
        "Talks will continue.",
    ]


def test_body_repeating_title_is_dropped(tmp_path):
    art = article_from_text("date 2023-09-16 - Kim meets Shoigu\nKim meets Shoigu\n" + BODY, "mem")
    assert paragraphs(art) == ["Officials met in Geneva on Monday.", "They agreed to talk again next month."]
    assert art.source == "mem"


# ---------------------------------------------------------------- normalisation (fast path)


def _normalise_by_character(text: str) -> str:
    """The definition _normalise implements with a translate table, one character at a time."""
    import re
    import unicodedata

    text = re.sub("\r\n|[\r\u2028\u2029\x85\x0b\x0c]", "\n", text)
    text = unicodedata.normalize("NFC", text).translate(dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad")))
    chars = []
    for ch in text:
        if ch == "\n":
            chars.append(ch)
        elif ch == "\t" or unicodedata.category(ch) == "Zs":
            chars.append(" ")
        elif unicodedata.category(ch) != "Cc":
            chars.append(ch)
    return "\n".join(" ".join(line.split()) for line in "".join(chars).split("\n"))


def test_normalise_equals_its_character_by_character_definition():
    import random

    from kg.ingest import _normalise

    every = "".join(chr(c) for c in range(0x3100) if not 0xD800 <= c < 0xE000)
    assert _normalise(every) == _normalise_by_character(every)
    pool = [chr(c) for c in [*range(0x250), *range(0x2000, 0x2070), 0x3000, 0xFEFF, 0x1680, 0x301, 0x308]]
    rng = random.Random(0)
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        assert _normalise(text) == _normalise_by_character(text), repr(text)
    # the cases the table exists for
    assert _normalise("a\tb\x1fc\u00a0\u3000d\u200be\x7f\n\x85x") == "a bc de\n\nx"


def test_binary_sniffing_counts_control_bytes(tmp_path):
    from kg.ingest import _BINARY_CONTROL_RATIO, _SNIFF_BYTES

    n = 1000
    k = int(n * _BINARY_CONTROL_RATIO)
    ok_file = write(tmp_path / "ok.txt", b"a" * (n - k) + b"\x01" * k + b"\nMore text here.\n")
    read_article(ok_file)  # exactly the ratio: still text
    bad = write(tmp_path / "bad.txt", b"a" * (n - k - 1) + b"\x01" * (k + 1))
    with pytest.raises(InputError, match="binary file"):
        read_article(bad)
    # only the first _SNIFF_BYTES count; \t \n \r are not control bytes here
    late = write(tmp_path / "late.txt", b"Text.\t\r\n" * (_SNIFF_BYTES // 8) + b"\x01" * 2000)
    read_article(late)


# ---------------------------------------------------------------- front matter of real articles

NEWS_BODY = ("BEIJING (Reuters) - Russian Foreign Minister Sergei Lavrov met his Chinese counterpart Wang Yi "
        "in Beijing on Tuesday, according to the Russian foreign ministry.")


@pytest.mark.parametrize("head, title, date", [
    ("Lavrov meets Wang in Beijing\n\nBy Staff Reporter\nPublished: 2024-04-09\n", "Lavrov meets Wang in Beijing", "2024-04-09"),
    ("Lavrov meets Wang in Beijing\nApril 9, 2024\n", "Lavrov meets Wang in Beijing", "2024-04-09"),
    ("Lavrov meets Wang in Beijing\nUpdated 10 April 2024 08:15 BST\nPosted on Tue 9 Apr 2024\n",
     "Lavrov meets Wang in Beijing", "2024-04-09"),
    ("Did Lavrov meet Wang?\nBy Jane Roe and John Doe\n", "Did Lavrov meet Wang?", None),
])
def test_front_matter_gives_title_and_date(head, title, date):
    a = article_from_text(head + "\n" + NEWS_BODY + "\n", source="x")
    assert (a.title, a.date) == (title, date)
    assert a.text == title + "\n\n" + NEWS_BODY  # byline and date lines are gone


def test_banner_line_is_not_a_title():
    a = article_from_text("World News, Asia Headlines, Business\n" + NEWS_BODY + "\n", source="x")
    assert a.title is None and a.text == NEWS_BODY


def test_first_line_sentence_is_body_not_title():
    text = "Lavrov arrived in Beijing on Monday.\n" + NEWS_BODY + "\n"
    a = article_from_text(text, source="x")
    assert a.title is None and a.text.startswith("Lavrov arrived")


def test_call_to_action_footer_is_dropped():
    a = article_from_text(NEWS_BODY + "\nSubscribe to our newsletter for more stories like this.\n", source="x")
    assert a.text == NEWS_BODY


@pytest.mark.parametrize("dateline", ["WASHINGTON (AP) \u2014", "BEIJING, China (Reuters)", "MOSCOW -"])
def test_dateline_on_its_own_line_is_not_a_title(dateline):
    a = article_from_text(dateline + "\n" + NEWS_BODY + "\n", source="x")
    assert a.title is None and a.text.endswith(NEWS_BODY)  # kept as text (or dropped as a banner)
