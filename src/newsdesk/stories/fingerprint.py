"""Pure features of one article for grouping: counted terms, entity keys and a MinHash.

Everything here is a function of the article alone (no corpus statistics, no
clock), so a fingerprint can be computed once at ingest, stored, and compared
later. The story model that weighs them is in ``cluster.py``.

Why these features:

* **Terms** (lower-cased, accents folded, lightly stemmed, stop words and
  headline filler removed) carry what an event is about: the headline's terms
  and the body's most frequent ones, each counted once.
* **Entity keys** (``@jane doe``) are terms of their own, counted twice: two
  articles naming the same person and place are more likely one event than two
  sharing a verb. They come from the understanding stage when it ran, else from
  capitalised runs in the body text.
* **MinHash** over 4-word shingles of the normalised text finds wire copies and
  lightly edited re-posts (estimated Jaccard), independently of the term vector.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: MinHash permutations: 64 gives a Jaccard estimate within about +-0.06, plenty to
#: tell a wire copy (J > 0.7) from two reports of one event (J < 0.2).
NUM_PERM = 64
SHINGLE_WORDS = 4
#: A body this long is signed on its own (see ``fingerprint``).
MIN_BODY_WORDS = 30
#: Body terms kept per article: enough to describe it, few enough that a long
#: article does not swamp a story's centroid.
MAX_BODY_TERMS = 24
#: Counts, not weights: the story model (cluster.py) treats them as word occurrences.
TITLE_WEIGHT = 1
BODY_WEIGHT = 1
ENTITY_WEIGHT = 2
ENTITY_PREFIX = "@"

_STOP = frozenset(
    """
    a about above across after again against ago all almost also although am amid among an and
    another any are around as at away back be became because become been before being below
    between both but by can cannot could did do does doing done down during each either else
    ever every few for from further had has have having he her here hers herself him himself
    his how however i if in into is it its itself just least less let like likely made many may
    me might more most much must my near nearly neither never no nor not now of off often on
    once one only onto or other others our ours out over own per perhaps rather re same says
    said say saying see seen she should since so some still such than that the their theirs
    them themselves then there these they this those though through thus to too toward towards
    under until up upon us very via was we were what whatever when where whether which while
    who whom whose why will with within without would yet you your yours s t d ll ve m
    new news report reports reported update updated updates latest breaking live video videos
    photo photos watch read today tonight yesterday tomorrow week weeks day days year years
    time times first last next get gets got make makes making take takes go goes going come
    comes two three four five six seven eight nine ten here heres what whats know things thing
    way want wants still set sets look looks show shows big top best inc ltd co corp plc
    """.split()  # noqa: SIM905 (a word list reads better as prose)
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_ENTITY_RUN = re.compile(
    r"(?<![.!?]\s)(?<!^)\b([A-Z][\w’'-]+(?:\s+(?:of|de|la|van|von|al)?\s*[A-Z][\w’'-]+)*)"
)


def fold(text: str) -> str:
    """Casefold and strip accents so 'Zürich' and 'zurich' are one term."""
    text = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_KEEP_S = frozenset({"news", "species", "series", "always", "perhaps", "various"})


def stem(word: str) -> str:
    """A deliberately light stemmer: plural, possessive and common verb endings.

    Heavier stemmers conflate names ('Gates' -> 'gate'); headlines mix names
    and verbs, so only endings that are almost always inflection are cut, and
    the same word always comes out the same (which is all grouping needs).
    """
    for apostrophe in ("'s", "’s"):
        if word.endswith(apostrophe):
            word = word[: -len(apostrophe)]
    word = word.replace("’", "").replace("'", "")
    if word in _KEEP_S or len(word) <= 3:
        return word
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = _undouble(word[:-3])
    elif len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        word = word[:-3] + "y" if word.endswith("ied") else _undouble(word[:-2])
    if len(word) > 4 and word.endswith("e") and not word.endswith("ee"):
        word = word[:-1]
    return word


def _undouble(base: str) -> str:
    if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
        return base[:-1]
    return base


def tokens(text: str) -> list[str]:
    """Content terms of ``text`` in order: folded, stemmed, without stop words or lone digits."""
    out: list[str] = []
    for match in _WORD.finditer(fold(text)):
        word = match.group(0)
        if word in _STOP or (word.isdigit() and len(word) < 3):
            continue
        word = stem(word)
        if len(word) < 2 or word in _STOP:
            continue
        out.append(word)
    return out


#: A headline is sentence case when at most this share of its inner content words is
#: capitalised; in Title Case every word is, so its capitals say nothing about names.
SENTENCE_CASE_SHARE = 0.5


def casing(title: str) -> tuple[frozenset[str], frozenset[str]]:
    """(terms capitalised, terms in lower case) inside a sentence-case headline.

    The first word, and every word after a colon or dash, is skipped (capitalised by
    position, not by being a name); a Title Case headline gives no evidence at all.
    """
    words: list[tuple[str, bool]] = []
    after_break = True
    for match in re.finditer(r"[^\W_]+(?:['’][^\W_]+)*|[:|\-–—]", title):
        word = match.group(0)
        if not word[0].isalnum():
            after_break = True
            continue
        if not after_break and word[0].isalpha() and fold(word) not in _STOP:
            words.append((word, word[0].isupper()))
        after_break = False
    if not words or sum(up for _, up in words) > SENTENCE_CASE_SHARE * len(words):
        return frozenset(), frozenset()
    upper = frozenset(tokens(" ".join(word for word, up in words if up)))
    lower = frozenset(tokens(" ".join(word for word, up in words if not up)))
    return upper, lower


def entity_key(name: str, kind: str | None = None) -> str:
    """Feature name of an entity; the kind is dropped so NER disagreements still match."""
    del kind
    return ENTITY_PREFIX + " ".join(_WORD.findall(fold(name)))


def entities_from_text(text: str, limit: int = 12) -> list[str]:
    """Capitalised runs not opening a sentence: a cheap stand-in for NER when it did not run."""
    counts: Counter[str] = Counter()
    for line in text.splitlines():
        for match in _ENTITY_RUN.finditer(line.strip()):
            name = match.group(1)
            if fold(name) in _STOP or len(name) < 3:
                continue
            counts[name] += 1
    return [name for name, _ in counts.most_common(limit)]


@functools.lru_cache(maxsize=1)
def _permutations() -> Any:
    """The MinHash permutations, drawn once: building them per article costs more than hashing."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=7).permutations


def _signature(words: Sequence[str]) -> tuple[int, ...]:
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=7, permutations=_permutations())
    if len(words) < SHINGLE_WORDS:
        shingles = [" ".join(words).encode()] if words else [b""]
    else:
        shingles = [
            " ".join(words[i : i + SHINGLE_WORDS]).encode()
            for i in range(len(words) - SHINGLE_WORDS + 1)
        ]
    minhash.update_batch(shingles)
    return tuple(int(v) for v in minhash.hashvalues)


#: LSH banding: 32 bands of 2 rows find a pair with Jaccard 0.5 with probability
#: 1 - (1 - 0.5**2)**32 > 0.9999, so banding loses no wire copy the threshold accepts.
BAND_ROWS = 2


def band_keys(signature: Sequence[int]) -> tuple[int, ...]:
    """One key per band of the signature; two signatures sharing a key are worth comparing."""
    return tuple(
        hash((i, *signature[i : i + BAND_ROWS])) for i in range(0, len(signature), BAND_ROWS)
    )


def jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What grouping needs from one article; ``terms`` maps feature -> raw weight."""

    id: str
    title: str
    published: datetime | None
    outlet: str | None
    terms: dict[str, int] = field(hash=False)
    entities: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    signature: tuple[int, ...] = ()
    bands: tuple[int, ...] = ()  # LSH band keys of the signature (see ``band_keys``)
    words: int = 0  # body length, to tell a wire copy from two short headlines
    #: Unit sentence vector of the headline (numpy), only with the ``semantic`` extra.
    vector: Any = field(default=None, hash=False, compare=False)
    #: Unit TF-IDF vector of ``terms`` (term -> weight), set by a batch from its statistics.
    lexical: dict[str, float] | None = field(default=None, hash=False, compare=False)
    #: Headline terms written with a capital / in lower case inside a sentence-case
    #: headline (never its first word): the evidence ``TermStats`` uses to tell names
    #: from event words by how the stream writes them, not by a word list.
    capitalised: frozenset[str] = frozenset()
    lowercase: frozenset[str] = frozenset()

    @property
    def sort_key(self) -> tuple[bool, str, str]:
        """Time order with a content tiebreak, so any input order gives one processing order."""
        when = self.published.isoformat() if self.published else ""
        digest = hashlib.sha1(f"{self.id}\x00{self.title}".encode()).hexdigest()
        return (self.published is None, when, digest)


def fingerprint(
    id: str,
    title: str,
    text: str = "",
    *,
    published: datetime | None = None,
    outlet: str | None = None,
    entities: Iterable[str] | None = None,
    topics: Iterable[str] = (),
) -> Fingerprint:
    """Features of one article; ``entities`` (canonical names) override the text fallback."""
    title_terms = tokens(title)
    body_words = fold(text).split()
    weights: Counter[str] = Counter()
    for term in title_terms:
        weights[term] = TITLE_WEIGHT
    body_counts = Counter(tokens(text)) if text else Counter()
    for term, _count in sorted(body_counts.items(), key=lambda kv: (-kv[1], kv[0]))[
        :MAX_BODY_TERMS
    ]:
        weights[term] = max(weights[term], BODY_WEIGHT)
    names = list(entities) if entities is not None else entities_from_text(text)
    keys = tuple(dict.fromkeys(k for k in (entity_key(n) for n in names) if k != ENTITY_PREFIX))
    for key in keys:
        weights[key] = ENTITY_WEIGHT
    # Outlets rewrite the headline of a wire copy but keep its body, so the body alone
    # is signed when there is one; headline-only items are signed by their headline.
    body = _WORD.findall(fold(text))
    normalised = body if len(body) >= MIN_BODY_WORDS else _WORD.findall(fold(f"{title} {text}"))
    signature = _signature(normalised)
    capitalised, lowercase = casing(title)
    return Fingerprint(
        id=str(id),
        title=title,
        published=published,
        outlet=outlet,
        terms=dict(weights),
        entities=keys,
        topics=tuple(topics),
        signature=signature,
        bands=band_keys(signature),
        words=len(body_words),
        capitalised=capitalised,
        lowercase=lowercase,
    )
