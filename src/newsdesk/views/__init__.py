"""Read models and renderers the faces (web, mail, Atom, CLI) share."""
