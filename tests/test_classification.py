"""Item names against the standard 政府收支分类科目 (data/classification.tsv): RD112, RD113."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import compile_snippet

from reportdsl.classification import standard_names
from reportdsl.compiler import compile_file

ROOT = Path(__file__).resolve().parents[1]
HEADER_2024 = 'report "示例单位" year 2024 unit 万元\n'
TREE = '''items gpb (决算) {
  201 "一般公共服务支出" {
    20139 "{kuan}" {
      2013901 "行政运行"             (1.00)
      2013999 "{xiang}" (2.00)
    }
  }
}
'''


def tree(kuan: str = "社会工作事务", xiang: str = "其他社会工作事务支出") -> str:
    return TREE.replace("{kuan}", kuan).replace("{xiang}", xiang)


def test_standard_names_give_no_warning():
    assert not compile_snippet(tree(), HEADER_2024).diagnostics


def test_a_kuan_printed_under_its_lei_name_is_a_warning_with_the_standard_name():
    result = compile_snippet(tree(kuan="一般公共服务支出"), HEADER_2024)
    [found] = result.diagnostics
    assert (found.code, found.is_error, found.span.line) == ("RD112", False, 4)
    assert "the standard name of 款 20139 for 2024 is '社会工作事务'" in found.help
    assert "'一般公共服务支出' is the name of its 类 201" in found.help


def test_brackets_and_spaces_do_not_count_as_a_difference():
    body = 'items e (决算) {\n  302 "商品和服务支出" {\n    30213 "维修(护) 费" (1.00)\n  }\n}'
    assert not compile_snippet(body, HEADER_2024).diagnostics


def test_a_code_is_checked_only_for_the_years_its_name_covers():
    assert not compile_snippet(tree(kuan="一般公共服务支出")).diagnostics  # 20139 listed for 2024 only


def test_a_report_can_add_or_rename_codes_for_its_local_items():
    local = 'classification {\n  2013999 "社区工作者补贴"\n}\n'
    assert not compile_snippet(tree(xiang="社区工作者补贴") + local, HEADER_2024).diagnostics
    assert [d.code for d in compile_snippet(tree(xiang="社区工作者补贴"), HEADER_2024).diagnostics] == ["RD112"]


def test_a_layout_can_extend_the_list(tmp_path):
    (tmp_path / "mine.rpt").write_text('layout "mine" "本地"\nclassification {\n  2013999 "社区工作者补贴"\n}\n',
                                       encoding="utf-8")
    report = tmp_path / "r.rpt"
    report.write_text('report "示例单位" year 2024 unit 万元 layout "mine.rpt"\n' + tree(xiang="社区工作者补贴"),
                      encoding="utf-8")
    result = compile_file(str(report))
    assert not result.diagnostics, [d.message for d in result.diagnostics]


def test_a_malformed_local_code_is_rd113():
    result = compile_snippet('classification {\n  20 "两位"\n}')
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("RD113", 3)]


def test_the_data_file_has_provenance_and_well_formed_lines():
    text = (ROOT / "src" / "reportdsl" / "data" / "classification.tsv").read_text(encoding="utf-8")
    assert "Provenance" in text and "Coverage" in text
    names = standard_names()
    assert names["208"][0].name == "社会保障和就业支出" and names["30213"][0].name == "维修（护）费"
    for code, entries in names.items():
        assert code.isdigit() and len(code) in (3, 5, 7) and code[0] in "23"
        assert all(e.first_year <= e.last_year for e in entries)
        if len(code) > 3:
            assert code[:-2] in names, f"{code} is listed without its parent"


@pytest.mark.parametrize("report", ["reports/hongshan_2023.rpt", "reports/putuo_social_work_2024.rpt"])
def test_the_real_reports_print_the_standard_names(report):
    result = compile_file(str(ROOT / report))
    assert not [d for d in result.diagnostics if d.code in ("RD112", "RD113")]
