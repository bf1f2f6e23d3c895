"""The MiniLM forward pass as an ONNX graph, run by ONNX Runtime (optional, faster).

Why: the numpy forward pass (``encoder.py``) spends much of its time outside the
matrix products (GELU, softmax, layer norms and transposes as separate numpy
passes, each over a fresh temporary). ONNX Runtime fuses those and runs the
same arithmetic about twice as fast on this CPU (BENCHMARKS.md, "Stories").

The graph is built here from the same weights the numpy path reads (the
packaged ``model.safetensors``): nothing is downloaded, no ``.onnx`` file is
shipped, and torch is never involved. Building it (importing ``onnx``, copying
90 MB of weights into protobuf) takes seconds, so the built graph is kept in
the data folder's ``cache/`` and later processes load it directly; its name
carries the weights' size and time and this builder's version, so a new model
package or builder makes a new file. It is the same computation
in float32 (BERT embeddings, six post-norm layers with exact GELU, mean pooling
over the attention mask), so its vectors equal the numpy path's to float
rounding; ``tests/understand/test_encoder.py`` checks that.

Used only when both ``onnx`` (to build the graph) and ``onnxruntime`` are
installed (the ``semantic`` extra); otherwise the numpy path runs.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]
else:
    Matrix = Any
#: The encoder's weights record (``encoder._Weights``); not imported, so the two modules
#: do not import each other.
_Weights = Any

#: ONNX operator set: 17 is the first with LayerNormalization.
_OPSET = 17
_HEADS = 12
#: Bumped whenever ``build_graph`` changes, so a cached graph from an older builder is not used.
GRAPH_VERSION = 1
Precision = Literal["float32", "int8"]


def _module(name: str) -> Any:
    """An optional library, typed as Any: its stubs differ between versions (and are
    absent where it is not installed), so mypy --strict gives one answer either way."""
    return importlib.import_module(name)


def available() -> bool:
    """Whether ``onnx`` and ``onnxruntime`` can both be imported here."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnx", "onnxruntime"))


class OnnxForward:
    """A runtime session over the MiniLM graph; ``__call__`` is the encoder's forward pass."""

    def __init__(self, model: bytes | Path, threads: int = 1) -> None:
        onnxruntime = _module("onnxruntime")
        options = onnxruntime.SessionOptions()
        # One thread: ingest encodes beside fetching, parsing and serving on a small
        # machine, and on the loaded 2-core machine one thread measured faster than two.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        source = str(model) if isinstance(model, Path) else model
        self._session = onnxruntime.InferenceSession(
            source, options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, ids: Any, mask: Matrix) -> Matrix:
        """Mean-pooled (not yet unit-length) vectors of one padded batch."""
        import numpy as np

        pooled: Matrix = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask.astype(np.int64)}
        )[0]
        return pooled


def cached_graph(
    weights_file: Path,
    load: Callable[[], _Weights],
    cache_dir: Path | None,
    precision: Precision = "float32",
) -> bytes | Path:
    """The graph for ``weights_file``: from ``cache_dir`` when built before, else built
    now (``load`` reads the weights) and written there for the next process."""
    if cache_dir is None:
        return _built(load(), precision)
    stat = weights_file.stat()
    name = f"minilm-v{GRAPH_VERSION}-{precision}-{stat.st_size}-{int(stat.st_mtime)}.onnx"
    path = cache_dir / name
    if path.is_file():
        return path
    graph = _built(load(), precision)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(graph)
        os.replace(temporary, path)  # atomic: a reader never sees half a file
    except OSError:
        pass  # an unwritable cache costs the next process a rebuild, nothing else
    return graph


def _built(weights: _Weights, precision: Precision) -> bytes:
    graph = build_graph(weights)
    return quantise(graph) if precision == "int8" else graph


def quantise(graph: bytes) -> bytes:
    """The graph with its matrix products' weights in int8 (dynamic quantisation: the
    activations are quantised per batch at run time).

    Why: about twice the float32 graph's speed on this CPU. The vectors move a little
    (cosine 0.93-0.99 to the float32 ones on the clustering bench's headlines), while story
    grouping keeps its B-cubed F1 on both halves of the bench (BENCHMARKS.md). Not the
    default: the activations' scale is taken over the whole batch, so a text's vector
    depends on the texts batched with it, and grouping would then depend on input order."""
    quantization = _module("onnxruntime.quantization")
    QuantType, quantize_dynamic = quantization.QuantType, quantization.quantize_dynamic

    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "float32.onnx", Path(folder) / "int8.onnx"
        source.write_bytes(graph)
        quantize_dynamic(
            source, target, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"]
        )
        return target.read_bytes()


def build_graph(weights: _Weights) -> bytes:
    """The serialised ONNX model of the forward pass up to mean pooling."""
    import numpy as np

    onnx = _module("onnx")
    TensorProto, helper, numpy_helper = onnx.TensorProto, onnx.helper, onnx.numpy_helper

    initializers: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, value: Any) -> str:
        initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(kind: str, inputs: list[str], **attrs: Any) -> str:
        out = f"n{len(nodes)}"
        nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def norm(x: str, params: tuple[Matrix, Matrix], name: str) -> str:
        return op(
            "LayerNormalization",
            [x, const(name + ".w", params[0]), const(name + ".b", params[1])],
            axis=-1,
            epsilon=1e-12,
        )

    dims = weights.words.shape[1]
    head = dims // _HEADS
    i64 = np.int64
    f32 = np.float32
    # Embeddings: word + position (0..width-1) + token type 0, then a layer norm.
    width = op("Shape", ["input_ids"], start=1, end=2)
    positions = op(
        "Range",
        [const("zero", np.array(0, i64)), op("Squeeze", [width]), const("one", np.array(1, i64))],
    )
    x = op("Gather", [const("words", weights.words), "input_ids"])
    x = op("Add", [x, op("Gather", [const("positions", weights.positions), positions])])
    x = op("Add", [x, const("token_type", weights.token_type[0])])
    x = norm(x, weights.ln, "embeddings")
    # Padding is masked out of attention by a large negative bias, (rows, 1, 1, width).
    mask = op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    bias = op(
        "Mul",
        [op("Sub", [const("one_f", np.array(1, f32)), mask]), const("neg", np.array(-1e9, f32))],
    )
    bias = op("Unsqueeze", [bias, const("axes_1_2", np.array([1, 2], i64))])
    split = const("split_heads", np.array([0, 0, 3, _HEADS, head], i64))
    merge = const("merge_heads", np.array([0, 0, dims], i64))
    scale = const("scale", np.array(1.0 / np.sqrt(head), f32))
    first = const("axis_0", np.array([0], i64))
    half = const("half", np.array(0.5, f32))
    root2 = const("sqrt2", np.array(np.sqrt(2.0), f32))
    one = const("one_g", np.array(1.0, f32))
    for n, layer in enumerate(weights.layers):
        p = f"layer{n}."
        qkv = op("MatMul", [x, const(p + "qkv", layer.qkv)])
        qkv = op("Add", [qkv, const(p + "qkv_bias", layer.qkv_bias)])
        qkv = op("Transpose", [op("Reshape", [qkv, split])], perm=[2, 0, 3, 1, 4])
        q, k, v = (
            op("Squeeze", [op("Gather", [qkv, const(p + f"pick{j}", np.array([j], i64))]), first])
            for j in range(3)
        )
        scores = op("MatMul", [op("Mul", [q, scale]), op("Transpose", [k], perm=[0, 1, 3, 2])])
        scores = op("Softmax", [op("Add", [scores, bias])], axis=-1)
        context = op("Transpose", [op("MatMul", [scores, v])], perm=[0, 2, 1, 3])
        context = op("Reshape", [context, merge])
        attended = op("MatMul", [context, const(p + "out", layer.out)])
        attended = op("Add", [attended, const(p + "out_bias", layer.out_bias)])
        x = norm(op("Add", [attended, x]), layer.ln1, p + "ln1")
        up = op(
            "Add",
            [op("MatMul", [x, const(p + "up", layer.up)]), const(p + "up_bias", layer.up_bias)],
        )
        # BERT's exact GELU, 0.5 x (1 + erf(x / sqrt 2)); ONNX Runtime fuses this pattern.
        gelu = op(
            "Mul", [op("Mul", [up, half]), op("Add", [op("Erf", [op("Div", [up, root2])]), one])]
        )
        down = op(
            "Add",
            [
                op("MatMul", [gelu, const(p + "down", layer.down)]),
                const(p + "down_bias", layer.down_bias),
            ],
        )
        x = norm(op("Add", [down, x]), layer.ln2, p + "ln2")
    # Mean pooling over the real tokens.
    tokens = const("axis_1", np.array([1], i64))
    summed = op(
        "ReduceSum",
        [op("Mul", [x, op("Unsqueeze", [mask, const("axis_2", np.array([2], i64))])]), tokens],
        keepdims=0,
    )
    counts = op("ReduceSum", [mask, tokens], keepdims=1)
    nodes.append(helper.make_node("Div", [summed, counts], ["pooled"]))
    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["rows", "width"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["rows", "width"]),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["rows", dims])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET)])
    model.ir_version = 8  # the oldest that opset 17 needs, so older runtimes load it too
    serialised: bytes = model.SerializeToString()
    return serialised
