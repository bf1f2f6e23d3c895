"""Views: the read models every face shares (typed records with ``to_dict()``)."""
