"""Fetching over HTTP: the client, its SSRF guard, size limits, politeness and robots.txt."""
