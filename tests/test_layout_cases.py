"""Layouts in their empty and zero cases, on reports made the way a department makes them:
`reportdsl new --layout …`, then every placeholder filled with invented figures.

For each case the published text must read as an officer writes it — 持平 for no change, no rate over
a zero prior year, no completion rate over a zero budget, the "本部门本年度无……" sentence and the
empty-table note for a fund with nothing — with no gap (【?】), no "0%" completion and no "增加 0";
and the report must compile to Markdown and to Word.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportdsl.outputs import build_outputs
from reportdsl.cli import main
from reportdsl.compiler import compile_file
from reportdsl.layouts import packaged_layouts
from reportdsl.render.typography import tighten

DEPARTMENT = "上海市示例管理局"


# ---- making and filling a report ---------------------------------------------------------------------


def new_report(folder: Path, layout: str, department: str = DEPARTMENT, year: int = 2024) -> str:
    target = folder / "new.rpt"
    result = CliRunner().invoke(main, ["new", "--layout", layout, "--department", department,
                                       "--year", str(year), "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


def fill_fact(text: str, name: str, value: str) -> str:
    """`fact NAME = ? [unit] [within W]` -> `fact NAME = VALUE [within W]`."""
    pattern = rf"^(fact {re.escape(name)}\s*=\s*)\?(?: (?!within)\S+)?"
    text, count = re.subn(pattern, lambda m: m.group(1) + value, text, flags=re.M)
    assert count == 1, f"no open input 'fact {name} = ?' in the report"
    return text


def tree_bounds(text: str, tree: str) -> tuple[int, int]:
    """Where `items TREE … { … }` stands in the report (it starts and ends at the line start)."""
    match = re.search(rf"^items {re.escape(tree)} .*$", text, flags=re.M)
    assert match, f"no items tree '{tree}' in the report"
    if match.group(0).rstrip().endswith("{}"):
        return match.start(), match.end()
    end = text.index("\n}", match.end()) + 2
    return match.start(), end


def replace_tree(text: str, tree: str, declaration: str) -> str:
    start, end = tree_bounds(text, tree)
    return text[:start] + declaration.strip() + text[end:]


def set_items(text: str, tree: str, values: dict[str, str], rest: str | None = None) -> str:
    """Within the tree TREE, give the item KEY the values "(…)"; every other `(?)` gets REST."""
    start, end = tree_bounds(text, tree)
    block = text[start:end]
    for key, shown in values.items():
        block, count = re.subn(rf"^(\s*{re.escape(key)}\s+\"[^\"]*\"\s+)\([^)]*\)", lambda m: m.group(1) + shown,
                               block, flags=re.M)
        assert count == 1, f"no item '{key}' in '{tree}'"
    if rest is not None:
        block = re.sub(r"(?<=[(,] )\?(?=[,)])|(?<=\()\?(?=[,)])", rest, block)
    return text[:start] + block + text[end:]


def annotate(text: str, tree: str, key: str, attributes: str) -> str:
    """Give the item KEY of TREE a `note` or `reason`: after its values, before its children."""
    start, end = tree_bounds(text, tree)
    block, count = re.subn(rf"^(\s*{re.escape(key)}\s+\"[^\"]*\".*?)(\s*\{{)?$",
                           lambda m: f"{m.group(1)} {attributes}{m.group(2) or ''}", text[start:end], count=1, flags=re.M)
    assert count == 1, f"no item '{key}' in '{tree}'"
    return text[:start] + block + text[end:]


def compile_text_at(folder: Path, text: str, name: str = "r.rpt"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return compile_file(str(path))


class Typeset(str):
    """Published text, in which a sentence is looked for as the layout writes it ("增加 45.00 万元"):
    typeset, it has no space between Chinese and a figure ("增加45.00万元")."""

    def __contains__(self, sentence: object) -> bool:
        return str.__contains__(self, tighten(str(sentence)))


def published(result) -> Typeset:
    """The document as Markdown: what a reader sees."""
    outputs = build_outputs(result.document, "r", Path("out"), "md", charts=False)
    [markdown] = [data for path, data in outputs.files.items() if path.suffix == ".md"]
    return Typeset(markdown.decode("utf-8"))


def assert_publishable(result) -> str:
    """No diagnostic at all, no gap, no 0% completion, no direction word before a zero; builds to
    Markdown and Word. Returns the Markdown."""
    assert not result.diagnostics, [f"{d.code} {d.span.line if d.span else ''}: {d.message}" for d in result.diagnostics]
    text = published(result)
    assert "【?】" not in text
    assert not re.search(r"(预算的|完成率|执行率)\s*0(\.0+)?%", text), "a 0% completion was published"
    assert not re.search(r"(增加|减少|增长|下降)\s*0(\.0+)?\s*(万元|%)", text), "a direction word before a zero"
    docx = build_outputs(result.document, "r", Path("out"), "docx", charts=False)
    [data] = [data for path, data in docx.files.items() if path.suffix == ".docx"]
    assert data[:2] == b"PK"
    return text


def paragraph_after(text: str, heading: str) -> str:
    """The first paragraph under the heading whose text ends with HEADING."""
    lines = text.split("\n\n")
    index = next(i for i, block in enumerate(lines) if block.startswith("#") and block.endswith(heading))
    return lines[index + 1]


# ---- Shanghai 2024: an invented department ---------------------------------------------------------

TEXTS = '''
items 文字 "部门自行撰写的文字" (内容) {
  主要职能             "主要职能"             ("负责全市示例事务的统筹管理和监督检查。")
  机构设置             "机构设置"             ("内设办公室、业务处两个处室。")
  收支变动原因         "收支变动原因"         ("新增示例平台建设项目")
  财政拨款变动原因     "财政拨款变动原因"     ("新增示例平台建设项目")
  一般公共预算变动原因 "一般公共预算变动原因" ("新增示例平台建设项目")
  预算执行原因         "预算执行原因"         ("年中追加人员经费")
  三公预算原因         "三公预算原因"         ("严格控制公务支出")
  机关运行经费变动原因 "机关运行经费变动原因" ("办公用房维修增加")
  绩效制度             "绩效制度"             ("《示例管理局项目绩效管理办法》")
  绩效机制             "绩效机制"             (-)
}
'''

UNITS = '''
items 单位 "纳入部门决算编制范围的单位" (备注) {
  本级 "上海市示例管理局（本级）" (-)
  中心 "上海市示例事务中心"       ("事业单位")
}
'''

# 一般公共预算: 基本 425.00 (310 + 75 + 40), 项目 90.00; 年初预算 520.00.
GPB = '''
items gpb "一般公共预算财政拨款支出" (年初预算, 全年预算, 基本支出, 项目支出) {
  201 "一般公共服务支出" {
    20103 "政府办公厅（室）及相关机构事务" {
      2010301 "行政运行"                         (300.00, -, 310.00,     -) note "机关人员经费和日常运转" reason "年中增加编制内人员"
      2010350 "事业运行"                         ( 80.00, -,  75.00,     -) note "所属事业单位运转" reason "部分岗位空缺"
      2010399 "其他政府办公厅（室）及相关机构事务支出" (100.00, -, -, 90.00) note "示例平台建设项目" reason "项目采购节约"
    }
  }
  208 "社会保障和就业支出" {
    20805 "行政事业单位养老支出" {
      2080505 "机关事业单位基本养老保险缴费支出" ( 40.00, -,  40.00,     -) note "基本养老保险缴费" reason "缴费基数调整"
    }
  }
}
'''

# All funds by function: the 一般公共预算 rows and one 政府性基金 row (30.00).
FUNCTIONS = '''
items 功能 "本年收支" (财政拨款收入, 上级补助收入, 事业收入, 经营收入, 附属单位上缴收入, 其他收入, 基本支出, 项目支出, 上缴上级支出, 经营支出, 对附属单位补助支出) {
  201 "一般公共服务支出" {
    20103 "政府办公厅（室）及相关机构事务" {
      2010301 "行政运行" (310.00, -, -, -, -, -, 310.00, -, -, -, -)
      2010350 "事业运行" ( 75.00, -, -, -, -, -,  75.00, -, -, -, -)
      2010399 "其他政府办公厅（室）及相关机构事务支出" (90.00, -, -, -, -, -, -, 90.00, -, -, -)
    }
  }
  208 "社会保障和就业支出" {
    20805 "行政事业单位养老支出" {
      2080505 "机关事业单位基本养老保险缴费支出" (40.00, -, -, -, -, -, 40.00, -, -, -, -)
    }
  }
  212 "城乡社区支出" {
    21208 "国有土地使用权出让收入安排的支出" {
      2120899 "其他国有土地使用权出让收入安排的支出" (30.00, -, -, -, -, -, -, 30.00, -, -, -)
    }
  }
}
'''

FUND = '''
items gf "政府性基金预算财政拨款收入支出" (年初预算, 全年预算, 年初结转和结余, 本年收入, 基本支出, 项目支出, 年末结转和结余) {
  212 "城乡社区支出" {
    21208 "国有土地使用权出让收入安排的支出" {
      2120899 "其他国有土地使用权出让收入安排的支出" (30.00, -, 0, 30.00, -, 30.00, 0) note "老旧小区改造补助"
    }
  }
}
'''

FACTS = {
    "上年收支总计": "500.00", "上年财政拨款收支总计": "500.00", "上年一般公共预算财政拨款支出": "480.00",
    "出国团组数": "2 个", "出国人次": "6 人次", "购置车辆数": "0 辆", "公务用车保有量": "3 辆",
    "接待批次": "10 批次", "接待人次": "80 人次", "外宾接待批次": "1 批次", "外宾接待人次": "5 人次",
    "外宾接待费": "0.50",
    "绩效目标项目数": "3 个", "绩效目标预算金额": "120.00", "绩效跟踪项目数": "3 个", "绩效跟踪预算金额": "120.00",
    "绩效自评项目数": "3 个", "绩效自评预算金额": "120.00", "绩效自评平均得分": "92.50 分",
    "评级优项目数": "2 个", "评级良项目数": "1 个", "评级合格项目数": "0 个", "评级不合格项目数": "0 个",
    "发现问题数": "2 个", "已整改问题数": "1 个", "正在整改问题数": "1 个",
    "机关运行经费": "70.00", "上年机关运行经费": "60.00",
    "中小企业预留预算金额": "30.00", "小微企业预留预算金额": "20.00", "预留项目中小企业中标金额": "28.00",
    "预留项目小微企业中标金额": "18.00", "其他项目中小企业中标金额": "10.00",
    "大型设备数": "0 台套",
}


def shanghai(folder: Path, **changes) -> str:
    """The invented department, made with `reportdsl new` and filled in; CHANGES replace facts
    (name=value) or trees (tree name in upper case: GPB=…, FUNCTIONS=…, FUND=…)."""
    text = new_report(folder, "shanghai-2024")
    trees = {"文字": TEXTS, "单位": UNITS, "gpb": changes.pop("GPB", GPB), "功能": changes.pop("FUNCTIONS", FUNCTIONS),
             "gf": changes.pop("FUND", FUND)}
    for tree, declaration in trees.items():
        text = replace_tree(text, tree, declaration)
    text = set_items(text, "收入", changes.pop("INCOME", {"一般公共预算": "(515.00)", "政府性基金": "(30.00)"}), rest="0")
    text = set_items(text, "结转结余", {}, rest="0")
    text = set_items(text, "经济", changes.pop("ECONOMIC", {"30101": "(200.00)", "30102": "(150.00)", "30201": "(40.00)",
                                                         "30211": "(10.00)", "30217": "(5.00)", "30231": "(20.00)"}),
                     rest="0.00")
    text = set_items(text, "三公", changes.pop("THREE", {"出国": "(10.00, 8.00, 6.00)", "购置": "(0, 0, 0)",
                                                        "运行": "(25.00, 20.00, 22.00)", "接待": "(6.00, 5.00, 5.00)"}))
    text = annotate(text, "三公", "出国", 'note "赴境外开展业务交流" reason "出访团组增加"')
    text = annotate(text, "三公", "运行", 'note "机要文件交换和公务出行"')
    text = annotate(text, "三公", "车", 'reason "用车次数减少"')
    text = annotate(text, "三公", "接待", 'note "接待外省市考察学习" reason "接待任务变化"')
    text = set_items(text, "采购", {"货物": "(20.00)", "工程": "(0)", "服务": "(30.00)"})
    text = set_items(text, "车辆", {"机要通信": "(1 辆)", "应急保障": "(1 辆)", "其他": "(2 辆)"}, rest="0 辆")
    for name, value in {**FACTS, **changes}.items():
        text = fill_fact(text, name, value)
    assert "?" not in re.sub(r"#.*", "", text), "an input is still open"
    return text


@pytest.fixture
def folder(tmp_path):
    return tmp_path


def test_a_new_shanghai_report_filled_in_compiles_without_a_diagnostic(folder):
    text = assert_publishable(compile_text_at(folder, shanghai(folder)))
    # the full case reads as written, with each figure where it belongs
    assert "比上年度增加 45.00 万元，增长 9.00%。变动的主要原因是新增示例平台建设项目。" in text
    assert "年初预算 520.00 万元，支出决算 515.00 万元，为年初预算的 99.04%。决算数小于年初预算数" in text
    assert "机关事业单位基本养老保险缴费支出（项）：主要用于基本养老保险缴费。年初预算 40.00 万元，支出决算 40.00 万元，" \
           "为年初预算的 100.00%。决算数与预算数持平。" in text
    # “三公”: the total is unchanged while its items move
    assert "“三公”经费财政拨款支出持平。其中，因公出国（境）费增加 2.00 万元，增长 33.33%；" \
           "公务用车购置及运行维护费减少 2.00 万元，下降 9.09%；公务接待费持平。" in text
    assert "本年收入合计 545.00 万元。按来源分，财政拨款收入 545.00 万元，占 100.00%。" in text
    assert "说明：上海市示例管理局本年度没有政府性基金" not in text and "说明：上海市示例管理局本年度没有国有资本经营" in text
    assert "本部门本年度无国有资本经营预算财政拨款收入和支出。" in text
    assert "政府性基金预算财政拨款收入 30.00 万元，支出 30.00 万元。" in text


def test_the_new_report_lists_every_open_input_until_filled(folder):
    text = new_report(folder, "shanghai-2024")
    result = compile_text_at(folder, text)
    assert result.diagnostics and all(d.code == "RD401" for d in result.diagnostics)
    assert {d.span.path for d in result.diagnostics if "not filled in" in d.message} == {str(folder / "r.rpt")}


def test_no_three_public_spending(folder):
    zero = "(0, 0, 0)"
    text = shanghai(folder, THREE={"出国": zero, "购置": zero, "运行": zero, "接待": zero},
                    ECONOMIC={"30101": "(200.00)", "30102": "(150.00)", "30201": "(65.00)", "30211": "(10.00)"},
                    出国团组数="0 个", 出国人次="0 人次", 公务用车保有量="0 辆", 接待批次="0 批次", 接待人次="0 人次",
                    外宾接待批次="0 批次", 外宾接待人次="0 人次", 外宾接待费="0")
    published_text = assert_publishable(compile_text_at(folder, text))
    assert paragraph_after(published_text, "财政拨款“三公”经费支出决算情况说明") == "本部门本年度无“三公”经费财政拨款支出。"
    assert "说明：上海市示例管理局本年度没有财政拨款“三公”经费支出，故本表无数据。" in published_text
    assert "“三公”经费财政拨款支出决算总体情况" not in published_text


def test_no_government_fund_income(folder):
    # With no 政府性基金 and no carry-over, all income is 一般公共预算: 功能 is left empty and tables
    # 2 and 3 take their rows from gpb.
    text = shanghai(folder, FUND='items gf "政府性基金" (年初预算, 全年预算, 年初结转和结余, 本年收入, 基本支出, 项目支出, 年末结转和结余) {}',
                    FUNCTIONS='items 功能 "本年收支" (财政拨款收入, 上级补助收入, 事业收入, 经营收入, 附属单位上缴收入, 其他收入, 基本支出, 项目支出, 上缴上级支出, 经营支出, 对附属单位补助支出) {}',
                    INCOME={"一般公共预算": "(515.00)"}, 上年收支总计="470.00", 上年财政拨款收支总计="470.00")
    published_text = assert_publishable(compile_text_at(folder, text))
    assert paragraph_after(published_text, "政府性基金预算财政拨款收入支出决算情况说明") == \
        "本部门本年度无政府性基金预算财政拨款收入和支出。"
    assert "说明：上海市示例管理局本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。" in published_text
    assert "| 2010399 | 其他政府办公厅（室）及相关机构事务支出 | 90.00 | 90.00 |" in published_text  # table 2 from gpb
    assert "| 十一、城乡社区支出 |  |" in published_text  # table 1: a 类 without spending is an empty cell


def test_a_zero_prior_year(folder):
    zero_prior = {"出国": "(10.00, 8.00, 0)", "购置": "(0, 0, 0)", "运行": "(25.00, 20.00, 0)", "接待": "(6.00, 5.00, 0)"}
    text = shanghai(folder, THREE=zero_prior, 上年收支总计="0", 上年财政拨款收支总计="0", 上年一般公共预算财政拨款支出="0",
                    上年机关运行经费="0")
    text = text.replace('reason "用车次数减少"', 'reason "用车次数增加"')  # from nothing, every change is an increase (RD411)
    published_text = assert_publishable(compile_text_at(folder, text))
    # the increase without a rate, then the reason
    assert "收入、支出总计均为 545.00 万元，比上年度增加 545.00 万元。变动的主要原因是" in published_text
    assert "财政拨款收入、支出总计均为 545.00 万元，比上年度增加 545.00 万元。变动的主要原因是" in published_text
    assert "占本年支出合计的 94.50%；比上年度增加 515.00 万元，主要原因是" in published_text
    assert "机关运行经费支出 70.00 万元，比上年度增加 70.00 万元，主要原因是" in published_text
    assert "“三公”经费财政拨款支出增加 33.00 万元。其中，因公出国（境）费增加 8.00 万元；" in published_text
    assert not re.search(r"增长\s*100(\.0+)?%", published_text)


def test_a_zero_budget(folder):
    # No 年初预算 at all (a unit founded during the year): no completion rate anywhere; the direction
    # is still given, with its reason. And a “三公” item with no budget.
    gpb = re.sub(r"\(\s*\d+\.\d\d, -,", "(0, -,", GPB).replace("项目采购节约", "项目新增采购")  # over a zero budget (RD411)
    text = shanghai(folder, GPB=gpb, THREE={"出国": "(0, 8.00, 6.00)", "购置": "(0, 0, 0)",
                                              "运行": "(25.00, 20.00, 22.00)", "接待": "(6.00, 5.00, 5.00)"})
    published_text = assert_publishable(compile_text_at(folder, text))
    assert "年初预算 0.00 万元，支出决算 515.00 万元。决算数大于年初预算数，主要原因是年中追加人员经费。" in published_text
    specific = published_text.split("一般公共预算财政拨款支出决算具体情况")[1].split("### 六、")[0]
    assert "为年初预算的" not in specific and specific.count("决算数大于年初预算数，主要原因是") == 5
    assert "年初预算 0.00 万元，支出决算 40.00 万元。决算数大于年初预算数，主要原因是" in published_text
    assert "因公出国（境）费决算 8.00 万元；" in published_text  # no rate over its zero budget


def test_no_change_is_flat(folder):
    text = shanghai(folder, 上年收支总计="545.00", 上年财政拨款收支总计="545.00", 上年一般公共预算财政拨款支出="515.00",
                    上年机关运行经费="70.00")
    published_text = assert_publishable(compile_text_at(folder, text))
    assert "收入、支出总计均为 545.00 万元，与上年度持平。" in published_text
    assert "财政拨款收入、支出总计均为 545.00 万元，与上年度持平。" in published_text
    assert "占本年支出合计的 94.50%；与上年度持平。" in published_text
    assert "机关运行经费支出 70.00 万元，与上年度持平。" in published_text
    assert "新增示例平台建设项目" not in published_text  # no reason is given for no change


def test_a_department_of_one_unit_describes_its_structure(folder):
    text = shanghai(folder).replace('  中心 "上海市示例事务中心"       ("事业单位")\n', "")
    published_text = assert_publishable(compile_text_at(folder, text))
    assert "### 二、机构设置\n\n内设办公室、业务处两个处室。" in published_text
    assert "纳入上海市示例管理局部门决算编制范围的单位" not in published_text


def test_a_reason_is_asked_for_only_where_it_is_published(folder):
    # The 一般公共预算 reason removed: the report is fine while the figure is 持平, and points at
    # the sentence that needs it once the figure changes.
    text = shanghai(folder, 上年一般公共预算财政拨款支出="515.00")
    text = text.replace('("新增示例平台建设项目")\n  预算执行原因', "(-)\n  预算执行原因")
    assert not compile_text_at(folder, text).diagnostics
    changed = text.replace("fact 上年一般公共预算财政拨款支出 = 515.00", "fact 上年一般公共预算财政拨款支出 = 480.00")
    [diagnostic] = compile_text_at(folder, changed).diagnostics
    assert diagnostic.code == "RD401" and diagnostic.span.path.endswith("r.rpt")  # the report line to fill
    assert any(span.path.endswith("shanghai-2024.rpt") for span, _ in diagnostic.related)  # the layout's, a note


# ---- Hubei: the same cases, when its layout is there and `new` works for it ---------------------------


def hubei_available(tmp_path_factory) -> bool:
    if "hubei" not in packaged_layouts():
        return False
    target = tmp_path_factory.mktemp("hubei") / "probe.rpt"
    result = CliRunner().invoke(main, ["new", "--layout", "hubei", "--department", "某局", "--year", "2024",
                                       "-o", str(target)])
    return result.exit_code == 0


@pytest.fixture(scope="module")
def hubei(tmp_path_factory):
    if not hubei_available(tmp_path_factory):
        pytest.skip("no hubei layout, or `reportdsl new --layout hubei` does not work")


HUBEI_GPB = '''
items gpb "一般公共预算财政拨款支出" (年初预算, 决算, 基本, 项目) {
  206 "科学技术支出" note "主要用于科学技术管理事务。" {
    20601 "科学技术管理事务" {
      2060101 "行政运行"         (200.00, 210.00, 210.00,     -) reason "新增人员" note "反映行政单位的基本支出。"
      2060102 "一般行政管理事务" ( 90.00,  90.00,      -, 90.00) note "反映未单独设置项级科目的其他项目支出。"
    }
  }
}
'''

HUBEI_FACTS = {
    "下属单位数": "0 个", "编制范围": '"{department}（本级）"', "在职人数": "8 人", "行政人数": "8 人", "事业人数": "0 人",
    "参公人数": "0 人", "离退休人数": "2 人", "离休人数": "0 人", "退休人数": "2 人",
    "使用非财政拨款结余": "0", "年初结转和结余": "0", "结余分配": "0", "年末结转和结余": "0",
    "年初财政拨款结转和结余": "0", "年末财政拨款结转和结余": "0",
    "上年收支总计": "280.00", "收支变动原因": '"新增人员"', "上年收入合计": "280.00", "上年支出合计": "280.00",
    "上年财政拨款收支总计": "280.00", "上年一般公共预算财政拨款收入": "280.00", "上年一般公共预算财政拨款支出": "280.00",
    "上年三公经费": "0", "三公经费原因": '"本单位业务不依托“三公”经费"',
    "出国团组数": "0 个", "出国人次": "0 人次", "购置车辆数": "0 辆", "公务用车保有量": "0 辆",
    "外宾团组数": "0 个", "外宾人次": "0 人次", "国内团组数": "0 个", "国内人次": "0 人次",
    "机关运行经费": "40.00", "机关运行经费@年初预算": "40.00", "机关运行经费变动原因": '"—"',
    "中小企业合同金额": "10.00", "小微企业合同金额": "10.00", "大型专用设备数": "0 台",
    "本年支出合计@全年预算": "300.00", "自评资金": "90.00", "项目自评结论": '"项目均达到绩效目标。"',
    "整体评价结论": '"整体执行情况良好"', "绩效结果应用": '"评价结果用于下年度预算安排。"',
    "专项支出说明": '"本部门未涉及该类支出。"', "执行情况得分": "20 分", "绩效指标得分": "78 分",
    "未完成的绩效目标": '"无"',
}


def hubei_report(folder: Path, **changes) -> str:
    text = new_report(folder, "hubei")
    text = replace_tree(text, "gpb", changes.pop("GPB", HUBEI_GPB))
    text = replace_tree(text, "人员经费明细", 'items 人员经费明细 "人员经费" (决算) { 301 "工资福利支出" { 30101 "基本工资" (180.00) } }')
    text = replace_tree(text, "公用经费明细", 'items 公用经费明细 "公用经费" (决算) { 302 "商品和服务支出" { 30201 "办公费" (30.00) } }')
    text = set_items(text, "收入", {"一般公共预算": "(300.00)"}, rest="0")
    text = set_items(text, "三公", {}, rest="0")
    for key in ("出国", "购置", "运行", "接待"):
        text = annotate(text, "三公", key, 'reason "本单位业务不依托“三公”经费"')
    text = set_items(text, "采购", {"货物": "(10.00)"}, rest="0")
    text = set_items(text, "车辆", {}, rest="0 辆")
    for name, value in {**HUBEI_FACTS, **changes}.items():
        text = fill_fact(text, name, value)
    assert "?" not in re.sub(r"#.*", "", text), "an input is still open"
    return text


def test_hubei_no_three_public_no_fund_and_flat(folder, hubei):
    text = hubei_report(folder, 上年收支总计="300.00", 上年收入合计="300.00", 上年支出合计="300.00",
                        上年财政拨款收支总计="300.00", 上年一般公共预算财政拨款收入="300.00",
                        上年一般公共预算财政拨款支出="300.00")
    published_text = assert_publishable(compile_text_at(folder, text))
    assert "收、支总计持平" in published_text
    assert "说明：本部门当年无政府性基金预算财政拨款收入支出，故本表为空表。" in published_text  # the sample's wording
    assert "说明：本部门当年“三公”经费财政拨款预算数与决算数均为0，故本表为空表。" in published_text


def test_hubei_zero_prior_year_and_zero_budget(folder, hubei):
    gpb = HUBEI_GPB.replace("(200.00, 210.00", "(0, 210.00")
    text = hubei_report(folder, GPB=gpb, 上年收支总计="0", 上年收入合计="0", 上年支出合计="0",
                        上年财政拨款收支总计="0", 上年一般公共预算财政拨款收入="0", 上年一般公共预算财政拨款支出="0")
    published_text = assert_publishable(compile_text_at(folder, text))
    assert "收、支总计各增加 300.00 万元。" in published_text  # no rate over a zero prior year
    assert "年初预算为 0.00 万元，支出决算为 210.00 万元，支出决算数大于年初预算数的主要原因是新增人员。" in published_text
    assert not re.search(r"增长\s*100(\.0+)?%", published_text)


# ---- the published Putuo report on the Shanghai layout ----------------------------------------------


def test_putuo_compiles_with_the_published_inconsistencies_as_its_only_warnings():
    report = Path(__file__).parent.parent / "reports" / "putuo_social_work_2024.rpt"
    result = compile_file(str(report))
    assert not result.has_errors, [d.message for d in result.diagnostics]
    assert sorted(d.code for d in result.diagnostics) == ["RD201"] * 5 + ["RD302"] * 5 + ["RD303"] * 2
    one_cent = [d for d in result.diagnostics if "10.22" in d.message]  # 302's rows against its printed 10.23
    assert len(one_cent) == 3  # 表六 302, 公用经费 (表六, 六), 机关运行经费
    text = published(result)
    assert "公用经费 10.22 万元" in text
    assert "【?】" not in text and "增长 100.00%" not in text and "完成年初预算" not in text
    assert "比上年度增加 307.82 万元。变动的主要原因是" in text and "住房保障支出（类）29.42 万元，占 9.56%" in text
