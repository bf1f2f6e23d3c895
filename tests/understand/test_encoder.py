"""The sentence encoder (numpy, or ONNX Runtime where installed): shape, unit length,
meaning, the two backends agreeing, and no torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import skip_or_fail

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


def _onnx() -> None:
    from newsdesk.understand import encoder_onnx

    if not encoder_onnx.available():
        skip_or_fail("onnx and onnxruntime are not installed: pip install -e '.[semantic]'")


def test_the_onnx_graph_gives_the_numpy_vectors_and_is_cached(tmp_path: Path) -> None:
    _onnx()
    from newsdesk.understand.encoder import Encoder

    texts = [
        "Coral Airways jet missing over the Kavari strait",
        "Ferry pier closes",
        "A much longer headline about the ferry pier in Saltmarsh closing for three years",
    ]
    reference = Encoder(backend="numpy").encode(texts)
    built = Encoder(backend="onnx", cache_dir=tmp_path, precision="float32")
    assert built.backend == "onnx"
    assert np.allclose(built.encode(texts, batch_size=2), reference, atol=1e-5)
    cached = list(tmp_path.glob("minilm-*-float32-*.onnx"))
    assert len(cached) == 1
    again = Encoder(backend="onnx", cache_dir=tmp_path, precision="float32")  # from the cache
    assert np.allclose(again.encode(texts), reference, atol=1e-5)
    assert list(tmp_path.glob("*.part")) == []


def test_int8_vectors_stay_near_and_keep_meaning(tmp_path: Path) -> None:
    _onnx()
    from newsdesk.understand.encoder import Encoder

    texts = [
        "Coral Airways jet missing over the Kavari strait",
        "Search widens for vanished Coral Airways airliner",
        "Glowing frogs found in Norland rainforest",
    ]
    reference = Encoder(backend="numpy").encode(texts)
    vectors = Encoder(backend="onnx", cache_dir=tmp_path, precision="int8").encode(texts)
    assert (vectors * reference).sum(axis=1).min() > 0.9
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_an_unwritable_cache_still_gives_vectors(tmp_path: Path) -> None:
    _onnx()
    from newsdesk.understand.encoder import Encoder

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    encoder = Encoder(backend="onnx", cache_dir=blocked / "cache")
    assert encoder.encode(["Ferry pier closes"]).shape == (1, 384)
