"""Dataset formats: NPY/NPZ arrays as NumPy arrays without a copy, and TFRecord indexes in NVIDIA DALI's format.

The parsing happens in Java (module ``formats``, the same code the loader and ``s3-cli`` use); Python receives
each payload once, in memory it owns, and views it as an array of the declared dtype and shape.
"""
from __future__ import annotations

import os
from typing import Dict, List, Optional, Tuple, Union

import numpy

from ._backend import backend as _b

BytesLike = Union[bytes, bytearray, memoryview, numpy.ndarray]
IndexEntries = List[Tuple[int, int]]


def _arrays(fetched, meta) -> List[Tuple[str, numpy.ndarray]]:
    from .loader import split

    arrays = []
    for view, (name, descr, shape, fortran) in zip(split(fetched), meta):
        array = numpy.frombuffer(view, dtype=numpy.dtype(descr)).reshape(shape, order="F" if fortran else "C")
        arrays.append((name, array))
    return arrays


def read_npy(uri: str) -> numpy.ndarray:
    """The array of an NPY object, with the dtype, shape and order its header declares.

    The array is a read-only view of the bytes read (no copy after the one into Python memory); use
    ``array.copy()`` for a writable one.

    >>> s3dlio.read_npy("s3://bucket/x.npy")   # doctest: +SKIP
    array([[0., 1.], [2., 3.]], dtype=float32)
    """
    fetched, meta = _b().fetch_arrays("npy", uri)
    return _arrays(fetched, meta)[0][1]


def read_npz(uri: str, name: Optional[str] = None) -> numpy.ndarray:
    """One array of an NPZ object (``numpy.savez``): array ``name``, or the first array when ``name`` is None.

    With a name, only that member is fetched (range reads of the zip's directory and of the member); without one,
    the file is read whole. The array is a read-only view, as ``read_npy`` returns. Raises ``ValueError`` for a
    compressed member (``numpy.savez_compressed``) and ``OSError`` naming the array when there is none of that name.

    >>> labels = s3dlio.read_npz("s3://bucket/unet3d/img_0_of_168.npz", "y")   # doctest: +SKIP
    """
    fetched, meta = _b().fetch_arrays("npz", uri, name)
    arrays = _arrays(fetched, meta)
    if not arrays:
        raise ValueError(f"{uri}: the NPZ file holds no arrays")
    return arrays[0][1]


def read_npz_arrays(uri: str) -> Dict[str, numpy.ndarray]:
    """Every array of an NPZ object by name, in file order, from one read of the file (views, as ``read_npz``).

    >>> arrays = s3dlio.read_npz_arrays("file:///data/sample.npz")   # doctest: +SKIP
    >>> sorted(arrays)                                                # doctest: +SKIP
    ['x', 'y']
    """
    fetched, meta = _b().fetch_arrays("npz", uri, None)
    return dict(_arrays(fetched, meta))


def _as_uri(location: str) -> str:
    """A URI as it is; a plain local path (as the original's index functions took) as a file:// URI."""
    location = os.fspath(location)
    return location if "://" in location else "file://" + os.path.abspath(location)


def create_tfrecord_index(uri: str, index_uri: Optional[str] = None) -> int:
    """Builds the DALI index (``offset size`` per record) of a TFRecord object and writes it to ``index_uri``
    (``uri + ".idx"`` when None). Walks the record headers with range reads, so the file is never fetched whole;
    each length's CRC-32C is checked. Returns the number of records. Plain paths are taken as local files.

    >>> s3dlio.create_tfrecord_index("s3://bucket/train/part-0.tfrecord")   # doctest: +SKIP
    1251
    """
    entries, _ = _b().tfrecord_index("create", _as_uri(uri), None if index_uri is None else _as_uri(index_uri))
    return len(entries)


def read_tfrecord_index(index_uri: str) -> IndexEntries:
    """The ``(offset, size)`` entries of a DALI index object: ``offset`` is where a record's framing starts and
    ``size`` the framed record (data + 16 bytes). A malformed line raises ``ValueError`` naming the line.

    >>> offset, size = s3dlio.read_tfrecord_index("s3://bucket/train/part-0.tfrecord.idx")[42]   # doctest: +SKIP
    >>> record = s3dlio.get_range("s3://bucket/train/part-0.tfrecord", offset + 12, size - 16)  # doctest: +SKIP
    """
    entries, _ = _b().tfrecord_index("read", _as_uri(index_uri))
    return entries


def parse_tfrecord_index(text: str, source: str = "<text>") -> IndexEntries:
    """The ``(offset, size)`` entries of an index in DALI's text format; ``source`` names it in errors.

    >>> s3dlio.parse_tfrecord_index("0 26\\n26 31\\n")
    [(0, 26), (26, 31)]
    """
    entries, _ = _b().tfrecord_index("parse", str(text), str(source))
    return entries


def index_tfrecord_bytes(data: BytesLike) -> str:
    """The DALI index text of a TFRecord file held in memory (lengths' CRC-32Cs checked).

    >>> text = s3dlio.index_tfrecord_bytes(open("train.tfrecord", "rb").read())   # doctest: +SKIP
    """
    _, text = _b().tfrecord_index("bytes", data, "<bytes>")
    return text


def get_tfrecord_index_entries(data: BytesLike) -> IndexEntries:
    """The ``(offset, size)`` entries of a TFRecord file held in memory (as ``index_tfrecord_bytes``, parsed)."""
    entries, _ = _b().tfrecord_index("bytes", data, "<bytes>")
    return entries
