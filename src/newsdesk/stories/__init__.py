"""Stories stage: near-duplicates, online grouping of articles into stories, importance.

``group_stories`` groups a batch; ``newsdesk.jobs.enrichers.stories.assign_article``
places one stored article into the stories kept in the database. The deciding
code (``fingerprint``, ``cluster``, ``rank``, ``timeline``) is pure.
"""

from __future__ import annotations

from newsdesk.stories.batch import group_stories

__all__ = ["group_stories"]
