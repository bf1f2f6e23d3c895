"""Article extraction from an HTML page (the entry point is ``article.extract_from_html``)."""
