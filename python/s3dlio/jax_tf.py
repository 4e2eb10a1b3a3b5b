"""NumPy/JAX iteration, and a TensorFlow ``tf.data`` builder when TensorFlow is importable.

>>> for array in S3JaxIterable.from_prefix("s3://bucket/train/", batch_size=8):   # doctest: +SKIP
...     step(jax.numpy.asarray(array))
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy

from . import _options
from .loader import AsyncLoader


class S3NumpyIterable:
    """Every object under a prefix as a uint8 NumPy array (a view, no copy), epoch after epoch; JAX takes them
    with ``jax.numpy.asarray`` / ``jax.device_put``. Options are the ``create_async_loader`` keys."""

    def __init__(self, source, **options: Any) -> None:
        self.source = source
        self.options = _options.validate(options)
        self._loader = None

    @classmethod
    def from_prefix(cls, uri: str, **options: Any) -> "S3NumpyIterable":
        return cls(uri, **options)

    def __iter__(self) -> Iterator[numpy.ndarray]:
        if self._loader is None:
            self._loader = AsyncLoader(self.source, self.options)
        for batch in self._loader:
            for item in batch:
                yield numpy.frombuffer(item, dtype=numpy.uint8)

    def close(self) -> None:
        if self._loader is not None:
            self._loader.close()


#: The original's name for the JAX iterable.
S3JaxIterable = S3NumpyIterable


def make_tf_dataset(uri: str, **options: Any):
    """A ``tf.data.Dataset`` of ``tf.string`` items (the objects under ``uri``); needs TensorFlow."""
    try:
        import tensorflow as tf
    except ImportError as exc:
        raise ImportError("make_tf_dataset needs TensorFlow ('import tensorflow' failed); the NumPy/JAX iterable "
                          "S3NumpyIterable works without it") from exc
    iterable = S3NumpyIterable(uri, **options)
    return tf.data.Dataset.from_generator(lambda: (bytes(array) for array in iterable),
                                          output_signature=tf.TensorSpec(shape=(), dtype=tf.string))
