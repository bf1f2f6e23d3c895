"""Site chrome that survives main-text extraction: repeated headlines, prompts, datelines.

trafilatura finds the article's container well, but containers carry more than
the story: the headline and standfirst again, "Related:" and "Read more:"
links between paragraphs, newsletter and app prompts, share and comment
widgets, copyright lines, bare timestamps. Each rule here is about the shape
and wording of a *kind* of line (calls to action addressed to the reader,
labels of link lists, legal lines), never about one site, and each only fires
on a short block so a real paragraph that happens to mention a newsletter
stays. Measured on the benchmark in bench/extraction_html.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsdesk.extract.html.blocks import Block
from newsdesk.extract.html.links import LINK_LINE

__all__ = ["clean_blocks", "is_chrome_line"]

# Labels of link lists and widgets: a whole short line that is only the label.
_LABEL = re.compile(
    r"""^\W*(?:
      related(?:\s+(?:posts?|articles?|stories|story|content|links?|coverage|reading))? |
      more(?:\s+(?:on|from|about)\s+.{1,40})? | also(?:\s+read)? | see\s+also | don'?t\s+miss |
      must\s+read | you\s+(?:may|might)\s+also\s+like | popular\s+on\s+.{1,40} |
      most\s+(?:read|popular|viewed|shared)(?:\s+.{1,30})? |
      recommended(?:\s+(?:for\s+you|reading|stories))? |
      read\s+(?:more|next) | tags? | topics? | filed\s+under(?:\s*:.*)? |
      (?:\d+\s+)?comments?(?:\s*\(\d+\))? |
      show\s+comments | leave\s+a\s+(?:comment|reply) | post\s+(?:a\s+)?comment(?:\s*\(\+\))? |
      advertisement | sponsored(?:\s+content)? | explore\s+further |
      share(?:\s+(?:this|on\s+\w+))? |
      print(?:\s+(?:this\s+)?article)? | by | order\s+reprints | text\s+size | thanks?\s+you |
      listen\s+to\s+(?:this\s+)?(?:article|story)
    )\W*$""",
    re.I | re.X,
)
# Calls to action and legal lines: they start this way and run at most a few sentences.
_CTA = re.compile(
    r"""^\W*(?:
      (?:related|read\s+more|see\s+more|also|more|watch|listen|don'?t\s+miss)\s*: |
      read\s+more\b | click\s+here\b | sign\s+up\b | subscribe\s+(?:to|now|today|for|here)\b |
      follow\s+(?:us\b|@|[\w'’ .]{1,40}\s+on\s+
        (?:twitter|facebook|instagram|x\b|linkedin|youtube)) |
      get\s+(?:the|our)\s+.{0,60}\b(?:app|newsletters?)\b | like\s+this\s+(?:story|article) |
      share\s+(?:this|it)\s+with | have\s+a\s+(?:news\s+)?tip | write\s+to\s+.{1,60}\s+at\s |
      e-?mail\s+.{1,60}\s+at\s+\S+@ | reach\s+the\s+(?:reporter|writer|author)s? |
      copyright\s*(?:©|\(c\)|\d{4}) | © | all\s+rights\s+reserved |
      this\s+copy\s+is\s+for\s+your\s+personal |
      listen\s+to\s.{0,40}\bpodcast | download\s+(?:the|our)\s+.{0,30}\bapp |
      thanks\s+for\s+signing\s+up |
      (?:first\s+)?published\s*: | (?:last\s+)?updated\s*: | updated\s+(?:at\s+)?\d
    )""",
    re.I | re.X,
)
# A prompt anywhere in a short line, when it also speaks to the reader.
_PROMPT = re.compile(
    r"\b(?:newsletters?|subscribe|subscription|sign\s+up|all\s+rights\s+reserved)\b", re.I
)
_TO_READER = re.compile(r"\b(?:you|your|our|us|free)\b", re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_LINE = re.compile(
    rf"""^[\W]*(?:(?:updated|published|posted|last\s+updated)\s*:?\s*)?
    (?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?
    (?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}
      |\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}})
    [\s,/|·•-]*(?:(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{{2,4}})?)?
    [\W]*(?:updated\s.{{0,30}}ago)?\s*$""",
    re.I | re.X,
)
_NO_WORDS = re.compile(r"^\W*$")
# "05/10/2031 - Posted by: Ana Brun - Category: Health - Tags: ..." in any language:
# several "Label: value" fields strung together with dashes or bars.
_FIELD = re.compile(r"(?:^|\s[-|•·]\s)[^\s:][^:]{0,30}:\s")
# A timestamp in any language: a year and a clock time in a short line without a sentence end.
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_CLOCK = re.compile(r"\b\d{1,2}[:h]\d{2}\b")
_SENTENCE_END = re.compile(r"[.!?]$")


def is_chrome_line(text: str) -> bool:
    """True for a line that is page furniture, not prose: prompts, labels, legal lines, dates."""
    if _NO_WORDS.match(text):
        return True
    words = len(text.split())
    if words <= 8 and _LABEL.match(text):
        return True
    if words <= 40 and _CTA.match(text):
        return True
    if words <= 18 and _PROMPT.search(text) and _TO_READER.search(text):
        return True
    if words <= 30 and len(_FIELD.findall(text)) >= 2:
        return True
    if words <= 9 and _YEAR.search(text) and _CLOCK.search(text) and not _SENTENCE_END.search(text):
        return True
    return words <= 14 and bool(_DATE_LINE.match(text))


def clean_blocks(
    blocks: Sequence[Block], *, headlines: Sequence[str] = (), description: str | None = None
) -> list[Block]:
    """The blocks without the headline repeated on top and without chrome lines."""
    kept = _drop_headline_repeats(list(blocks), headlines, description)
    kept = _drop_link_lists(kept)
    return [b for b in kept if b.kind == "code" or not is_chrome_line(b.text)]


#: A run of this many link lines (or more) is a list of links, and its label goes with it.
LINK_RUN = 2
LINK_LINE_WORDS = 30
LABEL_WORDS = 8


def _drop_link_lists(blocks: list[Block]) -> list[Block]:
    """Runs of short lines that are all link text, and the short label over each run.

    "Mehr aus Bayern", "Mirá también", "À lire aussi" and "Related" boxes have the
    same shape in every language: a short line without a sentence end, then
    lines that are nothing but links. Measured: bench/extraction_html.py.
    """
    drop: set[int] = set()
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and _is_link_line(blocks[j]):
            j += 1
        if j - i >= LINK_RUN:
            drop.update(range(i, j))
            if i > 0 and _is_label(blocks[i - 1]):
                drop.add(i - 1)
        i = max(j, i + 1)
    return [b for k, b in enumerate(blocks) if k not in drop]


def _is_link_line(block: Block) -> bool:
    return block.link_share >= LINK_LINE and block.words <= LINK_LINE_WORDS


def _is_label(block: Block) -> bool:
    return block.words <= LABEL_WORDS and not _SENTENCE_END.search(block.text)


def _drop_headline_repeats(
    blocks: list[Block], headlines: Sequence[str], description: str | None
) -> list[Block]:
    """The headline repeated in the first blocks.

    The title is its own field of the article, so it leaves the body. The
    standfirst (the dek under the headline) stays, even set as a heading: a
    reader counts it as the article's first paragraph (issue 15; on the
    human-annotated Scrapinghub truth, which leaves deks out, this costs 0.002 F1).
    ``description`` is kept in the signature for callers; it no longer decides.
    """
    del description
    head_keys = [_key(h) for h in headlines if _key(h)]
    start = 0
    while start < min(len(blocks), 3):
        block = blocks[start]
        key = _key(block.text)
        is_title = bool(key) and any(key == h or (len(key) > 20 and key in h) for h in head_keys)
        if not is_title:
            break
        start += 1
    return blocks[start:]


def _key(text: str | None) -> str:
    return re.sub(r"\W+", " ", (text or "").casefold()).strip()
