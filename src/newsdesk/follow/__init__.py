"""Follow stage: accounts, follows, mutes, the Following view, For you and search.

Pure parts (``query``, ``following.combine``, ``for_you.rank_for_you``) take
data and return data; every SQL statement they need is in ``newsdesk.store``
(``accounts``, ``follows``, ``follow_reads``, ``for_you``, ``search``,
``cards``), and the records both sides share are in ``newsdesk.store.records``.
"""
