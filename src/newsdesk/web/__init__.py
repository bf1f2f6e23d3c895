"""The web face: HTML pages, the JSON API under /api/v1 and Atom feeds out (FastAPI)."""
