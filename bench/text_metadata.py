"""Benchmark: headline, authors and date found on pages saved as text, against a silver reference.

The Scrapinghub corpus has no human headline, author or date, but every page
saved as text (``text/<id>.txt``) is also there as HTML (``html/<id>.html.gz``),
whose metadata (JSON-LD, OpenGraph, ``<h1>``, ``<title>``) names them. The
reference for each page is what our own HTML extractor reads there
(``newsdesk.extract.html.article.extract_from_html``, and every headline form of the
page from ``newsdesk.extract.metadata``): a *silver* reference, not a human
one; where the HTML markup is wrong, so is the reference.

Scores, on the pages that have a reference for the field:

* headline: the text title matches when its tokens (casefolded ``\\w+`` runs)
  overlap one of the page's headline forms, or a " | "/" - " part of one, with
  token F1 >= 0.8. A generated title (the page has no headline, one was made
  from the lede) never matches; "reachable" counts the pages where some line of
  the text page matches, since a headline missing from the saved text cannot be found;
* authors: micro precision and recall of names, a name matching when one name's
  tokens contain the other's; pages where we name authors but the reference has
  none are counted apart (unjudged: their HTML may simply lack the markup);
* date: the day we find equals the reference's day (in its own zone or in UTC);
  "within a day" also counts one day apart, since pages print local times without a
  zone (read as UTC) and the reference may be the date in the site's zone.

The peer, measured in the same run, is trafilatura's metadata pass
(``bare_extraction(with_metadata=True)``) on the same text given as one
``<p>`` per blank-line block, as ``extraction_eval.py --pages text`` gives it.
Figures are given for all pages and for each half (ids sorted): the rules were
developed on the even positions, the odd half is held out.

    .venv/bin/python bench/text_metadata.py                 # all 181 pages
    .venv/bin/python bench/text_metadata.py --quick         # the first 40 pages
    .venv/bin/python bench/text_metadata.py --list dev      # print the misses of the dev half

The corpus stays in ../shared/bench/extraction/scrapinghub; without it the
script says so and exits 2.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "bench" / "extraction" / "scrapinghub"
QUICK_PAGES = 40
MATCH_F1 = 0.8
_WORD = re.compile(r"\w+")
_PARTS = re.compile(r"\s+[|–—·•»:-]\s+")


@dataclass(frozen=True)
class Found:
    """What one extractor says about a page: title (None when it has none), authors, date."""

    title: str | None
    authors: tuple[str, ...]
    published: datetime | None


@dataclass(frozen=True)
class Reference:
    headlines: tuple[str, ...]
    authors: tuple[str, ...]
    published: datetime | None


@dataclass
class Tally:
    pages: int = 0
    head_ref: int = 0
    head_reachable: int = 0
    head_ok: int = 0
    head_ok_reachable: int = 0
    head_wrong: int = 0
    head_none: int = 0
    auth_ref_names: int = 0
    auth_found_names: int = 0
    auth_tp_found: int = 0
    auth_tp_ref: int = 0
    auth_unjudged_pages: int = 0
    date_ref: int = 0
    date_ok: int = 0
    date_near: int = 0
    date_wrong: int = 0
    date_none: int = 0
    date_unjudged: int = 0
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 0.0

        return {
            "pages": self.pages,
            "headline_pages": self.head_ref,
            "headline_accuracy": ratio(self.head_ok, self.head_ref),
            "headline_reachable": self.head_reachable,
            "headline_accuracy_reachable": ratio(self.head_ok_reachable, self.head_reachable),
            "headline_wrong": self.head_wrong,
            "headline_none": self.head_none,
            "author_pages_names": self.auth_ref_names,
            "author_precision": ratio(self.auth_tp_found, self.auth_found_names),
            "author_recall": ratio(self.auth_tp_ref, self.auth_ref_names),
            "author_unjudged_pages": self.auth_unjudged_pages,
            "date_pages": self.date_ref,
            "date_accuracy": ratio(self.date_ok, self.date_ref),
            "date_within_a_day": ratio(self.date_near, self.date_ref),
            "date_precision": ratio(self.date_ok, self.date_ref - self.date_none),
            "date_wrong": self.date_wrong,
            "date_none": self.date_none,
            "date_unjudged": self.date_unjudged,
        }


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def token_f1(a: str, b: str) -> float:
    ca, cb = Counter(tokens(a)), Counter(tokens(b))
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    precision, recall = common / sum(ca.values()), common / sum(cb.values())
    return 2 * precision * recall / (precision + recall)


def headline_forms(headlines: Iterable[str]) -> list[str]:
    """Each headline form, and its parts around " | ", " - " (the site name split off)."""
    forms: list[str] = []
    for headline in headlines:
        forms.append(headline)
        forms.extend(p for p in _PARTS.split(headline) if len(tokens(p)) >= 2)
    return forms


def headline_matches(title: str, forms: Sequence[str]) -> bool:
    return any(token_f1(title, form) >= MATCH_F1 for form in forms)


def name_matches(a: str, b: str) -> bool:
    ta, tb = set(tokens(a)), set(tokens(b))
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def days_apart(found: datetime, ref: datetime) -> int:
    day = found.astimezone(UTC).date()
    return min(abs((day - ref.date()).days), abs((day - ref.astimezone(UTC).date()).days))


def score_page(tally: Tally, key: str, found: Found, ref: Reference, lines: Sequence[str]) -> None:
    tally.pages += 1
    forms = headline_forms(ref.headlines)
    if forms:
        tally.head_ref += 1
        reachable = any(headline_matches(line, forms) for line in lines if 2 <= len(line) <= 300)
        tally.head_reachable += reachable
        if found.title is None:
            tally.head_none += 1
            tally.misses.append(f"{key[:8]} headline none; ref {ref.headlines[0]!r}")
        elif headline_matches(found.title, forms):
            tally.head_ok += 1
            tally.head_ok_reachable += reachable
        else:
            tally.head_wrong += 1
            tally.misses.append(f"{key[:8]} headline {found.title!r}; ref {ref.headlines[0]!r}")
    if ref.authors:
        tally.auth_ref_names += len(ref.authors)
        tally.auth_found_names += len(found.authors)
        good = [any(name_matches(f, r) for r in ref.authors) for f in found.authors]
        recalled = [any(name_matches(f, r) for f in found.authors) for r in ref.authors]
        tally.auth_tp_found += sum(good)
        tally.auth_tp_ref += sum(recalled)
        if not all(good) or not all(recalled):
            tally.misses.append(f"{key[:8]} authors {list(found.authors)}; ref {list(ref.authors)}")
    elif found.authors:
        tally.auth_unjudged_pages += 1
    if ref.published is not None:
        tally.date_ref += 1
        if found.published is None:
            tally.date_none += 1
        elif days_apart(found.published, ref.published) == 0:
            tally.date_ok += 1
            tally.date_near += 1
        elif days_apart(found.published, ref.published) == 1:
            tally.date_near += 1
            tally.date_wrong += 1
            tally.misses.append(
                f"{key[:8]} date {found.published.date()}; ref {ref.published.date()} (a day apart)"
            )
        else:
            tally.date_wrong += 1
            tally.misses.append(
                f"{key[:8]} date {found.published.date()}; ref {ref.published.date()}"
            )
    elif found.published is not None:
        tally.date_unjudged += 1


def reference(html: str, url: str | None) -> Reference:
    """The silver reference: our HTML extractor's headline forms, authors and date."""
    from trafilatura.utils import load_html

    from newsdesk.extract.html.article import extract_from_html
    from newsdesk.extract.metadata import extract_metadata

    article = extract_from_html(html, url=url)
    tree = load_html(html)
    meta = extract_metadata(tree, url) if tree is not None else None
    forms = tuple(dict.fromkeys([*(meta.headlines if meta else ()), article.title]))
    return Reference(tuple(f for f in forms if f), article.authors, article.published)


def ours(text: str, url: str | None) -> Found:
    from newsdesk.extract.text.article import extract_from_text

    article = extract_from_text(text, url=url)
    title = None if article.title_generated or not article.title else article.title
    return Found(title, article.authors, article.published)


def trafilatura_peer(text: str, url: str | None) -> Found:
    """trafilatura's metadata on the text given as one <p> per blank-line block."""
    from trafilatura import bare_extraction

    from newsdesk.extract.metadata import parse_date, split_author_names

    doc = bare_extraction(_text_as_html(text), url=url, with_metadata=True, include_comments=False)
    if doc is None:
        return Found(None, (), None)

    def field(name: str) -> str | None:
        value = doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)
        return value if isinstance(value, str) else None

    author, title, date = field("author"), field("title"), field("date")
    authors = split_author_names(author) if author else ()
    return Found(title or None, authors, parse_date(date))


def _text_as_html(text: str) -> str:
    import html

    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    body = "\n".join("<p>" + html.escape(b).replace("\n", "<br>") + "</p>" for b in blocks)
    return f"<html><body>{body}</body></html>"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help=f"only the first {QUICK_PAGES} pages")
    ap.add_argument("--no-peer", action="store_true", help="skip trafilatura")
    ap.add_argument("--list", choices=("dev", "held_out", "all"), help="print our misses")
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = ap.parse_args(argv)
    if not (DATA / "ground-truth.json").exists() or not (DATA / "text").is_dir():
        print(
            f"benchmark data not found: needs {DATA}/ground-truth.json, text/ and html/ (the "
            "shared folder beside the repository); nothing measured",
            file=sys.stderr,
        )
        return 2
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:QUICK_PAGES] if args.quick else sorted(truth)
    tools = {"newsdesk": ours}
    if not args.no_peer:
        tools["trafilatura"] = trafilatura_peer
    results: dict[str, dict[str, Tally]] = {
        name: {"all": Tally(), "dev": Tally(), "held_out": Tally()} for name in tools
    }
    seconds = dict.fromkeys(tools, 0.0)
    for position, key in enumerate(keys):
        url = truth[key].get("url")
        text_path, html_path = DATA / "text" / f"{key}.txt", DATA / "html" / f"{key}.html.gz"
        if not text_path.exists() or not html_path.exists():
            continue
        text = text_path.read_bytes().decode("utf-8", errors="replace")
        with gzip.open(html_path, "rb") as packed:
            html = packed.read().decode("utf-8", errors="replace")
        ref = reference(html, url)
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        half = "dev" if position % 2 == 0 else "held_out"
        for name, tool in tools.items():
            started = time.perf_counter()
            found = tool(text, url)
            seconds[name] += time.perf_counter() - started
            for part in ("all", half):
                score_page(results[name][part], key, found, ref, lines)
    summary = {
        name: {part: tally.figures() for part, tally in parts.items()}
        for name, parts in results.items()
    }
    print("Headline, authors and date on pages saved as text, against the silver reference")
    print("(our HTML extractor on the same pages as HTML), same run:")
    for name, parts in summary.items():
        for part in ("all", "dev", "held_out"):
            f = parts[part]
            print(
                f"  {name:<12} {part:<8} pages {f['pages']:>3}  headline "
                f"{f['headline_accuracy']:.3f}"
                f" of {f['headline_pages']} ({f['headline_accuracy_reachable']:.3f} of "
                f"{f['headline_reachable']} reachable; wrong {f['headline_wrong']}, none "
                f"{f['headline_none']})  authors P {f['author_precision']:.3f} R "
                f"{f['author_recall']:.3f} of {f['author_pages_names']} names (unjudged pages "
                f"{f['author_unjudged_pages']})  date {f['date_accuracy']:.3f} (within a day "
                f"{f['date_within_a_day']:.3f}; right when given {f['date_precision']:.3f}) of "
                f"{f['date_pages']} (wrong {f['date_wrong']}, none {f['date_none']}, unjudged "
                f"{f['date_unjudged']})"
            )
        print(f"  {name:<12} {1000 * seconds[name] / max(1, len(keys)):.1f} ms/page")
    if args.list:
        for line in results["newsdesk"][args.list].misses:
            print("  miss", line)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
