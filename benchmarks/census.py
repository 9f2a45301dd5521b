"""Reading a CIN census return of N children: time and peak memory.

    python benchmarks/census.py [N ...]     (default: 5000 50000)

Each size is generated (the 332 children of `shared/data/cin-census/fake_CIN_data.xml`
repeated and renumbered) and read in a fresh process as a run reads it: cut into
parts at `Child` boundaries, each part's records made and dropped. Peak memory must
not grow with the size of the file.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SOURCE = DATA / "cin-census" / "fake_CIN_data.xml"
PART_BYTES = 1024 * 1024  # as `run.audit.PART_BYTES`


def generate(children: int, out: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    head, rest = text.split("<Children>", 1)
    body = rest.rsplit("</Children>", 1)[0]
    blocks = re.findall(r"<Child>.*?</Child>", body, flags=re.S)
    with out.open("w", encoding="utf-8") as handle:
        handle.write(head + "<Children>\n")
        for number in range(children):
            block = blocks[number % len(blocks)]
            handle.write(re.sub(r"<LAchildID>[^<]*</LAchildID>",
                                f"<LAchildID>BENCH{number:08d}</LAchildID>", block) + "\n")
        handle.write("</Children>\n</Message>\n")


def measure(path: str) -> None:
    from cp_audit.inputs.cin_census import CinCensusReader

    reader = CinCensusReader()
    start = time.process_time()
    parts = reader.parts(path, PART_BYTES) or [None]
    records = 0
    for part in parts:
        records += len(reader.read(path, part=part).records)
    cpu = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{records} children, {len(parts)} parts: {cpu:.2f} s CPU, peak RSS {peak:.0f} MB")


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"census-{size}.xml"
            generate(size, path)
            mb = path.stat().st_size / 1024 / 1024
            print(f"{size} children ({mb:.0f} MB): ", end="", flush=True)
            subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2])
    else:
        main([int(n) for n in sys.argv[1:]] or [5000, 50000])
