"""Run by test_torch.py in a fresh interpreter: the parent lists and reads through s3dlio (its JVM starts), then a
torch DataLoader runs two epochs over S3IterableDataset and S3MapDataset with the given workers and start method.
Prints one JSON line; the exit status tells whether everything, including interpreter exit, went cleanly."""
import collections
import json
import sys

import torch.utils.data

import s3dlio
from s3dlio.torch import S3IterableDataset, S3MapDataset


def main():
    prefix, workers, method = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    uris = list(s3dlio.list(prefix, recursive=True))          # the parent lists ...
    first = bytes(s3dlio.get(uris[0]))                          # ... and reads, before any DataLoader exists
    context = None if workers == 0 else method

    report = {"objects": len(uris), "iterable": [], "map": [], "helper_in_parent": s3dlio.uses_helper_process()}
    dataset = S3IterableDataset.from_prefix(prefix, shuffle=True, seed=11, batch_size=3)
    for epoch in range(2):
        dataset.set_epoch(epoch)
        loader = torch.utils.data.DataLoader(dataset, batch_size=None, num_workers=workers,
                                             multiprocessing_context=context)
        counts = collections.Counter(int(bytes(tensor.numpy()) or b'-1') for tensor in loader)
        report["iterable"].append(counts)

    mapped = S3MapDataset.from_prefix(prefix, item_type="bytes")
    for epoch in range(2):
        loader = torch.utils.data.DataLoader(mapped, batch_size=None, shuffle=True, num_workers=workers,
                                             multiprocessing_context=context)
        report["map"].append(collections.Counter(int(item or b'-1') for item in loader))
    print(json.dumps(report))


if __name__ == "__main__":  # spawned workers import this file: run only in the parent
    main()
