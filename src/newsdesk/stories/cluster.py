"""Online story decisions: join, start, merge, close. Pure: data in, decision out.

Each story is a bag of words (its members' terms and entity keys, counted).
An article joins the story under which its own words are most probable, or
starts a new story when a fresh story explains it better. The probabilities
come from a Dirichlet-multinomial mixture with a Chinese-restaurant prior, the
model behind GSDMM and MStream (Yin & Wang 2014, 2016), made for short texts
such as headlines:

    P(join z | d)  ∝  m_z            · Π_w Π_j (n_z,w + β + j − 1) / Π_i (n_z + Vβ + i − 1)
    P(new | d)     ∝  α·D            · Π_w Π_j (β + j − 1)        / Π_i (Vβ + i − 1)

(m_z articles and n_z words in story z, n_z,w of them the word w; D articles and
V distinct words in view). Why this and not a similarity threshold: the
decision to start a story is a comparison inside one model, so it adapts to
story size, headline length and vocabulary without a cut-off tuned to one
corpus; α and β keep the values MStream published for news headlines (see
BENCHMARKS.md). Two stories merge when the merged bag of words is more probable
than the two apart (the same model's Bayes factor), which is how evidence
accumulates: as stories fill in, two halves of one event become one.

A story whose last article is older than the window closes: it is no longer a
candidate, which is what bounds memory by the window. Nothing here reads a
clock or a database: callers pass the candidates and the articles' times.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from newsdesk.stories.fingerprint import Fingerprint, band_keys, jaccard

_lgamma = math.lgamma


@dataclass(frozen=True, slots=True)
class Params:
    """Model settings; see BENCHMARKS.md ("Stories: clustering") for where they come from."""

    alpha: float = 0.03  # how readily a new story opens (per article in view)
    beta: float = 0.03  # how readily a story takes a word it has not seen
    #: log Bayes factor a merge must clear: ln(100), "decisive" on Jeffreys' scale.
    merge_evidence: float = 4.605
    #: Estimated Jaccard of 4-word shingles above which two texts are one copy: independent
    #: reports of one event share well under a fifth of their shingles, a lightly edited
    #: wire copy most of them.
    duplicate_jaccard: float = 0.50
    window: timedelta = timedelta(hours=72)
    #: Stories scored in full per article (those sharing the most weighty words first).
    max_candidates: int = 64
    #: Only where articles carry sentence vectors (the ``semantic`` extra; 0 turns it off):
    #: nats added to a join per unit of cosine between the article and the story's mean
    #: vector above ``semantic_floor``, and the mean-vector cosine two stories need to merge.
    #: Both were chosen on our own headline sets (BENCHMARKS.md), never on the bench.
    semantic_weight: float = 40.0
    semantic_floor: float = 0.30
    #: The same term for TF-IDF vectors (a batch gives every article one): nats per unit of
    #: cosine to the story's mean TF-IDF vector above ``lexical_floor``. Off (0) by default:
    #: it helped on our headline sets but not on the bench (BENCHMARKS.md), so it stays an
    #: option, measured, not a default.
    lexical_weight: float = 0.0
    lexical_floor: float = 0.05
    #: Names apart from event words (issue 16): two reports of one event name the same
    #: company, person or place, while two events of one kind ("files for bankruptcy")
    #: share only the event words. Nats taken from a join when the article names
    #: something and shares none of its names with the story, and the cosine of name
    #: counts two stories that both name things need to merge. Names are told by how
    #: the stream writes them (``TermStats.names``), so both are inert where nothing
    #: is known of casing (ingest's window). Off here; the words-only batch turns them
    #: on (``batch.WORD_PARAMS``, chosen on the bench's tuning half, BENCHMARKS.md).
    name_clash_penalty: float = 0.0
    merge_name_floor: float = 0.0


@dataclass(frozen=True, slots=True)
class TermStats:
    """What is in view (a batch, or the open window): article count and document frequencies."""

    docs: int
    df: Mapping[str, int]
    #: Terms the stream writes as names: capitalised inside sentence-case headlines at
    #: least as often as in lower case, and entity keys. Empty where nothing is known.
    names: frozenset[str] = frozenset()

    def is_name(self, term: str) -> bool:
        return term in self.names or term.startswith("@")

    def names_in(self, fp: Fingerprint) -> tuple[str, ...]:
        """The article's terms that are names."""
        return tuple(term for term in fp.terms if self.is_name(term)) if self.names else ()

    @property
    def vocabulary(self) -> int:
        return max(len(self.df), 1)

    def tfidf(self, terms: Mapping[str, int]) -> dict[str, float]:
        """Unit-length TF-IDF vector of an article's counted terms."""
        weights = {term: count * self.idf(term) for term, count in terms.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {term: w / norm for term, w in weights.items()}

    def idf(self, term: str) -> float:
        """Rarity of a term, used only to pick which candidates to score first."""
        return math.log((self.docs + 1) / (self.df.get(term, 0) + 1)) + 1.0

    @classmethod
    def from_fingerprints(cls, fingerprints: Iterable[Fingerprint]) -> TermStats:
        df: dict[str, int] = {}
        votes: dict[str, int] = {}
        docs = 0
        for fp in fingerprints:
            docs += 1
            for term in fp.terms:
                df[term] = df.get(term, 0) + 1
            for term in fp.capitalised:
                votes[term] = votes.get(term, 0) + 1
            for term in fp.lowercase:
                votes[term] = votes.get(term, 0) - 1
        return cls(docs, df, frozenset(t for t, v in votes.items() if v >= 0))


@dataclass(slots=True)
class StoryState:
    """A story as the decisions see it: its bag of words and its reach in time and outlets."""

    key: str
    counts: dict[str, int] = field(default_factory=dict)
    size: int = 0  # m_z: articles
    words: int = 0  # n_z: word occurrences
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    outlets: set[str] = field(default_factory=set)
    members: dict[str, None] = field(default_factory=dict)  # an ordered set
    signatures: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: LSH bands of the signatures: band key -> members, so a wire copy is looked for
    #: among the few members that share a band, not among all of a big story's.
    bands: dict[int, list[str]] = field(default_factory=dict)
    #: Sum of the members' sentence vectors (numpy), when they have them.
    vector_sum: Any = None
    #: Sum of the members' TF-IDF vectors (term -> weight), when they have them.
    lexical_sum: dict[str, float] = field(default_factory=dict)

    def _sign(
        self, member: str, signature: tuple[int, ...], bands: tuple[int, ...] | None = None
    ) -> None:
        self.signatures[member] = signature
        for band in bands if bands is not None else band_keys(signature):
            self.bands.setdefault(band, []).append(member)

    def _seen(self, when: datetime | None) -> None:
        if when is None:
            return
        if self.first_seen is None or when < self.first_seen:
            self.first_seen = when
        if self.last_seen is None or when > self.last_seen:
            self.last_seen = when

    def add(self, fp: Fingerprint) -> None:
        for term, count in fp.terms.items():
            self.counts[term] = self.counts.get(term, 0) + count
            self.words += count
        self.size += 1
        self.members[fp.id] = None
        if fp.outlet:
            self.outlets.add(fp.outlet)
        if fp.signature:
            self._sign(fp.id, fp.signature, fp.bands or None)
        if fp.vector is not None:
            self.vector_sum = _plus(self.vector_sum, fp.vector)
        if fp.lexical:
            _add_sparse(self.lexical_sum, fp.lexical, 1.0)
        self._seen(fp.published)

    def remove(self, fp: Fingerprint) -> None:
        """Take an article back out (a batch re-sweep moves it elsewhere)."""
        for term, count in fp.terms.items():
            left = self.counts.get(term, 0) - count
            if left > 0:
                self.counts[term] = left
            else:
                self.counts.pop(term, None)
            self.words -= count
        self.size -= 1
        del self.members[fp.id]
        if fp.vector is not None and self.vector_sum is not None:
            self.vector_sum = self.vector_sum - fp.vector
        if fp.lexical:
            _add_sparse(self.lexical_sum, fp.lexical, -1.0)
        signature = self.signatures.pop(fp.id, None)
        if signature:
            for band in fp.bands or band_keys(signature):
                self.bands[band].remove(fp.id)

    def absorb(self, other: StoryState) -> None:
        """Take in every member of ``other`` (a merge)."""
        for term, count in other.counts.items():
            self.counts[term] = self.counts.get(term, 0) + count
        self.words += other.words
        self.size += other.size
        self.members.update(other.members)
        self.outlets |= other.outlets
        if other.vector_sum is not None:
            self.vector_sum = _plus(self.vector_sum, other.vector_sum)
        _add_sparse(self.lexical_sum, other.lexical_sum, 1.0)
        for member, signature in other.signatures.items():
            self._sign(member, signature)
        self._seen(other.first_seen)
        self._seen(other.last_seen)


def _add_sparse(total: dict[str, float], vector: Mapping[str, float], sign: float) -> None:
    for term, weight in vector.items():
        left = total.get(term, 0.0) + sign * weight
        if left > 1e-9:
            total[term] = left
        else:
            total.pop(term, None)


def _plus(total: Any, vector: Any) -> Any:
    """A new sum (never in place: a fingerprint's vector must not change under it)."""
    return vector.copy() if total is None else total + vector


def log_join(
    fp: Fingerprint,
    story: StoryState,
    stats: TermStats,
    params: Params,
    names: tuple[str, ...] | None = None,
) -> float:
    """log P(join story | article), up to the constant shared by all options.

    ``names`` are the article's name terms (``TermStats.names_in``), passed in by a
    caller that scores many stories so they are found once.
    """
    vbeta = stats.vocabulary * params.beta
    score = math.log(story.size)
    counts = story.counts
    beta = params.beta
    for term, count in fp.terms.items():
        have = counts.get(term, 0) + beta
        # Γ(h + 1) / Γ(h) = h: most words occur once, and a log is cheaper than two lgammas.
        score += math.log(have) if count == 1 else _lgamma(have + count) - _lgamma(have)
    n = sum(fp.terms.values())
    score -= _lgamma(story.words + vbeta + n) - _lgamma(story.words + vbeta)
    if params.name_clash_penalty and stats.names:
        if names is None:
            names = stats.names_in(fp)
        if names and not any(term in counts for term in names):
            score -= params.name_clash_penalty
    if params.semantic_weight and fp.vector is not None and story.vector_sum is not None:
        cosine = float(fp.vector @ story.vector_sum) / story.size
        score += params.semantic_weight * (cosine - params.semantic_floor)
    if params.lexical_weight and fp.lexical and story.lexical_sum:
        sums = story.lexical_sum
        cosine = sum(w * sums.get(t, 0.0) for t, w in fp.lexical.items()) / story.size
        score += params.lexical_weight * (cosine - params.lexical_floor)
    return score


def mean_cosine(a: StoryState, b: StoryState) -> float | None:
    """Average cosine between the two stories' members (their mean vectors' dot product)."""
    if a.vector_sum is None or b.vector_sum is None:
        return None
    return float(a.vector_sum @ b.vector_sum) / (a.size * b.size)


def log_new(fp: Fingerprint, stats: TermStats, params: Params) -> float:
    """log P(start a story | article), same constant as ``log_join``."""
    vbeta = stats.vocabulary * params.beta
    score = math.log(params.alpha * max(stats.docs, 1))
    for count in fp.terms.values():
        score += _lgamma(params.beta + count) - _lgamma(params.beta)
    n = sum(fp.terms.values())
    score -= _lgamma(vbeta + n) - _lgamma(vbeta)
    return score


def merge_gain(a: StoryState, b: StoryState, stats: TermStats, params: Params) -> float:
    """log Bayes factor of "one story" over "two stories"; above 0 favours the merge.

    Only words the smaller story has change between the two hypotheses, so the
    sum runs over those (a big story's whole vocabulary cancels out).
    """
    vbeta = stats.vocabulary * params.beta
    beta = params.beta
    small, large = (a, b) if len(a.counts) <= len(b.counts) else (b, a)
    lg_beta = _lgamma(beta)
    words = 0.0
    for term, count in small.counts.items():
        other = large.counts.get(term, 0)
        if other:
            words += (
                _lgamma(other + count + beta) - _lgamma(other + beta) - _lgamma(count + beta)
            ) + lg_beta
    words -= (
        _lgamma(a.words + b.words + vbeta)
        - _lgamma(a.words + vbeta)
        - _lgamma(b.words + vbeta)
        + _lgamma(vbeta)
    )
    # Chinese-restaurant prior: one table of m_a + m_b against two tables.
    prior = (
        _lgamma(a.size + b.size)
        - _lgamma(a.size)
        - _lgamma(b.size)
        - math.log(params.alpha * max(stats.docs, 1))
    )
    return words + prior


def is_closed(story: StoryState, now: datetime, params: Params) -> bool:
    """A story closes once nothing has joined it for a whole window."""
    return story.last_seen is not None and now - story.last_seen > params.window


def in_window(fp: Fingerprint, story: StoryState, params: Params) -> bool:
    if fp.published is None or story.last_seen is None or story.first_seen is None:
        return True
    return (
        fp.published - story.last_seen <= params.window
        and story.first_seen - fp.published <= params.window
    )


@dataclass(frozen=True, slots=True)
class Decision:
    """Where one article goes. ``story`` is None for "start a new story".

    ``confidence`` is the model's probability of the chosen option among all
    those scored; ``runners_up`` are other stories that came close, where a
    merge may be due.
    """

    action: Literal["join", "start"]
    story: str | None
    confidence: float
    duplicate_of: str | None = None
    duplicate_score: float = 0.0
    runners_up: tuple[str, ...] = ()


def score_options(
    fp: Fingerprint, candidates: Sequence[StoryState], stats: TermStats, params: Params
) -> list[tuple[float, str]]:
    """(log score, story key) per candidate in the window, best first; "" is a new story."""
    options = [(log_new(fp, stats, params), "")]
    names = stats.names_in(fp) if params.name_clash_penalty else ()
    for story in candidates:
        if story.size > 0 and in_window(fp, story, params):
            options.append((log_join(fp, story, stats, params, names), story.key))
    options.sort(key=lambda item: (-item[0], item[1]))
    return options


def _confidence(options: Sequence[tuple[float, str]], chosen: str) -> float:
    top = options[0][0]
    total = sum(math.exp(score - top) for score, _ in options)
    mine = next(score for score, key in options if key == chosen)
    return math.exp(mine - top) / total


def decide(
    fp: Fingerprint,
    candidates: Sequence[StoryState],
    stats: TermStats,
    params: Params = Params(),
) -> Decision:
    """Join the story that explains the article best, or start one.

    A wire copy (estimated shingle Jaccard over the threshold with a member of
    one of the three best stories) always joins its original's story.
    """
    options = score_options(fp, candidates, stats, params)
    by_key = {story.key: story for story in candidates}
    ranked = [by_key[key] for _, key in options if key]
    duplicate = _find_duplicate(fp, ranked[:3], params)
    if duplicate is not None:
        story, original, dup_score = duplicate
        others = tuple(key for _, key in options if key and key != story.key)[:3]
        return Decision(
            "join", story.key, _confidence(options, story.key), original, dup_score, others
        )
    best = options[0][1]
    others = tuple(key for _, key in options[1:4] if key and key != best)
    if best:
        return Decision("join", best, _confidence(options, best), runners_up=others)
    return Decision("start", None, _confidence(options, ""), runners_up=others)


def _find_duplicate(
    fp: Fingerprint, stories: Sequence[StoryState], params: Params
) -> tuple[StoryState, str, float] | None:
    if not fp.signature:
        return None
    keys = fp.bands or band_keys(fp.signature)
    best: tuple[StoryState, str, float] | None = None
    for story in stories:
        if not story.bands and story.signatures:  # built from stored rows: index them now
            for member, signature in list(story.signatures.items()):
                story._sign(member, signature)
        near = sorted({m for key in keys for m in story.bands.get(key, ())})
        for member in near:
            score = jaccard(fp.signature, story.signatures[member])
            if score >= params.duplicate_jaccard and (best is None or score > best[2]):
                best = (story, member, score)
    return best


def should_merge(a: StoryState, b: StoryState, stats: TermStats, params: Params = Params()) -> bool:
    """Two open stories are one when one bag of words explains them better than two."""
    if a.key == b.key or a.size == 0 or b.size == 0:
        return False
    if a.last_seen and b.first_seen and b.first_seen - a.last_seen > params.window:
        return False
    if b.last_seen and a.first_seen and a.first_seen - b.last_seen > params.window:
        return False
    if params.semantic_weight:
        cosine = mean_cosine(a, b)
        if cosine is not None and cosine < params.semantic_floor:
            return False
    if merge_gain(a, b, stats, params) <= params.merge_evidence:
        return False
    return not (
        params.merge_name_floor
        and stats.names
        and name_overlap(a, b, stats) < params.merge_name_floor
    )


def name_overlap(a: StoryState, b: StoryState, stats: TermStats) -> float:
    """Cosine of the two stories' name counts.

    Where either story names nothing the answer is 1: the test is for a clash of
    names (Sbarro's bankruptcy against an exchange's), not for missing evidence.
    """

    def names(story: StoryState) -> dict[str, int]:
        return {t: c for t, c in story.counts.items() if stats.is_name(t)}

    ea, eb = names(a), names(b)
    if not ea or not eb:
        return 1.0
    dot = sum(c * eb.get(t, 0) for t, c in ea.items())
    norm = math.sqrt(sum(c * c for c in ea.values()) * sum(c * c for c in eb.values()))
    return dot / norm if norm else 0.0


def merge_order(a: StoryState, b: StoryState) -> tuple[StoryState, StoryState]:
    """(survivor, absorbed): the larger story survives, ties go to the smaller key."""
    survivor, absorbed = sorted((a, b), key=lambda s: (-s.size, s.key))
    return survivor, absorbed
