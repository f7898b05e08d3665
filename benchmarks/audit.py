"""Audit timings (issue 14, point 6): a PDF of the sample report (about 30 pages with its cover,
目录 and landscape tables) audited as one process, and a folder of 100 documents audited with -j 2.

    python benchmarks/audit.py [--runs 3] [--folder 100]

Prints the figures; the README's performance table quotes the last run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "reports" / "hongshan_2023.rpt"
REPORTDSL = [sys.executable, "-m", "reportdsl"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def pages(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as document:
        return len(document.pages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=int, default=100)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        subprocess.run([*REPORTDSL, "compile", str(SAMPLE), "--to", "pdf", "--no-charts", "-o", str(work)],
                       check=True, capture_output=True)
        subprocess.run([*REPORTDSL, "compile", str(SAMPLE), "--to", "docx", "--no-charts", "-o", str(work)],
                       check=True, capture_output=True)
        pdf, docx = work / "hongshan_2023.pdf", work / "hongshan_2023.docx"
        single = [timed([*REPORTDSL, "audit", str(pdf), "--layout", "hubei"]) for _ in range(options.runs)]
        print(f"audit a {pages(pdf)}-page PDF: median {statistics.median(single):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in single)})")
        for kind, source in (("docx", docx), ("pdf", pdf)):
            folder = work / f"folder-{kind}"
            folder.mkdir()
            for index in range(options.folder):
                (folder / f"department_{index:03d}.{kind}").write_bytes(source.read_bytes())
            seconds = timed([*REPORTDSL, "audit", str(folder), "--layout", "hubei", "-j", "2",
                             "--csv", str(work / f"{kind}.csv")])
            print(f"audit a folder of {options.folder} .{kind} with -j 2: {seconds:.1f} s "
                  f"({seconds / options.folder:.2f} s a document)")


if __name__ == "__main__":
    main()
