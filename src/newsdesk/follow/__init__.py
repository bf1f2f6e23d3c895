"""Follow stage: accounts, follows, the Following view, the For-you feed and search.

Pure parts (``query``, ``following``, ``feed``) take data and return data;
database access lives in ``newsdesk.store.follows`` and ``newsdesk.store.search``.
"""
