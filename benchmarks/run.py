"""Benchmarks: reportdsl as whole processes, against the floor (Python importing lark, attrs and
click) and a peer (pandoc turning the same content into Word), measured in the same run on the
same machine. Medians of several runs; peak memory from the kernel's accounting of each child.

    python benchmarks/run.py [--runs 5] [--batch 200]

Prints every figure with its ratio and writes benchmarks/results.md. Targets are reported, never
asserted: the test suite tests behaviour, this measures cost.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "reports" / "hongshan_2023.rpt"
PYTHON = sys.executable
REPORTDSL = [PYTHON, "-m", "reportdsl"]


def measure(command: list[str], runs: int, cwd: Path = ROOT, cold: bool = False,
            cpu: bool = False) -> tuple[float, int]:
    """Median seconds and the largest peak resident memory (KiB) over `runs` runs of a command;
    `cold`: each run with an empty cache folder (no grammar tables, no parsed files); `cpu`: the
    seconds are the process's CPU time (user + system), which neighbours on a busy machine disturb less."""
    times, peaks = [], []
    for _ in range(runs):
        environment = dict(os.environ, XDG_CACHE_HOME=tempfile.mkdtemp(prefix="reportdsl-cold-")) if cold else None
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=environment)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(usage.ru_utime + usage.ru_stime if cpu else time.perf_counter() - start)
        peaks.append(usage.ru_maxrss)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"failed: {' '.join(command)}")
    return statistics.median(times), max(peaks)


# ---- generated reports ------------------------------------------------------------------------------


def large_report(items: int) -> str:
    """A report with `items` line items under 10 classes, a table of them and sentences over them."""
    lines = ['report "基准测试单位" year 2023 unit 万元', "items gpb \"一般公共预算财政拨款支出\" (年初预算, 决算) {"]
    per_class = max(items // 10, 1)
    for klass in range(10):
        code = 201 + klass
        lines.append(f'  {code} "第{klass + 1}类" {{')
        lines.append(f'    {code}01 "款" {{')
        for item in range(per_class):
            budget, actual = 100 + item % 37, 90 + item % 53
            lines.append(f'      {code}01{item:04d} "项{item}" ({budget}.{item % 100:02d}, {actual}.{item % 97:02d})')
        lines += ["    }", "  }"]
    lines.append("}")
    lines.append('let 合计 = gpb.决算\nlet 完成率 = rate(gpb.决算, gpb.年初预算) as %.2')
    lines.append('part "说明" {\n  section "总体" {\n    para "支出合计 {合计} 万元，完成年初预算的 {完成率}。"\n'
                 '    list {\n      for x in gpb.children {\n        para "{x.name} {x.决算} 万元，占 {share(x.决算, 合计):%.1}。"\n'
                 "      }\n    }\n  }\n}")
    lines.append('part "表" {\n  table t "支出决算表" {\n    columns ("科目编码", "科目名称", "年初预算", "决算")\n'
                 '    rows x in gpb.nodes (x.code, x.name, x.年初预算, x.决算)\n  }\n}')
    return "\n".join(lines) + "\n"


def items_report(items: int) -> str:
    """A report that is all line items (under 10 classes), with one sum printed."""
    lines = ['report "基准测试单位" year 2023 unit 万元', 'items gpb "一般公共预算财政拨款支出" (年初预算, 决算) {']
    per_class = max(items // 10, 1)
    for klass in range(10):
        lines.append(f'  {201 + klass} "第{klass + 1}类" {{')
        lines += [f'    {201 + klass}01{item:04d} "项{item}" ({100 + item % 37}.{item % 100:02d}, {90 + item % 53}.{item % 97:02d})'
                  for item in range(per_class)]
        lines.append("  }")
    lines += ["}", "let 合计 = gpb.决算", 'part "说明" {\n  para "支出合计 {合计} 万元。"\n}']
    return "\n".join(lines) + "\n"


def sample_variant(index: int) -> str:
    """One of a batch: the sample report (on the hubei layout) as another department's, so each
    report of the batch has the size and shape of a real one."""
    text = SAMPLE.read_text(encoding="utf-8")
    return text.replace('report "武汉市洪山区科学技术协会"', f'report "武汉市洪山区第{index}部门"', 1)


def department_report(index: int) -> str:
    """A small department report with its own figures (for quick trials of the batch path)."""
    total = 300 + index
    return (f'report "第{index}部门" year 2023 unit 万元\n'
            f"fact 收支总计 = {total}.{index % 100:02d}\nfact 收支总计@上年 = {total + 40 + index % 30}.50\n"
            "let 变动 = 收支总计 - 收支总计@上年\nlet 变动率 = change(收支总计, 收支总计@上年) as %.1\n"
            'items gpb "一般公共预算财政拨款支出" (年初预算, 决算) {\n'
            + "".join(f'  20{k}0{k}0{k} "项{k}" ({50 + k}.{index % 90 + 10}, {60 + k}.{index % 80 + 10})\n'
                      for k in range(1, 8))
            + "}\n"
            'part "{department}决算情况说明" {\n  section "总体" {\n'
            '    para "{year} 年度收、支总计 {收支总计} 万元，与上年相比{if 变动 != 0}{变动:增减} {abs(变动)} 万元，'
            '{变动率:升降} {abs(变动率)}{else}持平{end}。"\n'
            "    list {\n      for x in gpb.leaves {\n"
            '        para "{x.name}：年初预算 {x.年初预算} 万元，决算 {x.决算} 万元，完成 {rate(x.决算, x.年初预算):%.2}。"\n'
            "      }\n    }\n  }\n}\n")


# ---- the run ----------------------------------------------------------------------------------------


def machine() -> str:
    import importlib.metadata as metadata

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = ""
    if Path("/proc/meminfo").exists():
        memory = Path("/proc/meminfo").read_text().split("\n")[0].split(":")[1].strip()
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("lark", "attrs", "click", "docxtpl"))
    return (f"{platform.system()} {platform.machine()}, {cores} cores, {memory} memory; "
            f"Python {platform.python_version()}; {versions}")


def run(runs: int, batch: int) -> list[tuple[str, float, int, str]]:
    rows: list[tuple[str, float, int, str]] = []
    work = Path(tempfile.mkdtemp(prefix="reportdsl-bench-"))
    out = work / "out"

    def record(name: str, command: list[str], cwd: Path = ROOT, times: int = runs, cold: bool = False,
               cpu: bool = False) -> tuple[float, int]:
        seconds, peak = measure(command, times, cwd, cold, cpu)
        rows.append((name, seconds, peak, " ".join(Path(c).name if "/" in c else c for c in command)))
        print(f"{name:<42} {seconds * 1000:8.0f} ms {peak / 1024:8.1f} MiB", flush=True)
        return seconds, peak

    record("floor: python -c 'import lark, attrs, click'", [PYTHON, "-c", "import lark, attrs, click"])
    subprocess.run(REPORTDSL + ["check", str(SAMPLE)], cwd=ROOT, capture_output=True)  # fill the grammar cache
    record("check sample", REPORTDSL + ["check", str(SAMPLE)])
    record("check sample, cold caches", REPORTDSL + ["check", str(SAMPLE)], cold=True)
    record("compile sample --to md --no-charts", REPORTDSL + ["compile", str(SAMPLE), "--to", "md", "--no-charts",
                                                            "-o", str(out)])
    md = REPORTDSL + ["compile", str(SAMPLE), "--to", "md", "-o", str(out)]
    subprocess.run(md, cwd=ROOT, capture_output=True)  # draws the charts once into the chart cache
    record("compile sample --to md, 4 SVG charts, warm caches", md)
    record("compile sample --to md, 4 SVG charts, cold caches", md, cold=True)
    record("compile sample --to docx --no-charts", REPORTDSL + ["compile", str(SAMPLE), "--to", "docx", "--no-charts",
                                                              "-o", str(out)])
    docx = REPORTDSL + ["compile", str(SAMPLE), "--to", "docx", "-o", str(out)]
    subprocess.run(docx, cwd=ROOT, capture_output=True)
    record("compile sample --to docx, 4 PNG charts, warm caches", docx)
    record("compile sample --to docx, 4 PNG charts, cold caches", docx, cold=True)
    pandoc = shutil.which("pandoc")
    if pandoc:
        markdown = out / "hongshan_2023.md"
        subprocess.run(REPORTDSL + ["compile", str(SAMPLE), "--to", "md", "--no-charts", "-o", str(out)], cwd=ROOT,
                       capture_output=True)
        record("peer: pandoc md -> docx", [pandoc, str(markdown), "-o", str(work / "pandoc.docx")])
    small = work / "large_1000.rpt"
    small.write_text(large_report(1_000), encoding="utf-8")
    record("check 1,000 items", REPORTDSL + ["check", str(small)])
    large = work / "large_10000.rpt"
    large.write_text(large_report(10_000), encoding="utf-8")
    record("check 10,000 items", REPORTDSL + ["check", str(large)])
    record("compile 10,000 items --to md", REPORTDSL + ["compile", str(large), "--to", "md", "-o", str(out)])
    huge = work / "large_50000.rpt"
    huge.write_text(large_report(50_000), encoding="utf-8")
    record("check 50,000 items and their table, CPU", REPORTDSL + ["check", str(huge)], times=max(1, runs // 2), cpu=True)
    items_only = work / "items_50000.rpt"
    items_only.write_text(items_report(50_000), encoding="utf-8")
    record("check 50,000 items, CPU", REPORTDSL + ["check", str(items_only)], times=max(1, runs // 2), cpu=True)
    for way, call in (("item lines without Lark", "parse_text_now(source)"), ("Lark alone", "_parse_file(source, {})")):
        script = ("import sys; from reportdsl.lark_parser import _lark, _parse_file, parse_text_now; "
                  "from reportdsl.compiler import read_source; source = read_source(sys.argv[1]); _lark(); " + call)
        record(f"parse 50,000 items, {way}, CPU", [PYTHON, "-c", script, str(items_only)], times=max(1, runs // 2),
               cpu=True)
    folder = work / "batch"
    folder.mkdir()
    shutil.copy(ROOT / "reports" / "hongshan_2022.rpt", folder / "hongshan_2022.rpt")
    for index in range(batch):
        (folder / f"dept_{index:03d}.rpt").write_text(sample_variant(index), encoding="utf-8")
    # one unmeasured pass fills the parse cache, as any earlier compile of these files would have
    subprocess.run(REPORTDSL + ["compile", str(folder), "--to", "md", "--no-charts", "-o", str(work / "warm"), "-j", "2"],
                   cwd=ROOT, capture_output=True)
    for jobs in ("1", "2"):
        record(f"batch of {batch} --to md --no-charts --format jsonl -j {jobs}", REPORTDSL + ["compile", str(folder), "--to", "md", "--no-charts",
                                                                    "-o", str(work / f"batch_out_{jobs}"), "-j", jobs,
                                                                    "--format", "jsonl"],
               times=max(1, runs // 2))
    shutil.rmtree(work, ignore_errors=True)
    return rows


def ratios(rows) -> list[tuple[str, float, str]]:
    by_name = {name: (seconds, peak) for name, seconds, peak, _ in rows}
    floor = by_name["floor: python -c 'import lark, attrs, click'"][0]
    found = [
        ("check / floor", by_name["check sample"][0] / floor, "≤ 1.3"),
        ("md no charts / floor", by_name["compile sample --to md --no-charts"][0] / floor, "≤ 1.6"),
        ("md with charts, warm / floor", by_name["compile sample --to md, 4 SVG charts, warm caches"][0] / floor, "≤ 1.6"),
        ("md with charts, cold (s)", by_name["compile sample --to md, 4 SVG charts, cold caches"][0], "≤ 0.8 s"),
        ("10k check (s)", by_name["check 10,000 items"][0], "< 1 s"),
        ("10k check / sample check", by_name["check 10,000 items"][0] / by_name["check sample"][0], "linear"),
        ("(10k − floor) / (1k − floor)", (by_name["check 10,000 items"][0] - floor)
         / (by_name["check 1,000 items"][0] - floor), "≈ 10 if linear"),
        ("50k items check, CPU (s)", by_name["check 50,000 items, CPU"][0], "≤ 2 s"),
        ("50k items and their table check, CPU (s)", by_name["check 50,000 items and their table, CPU"][0], "≤ 2 s"),
        ("parse 50k items: without Lark / Lark alone", by_name["parse 50,000 items, item lines without Lark, CPU"][0]
         / by_name["parse 50,000 items, Lark alone, CPU"][0], "≤ 0.2"),
    ]
    pandoc = by_name.get("peer: pandoc md -> docx")
    if pandoc:
        docx = by_name["compile sample --to docx --no-charts"]
        found += [("docx (no charts) / pandoc", docx[0] / pandoc[0], "≤ 2"),
                  ("docx with charts, warm / pandoc",
                   by_name["compile sample --to docx, 4 PNG charts, warm caches"][0] / pandoc[0], "≤ 3"),
                  ("docx peak memory / pandoc", docx[1] / pandoc[1], "< 1")]
    batch = sorted(name for name in by_name if name.startswith("batch"))
    if len(batch) == 2:
        one, two = (by_name[name][0] for name in batch)
        found.append(("batch speed-up -j2 / -j1", one / two, "≥ 1.7"))
        found.append(("batch -j1 peak memory / one report's", by_name[batch[0]][1]
                      / by_name["compile sample --to md --no-charts"][1], "≤ 1.2"))
    return found


def write_results(rows, found, path: Path) -> None:
    lines = ["# Benchmark results", "", f"Machine: {machine()}", "",
             f"Run: `python benchmarks/run.py` on {time.strftime('%Y-%m-%d')}; medians of several runs.",
             "Each measurement repeats a command on the same files, as an officer re-checking on every save does, so "
             "the grammar tables and the parsed files come from the user's cache; \"cold caches\" runs with an empty "
             "cache folder each time (no grammar tables, parsed files, drawn charts or matplotlib font list). "
             "Markdown charts are SVG written directly; Word charts are PNG drawn by matplotlib. Peak memory of a batch "
             "with -j 2 is the largest single process (the kernel's accounting), not the sum of the workers.", "",
             "| measurement | median | peak memory |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {seconds * 1000:.0f} ms | {peak / 1024:.1f} MiB |" for name, seconds, peak, _ in rows]
    lines += ["", "| ratio | measured | target |", "| --- | ---: | --- |"]
    lines += [f"| {name} | {value:.2f} | {target} |" for name, value, target in found]
    if not any(name.startswith("docx (no charts)") for name, _, _ in found):
        lines += ["", "pandoc is not installed here, so the ratios against the peer are missing "
                      "(Debian: `apt-get install pandoc`)."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results.md")
    arguments = parser.parse_args()
    print(f"machine: {machine()}\n")
    rows = run(arguments.runs, arguments.batch)
    found = ratios(rows)
    print()
    for name, value, target in found:
        print(f"{name:<30} {value:8.2f}   target {target}")
    write_results(rows, found, arguments.output)
    print(f"\nwrote {arguments.output}")


if __name__ == "__main__":
    main()
