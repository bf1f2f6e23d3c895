"""Locust users for bench/web_load.py: a signed-in reader browsing For you, Following,
Unread and article pages (HTML, through the session cookie), with a short think time."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

_SESSIONS: list[str] = json.loads(Path(os.environ["WEB_LOAD_SESSIONS"]).read_text())
_MAX_ARTICLE = int(os.environ["WEB_LOAD_MAX_ARTICLE"])


class Reader(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.cookies.set("nd_session", random.choice(_SESSIONS))

    @task(3)
    def for_you(self) -> None:
        self.client.get("/", name="For you")

    @task(3)
    def following(self) -> None:
        self.client.get("/following", name="Following")

    @task(2)
    def unread(self) -> None:
        self.client.get("/unread", name="Unread")

    @task(4)
    def article(self) -> None:
        article_id = random.randint(max(1, _MAX_ARTICLE - 20_000), _MAX_ARTICLE)
        self.client.get(f"/articles/{article_id}", name="Article")
