"""Feed parsing: RSS, Atom and JSON Feed bytes in, a typed ``ParsedFeed`` out (see ``parse``)."""
