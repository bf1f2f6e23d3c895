"""The numpy sentence encoder: shape, unit length, meaning, and no torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.usefixtures("sentence_model")


def test_vectors_are_unit_length_and_near_for_the_same_event() -> None:
    from newsdesk.understand.encoder import DIMENSIONS, embed

    vectors = embed(
        [
            "Coral Airways jet missing over the Kavari strait",
            "Search widens for vanished Coral Airways airliner",
            "Glowing frogs found in Norland rainforest",
        ]
    )
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_batching_and_order_do_not_change_a_vector() -> None:
    from newsdesk.understand.encoder import embed

    texts = ["Ferry pier closes", "A much longer headline about the ferry pier closing for years"]
    together = embed(texts, batch_size=1)
    alone = embed(list(reversed(texts)), batch_size=8)[::-1]
    assert np.allclose(together, alone, atol=1e-5)
    assert embed([]).shape[0] == 0


def test_the_encoder_never_imports_torch() -> None:
    code = (
        "import sys; from newsdesk.understand.encoder import embed; embed(['a headline']); "
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
