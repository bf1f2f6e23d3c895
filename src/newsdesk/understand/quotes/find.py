"""Direct quotations and who said them.

:func:`find_quotes` takes the parsed article body and its canonical entities
and returns every direct quotation with its speaker, cue verb and position.
Quotation marks are found by :mod:`quote_marks`; this module decides, for
each quoted span, the attribution, using the parse and journalism's house
conventions, tried in order:

1. the quotation's own sentence: a reporting verb after it (“…,” Mr. Macron
   said / said Jane Roe, a professor) or before it (She said: “…”; Trump said
   that “a bomb” …), its grammatical subject being the speaker; also
   "according to X";
2. a quotation split by its attribution, or a run of quotations in one
   paragraph, shares the speaker of its neighbour (“A,” she said. “B.”);
3. a quotation over several paragraphs shares the speaker found in any of them;
4. a quotation with no cue of its own continues the nearest attribution
   before it: earlier in the paragraph, then the previous paragraph (the
   convention that a quote-only paragraph belongs to the person just quoted
   or paraphrased, and "X said:" introducing the next paragraph).

Quoted fragments embedded in a sentence ("the junta's “unreasonable
proposal”") are kept only when a reporting verb governs the sentence: then
they are someone's words inside a paraphrase. Without one they are scare
quotes or titles ("a “walk-in”", MSNBC's “Morning Joe”) and are dropped.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from newsdesk.understand.models import Entity, Quote
from newsdesk.understand.quotes.cues import ACCORDING, is_characterising_word, is_reporting_word
from newsdesk.understand.quotes.marks import QuoteSpan, find_quote_spans, paragraphs
from newsdesk.understand.quotes.speakers import SpeakerResolver

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

    from spacy.tokens import Doc, Token

SENTENCE_END = {".", "!", "?", "\u2026"}
#: A quotation after one of these (or at a sentence start) is a full quotation, not a fragment.
INTRODUCERS = {",", ":", ";", "\u2014", "\u2013", "-", "(", "--"}
#: A reporting verb after a finished quoted sentence ("…." She said) must come this soon.
AFTER_FINISHED_LIMIT = 5
#: How far a subject may be climbed through chained verbs ("he paused and added").
CLIMB_DEPTH = 4
#: Links climbed from a verb without a subject to the one that has it: "he paused and added",
#: "..., adding that", "responded by saying".
CLIMB_DEPS = {"conj", "advcl", "xcomp", "pcomp", "prep"}


class _Found:
    __slots__ = (
        "cue",
        "cue_token",
        "entity",
        "first",
        "fragment",
        "last",
        "own",
        "span",
        "speaker",
    )

    def __init__(self, span: QuoteSpan, first: int, last: int) -> None:
        self.span = span
        self.first = first  # first token of the quotation, marks included
        self.last = last  # last token, marks included
        self.fragment = False
        self.speaker: str | None = None
        self.entity: int | None = None
        self.cue: str | None = None
        self.cue_token: int | None = None
        self.own = False  # the attribution was found in this quotation's own sentence


def find_quotes(doc: Doc, entities: Sequence[Entity] | None = None) -> list[Quote]:
    """Every direct quotation in ``doc`` with its speaker resolved to a canonical name.

    ``entities`` are the article's canonical entities
    (:func:`newsdesk.understand.entities.find_entities`); ``None`` computes them here.
    """
    text = doc.text
    spans = find_quote_spans(text)
    if not spans:
        return []
    if entities is None:
        entities = _entities_of(doc)
    found, in_quote = _locate(doc, spans)
    para_of = _token_paragraphs(doc, text)
    resolver = SpeakerResolver(doc, entities, in_quote)
    ctx = _Context(doc, text, in_quote, para_of, resolver)
    kept: list[_Found] = []
    for f in found:
        ctx.attribute_own(f)
        if f.cue is None and kept and ctx.same_sentence(kept[-1], f):
            # “a lifetime politician” who “has never ...”: one attribution for the sentence
            prev = kept[-1]
            f.speaker, f.entity, f.cue, f.own = prev.speaker, prev.entity, prev.cue, prev.own
        if f.fragment and f.cue is None and not ctx.partial_quote(f):
            continue  # a scare quote or a title: no one is credited with it
        if MODIFIER_RULE and f.fragment and ctx.modifier_only(f):
            continue  # the “temporary” quay: a word held at a distance inside a noun phrase
        if (
            f.fragment
            and _looks_like_title(text[f.span.start : f.span.end])
            and not ctx.has_clause(f)
        ):
            continue
        if f.fragment and _after_so_called(doc, f.first):
            continue  # the writer's own distance from a term, not anyone's statement
        if f.speaker is None:
            ctx.inherit(f, kept)
        if f.entity is not None and f.cue_token is not None and f.own:
            resolver.note_speaker(doc[f.cue_token], f.entity)
        kept.append(f)
    _share_within_runs(kept)
    return [_to_quote(f, text, entities) for f in kept]


def _entities_of(doc: Doc) -> list[Entity]:
    from newsdesk.understand.entities import find_entities

    sentence_of = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sentence_of[i] = n
    return find_entities(doc, sentence_of)


# --------------------------------------------------------------------- locate
def _locate(doc: Doc, spans: list[QuoteSpan]) -> tuple[list[_Found], list[bool]]:
    in_quote = [False] * len(doc)
    found: list[_Found] = []
    for span in spans:
        tokens = doc.char_span(span.outer_start, span.outer_end, alignment_mode="expand")
        if tokens is None or len(tokens) == 0:
            continue
        for i in range(tokens.start, tokens.end):
            in_quote[i] = True
        found.append(_Found(span, tokens.start, tokens.end - 1))
    return found, in_quote


def _token_paragraphs(doc: Doc, text: str) -> list[int]:
    from spacy.attrs import IDX

    starts = [p.start for p in paragraphs(text)]
    offsets = doc.to_array([IDX]).tolist()  # without building a Token object per word
    return [max(bisect_right(starts, idx) - 1, 0) for idx in offsets]


# -------------------------------------------------------------------- context
class _Context:
    def __init__(
        self,
        doc: Doc,
        text: str,
        in_quote: list[bool],
        para_of: list[int],
        resolver: SpeakerResolver,
    ) -> None:
        self.doc = doc
        self.text = text  # Doc.text is rebuilt from the tokens on every access
        self.in_quote = in_quote
        self.para_of = para_of
        self.resolver = resolver

    def before(self, f: _Found) -> list[Token]:
        out: list[Token] = []
        j = f.first - 1
        para = self.para_of[f.first]
        while j >= 0 and self.para_of[j] == para and not self.in_quote[j]:
            tok = self.doc[j]
            if tok.text in SENTENCE_END:
                break
            if not tok.is_space:
                out.append(tok)
            j -= 1
        out.reverse()
        return out

    def after(self, f: _Found) -> list[Token]:
        out: list[Token] = []
        j = f.last + 1
        para = self.para_of[f.last]
        while j < len(self.doc) and self.para_of[j] == para and not self.in_quote[j]:
            tok = self.doc[j]
            if not tok.is_space:
                out.append(tok)
            if tok.text in SENTENCE_END:
                break
            j += 1
        return out

    def attribute_own(self, f: _Found) -> None:
        """Steps 1: a reporting verb in the quotation's own sentence."""
        before, after = self.before(f), self.after(f)
        f.fragment = (
            bool(before)
            and before[-1].text not in INTRODUCERS
            and not is_reporting_word(before[-1].text)
        )
        inner = self.text[f.span.start : f.span.end].rstrip()
        finished = inner[-1:] in SENTENCE_END or inner[-2:-1] in SENTENCE_END
        after_limit = (
            AFTER_FINISHED_LIMIT
            if finished and after and after[0].text[:1].isupper()
            else len(after)
        )
        order = [before, after[:after_limit]]
        handed_on = inner.endswith(",") and self.cue_in(
            after[:AFTER_FINISHED_LIMIT], backwards=False
        )
        if not f.fragment or handed_on:
            order.reverse()  # “…,” she said: the cue after a full quotation comes first
        for tokens in order:
            hit = self.cue_in(
                tokens, backwards=tokens is before, fragment=f if f.fragment else None
            )
            if hit is None:
                continue
            cue, subject = hit
            if subject is not None:
                self.set_speaker(f, subject)
            if f.entity is None and is_characterising_word(cue.text):
                f.speaker = None  # "critics called it a “vanity project”": a scare quote
                continue
            f.cue, f.cue_token, f.own = cue.text.lower(), cue.i, True
            if cue.lower_ in ACCORDING:
                f.cue = "according to"
            return

    def has_clause(self, f: _Found) -> bool:
        """The quoted words hold a clause (a finite verb of their own): someone's statement,
        not a term or a title held at a distance."""
        return any(self.doc[i].tag_ in FINITE_TAGS for i in range(f.first, f.last + 1))

    def modifier_only(self, f: _Found) -> bool:
        """The quoted words are one modifier inside a noun phrase outside them (the
        “temporary” quay, a “fact-finding” trip): a scare quote, never a statement."""
        inside = [
            self.doc[i]
            for i in range(f.first, f.last + 1)
            if not self.doc[i].is_punct and not self.doc[i].is_space
        ]
        heads = [t for t in inside if not f.first <= t.head.i <= f.last]
        return (
            len(heads) == 1
            and heads[0].dep_ in ("amod", "compound", "nmod")
            and heads[0].head.i > f.last
            and not self.has_clause(f)
        )

    def partial_quote(self, f: _Found) -> bool:
        """A quoted clause woven into a reported sentence: "the mayor said the pier was
        “rotten to the core and past saving”" or "Her verdict: “we lost this one”".

        Told from a scare quote by syntax alone: the marks hold a clause, and a reporting
        verb outside them governs them (or a colon introduces them). Sets the speaker."""
        if not self.has_clause(f):
            return False
        first = self.doc[f.first]
        sent = first.sent
        verbs = [
            t
            for t in sent
            if not self.in_quote[t.i]
            and t.pos_ in ("VERB", "AUX")
            and is_reporting_word(t.text)
            and any(t.is_ancestor(self.doc[i]) for i in range(f.first, f.last + 1))
        ]
        prev = self.doc[f.first - 1] if f.first > 0 else None
        if not verbs and prev is not None and prev.text == ":" and not self.in_quote[prev.i]:
            verbs = [sent.root]
        for verb in sorted(verbs, key=lambda t: abs(t.i - f.first)):
            subject = self.subject_of(verb)
            if subject is None:
                continue
            self.set_speaker(f, subject)
            if f.speaker is not None:
                f.cue, f.cue_token, f.own = verb.text.lower(), verb.i, True
                return True
        return False

    def same_sentence(self, prev: _Found, f: _Found) -> bool:
        """``prev`` and ``f`` are quoted pieces of one sentence (only words in between)."""
        if self.para_of[prev.last] != self.para_of[f.first] or prev.last >= f.first:
            return False
        between = self.doc[prev.last + 1 : f.first]
        return all(t.text not in SENTENCE_END for t in between)

    def cue_in(
        self, tokens: list[Token], *, backwards: bool, fragment: _Found | None = None
    ) -> tuple[Token, Token | None] | None:
        """The reporting verb nearest the quotation and its subject.

        For a quoted fragment, a characterising verb counts too, but only when the fragment
        is part of what it governs ("likened them to a “vicious snake”", not "the
        “loopholes” he cited are ...").
        """
        seq = list(reversed(tokens)) if backwards else tokens
        for tok in seq:
            nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
            if tok.lower_ in ACCORDING and nxt is not None and nxt.lower_ == "to":
                return tok, self.according_to(nxt)
            verb = is_reporting_word(tok.text) or (
                fragment is not None
                and is_characterising_word(tok.text)
                and tok.is_ancestor(self.doc[min(fragment.first + 1, fragment.last)])
            )
            if verb and tok.pos_ in ("VERB", "AUX"):
                subject = self.subject_of(tok)
                if subject is None and not backwards:
                    subject = self.name_after(tok, tokens)
                if (
                    subject is None
                    and tok.tag_ in ("VBG", "VBN")
                    and tok.dep_ not in ("ROOT", "conj")
                ):
                    continue  # "Asked about it, ..." / "including": not the attribution itself
                return tok, subject
        return None

    def subject_of(self, verb: Token) -> Token | None:
        tok = verb
        for _ in range(CLIMB_DEPTH):
            for child in tok.children:
                if child.dep_ in ("nsubj", "nsubjpass") and not self.in_quote[child.i]:
                    if child.dep_ == "nsubjpass" and child.lower_ in ("it",):
                        return None
                    return child
            if tok.dep_ in CLIMB_DEPS and tok.head is not tok and not self.in_quote[tok.head.i]:
                tok = tok.head
                continue
            if tok.dep_ == "relcl":
                return tok.head
            break
        return None

    def name_after(self, verb: Token, tokens: list[Token]) -> Token | None:
        """Inverted attribution the parser missed: "said Jane Roe, a professor"."""
        run: Token | None = None
        for tok in tokens:
            if tok.i <= verb.i:
                continue
            if tok.pos_ == "PROPN" or tok.i in self.resolver.token_entity:
                run = tok
                continue
            if run is not None or tok.i > verb.i + 4:
                break
            if tok.lower_ in ("he", "she"):
                return tok
        return run

    def according_to(self, to: Token) -> Token | None:
        for child in to.children:
            if child.dep_ == "pobj":
                return child
        nxt = to.i + 1
        return self.doc[nxt] if nxt < len(self.doc) else None

    def set_speaker(self, f: _Found, subject: Token) -> None:
        found = self.resolver.resolve_index(subject)
        if isinstance(found, int):
            f.entity = found
            f.speaker = self.resolver.name_of(found)
        elif isinstance(found, str):
            f.speaker = found

    def inherit(self, f: _Found, kept: list[_Found]) -> None:
        """Steps 2 and 4: the nearest attribution before, in this paragraph or the one before."""
        para = f.span.paragraph
        for prev in reversed(kept):
            if prev.span.paragraph < para - 1:
                break
            same = prev.span.paragraph == para or prev.span.run == f.span.run
            if same and prev.speaker is not None:
                if prev.span.run != f.span.run and self._someone_else_between(prev, f):
                    break  # another person was brought in since: the quote is not prev's
                self._copy(f, prev.speaker, prev.entity, prev.cue)
                return
        if self._cue_before(f, para):
            return
        if self._previous_subject(f):
            return
        if para > 0:
            self._cue_before(f, para - 1)

    def _someone_else_between(self, prev: _Found, f: _Found) -> bool:
        """A person other than ``prev``'s speaker is the subject of a sentence between the two
        quotations ("“…,” said Ames. Her deputy, Rolf Brand, disagreed. “…”")."""
        for m in self.resolver.mentions:
            if (
                prev.last < m.token < f.first
                and m.subject
                and m.entity != prev.entity
                and self.resolver.entities[m.entity].kind == "person"
            ):
                return True
        return False

    def _cue_before(self, f: _Found, para: int) -> bool:
        """The last reporting verb with a known speaker before ``f``, within paragraph ``para``."""
        j = f.first - 1
        while j >= 0 and self.para_of[j] >= para:
            tok = self.doc[j]
            if self.para_of[j] == para and not self.in_quote[j] and is_reporting_word(tok.text):
                subject = self.subject_of(tok) if tok.pos_ in ("VERB", "AUX") else None
                if subject is not None:
                    self.set_speaker(f, subject)
                    if f.speaker is not None:
                        f.cue = tok.text.lower()
                        return True
            j -= 1
        return False

    def _previous_subject(self, f: _Found) -> bool:
        """ "Sanders identified fatigue as a reason. “The younger people ...”": the person
        who is the subject of the sentence just before, in the same paragraph."""
        j = f.first - 1
        para = self.para_of[f.first]
        while j >= 0 and self.para_of[j] == para and (self.in_quote[j] or self.doc[j].is_space):
            j -= 1
        if j < 0 or self.para_of[j] != para:
            return False
        root = self.doc[j].sent.root
        for child in root.children:
            if child.dep_ in ("nsubj", "nsubjpass") and not self.in_quote[child.i]:
                found = self.resolver.resolve_index(child)
                if isinstance(found, int) and self.resolver.entities[found].kind == "person":
                    f.entity, f.speaker = found, self.resolver.name_of(found)
                    return True
        return False

    @staticmethod
    def _copy(f: _Found, speaker: str | None, entity: int | None, cue: str | None) -> None:
        f.speaker, f.entity, f.cue = speaker, entity, cue


#: Drop a quoted modifier inside a noun phrase (the “temporary” quay) as a scare quote.
#: Off: on the PolNeAR tuning half it lost two credited quotes (attribution F1 -0.006).
MODIFIER_RULE = False
#: Penn tags of finite verbs ("was", "says", "lost"), the mark of a clause.
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _share_within_runs(found: list[_Found]) -> None:
    """Step 3: all paragraphs of one quotation get the speaker found in any of them."""
    by_run: dict[int, _Found] = {}
    for f in found:
        if f.own and f.speaker is not None:
            by_run.setdefault(f.span.run, f)
    for f in found:
        src = by_run.get(f.span.run)
        if src is not None and not f.own:
            f.speaker, f.entity, f.cue = src.speaker, src.entity, src.cue


def _after_so_called(doc: Doc, first: int) -> bool:
    before = doc[max(first - 3, 0) : first].text.lower().replace("-", " ")
    return before.endswith(("so called", "so called "))


def _looks_like_title(text: str) -> bool:
    """“Morning Joe”, “Face the Nation,”: every word capitalised, not a question or a cry."""
    words = [w for w in text.split() if w[:1].isalpha()]
    small = {"a", "an", "the", "of", "and", "in", "on", "for", "to", "at", "with", "or"}
    if not words or text.rstrip()[-1:] in "!?":
        return False
    return words[0][0].isupper() and all(w[0].isupper() or w in small for w in words)


def _to_quote(f: _Found, text: str, entities: Sequence[Entity]) -> Quote:
    # the entity's key even when the speaker shows a fuller form of a lone surname: storage
    # links the quote to that entity, and salience counts its quotes, by this key
    key = entities[f.entity].key if f.entity is not None else None
    raw = text[f.span.start : f.span.end]
    lead = len(raw) - len(raw.lstrip())
    body = raw.strip()
    return Quote(
        text=body,
        speaker=f.speaker,
        speaker_key=key,
        cue=f.cue,
        start=f.span.start + lead,
        end=f.span.start + lead + len(body),
        paragraph=f.span.paragraph,
    )
