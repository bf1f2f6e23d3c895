"""The enrichers run on every newly stored article, in order: understanding, then stories."""
