"""One article (or plain text) in, its :class:`Understanding` out.

The parse is the expensive part, so the rest is arranged around doing it once
per article and in batches: ``understand_many`` hands all bodies to
``nlp.pipe`` and then runs the cheap, pure steps (entities, quotes, salience,
figures, summary, topics) on each parsed document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsdesk.errors import UnderstandError
from newsdesk.models import Article
from newsdesk.understand.models import Entity, Quote, Understanding

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span

#: A first paragraph this short, without a full stop, in plain text is taken as its headline.
_HEADLINE_MAX_WORDS = 20
_ENDS_SENTENCE = re.compile(r"[.!?…\"”’')]\s*$")
LEDE_SENTENCES = 3
HEADLINE_WEIGHT = 4.0
QUOTE_WEIGHT = 2.0
MAX_QUOTES_COUNTED = 3


@dataclass(frozen=True, slots=True)
class _Input:
    headline: str  # "" when the article has none
    paragraphs: tuple[str, ...]
    language: str | None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def understand(article_or_text: Article | str) -> Understanding:
    """Who and what ``article_or_text`` is about: entities, topics, quotes, figures, summary."""
    return understand_many([article_or_text])[0]


def understand_many(items: Iterable[Article | str], *, n_process: int = 1) -> list[Understanding]:
    """``understand`` for many articles at once; the parses are batched through ``nlp.pipe``."""
    from newsdesk.config import get_settings
    from newsdesk.understand.nlp import parse_many

    limit = get_settings().understand_max_tokens
    inputs = [_capped(_prepare(item), limit) for item in items]
    docs = parse_many((i.body for i in inputs), n_process=n_process)
    return [analyse(doc, item) for doc, item in zip(docs, inputs, strict=True)]


def _prepare(item: Article | str) -> _Input:
    if isinstance(item, Article):
        paragraphs = tuple(p.strip() for p in item.paragraphs if p.strip())
        headline = "" if item.title_generated else item.title.strip()
        language = item.language
    elif isinstance(item, str):
        headline, paragraphs = split_plain_text(item)
        language = None
    else:
        raise UnderstandError(
            f"cannot understand a {type(item).__name__}", hint="pass an Article or a str"
        )
    if not paragraphs:
        raise UnderstandError(
            "nothing to understand: the text is empty", hint="give an article with some text"
        )
    return _Input(headline, paragraphs, language)


_TOKEN = re.compile(r"\w+|[^\w\s]")


def _capped(item: _Input, limit: int) -> _Input:
    """The body's first ``limit`` tokens (words and marks), in whole paragraphs where possible.

    Why: the parse costs time in proportion to the tokens, and a body of symbols
    ("'s " x 20,000) has far more tokens than prose of its size; past the longest
    news features more text adds nothing the lede, entities and quotes need.
    """
    kept: list[str] = []
    room = limit
    for paragraph in item.paragraphs:
        count = 0
        cut = None
        for match in _TOKEN.finditer(paragraph):
            count += 1
            if count > room:
                cut = match.start()
                break
        if cut is None:
            kept.append(paragraph)
            room -= count
            continue
        if not kept:  # one huge first paragraph: keep its first tokens
            kept.append(paragraph[:cut].rstrip())
        break
    else:
        return item
    return _Input(item.headline, tuple(kept), item.language)


def split_plain_text(text: str) -> tuple[str, tuple[str, ...]]:
    """(headline or "", paragraphs) of plain text: blank lines part paragraphs.

    A short first paragraph that does not end like a sentence is a headline.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return "", ()
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    paragraphs = [" ".join(b.split()) for b in blocks if b.strip()]
    headline = ""
    if len(paragraphs) > 1 and _looks_like_headline(paragraphs[0]):
        headline = paragraphs.pop(0).rstrip(".")
    return headline, tuple(paragraphs)


def _looks_like_headline(first: str) -> bool:
    """Short, and without a full stop, or in Title Case, or very short (a one-line deck)."""
    words = first.split()
    if len(words) > _HEADLINE_MAX_WORDS or len(re.findall(r"[.!?]\s+[A-Z]", first)):
        return False
    long_words = [w for w in words if len(w) > 3]
    title_case = bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.7 * len(
        long_words
    )
    return not _ENDS_SENTENCE.search(first) or title_case or len(words) <= 12


def analyse(doc: Doc, item: _Input) -> Understanding:
    """The pure part: everything after the parse.

    The model is English; on an article the extractor marked as another
    language its names would be noise in the shared entity table, so such an
    article gets its headline and summary but no entities, quotes, figures or topics.
    """
    from newsdesk.understand.entities import find_entities
    from newsdesk.understand.figures import find_figures
    from newsdesk.understand.summary import make_headline, summarise
    from newsdesk.understand.topics import find_topics

    sents = [s for s in doc.sents if s.text.strip()]
    sentence_of = _sentence_index(doc, sents)
    english = not item.language or item.language.lower().startswith("en")
    entities = find_entities(doc, sentence_of) if english else []
    quotes = _quotes(doc, entities) if english else []
    entities = score_salience(entities, item.headline, quotes)
    figures = find_figures(doc, [s.start_char for s in sents]) if english else []
    summary = summarise(sents)
    headline, generated = item.headline, False
    if not headline:
        best = sents[summary.sentences[0]] if summary.sentences else None
        headline, generated = (make_headline(best) if best is not None else ""), True
    topics = find_topics(doc, entities, sentence_of, item.headline) if english else []
    return Understanding(
        headline=headline,
        headline_generated=generated,
        summary=summary.text,
        summary_sentences=summary.sentences,
        language=item.language,
        entities=tuple(entities),
        topics=tuple(topics),
        quotes=tuple(quotes),
        figures=tuple(figures),
        sentences=tuple(s.text.strip() for s in sents),
    )


def _sentence_index(doc: Doc, sents: Sequence[Span]) -> list[int]:
    """Sentence number of every token; blank-line tokens belong to the sentence before."""
    sentence_of = [0] * len(doc)
    for n, sent in enumerate(sents):
        for i in range(sent.start, sent.end):
            sentence_of[i] = n
    last = 0
    for i in range(len(doc)):
        if doc[i].is_space:
            sentence_of[i] = last
        else:
            last = sentence_of[i]
    return sentence_of


def _quotes(doc: Doc, entities: Sequence[Entity]) -> list[Quote]:
    try:
        from newsdesk.understand.quotes.find import find_quotes
    except ImportError:  # pragma: no cover - the quotes module ships with the package
        return []
    return list(find_quotes(doc, entities))


def score_salience(
    entities: Sequence[Entity], headline: str, quotes: Sequence[Quote]
) -> list[Entity]:
    """Entities with salience in 0..1, most salient first.

    Named in the headline counts most, then each mention (more in the first
    sentences), then being quoted: the people who speak in a story are who it
    is about. Groups ("the Islamists") count half: they are rarely the subject.
    """
    from dataclasses import replace

    quoted: dict[str, int] = {}
    for quote in quotes:
        if quote.speaker_key:
            quoted[quote.speaker_key] = quoted.get(quote.speaker_key, 0) + 1
        elif quote.speaker:
            quoted[quote.speaker] = quoted.get(quote.speaker, 0) + 1
    raw: list[float] = []
    for entity in entities:
        score = sum(
            3.0 if m.sentence == 0 else 2.0 if m.sentence < LEDE_SENTENCES else 1.0
            for m in entity.mentions
        )
        if headline and _named_in(headline, entity):
            score += HEADLINE_WEIGHT
        times = quoted.get(entity.key, 0) or quoted.get(entity.name, 0)
        score += QUOTE_WEIGHT * min(times, MAX_QUOTES_COUNTED)
        if entity.kind == "group":
            score *= 0.5
        raw.append(score)
    top = max(raw, default=0.0) or 1.0
    scored = [replace(e, salience=round(s / top, 3)) for e, s in zip(entities, raw, strict=True)]
    scored.sort(key=lambda e: (-e.salience, e.mentions[0].start if e.mentions else 0))
    return scored


def _named_in(headline: str, entity: Entity) -> bool:
    for name in (entity.name, *entity.aliases):
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", headline):
            return True
    return False
