"""Quotes and who said them (the entry point is ``find.find_quotes``)."""
