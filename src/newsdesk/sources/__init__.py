"""Sources stage: where pages and feeds come from, and nothing more (a leaf layer).

Reading what a user names (``loader``), fetching over HTTP behind the SSRF
guard with politeness and robots.txt (``fetch/``), parsing RSS, Atom and JSON
feeds (``feeds/``), feed discovery and OPML. It imports only ``config``,
``errors``, ``logs`` and ``models``; turning an entry into an Article is
``extract``'s job, and the refresh that runs all this on a schedule is ``jobs``'.
"""
