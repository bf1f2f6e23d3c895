"""Sources stage: where pages and feeds come from.

Reading what a user names (``loader``), fetching over HTTP behind the SSRF
guard (``fetch``, ``ssrf``, ``robots``), parsing feeds (``feeds`` and its
``feed_*`` helpers), OPML and feed discovery, and the refresh loop that keeps
every followed source up to date (``refresh``, ``schedule``, ``scheduler``).
"""
