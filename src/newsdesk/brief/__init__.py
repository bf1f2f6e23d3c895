"""Editions by email: choose (``select``), render (``render``), compose and send (``mail``,
``smtp``), and deliver each edition exactly once through the store's outbox (``outbox``)."""
