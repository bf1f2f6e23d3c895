"""Brief: the morning and evening editions by email (filled by its own issue)."""
