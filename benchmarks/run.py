"""Benchmarks: reportdsl as whole processes, against the floor (Python importing lark, attrs and
click) and a peer (pandoc turning the same content, our Markdown output, into Word), measured in
the same run on the same machine. Medians of several runs of wall time and of CPU time (user +
system: what the process itself used, which other load on a shared machine inflates less); peak
memory from the kernel's accounting of each child. The load average before and after is printed.

    pip install ".[bench]"          # pandoc, from PyPI's pypandoc_binary (or a pandoc on PATH)
    python benchmarks/run.py [--runs 5] [--batch 1000]
    python benchmarks/run.py --only items   # the floor and the checks of 50,000 items only (issue 11)
    python benchmarks/run.py --only audit   # the floor, the PDF audit and the imports only (issues 13, 14)

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
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "reports" / "hongshan_2023.rpt"
PYTHON = sys.executable
REPORTDSL = [PYTHON, "-m", "reportdsl"]
# An installed package has its bytecode compiled (pip does it): a child that may not write .pyc
# files would compile every module on every run and measure that instead.
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
CACHE = Path(tempfile.mkdtemp(prefix="reportdsl-bench-cache-"))  # this run's own warm cache folder
ENVIRONMENT["XDG_CACHE_HOME"] = str(CACHE)


def measure(command: list[str], runs: int, cwd: Path = ROOT, cold: bool = False,
            before: Optional[Callable[[], None]] = None,
            reference: Optional[list[str]] = None) -> tuple[float, float, int, Optional[tuple[float, float]]]:
    """Median wall seconds, median CPU seconds (user + system) and the largest peak resident memory
    (KiB) over `runs` runs of a command; `cold`: each run with an empty cache folder (no grammar
    tables, no parsed files, no drawn charts); `before`: done before each run, not measured;
    `reference`: a command run just before each run, and the median of the runs' ratios to it (wall,
    CPU) — a ratio that a slower or faster clock between rows of the table cannot move."""
    times, cpus, peaks, ratios = [], [], [], []
    for _ in range(runs):
        environment = dict(ENVIRONMENT, XDG_CACHE_HOME=tempfile.mkdtemp(prefix="reportdsl-cold-")) if cold else ENVIRONMENT
        if before is not None:
            before()
        base = run_once(reference, cwd, ENVIRONMENT) if reference is not None else None
        wall, cpu, peak = run_once(command, cwd, environment)
        times.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
        if base is not None:
            ratios.append((wall / base[0], cpu / base[1]))
    paired = (statistics.median(r[0] for r in ratios), statistics.median(r[1] for r in ratios)) if ratios else None
    return statistics.median(times), statistics.median(cpus), max(peaks), paired


def run_once(command: list[str], cwd: Path, environment: dict) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak resident memory (KiB) of one run of a command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=environment)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: {' '.join(command)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def pandoc() -> Optional[str]:
    """pandoc from the bench extra (pypandoc_binary ships one), else one on PATH."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


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


FLOOR = "floor: python -c 'import lark, attrs, click'"
CHECK = "check sample, warm caches (its kept result)"
CHECK_COMPILED = "check sample, compiled again (parse cache warm, no kept result)"
MD = "compile sample --to md --no-charts, warm caches (its kept compile: rendered only)"
MD_COMPILED = "compile sample --to md --no-charts, compiled again (parse cache warm, no kept compile)"
MD_PARSED = "compile sample --to md --no-charts, parsed afresh (no parsed file, no kept compile)"
MD_WARM = "compile sample --to md, 4 SVG charts, warm caches (kept compile, charts kept)"
MD_WARM_COMPILED = "compile sample --to md, 4 SVG charts, compiled again (charts kept)"
MD_CHANGED = "compile sample --to md, 4 SVG charts, after a data change (compiled again, 4 charts drawn again)"
MD_EDITED = "compile sample --to md, 4 SVG charts, after a figure is edited (parsed again, compiled, charts drawn again)"
MD_COLD = "compile sample --to md, 4 SVG charts, cold caches"
DOCX = "compile sample --to docx --no-charts, warm caches (kept compile)"
DOCX_COMPILED = "compile sample --to docx --no-charts, compiled again (no kept compile)"
DOCX_WARM = "compile sample --to docx, 4 PNG charts, warm caches (kept compile, charts kept)"
DOCX_WARM_COMPILED = "compile sample --to docx, 4 PNG charts, compiled again (charts kept)"
PANDOC = "peer: pandoc sample.md -o sample.docx (no charts)"
AUDIT = "audit the sample's PDF"
IMPORT = "import the sample's .docx --layout hubei"
IMPORT_PUTUO = "import the published Putuo PDF --layout shanghai-2024"
CHECK_PUTUO = "check the report imported from the published Putuo PDF (parsed afresh, no kept result)"
ONE_K = "check 1,000 items (compiled: parse cache warm, no kept result)"
TEN_K = "check 10,000 items (compiled: parse cache warm, no kept result)"
FIFTY_K = "check 50,000 items and their table (compiled, no kept result)"
FIFTY_K_ITEMS = "check 50,000 items alone (compiled, no kept result)"
PARSE_FAST = "parse 50,000 items, item lines without Lark"
PARSE_LARK = "parse 50,000 items, Lark alone"
Row = tuple  # (name, wall seconds, CPU seconds, peak KiB, command, load average at its end)
FLOOR_COMMAND = [PYTHON, "-c", "import lark, attrs, click"]
PAIRED_WITH_FLOOR: dict[str, tuple[float, float]] = {}  # a row's median ratio to a floor run interleaved with it


def forget(*kinds: str) -> Callable[[], None]:
    """Empty some of the cache folder: "checked" (what `check` keeps), "compiled" (the documents
    `compile` keeps), "prior", "parsed", "charts" (check_cache.py, parse_cache.py, chart_cache.py)."""
    def empty() -> None:
        for kind in kinds:
            shutil.rmtree(CACHE / "reportdsl" / kind, ignore_errors=True)
    return empty


forget_checked = forget("checked")
forget_compiled = forget("compiled", "checked")
forget_parsed = forget("compiled", "checked", "prior", "parsed")


def run(runs: int, batch: int, only_items: bool = False) -> list[Row]:
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="reportdsl-bench-"))
    out = work / "out"

    def record(name: str, command: list[str], cwd: Path = ROOT, times: int = runs, cold: bool = False,
               before: Optional[Callable[[], None]] = None, warm_up: bool = True, over_floor: bool = False) -> None:
        if warm_up:
            subprocess.run(command, cwd=cwd, capture_output=True, env=ENVIRONMENT)  # bytecode and caches, as in use
        if before is not None:
            before()
        wall, cpu, peak, paired = measure(command, times, cwd, cold, before, FLOOR_COMMAND if over_floor else None)
        if paired is not None:
            PAIRED_WITH_FLOOR[name] = paired
        rows.append((name, wall, cpu, peak, " ".join(Path(c).name if "/" in c else c for c in command),
                     os.getloadavg()[0]))
        print(f"{name:<62} {wall * 1000:8.0f} ms {cpu * 1000:8.0f} ms CPU {peak / 1024:8.1f} MiB "
              f"load {os.getloadavg()[0]:.1f}", flush=True)

    record(FLOOR, FLOOR_COMMAND)
    if only_items:  # issue 11's case alone, against the floor measured in the same run
        fifty_thousand(work, runs, record)
        shutil.rmtree(work, ignore_errors=True)
        return rows
    record(CHECK, REPORTDSL + ["check", str(SAMPLE)], over_floor=True)
    record(CHECK_COMPILED, REPORTDSL + ["check", str(SAMPLE)], before=forget_checked, over_floor=True)
    record("check sample, cold caches", REPORTDSL + ["check", str(SAMPLE)], cold=True)
    md_plain = REPORTDSL + ["compile", str(SAMPLE), "--to", "md", "--no-charts", "-o", str(out)]
    record(MD, md_plain, over_floor=True)
    record(MD_COMPILED, md_plain, before=forget_compiled, over_floor=True)
    record(MD_PARSED, md_plain, before=forget_parsed)
    md = REPORTDSL + ["compile", str(SAMPLE), "--to", "md", "-o", str(out)]
    record(MD_WARM, md, over_floor=True)
    record(MD_WARM_COMPILED, md, before=forget_compiled, over_floor=True)
    record(MD_CHANGED, md, before=forget("compiled", "checked", "charts"))
    edited_report(work, record)
    record(MD_COLD, md, cold=True)
    docx_plain = REPORTDSL + ["compile", str(SAMPLE), "--to", "docx", "--no-charts", "-o", str(out)]
    record(DOCX, docx_plain)
    record(DOCX_COMPILED, docx_plain, before=forget_compiled)
    docx = REPORTDSL + ["compile", str(SAMPLE), "--to", "docx", "-o", str(out)]
    record(DOCX_WARM, docx)
    record(DOCX_WARM_COMPILED, docx, before=forget_compiled)
    record("compile sample --to docx, 4 PNG charts, cold caches",
           REPORTDSL + ["compile", str(SAMPLE), "--to", "docx", "-o", str(out)], cold=True)
    peer = pandoc()
    if peer:
        subprocess.run(REPORTDSL + ["compile", str(SAMPLE), "--to", "md", "--no-charts", "-o", str(work / "md")],
                       cwd=ROOT, capture_output=True, env=ENVIRONMENT)
        record(PANDOC, [peer, str(work / "md" / "hongshan_2023.md"), "-o", str(work / "pandoc.docx")])
    editor_loop(rows, runs)
    audit_and_import(rows, work, runs, record)
    small = work / "large_1000.rpt"
    small.write_text(large_report(1_000), encoding="utf-8")
    record(ONE_K, REPORTDSL + ["check", str(small)], before=forget_checked)
    large = work / "large_10000.rpt"
    large.write_text(large_report(10_000), encoding="utf-8")
    record(TEN_K, REPORTDSL + ["check", str(large)], before=forget_checked)
    record("compile 10,000 items --to md", REPORTDSL + ["compile", str(large), "--to", "md", "-o", str(out)])
    batches(rows, work, batch, record)
    fifty_thousand(work, runs, record)  # last: its reports, made in this process, raise its peak memory
    shutil.rmtree(work, ignore_errors=True)
    return rows


EDITOR_LOOP = r"""
import statistics, sys, time
import attrs
from reportdsl.compiler import compile_source
from reportdsl.editor.session import EditSession
from reportdsl.lark_parser import parse_text_now
from reportdsl.source import SourceFile
runs = int(sys.argv[1])
EDITS = {
    "reports/hongshan_2023.rpt": {
        "figure": lambda t, i: t.replace("(169.84,", f"(169.8{i % 10},", 1),
        "prior": lambda t, i: t.replace("fact 收支总计@上年 = 447.20", f"fact 收支总计@上年 = 447.2{i % 10}", 1),
        "line": lambda t, i: t.replace("# ==== 第一部分", f"# ({i})\n# ==== 第一部分", 1),
        "reason": lambda t, i: t.replace('reason "增加医疗费报销"', f'reason "增加医疗费报销{i}"', 1),
        "rename": lambda t, i: t.replace("自评项目资金合计", f"自评项目资金合计{i}"),
    },
    "reports/putuo_social_work_2024.rpt": {
        "figure": lambda t, i: t.replace("(0,  52.00, 51.32,", f"(0,  52.00, 51.3{i % 10},", 1),
        "line": lambda t, i: t.replace("# ==== the department's own texts", f"# ({i})\n# ==== the department's own texts", 1),
        "reason": lambda t, i: t.replace('reason "人员有变动，实际支出低于预算"', f'reason "人员有变动，实际支出低于预算{i}"', 1),
        "rename": lambda t, i: t.replace("成立年份", f"成立年份{i}"),
    },
}
for path, edits in EDITS.items():
    text = open(path, encoding="utf-8").read()
    for kind, edit in edits.items():
        assert edit(text, 1) != text, (path, kind)
        session = EditSession()
        session.check(path, text)  # the file as opened: layout and prior-year report read once
        whole = attrs.evolve(session.files.links(path), parse_report=parse_text_now)
        walls, cpus, wholes = [], [], []
        for index in range(max(runs, 5) * 4):
            edited = edit(text, index)
            start, cpu = time.perf_counter(), time.process_time()
            session.check(path, edited)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            if index % 4 == 0:  # the same text compiled whole in the same process: parsed and built again
                start, cpu = time.perf_counter(), time.process_time()
                compile_source(SourceFile(path, edited), whole)
                wholes.append((time.perf_counter() - start, time.process_time() - cpu))
        print(path, kind, statistics.median(walls), statistics.median(cpus),
              statistics.median(w for w, _ in wholes), statistics.median(c for _, c in wholes))
"""
EDIT_KINDS = {"figure": "a figure of an item changed", "prior": "收支总计@上年 changed",
              "line": "a line typed near the top (every statement moves)", "reason": "an item's reason edited",
              "rename": "a name renamed where it is defined and used"}
WHOLE = " — the same text compiled whole in the process"


def editor_row(path: str, kind: str) -> str:
    return f"editor, {Path(path).stem}: {EDIT_KINDS[kind]}"


def editor_loop(rows: list[Row], runs: int) -> None:
    """What the language server pays per pause in typing: the edited text compiled again in a process
    that keeps the layout, the prior-year report, the statements that did not change and the
    document blocks whose inputs did not change; and, for the ratio, the same text compiled whole in
    that process (the layout and prior-year report still kept)."""
    done = subprocess.run([PYTHON, "-c", EDITOR_LOOP, str(runs)], cwd=ROOT, capture_output=True,
                          text=True, env=ENVIRONMENT)
    if done.returncode != 0:
        print(f"editor loop failed: {done.stderr[-500:]}")
        return
    for line in done.stdout.splitlines():
        path, kind, wall, cpu, whole_wall, whole_cpu = line.split()
        name = editor_row(path, kind)
        rows.append((name, float(wall), float(cpu), 0, "EditSession.check (benchmarks/run.py EDITOR_LOOP)",
                     os.getloadavg()[0]))
        rows.append((name + WHOLE, float(whole_wall), float(whole_cpu), 0, "compile_source, parse_text_now",
                     os.getloadavg()[0]))
        print(f"{name:<62} {float(wall) * 1000:8.1f} ms {float(cpu) * 1000:8.1f} ms CPU "
              f"(whole: {float(whole_cpu) * 1000:.1f} ms CPU)", flush=True)


def edited_report(work: Path, record) -> None:
    """A figure of the sample changed before each run (a copy beside its prior-year report), so the
    report is parsed again, compiled and its charts drawn again: what an officer pays after an edit."""
    folder = work / "edited"
    folder.mkdir()
    shutil.copy(ROOT / "reports" / "hongshan_2022.rpt", folder / "hongshan_2022.rpt")
    text, report, edits = SAMPLE.read_text(encoding="utf-8"), folder / "hongshan_2023.rpt", iter(range(10**6))

    def edit() -> None:
        figure = f"fact 收支总计@上年 = {447 + next(edits) % 50}.20"
        report.write_text(text.replace("fact 收支总计@上年 = 447.20", figure, 1), encoding="utf-8")
        forget("charts")()

    edit()
    record(MD_EDITED, REPORTDSL + ["compile", str(report), "--to", "md", "-o", str(work / "edited_out")], before=edit)


def audit_and_import(rows: list[Row], work: Path, runs: int, record) -> None:
    """The sample as a published PDF (LibreOffice makes it) audited, and as Word imported."""
    made = subprocess.run(REPORTDSL + ["compile", str(SAMPLE), "--to", "all", "--no-charts", "-o", str(work / "doc")],
                          cwd=ROOT, capture_output=True, env=ENVIRONMENT)
    pdf, docx = work / "doc" / "hongshan_2023.pdf", work / "doc" / "hongshan_2023.docx"
    if made.returncode == 0 and pdf.exists():
        record(f"{AUDIT} ({pages(pdf)} pages)", REPORTDSL + ["audit", str(pdf), "--layout", "hubei"],
               times=max(1, runs // 2))
    else:
        print("no PDF (LibreOffice missing?): the audit is not measured")
    if docx.exists():
        target = work / "imported.rpt"
        record(IMPORT, REPORTDSL + ["import", str(docx), "--layout", "hubei", "-o", str(target)],
               before=lambda: target.unlink(missing_ok=True))
    published_putuo(work, record)


def published_putuo(work: Path, record) -> None:
    """Issue 13's done-when: the published Putuo PDF (beside the checkout, ../shared) imported, and the
    report it gives checked, each as a process."""
    pdf = next((folder / "reference" / "putuo_social_work_dept_2024.pdf" for folder in (ROOT.parent / "shared", ROOT.parent.parent / "shared")
                if (folder / "reference" / "putuo_social_work_dept_2024.pdf").exists()), None)
    if pdf is None:
        print("no ../shared/reference/putuo_social_work_dept_2024.pdf: its import is not measured")
        return
    target = work / "putuo_imported.rpt"
    record(IMPORT_PUTUO, REPORTDSL + ["import", str(pdf), "--layout", "shanghai-2024", "-o", str(target)],
           before=lambda: target.unlink(missing_ok=True))
    if not target.exists():
        subprocess.run(REPORTDSL + ["import", str(pdf), "--layout", "shanghai-2024", "-o", str(target)], cwd=ROOT,
                       capture_output=True, env=ENVIRONMENT)
    record(CHECK_PUTUO, REPORTDSL + ["check", str(target)], before=forget_parsed)


def pages(pdf: Path) -> int:
    """Counted in a child: a module this process imports would raise every later child's peak memory (Linux
    counts the parent's peak resident memory, shared until exec, in the child's)."""
    script = "import pdfplumber, sys; print(len(pdfplumber.open(sys.argv[1]).pages))"
    return int(subprocess.run([PYTHON, "-c", script, str(pdf)], capture_output=True, text=True, check=True).stdout)


def batches(rows: list[Row], work: Path, batch: int, record) -> None:
    folder = work / "batch"
    folder.mkdir()
    shutil.copy(ROOT / "reports" / "hongshan_2022.rpt", folder / "hongshan_2022.rpt")
    for index in range(batch):
        (folder / f"dept_{index:04d}.rpt").write_text(sample_variant(index), encoding="utf-8")
    base = REPORTDSL + ["compile", str(folder), "--to", "md", "--no-charts", "--format", "jsonl"]
    # New reports: each parsed once (a batch keeps no compiled documents), as MD_PARSED is.
    for jobs in ("1", "2"):
        record(f"batch of {batch + 1} --to md --no-charts --format jsonl -j {jobs} (parsed afresh)",
               base + ["-o", str(work / f"batch_out_{jobs}"), "-j", jobs], times=1, before=forget_parsed,
               warm_up=False)
    import importlib.util

    if importlib.util.find_spec("distributed") is None:
        print("dask is not installed (pip install '.[dask]'): the Dask batch is not measured")
        return
    record(f"batch of {batch + 1} --scheduler local -j 2 (Dask LocalCluster, parsed afresh)",
           base + ["-o", str(work / "batch_out_dask"), "-j", "2", "--scheduler", "local"], times=1,
           before=forget_parsed, warm_up=False)


def fifty_thousand(work: Path, runs: int, record) -> None:
    """Issue 11's case: a check of 50,000 items (larger than the parse cache keeps, so always parsed), and
    the parse of them with and without the item-line reader."""
    huge = work / "large_50000.rpt"
    huge.write_text(large_report(50_000), encoding="utf-8")
    record(FIFTY_K, REPORTDSL + ["check", str(huge)], times=max(1, runs // 2), before=forget_checked)
    items_only = work / "items_50000.rpt"
    items_only.write_text(items_report(50_000), encoding="utf-8")
    record(FIFTY_K_ITEMS, REPORTDSL + ["check", str(items_only)], times=max(1, runs // 2), before=forget_checked)
    for name, call in ((PARSE_FAST, "parse_text_now(source)"), (PARSE_LARK, "_parse_file(source, {})")):
        script = ("import sys; from reportdsl.lark_parser import _lark, _parse_file, parse_text_now; "
                  "from reportdsl.compiler import read_source; source = read_source(sys.argv[1]); _lark(); " + call)
        record(name, [PYTHON, "-c", script, str(items_only)], times=max(1, runs // 2))


def audit_ratios(by_name: dict) -> list[tuple[str, float, Optional[float], str]]:
    """The audit's and the import's seconds (wall, CPU), and the audit against the floor."""
    found = []
    audit = next((name for name in by_name if name.startswith(AUDIT)), None)
    if audit:
        found.append((f"{audit[len(AUDIT) + 2:-1]} PDF audited (s)", by_name[audit][0], by_name[audit][1], "≤ 3 s CPU"))
        if FLOOR in by_name:
            found.append(("PDF audit / floor", by_name[audit][0] / by_name[FLOOR][0],
                          by_name[audit][1] / by_name[FLOOR][1], "(no target)"))
    if IMPORT in by_name:
        found.append((".docx imported (s)", by_name[IMPORT][0], by_name[IMPORT][1], "≤ 1 s"))
    if IMPORT_PUTUO in by_name and CHECK_PUTUO in by_name:
        both = [by_name[IMPORT_PUTUO][i] + by_name[CHECK_PUTUO][i] for i in (0, 1)]
        found.append(("published Putuo PDF imported and checked (s)", both[0], both[1], "< 5 s"))
    return found


def audit_only(runs: int) -> None:
    """`--only audit`: the floor, the audit and the import measured and printed (results.md untouched)."""
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="reportdsl-bench-"))

    def record(name: str, command: list[str], times: int = runs, before: Optional[Callable[[], None]] = None) -> None:
        subprocess.run(command, cwd=ROOT, capture_output=True, env=ENVIRONMENT)
        if before is not None:
            before()
        wall, cpu, peak, _ = measure(command, times, ROOT, False, before)
        rows.append((name, wall, cpu, peak, ""))
        print(f"{name:<62} {wall * 1000:8.0f} ms {cpu * 1000:8.0f} ms CPU {peak / 1024:8.1f} MiB", flush=True)

    record(FLOOR, FLOOR_COMMAND)
    audit_and_import(rows, work, runs, record)
    for name, value, cpu, target in audit_ratios({name: (wall, cpu, peak) for name, wall, cpu, peak, *_ in rows}):
        print(f"{name:<56} {value:8.2f} {'' if cpu is None else f'(CPU {cpu:.2f})':>12}   target {target}")
    shutil.rmtree(work, ignore_errors=True)


def ratios(rows: list[Row]) -> list[tuple[str, float, Optional[float], str]]:
    """(what, ratio of wall times, ratio of CPU times or None, target)."""
    by_name = {name: (wall, cpu, peak) for name, wall, cpu, peak, *_ in rows}

    def over(a: str, b: str) -> tuple[float, float]:
        if b == FLOOR and a in PAIRED_WITH_FLOOR:  # each run over the floor run just before it
            return PAIRED_WITH_FLOOR[a]
        return by_name[a][0] / by_name[b][0], by_name[a][1] / by_name[b][1]

    items = [
        ("50k items check (s)", by_name[FIFTY_K_ITEMS][0], by_name[FIFTY_K_ITEMS][1], "≤ 2 s CPU"),
        ("50k items check / floor", *over(FIFTY_K_ITEMS, FLOOR), "(the same, in floors of this run)"),
        ("50k items and their table check (s)", by_name[FIFTY_K][0], by_name[FIFTY_K][1], "≤ 2 s CPU"),
        ("50k items and their table check / floor", *over(FIFTY_K, FLOOR), ""),
        ("parse 50k items: without Lark / Lark alone", *over(PARSE_FAST, PARSE_LARK), "≤ 0.2"),
    ]
    if CHECK not in by_name:  # --only items
        return items
    found = [
        ("check / floor (warm)", *over(CHECK, FLOOR), "≤ 1.3"),
        ("check compiled again / floor", *over(CHECK_COMPILED, FLOOR), "(no target)"),
        ("md no charts, warm (kept compile) / floor", *over(MD, FLOOR), "≤ 1.6"),
        ("md no charts, compiled again / floor", *over(MD_COMPILED, FLOOR), "(no target)"),
        ("md with 4 charts, warm (kept compile) / floor", *over(MD_WARM, FLOOR), "≤ 1.6"),
        ("md with 4 charts, compiled again / floor", *over(MD_WARM_COMPILED, FLOOR), "(no target)"),
        ("md with 4 charts after a data change (s)", by_name[MD_CHANGED][0], by_name[MD_CHANGED][1], "≤ 0.8 s"),
        ("md with 4 charts after a figure is edited (s)", by_name[MD_EDITED][0], by_name[MD_EDITED][1], "≤ 0.8 s"),
        ("md with 4 charts, cold caches (s)", by_name[MD_COLD][0], None, "(no target)"),
        ("10k check, compiled (s)", by_name[TEN_K][0], by_name[TEN_K][1], "< 1 s"),
        # The cost of 1,000 more items, from 10k to 50k against from 1k to 10k (the same kind of report): a
        # ratio to the floor's excess would divide by almost nothing once 1,000 items cost about the floor.
        ("CPU per 1,000 items, 10k → 50k / 1k → 10k", ((by_name[FIFTY_K][1] - by_name[TEN_K][1]) / 40)
         / ((by_name[TEN_K][1] - by_name[ONE_K][1]) / 9), None, "≈ 1 if linear"),
        *items,
    ]
    if PANDOC in by_name:
        found += [("docx, no charts, warm (kept compile) / pandoc", *over(DOCX, PANDOC), "≤ 2"),
                  ("docx, no charts, compiled again / pandoc", *over(DOCX_COMPILED, PANDOC), "≤ 2"),
                  ("docx, 4 charts, warm (kept compile) / pandoc", *over(DOCX_WARM, PANDOC), "≤ 3"),
                  ("docx, 4 charts, compiled again / pandoc", *over(DOCX_WARM_COMPILED, PANDOC), "≤ 3"),
                  ("docx peak memory / pandoc's", by_name[DOCX][2] / by_name[PANDOC][2], None, "< 1")]
    found += editor_ratios(by_name)
    found += audit_ratios(by_name)
    batch = sorted(name for name in by_name if name.startswith("batch") and name.endswith(("-j 1 (parsed afresh)",
                                                                                              "-j 2 (parsed afresh)")))
    if len(batch) == 2:
        one, two = (by_name[name] for name in batch)
        found.append(("batch speed-up -j2 / -j1", one[0] / two[0], one[1] / two[1], "≥ 1.7 (wall)"))
        found.append(("batch -j1 peak memory / one report's (both parsed afresh)", one[2] / by_name[MD_PARSED][2], None,
                      "≤ 1.2"))
        found.append(("batch -j2 peak memory (largest process) / one report's (both parsed afresh)",
                      two[2] / by_name[MD_PARSED][2], None, "≤ 1.2"))
    return found


def editor_ratios(by_name: dict) -> list[tuple]:
    """Per edit: the CPU of the editor's compile in ms (target ≤ 30 ms), and its share of a whole compile."""
    found = []
    for name, (_, cpu, _) in by_name.items():
        if name.startswith("editor") and name + WHOLE in by_name:
            found.append((f"{name}: ms CPU per edit", cpu * 1000, None, "≤ 30 ms"))
            found.append((f"{name}: CPU / whole compile", cpu / by_name[name + WHOLE][1], None, "(no target)"))
    return found


def write_results(rows, found, path: Path, loads: tuple[str, str]) -> None:
    lines = ["# Benchmark results", "", f"Machine: {machine()}", "",
             f"Run: `python benchmarks/run.py {' '.join(sys.argv[1:])}` on {time.strftime('%Y-%m-%d %H:%M')}; load "
             f"average (1, 5, 15 min) {loads[0]} before and {loads[1]} after, and the 1-minute load at the end of each "
             "row below. The machine is shared: a load over its 2 cores inflates wall times far more than CPU times, "
             "so the ratios to read are the CPU ones (user + system time of each process, both sides of a ratio "
             "measured in this same run, interleaved with the same load). A ratio to the floor of a `check` or `compile "
             "--to md` row is the median of each run's ratio to a floor run made just before it: this virtual "
             "machine's clock speeds up and slows down by a fifth from one minute to the next, which moves a ratio "
             "of two rows measured minutes apart but not one of runs made a second apart.", "",
             "Each measurement repeats a command on the same files, as an officer re-checking on every save does, so "
             "the grammar tables and the parsed files come from the cache (a folder of this run's own, filled by one "
             "unmeasured run). \"warm caches\" also reuses what `check` and `compile` keep of an unchanged report "
             "(check_cache.py: the printed result, the compiled document), so only the rendering runs; \"compiled "
             "again\" forgets those, so the report is evaluated, laid out and checked (its parse kept); \"parsed "
             "afresh\" forgets the parsed files too (what a report never seen before costs). \"after a data change\" "
             "compiles again and draws the four charts again; \"after a figure is edited\" changes a figure of the "
             "report before each run, so it is also parsed again. \"cold caches\" runs with an empty cache folder "
             "each time (no grammar tables, parsed files, drawn charts or matplotlib font list). Markdown charts are "
             "SVG written directly; Word charts are PNG drawn by matplotlib. pandoc converts our own Markdown output "
             "(no charts) into Word. The editor row is measured inside one process (reportdsl.editor.session, the "
             "language server's compile). Batches compile reports never seen before (parsed afresh); peak memory of "
             "a batch with -j 2 is the largest single process (the kernel's accounting), not the sum of the "
             "workers.", "",
             "| measurement | median wall | median CPU | peak memory | load |", "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {name} | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms | "
              + (f"{peak / 1024:.1f} MiB" if peak else "–") + f" | {load:.1f} |"
              for name, wall, cpu, peak, _, load in rows]
    lines += ["", "| ratio or figure | wall | CPU | target |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {name} | {value:.2f} | {'' if cpu is None else f'{cpu:.2f}'} | {target} |"
              for name, value, cpu, target in found]
    if not any(name.startswith("docx, no charts") for name, *_ in found):
        lines += ["", "pandoc is not installed here, so the ratios against the peer are missing "
                      "(`pip install \".[bench]\"`)."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# The two tables' heads, for an --output that does not exist yet.
EMPTY_EDITOR_TABLES = ("| measurement | median wall | median CPU | peak memory |\n| --- | ---: | ---: | ---: |\n\n"
                       "| ratio or figure | value | CPU | target |\n| --- | ---: | ---: | --- |\n")


def replace_editor_rows(path: Path, rows: list[Row], loads: tuple[str, str]) -> None:
    """The editor's rows of both tables of an earlier results.md measured again (`--only editor`)."""
    found = editor_ratios({name: (wall, cpu, peak) for name, wall, cpu, peak, *_ in rows})
    new = {"| measurement ": [f"| {name} | {wall * 1000:.0f} ms | {cpu * 1000:.1f} ms | – |"
                              for name, wall, cpu, *_ in rows],
           "| ratio or figure ": [f"| {name} | {value:.2f} |  | {target} |" for name, value, _, target in found]}
    note = (f"Editor rows: measured again with `python benchmarks/run.py --only editor` on "
            f"{time.strftime('%Y-%m-%d %H:%M')}, load average {loads[0]} before and {loads[1]} after.")
    earlier = path.read_text(encoding="utf-8") if path.exists() else EMPTY_EDITOR_TABLES
    lines = [line for line in earlier.splitlines()
             if not line.startswith(("| editor", "Editor rows: measured again"))]
    for header, added in new.items():
        start = next((index for index, line in enumerate(lines) if line.startswith(header)), None)
        if start is None:
            continue
        end = next((index for index in range(start, len(lines)) if not lines[index].startswith("|")), len(lines))
        lines[end:end] = added
    while lines and lines[-1] == "":
        lines.pop()
    path.write_text("\n".join(lines + ["", note]) + "\n", encoding="utf-8")


def load_average() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--output", type=Path, default=None,
                        help="where to write the results (default benchmarks/results.md; with --only items, none)")
    parser.add_argument("--only", choices=["all", "audit", "editor", "items"], default="all",
                        help="audit: only the floor, the PDF audit and the imports (the sample's .docx, the published Putuo PDF), printed; "
                             "editor: only the editor rows, replaced in --output; "
                             "items: only the floor and the checks of 50,000 items (issue 11), printed")
    arguments = parser.parse_args()
    print(f"machine: {machine()}\nload average: {load_average()}\n")
    if arguments.only == "audit":
        audit_only(arguments.runs)
        print(f"load average: {load_average()}")
        return
    before = load_average()
    if arguments.only == "editor":
        rows: list[Row] = []
        output = arguments.output or ROOT / "benchmarks" / "results.md"
        editor_loop(rows, arguments.runs)
        replace_editor_rows(output, rows, (before, load_average()))
        print(f"\nwrote the editor rows of {output}")
        return
    rows = run(arguments.runs, arguments.batch, arguments.only == "items")
    after = load_average()
    found = ratios(rows)
    print(f"\nload average: {after}")
    for name, value, cpu, target in found:
        print(f"{name:<56} {value:8.2f} {'' if cpu is None else f'(CPU {cpu:.2f})':>12}   target {target}")
    shutil.rmtree(CACHE, ignore_errors=True)
    output = arguments.output or (None if arguments.only == "items" else ROOT / "benchmarks" / "results.md")
    if output is not None:
        write_results(rows, found, output, (before, after))
        print(f"\nwrote {output}")


if __name__ == "__main__":
    main()
