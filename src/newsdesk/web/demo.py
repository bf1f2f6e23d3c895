"""A demo set of fictional news, so a fresh instance has something to show without network.

Every outlet, person, place and event here is invented for newsdesk. Three events
are each covered by several outlets (so stories group them), people are quoted
by name (so quotes find their speakers), and a few articles stand alone. The
articles live under ``*.demo.newsdesk.example`` and the UI labels them as demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsdesk.models import Article, Credit
from newsdesk.store.db import Database
from newsdesk.store.demo import DEMO_DOMAIN


@dataclass(frozen=True)
class DemoPiece:
    outlet: str
    slug: str
    title: str
    author: str
    hours_ago: float
    paragraphs: tuple[str, ...]


OUTLETS = {
    "Tidewater Post": "tidewater",
    "Harbour Gazette": "gazette",
    "Northfield Courier": "courier",
    "Valley Ledger": "ledger",
}

PIECES: tuple[DemoPiece, ...] = (
    # --- event 1: the Kelmsport harbour strike ends -----------------------------------
    DemoPiece(
        "Tidewater Post",
        "kelmsport-harbour-strike-ends",
        "Kelmsport harbour strike ends after dockworkers accept new pay deal",
        "Amara Nwosu",
        3,
        (
            "The three-week strike that closed the Port of Kelmsport ended on Tuesday after "
            "dockworkers voted to accept a new pay deal offered by the Kelmsport Port Authority.",
            "Members of the Kelmsport Dockworkers Union backed the agreement by 812 votes to 190, "
            "and the first container ships are expected to berth on Wednesday morning.",
            "“This deal is not everything we asked for, but it keeps every crane driver in a job "
            "and it puts safety first,” said Ines Okafor, who leads the Kelmsport Dockworkers "
            "Union.",
            "The port authority said the agreement raises wages by 6 per cent this year and adds "
            "two rest breaks to every night shift.",
            "“We are relieved that the harbour will be working again, and we want to rebuild "
            "trust with the people who keep it running,” said Marten Hale, chief executive of "
            "the Kelmsport Port Authority.",
            "Shipping firms had diverted more than 40 vessels to other ports during the strike, "
            "and hauliers in the region said the backlog could take a fortnight to clear.",
        ),
    ),
    DemoPiece(
        "Harbour Gazette",
        "dockworkers-vote-to-end-kelmsport-strike",
        "Dockworkers vote to end Kelmsport harbour strike",
        "Jonas Pell",
        2.5,
        (
            "Dockworkers at the Port of Kelmsport have voted to end their strike, reopening "
            "the harbour after three weeks in which no container ship was unloaded.",
            "The Kelmsport Dockworkers Union said 812 members voted for the pay deal and 190 "
            "against it, on a turnout of 91 per cent.",
            "“Our members showed the whole coast what a union can win when it stands together,” "
            "Ines Okafor said outside the union hall on Quay Street.",
            "Under the deal the Kelmsport Port Authority will raise pay by 6 per cent and hire "
            "30 more safety officers for the container terminal.",
            "Marten Hale, who runs the port authority, said the harbour would work around the "
            "clock to clear the queue of ships waiting offshore.",
        ),
    ),
    DemoPiece(
        "Northfield Courier",
        "ships-return-as-kelmsport-strike-ends",
        "Ships return to Kelmsport as harbour strike ends",
        "Clara Vint",
        2,
        (
            "Container ships began returning to Kelmsport on Tuesday evening after the "
            "dockworkers strike at the harbour ended with a pay deal.",
            "The Kelmsport Dockworkers Union accepted a 6 per cent pay rise from the Kelmsport "
            "Port Authority, ending a dispute over night shifts and safety at the container "
            "terminal.",
            "“The queue outside the harbour is long, but we will clear it within two weeks,” said "
            "Marten Hale of the Kelmsport Port Authority.",
            "Farmers in the Northfield valley, who ship grain through Kelmsport, said the strike "
            "had cost them weeks of sales.",
        ),
    ),
    # --- event 2: the Lake Ardmere flood barrier ----------------------------------------
    DemoPiece(
        "Valley Ledger",
        "ardmere-flood-barrier-approved",
        "Ardmere council approves flood barrier for Lake Ardmere shore",
        "Dev Mehta",
        6,
        (
            "Ardmere council on Monday approved a 2.4-kilometre flood barrier along the shore "
            "of Lake Ardmere, two winters after floods reached 300 homes in the old town.",
            "The barrier will cost an estimated 58 million and should be finished in 2029, the "
            "council said.",
            "“No family in Ardmere should have to carry its furniture upstairs every time the "
            "lake rises,” said Mayor Rosa Delgado after the vote.",
            "Engineers will build the barrier from earth banks and steel gates that close when "
            "the lake rises above its winter level.",
            "“The design gives the old town protection against a flood twice the size of the "
            "last one,” said Tomas Brandt, the engineer who leads the project.",
        ),
    ),
    DemoPiece(
        "Tidewater Post",
        "lake-ardmere-barrier-vote",
        "Lake Ardmere flood barrier wins council vote",
        "Amara Nwosu",
        5,
        (
            "Councillors in Ardmere voted 31 to 4 on Monday to build a flood barrier along the "
            "shore of Lake Ardmere, the biggest building project in the town for decades.",
            "The barrier of earth banks and steel gates will protect about 300 homes in the old "
            "town that flooded two winters ago.",
            "“Today the council chose to protect the old town for the next hundred years,” "
            "Mayor Rosa Delgado told reporters.",
            "Tomas Brandt, the project's lead engineer, said the first earth banks would rise "
            "next spring.",
        ),
    ),
    DemoPiece(
        "Harbour Gazette",
        "ardmere-barrier-residents",
        "Ardmere residents welcome flood barrier on Lake Ardmere",
        "Jonas Pell",
        4.5,
        (
            "Residents of Ardmere's old town welcomed the council's vote for a flood barrier "
            "on the shore of Lake Ardmere, though some fear years of building work.",
            "“We have waited two winters for this, and we can wait two more years for the "
            "barrier to be built,” said Lotte Fenwick, who runs a bakery on Lake Street.",
            "Mayor Rosa Delgado said the council would hold monthly meetings with residents "
            "while the barrier is built.",
        ),
    ),
    # --- event 3: the Northfield fusion lab grant ---------------------------------------
    DemoPiece(
        "Northfield Courier",
        "northfield-fusion-lab-grant",
        "Northfield University fusion lab wins research grant",
        "Clara Vint",
        10,
        (
            "Northfield University's fusion laboratory has won a research grant of 12 million "
            "to build a new test reactor, the university said on Sunday.",
            "“This grant lets our students work on the hardest problem in energy, here in "
            "Northfield,” said Priya Raman, who directs the fusion laboratory.",
            "The test reactor will be built on the university's east campus and should run "
            "its first experiments in 2028.",
            "The grant is the largest the university has received for energy research.",
        ),
    ),
    DemoPiece(
        "Valley Ledger",
        "fusion-grant-northfield-reactor",
        "Research grant brings fusion test reactor to Northfield University",
        "Dev Mehta",
        9,
        (
            "A test reactor for fusion research will be built at Northfield University after "
            "its fusion laboratory won a 12 million research grant.",
            "“We will open the laboratory to schools across the valley, so that children can "
            "see fusion research for themselves,” Priya Raman said.",
            "The university said the east campus reactor would employ 40 researchers and "
            "engineers when it opens in 2028.",
        ),
    ),
    # --- single articles ------------------------------------------------------------------
    DemoPiece(
        "Tidewater Post",
        "tidewater-ferry-timetable",
        "Tidewater ferry adds early crossings for commuters",
        "Amara Nwosu",
        12,
        (
            "The Tidewater ferry will add two early crossings on weekdays from next month, "
            "after commuters asked for a boat before seven in the morning.",
            "“More people now cross the estuary to work than at any time since the bridge "
            "closed,” said Hanna Osei, who manages the ferry service.",
            "The new crossings leave the north pier at 6.10 and 6.40.",
        ),
    ),
    DemoPiece(
        "Northfield Courier",
        "northfield-library-reopens",
        "Northfield library reopens after two-year restoration",
        "Clara Vint",
        20,
        (
            "Northfield's public library reopened on Saturday after a two-year restoration "
            "that repaired its roof and added a children's reading room.",
            "“A town that looks after its library looks after its future,” said Mayor Elias "
            "Brook as he opened the doors.",
            "More than 1,200 people visited on the first day, the library said.",
        ),
    ),
)


def demo_articles(now: datetime) -> list[Article]:
    """The demo pieces as Articles, dated relative to ``now`` so they are always recent."""
    out = []
    for piece in PIECES:
        host = f"{OUTLETS[piece.outlet]}.{DEMO_DOMAIN}"
        url = f"https://{host}/news/{piece.slug}"
        out.append(
            Article(
                title=piece.title,
                paragraphs=piece.paragraphs,
                url=url,
                canonical_url=url,
                authors=(piece.author,),
                credits=(Credit(piece.author, "author"),),
                outlet=piece.outlet,
                published=now - timedelta(hours=piece.hours_ago),
                language="en",
                extraction_method="demo",
            )
        )
    return out


def load(db: Database | None = None, *, now: datetime | None = None) -> int:
    """Store the demo set (understood and grouped into stories); returns how many were new."""
    from newsdesk.store.db import open_database

    db = db or open_database()
    from newsdesk.jobs.pipeline import store_articles

    moment = now or datetime.now(UTC)
    articles = sorted(demo_articles(moment), key=lambda a: a.published or moment)
    with db.begin() as conn:
        outcomes = store_articles(conn, articles, now=moment)
    return sum(o.status == "stored" for o in outcomes)


def clear(db: Database | None = None) -> int:
    """Remove the demo set; returns how many articles went."""
    from newsdesk.store import demo
    from newsdesk.store.db import open_database

    db = db or open_database()
    with db.begin() as conn:
        return demo.clear(conn)
