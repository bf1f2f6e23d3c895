"""Article extraction from a page saved as plain text (see ``article.extract_from_text``)."""
