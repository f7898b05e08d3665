"""Audit timings (issue 14, point 6): a PDF of the sample report (about 30 pages with its cover,
目录 and landscape tables) audited as one process, the CPU time of each stage of that audit (how much
of it is pdfplumber), and a folder of 100 documents audited with -j 2.

    python benchmarks/audit.py [--runs 3] [--folder 100]

Prints wall-clock and CPU seconds (on a shared machine the CPU seconds are the ones to compare); the
README quotes the last run.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "reports" / "hongshan_2023.rpt"
REPORTDSL = [sys.executable, "-m", "reportdsl"]


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(command: list[str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of the command and its workers)."""
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run(command, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start, children_cpu() - cpu


def stages(pdf: Path, layout: str) -> list[tuple[str, float]]:
    """CPU seconds of each stage of one audit, in this process."""
    from reportdsl.audit import run
    from reportdsl.audit.locate import locate_all
    from reportdsl.importing.pipeline import build, read_document

    clock = time.process_time
    marks = [clock()]
    disclosure = read_document(str(pdf)); marks.append(clock())
    imported = build(disclosure, layout, str(pdf)); marks.append(clock())
    result = run.compile_imported(imported.text, str(pdf.with_suffix(".rpt"))); marks.append(clock())
    locate_all(run.split(result.diagnostics)[0], result, imported)
    run.on_its_face(imported, layout, result); marks.append(clock())
    names = ("read the PDF (PDFium characters and rules, pdfplumber tables)", "match and write the report (import)", "check", "locate and document checks")
    return [(name, end - start) for name, start, end in zip(names, marks, marks[1:])]


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
        print(f"audit a {pages(pdf)}-page PDF: median {statistics.median(w for w, _ in single):.2f} s, "
              f"CPU {statistics.median(c for _, c in single):.2f} s "
              f"(runs: {', '.join(f'{w:.2f}/{c:.2f}' for w, c in single)})")
        split = stages(pdf, "hubei")
        total = sum(seconds for _, seconds in split)
        for name, seconds in split:
            print(f"  {name:38} {seconds:5.2f} s CPU  {100 * seconds / total:3.0f}%")
        for kind, source in (("docx", docx), ("pdf", pdf)):
            folder = work / f"folder-{kind}"
            folder.mkdir()
            for index in range(options.folder):
                (folder / f"department_{index:03d}.{kind}").write_bytes(source.read_bytes())
            seconds, cpu = timed([*REPORTDSL, "audit", str(folder), "--layout", "hubei", "-j", "2",
                                  "--csv", str(work / f"{kind}.csv")])
            print(f"audit a folder of {options.folder} .{kind} with -j 2: {seconds:.1f} s, CPU {cpu:.1f} s "
                  f"({seconds / options.folder:.2f} s, CPU {cpu / options.folder:.2f} s a document)")


if __name__ == "__main__":
    main()
