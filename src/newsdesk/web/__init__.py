"""Web: the FastAPI app, its pages and APIs (filled by its own issue)."""
