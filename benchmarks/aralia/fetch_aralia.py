"""Fetch the 43 Aralia benchmark fault trees (Open-PSA MEF) into ``benchmarks/aralia/data/``.

The trees are not in this repository: the dataset (openpra-org/aralia-fault-tree-dataset,
zenodo DOI 10.5281/zenodo.20160659) is licensed CC BY-SA 4.0, a share-alike licence, while
this package is BSD-3-Clause. This script downloads the ``data/openpsa/*.xml`` files of a pinned
commit and checks each against ``SHA256SUMS``; the tests and the benchmark that need them skip
when they are absent.

Run: ``python benchmarks/aralia/fetch_aralia.py`` (or ``--from DIR`` to copy them from a local
clone of the dataset, checked the same way).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
COMMIT = "493988b2259a9f6e6cb7b1ef8295d4ea643f827f"
URL = "https://raw.githubusercontent.com/openpra-org/aralia-fault-tree-dataset/{commit}/data/openpsa/{name}"


def checksums() -> dict[str, str]:
    out = {}
    for line in (HERE / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        out[name] = digest
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="a local clone's data/openpsa")
    args = parser.parse_args(argv)
    DATA.mkdir(exist_ok=True)
    bad = []
    for name, digest in checksums().items():
        target = DATA / name
        if args.source is not None:
            shutil.copyfile(args.source / name, target)
        elif not target.exists():
            with urllib.request.urlopen(URL.format(commit=COMMIT, name=name)) as response:
                target.write_bytes(response.read())
        if hashlib.sha256(target.read_bytes()).hexdigest() != digest:
            bad.append(name)
            target.unlink()
    if bad:
        print(f"checksum mismatch (removed): {', '.join(bad)}", file=sys.stderr)
        return 1
    print(f"{len(checksums())} trees in {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
