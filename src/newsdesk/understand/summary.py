"""Extractive summaries and generated headlines.

A morning briefing shows one to three sentences per article, taken word for
word from it so they can be cited (their sentence numbers are kept). News is
written top-down, so position is the strongest signal; on top of it each
sentence earns credit for sharing the article's recurring words (centrality)
and loses it for what reads badly out of context: a bare quotation, a question,
a photo caption without a full stop, a sentence opening on "He" or "But", a
fragment. Sentences are taken best first until a budget of about 75 words (a
short paragraph) is spent, skipping any that repeats one already taken (a photo
caption restating the lede), then put back in article order.

The weights were set on the FRANK validation slice in ``bench/summaries.py``
and are deliberately few; see BENCHMARKS.md for how it compares with Lead-3.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsdesk.understand.lexicon import words

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span, Token

#: At most this many sentences in a summary.
MAX_SENTENCES = 3
#: Stop adding sentences once the summary has about this many words.
WORD_BUDGET = 75
POSITION_EXPONENT = 1.0
CENTRALITY_WEIGHT = 0.1
CENTRALITY_SMOOTHING = 5
#: A sentence sharing more than this share of its content words with a chosen one is left out.
REDUNDANCY = 0.4
#: The budget is a target: the next lead sentence may take the summary this many words past
#: it when every sentence chosen so far is the lead (the article's core); the summary ends there.
LEAD_OVERFLOW = 15
#: Sentences up to this index continue the lede, so an opening such as "He" or "But" is
#: not penalised there (it refers to the lede itself).
LEDE_CONTINUES = 0
#: Weight of the sentence-vector centrality term when vectors are given (none by default:
#: encoding every sentence would cost more than the parse).
VECTOR_CENTRALITY_WEIGHT = 0.0
_OPEN_QUOTES = "\"“‘'«"
_CLOSERS = ".!?\"”’'»)"
_DANGLING_STARTS = words(
    """
    but and he she it they however his her its their this that these those so also
    meanwhile there we i
    """
)
_HEADLINE_WORDS = 14


@dataclass(frozen=True, slots=True)
class Summary:
    text: str
    sentences: tuple[int, ...]


def _content_words(sent: Span) -> set[str]:
    return {t.lower_ for t in sent if t.is_alpha and not t.is_stop and len(t.text) > 2}


def rank_sentences(sents: Sequence[Span], vectors: Any = None) -> list[int]:
    """Sentence indices, best summary material first.

    ``vectors`` (unit sentence vectors, one row per sentence, optional) add a
    centrality term: the cosine of each sentence to the article's mean vector,
    weighted by ``VECTOR_CENTRALITY_WEIGHT`` (a try of issue 16; see BENCHMARKS.md)."""
    near: list[float] = [0.0] * len(sents)
    if vectors is not None and len(sents) and VECTOR_CENTRALITY_WEIGHT:
        centre = vectors.mean(axis=0)
        centre = centre / max(float((centre @ centre) ** 0.5), 1e-9)
        near = [float(v) for v in vectors @ centre]
    content = [_content_words(s) for s in sents]
    freq: Counter[str] = Counter()
    for ws in content:
        freq.update(ws)
    scores: list[float] = []
    for i, sent in enumerate(sents):
        text = sent.text.strip()
        tokens = [t for t in sent if not t.is_punct and not t.is_space]
        centrality = (
            sum(freq[w] - 1 for w in content[i]) / (len(content[i]) + CENTRALITY_SMOOTHING)
            if content[i]
            else 0.0
        )
        score = 1.0 / (1 + i) ** POSITION_EXPONENT + CENTRALITY_WEIGHT * centrality
        score += VECTOR_CENTRALITY_WEIGHT * near[i]
        if len(tokens) < 6:
            score -= 1.0  # a fragment: "Scroll down for video", a dateline
        if len(tokens) > 55:
            score -= 0.3  # run-on or a paragraph the splitter could not break
        if text[:1] in _OPEN_QUOTES:
            score -= 0.6  # a bare quotation needs its speaker; never lead a briefing with one
        if text[-1:] not in _CLOSERS:
            score -= 0.3  # captions and cut-off lines
        if text.endswith("?"):
            score -= 0.3
        if tokens and tokens[0].lower_ in _DANGLING_STARTS and not 0 < i <= LEDE_CONTINUES:
            score -= 0.2  # needs the sentence before it
        scores.append(score)
    return sorted(range(len(sents)), key=lambda i: (-scores[i], i))


def summarise(
    sents: Sequence[Span],
    *,
    max_sentences: int = MAX_SENTENCES,
    word_budget: int | None = None,
    vectors: Any = None,
) -> Summary:
    """One to ``max_sentences`` sentences, in article order, about ``word_budget`` words in all
    (``WORD_BUDGET`` unless given)."""
    if word_budget is None:
        word_budget = WORD_BUDGET
    if not sents:
        return Summary("", ())
    content = [_content_words(s) for s in sents]
    chosen: list[int] = []
    total = 0
    for i in rank_sentences(sents, vectors):
        if any(_overlap(content[i], content[j]) > REDUNDANCY for j in chosen):
            continue  # says again what a chosen sentence says (a caption repeating the lede)
        length = len(sents[i].text.split())
        if chosen and total + length > word_budget:
            if total < word_budget <= total + length <= word_budget + LEAD_OVERFLOW and (
                sorted(chosen) == list(range(i))
            ):
                chosen.append(i)  # the lead runs on: keep it whole and cut after it
                break
            continue
        chosen.append(i)
        total += length
        if len(chosen) >= max_sentences:
            break
    chosen.sort()
    return Summary(" ".join(sents[i].text.strip() for i in chosen), tuple(chosen))


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def make_headline(sent: Span) -> str:
    """A headline cut from ``sent`` (the summary's first sentence) for an article without one.

    Attribution is dropped ("..., the allies have announced"), then trailing
    clauses and phrases until it is headline length: "Canada will be joining
    the withdrawal of a French-led military contingent from Mali".
    """
    tokens = [t for t in sent if not t.is_space]
    if not tokens:
        return ""
    root = sent.root
    keep: list[Token] = [t for t in root.subtree if not t.is_space]
    # "X happened, officials said": the reported clause is the news.
    reported = [c for c in root.children if c.dep_ in {"ccomp", "parataxis"} and c.i < root.i]
    if reported:
        keep = [t for t in reported[0].subtree if not t.is_space]
    for _ in range(8):
        if _word_count(keep) <= _HEADLINE_WORDS:
            break
        clause = _last_droppable(keep)
        if clause is None:
            break
        drop = {t.i for t in clause.subtree}
        keep = [t for t in keep if t.i not in drop]
    while keep and (keep[-1].is_punct or keep[-1].dep_ in {"cc", "mark", "prep", "det"}):
        keep.pop()
    while keep and keep[0].is_punct:
        keep.pop(0)
    if _word_count(keep) > _HEADLINE_WORDS + 4:
        keep = keep[: _HEADLINE_WORDS + 4]
    text = "".join(t.text_with_ws for t in keep).strip().rstrip(",;:—–-").strip()
    text = _balance_quotes(text)
    return text[:1].upper() + text[1:] if text else sent.text.strip()[:120]


def _balance_quotes(text: str) -> str:
    """Close a quotation the cut left open (a headline ending inside one)."""
    pairs = (("“", "”"), ("‘", "’"))
    for opening, closing in pairs:
        if text.count(opening) > text.count(closing):
            text += closing
    if text.count('"') % 2:
        text += '"'
    return text


def _word_count(tokens: Sequence[Token]) -> int:
    return sum(1 for t in tokens if not t.is_punct)


def _last_droppable(keep: Sequence[Token]) -> Token | None:
    """The right-most clause or phrase that can go without breaking the sentence."""
    kept = {t.i for t in keep}
    for tok in reversed(keep):
        if tok.dep_ in {"advcl", "relcl", "acl", "prep", "npadvmod", "appos", "conj"} and (
            tok.head.i in kept
        ):
            return tok
    return None
