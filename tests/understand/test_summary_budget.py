"""The summary's word budget is a target, not a wall (issue 16), on articles we wrote."""

from __future__ import annotations

from collections.abc import Callable

from newsdesk.understand.models import Understanding

Understood = Callable[..., Understanding]


def test_a_lead_sentence_running_past_the_budget_is_kept_and_ends_the_summary(
    understood: Understood,
) -> None:
    u = understood(
        "The harbour authority of Port Velan voted on Tuesday night to close the old northern "
        "ferry pier for at least two years after engineers found that the timber piles under "
        "its eastern half had rotted far faster than the last survey had predicted.",
        "Ferries to the three outer islands will dock at the container quay from next month, "
        "which adds about twenty minutes to each crossing, moves the ticket office across the "
        "harbour and closes the waiting room that island commuters have used for decades.",
        "The authority said the repairs would cost about nine million crowns.",
        "Island councils asked for a shuttle bus between the two quays.",
    )
    # 43 + 41 words: the second lead sentence runs 9 words past the 75-word target
    assert u.summary_sentences == (0, 1)


def test_a_sentence_far_past_the_budget_is_still_left_out(understood: Understood) -> None:
    long_second = (
        "Ferries to the three outer islands will dock at the container quay from next month, "
        "which adds about twenty minutes to each crossing, moves the ticket office across the "
        "harbour, closes the waiting room that island commuters have used since the pier first "
        "opened, and means that the early boat will leave a quarter of an hour sooner on every "
        "weekday until the repairs are finished."
    )
    u = understood(
        "The harbour authority of Port Velan voted on Tuesday night to close the old northern "
        "ferry pier for at least two years after engineers found that the timber piles under "
        "its eastern half had rotted far faster than the last survey had predicted.",
        long_second,
        "The authority said the repairs would cost about nine million crowns.",
    )
    assert 1 not in u.summary_sentences
    assert u.summary_sentences[0] == 0
