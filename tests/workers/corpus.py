"""A corpus of fictional feeds (our own outlets, people and events) for the workers tests.

Each feed is an RSS 2.0 document with a few items long enough to count as
articles; some events are reported by several outlets, so stories form.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

OUTLETS = [
    "Harbour Ledger",
    "Valley Gazette",
    "Old Mill Post",
    "Estuary Courier",
    "Tannery Row Times",
    "North Quay Herald",
    "Lamplighter Weekly",
    "Saltmarsh Observer",
    "Copperfield Bulletin",
    "Brackwater Chronicle",
    "Fenmoor Dispatch",
    "Ridgeway Tribune",
]

EVENTS = [
    (
        "Mayor Odile Marchetti opens the Brackwater ferry terminal",
        "Mayor Odile Marchetti cut the ribbon on the new Brackwater ferry terminal on Tuesday, "
        "promising crossings every twenty minutes to the Fenmoor islands.",
    ),
    (
        "Fenmoor council approves flood barrier on the Silt river",
        "The Fenmoor council voted to build a flood barrier on the Silt river after engineer "
        "Tobiah Renwick presented a report on last winter's high tides.",
    ),
    (
        "Copperfield library reopens after a year of repairs",
        "The Copperfield library reopened its doors with a new reading hall, and librarian "
        "Maelis Ardent said the children's wing doubled its shelves.",
    ),
    (
        "Ridgeway cyclists race through the Hollin pass",
        "Two hundred cyclists climbed the Hollin pass in the Ridgeway spring race, won by "
        "Ines Carvalho-Strand in just under four hours.",
    ),
    (
        "Saltmarsh fishermen report a record herring season",
        "Fishermen in Saltmarsh landed more herring this month than in any season on record, "
        "harbourmaster Lucan Pettigrew told the port assembly.",
    ),
]

FILLER = (
    "Residents gathered along the waterfront to watch, and local traders said the day "
    "brought more visitors to the market stalls than any weekend this year. Officials "
    "will publish a fuller account at the next public meeting of the district assembly."
)


def _body(outlet: str, n: int, lead: str) -> str:
    return f"{lead} {FILLER} Reported by the {outlet} desk, item {n}."


def _item(
    outlet: str, slug: str, n: int, title: str, lead: str, when: datetime, pages_at: str | None
) -> str:
    body = _body(outlet, n, lead)
    link = f"https://{slug}.example/news/{n}"
    text = f"<description>{body}</description>"
    if pages_at is not None:
        if n % 2 == 0:  # a teaser and a link: the page is fetched for its full text
            link = f"{pages_at}/pages/{slug}/{n}.html"
            text = f"<description>{lead}</description>"
        else:  # the whole text in the feed: nothing to fetch
            text = f"<content:encoded>{body}</content:encoded>"
    return (
        "<item>"
        f"<title>{title}</title>"
        f"<link>{link}</link>"
        f"<guid>https://{slug}.example/news/{n}</guid>"
        f"<pubDate>{format_datetime(when)}</pubDate>"
        f"{text}"
        "</item>"
    )


def pages(count: int = 12, per_feed: int = 5) -> dict[str, bytes]:
    """``{path: html bytes}``: the article pages that ``feeds(pages_at=...)`` links to."""
    result: dict[str, bytes] = {}
    for i, outlet in enumerate(OUTLETS[:count]):
        slug = outlet.lower().replace(" ", "-")
        for n in range(0, per_feed, 2):
            title, lead = EVENTS[(i + n) % len(EVENTS)]
            sentences = _body(outlet, n, lead).rstrip(".").split(". ")
            paragraphs = "".join(f"<p>{s}.</p>" for s in sentences)
            html = (
                f"<!doctype html><html><head><title>{title} | {outlet}</title></head><body>"
                f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><main><article>"
                f"<h1>{title}</h1>{paragraphs}</article></main>"
                f"<footer>Copyright {outlet}</footer></body></html>"
            )
            result[f"/pages/{slug}/{n}.html"] = html.encode()
    return result


def feeds(count: int = 12, per_feed: int = 5, *, pages_at: str | None = None) -> dict[str, bytes]:
    """``{path: rss bytes}`` for ``count`` outlets of ``per_feed`` items each.

    ``pages_at`` (a server's base URL): every other item is a teaser linking to its page
    there (see :func:`pages`), the others carry their whole text.
    """
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    result: dict[str, bytes] = {}
    for i, outlet in enumerate(OUTLETS[:count]):
        slug = outlet.lower().replace(" ", "-")
        items = []
        for n in range(per_feed):
            title, lead = EVENTS[(i + n) % len(EVENTS)]
            own = f"{title} ({outlet})" if n % 2 else title
            when = base + timedelta(minutes=7 * n + i)
            items.append(_item(outlet, slug, n, own, lead, when, pages_at))
        xml = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>{outlet}</title><link>https://{slug}.example/</link>"
            f"<description>News from the {outlet}</description>{''.join(items)}"
            "</channel></rss>"
        )
        result[f"/{slug}.rss"] = xml.encode()
    return result
