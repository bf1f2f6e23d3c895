"""Brief: the Morning and Evening Update by email.

Choose (``select``, pure), render (``render``: Jinja2, CSS inlined), compose
and send (``mail``, ``smtp``), and deliver each edition exactly once through
the store's outbox (``outbox``); signed unsubscribe links (``unsubscribe``)
and each user's Atom feed of editions (``atom``).
"""
