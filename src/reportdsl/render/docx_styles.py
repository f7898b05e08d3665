"""The named paragraph styles the Word backend uses; the default template defines them all and a
user's template must too (docs/templates.md)."""

from __future__ import annotations

from typing import NamedTuple, Optional


class StyleSpec(NamedTuple):
    name: str
    latin: str
    east_asian: str
    size: float  # points: 三号 = 16, 小三 = 15, 四号 = 14, 小四 = 12, 五号 = 10.5, 二号 = 22
    bold: bool = False
    align: str = "left"
    indent: bool = False
    space_before: float = 0
    space_after: float = 0
    line: Optional[float] = 28  # exact line height in points, the usual 28 磅 of these documents
    keep_with_next: bool = False
    outline: Optional[int] = None
    fallback: Optional[str] = None  # a style a user's template may lack: this one is used instead


STYLES = (
    StyleSpec("封面标题", "Times New Roman", "方正小标宋简体", 36, bold=True, align="center", space_before=180,
              line=None, fallback="报告标题"),
    StyleSpec("目录标题", "Times New Roman", "黑体", 16, align="center", space_after=12, line=None, fallback="部分标题"),
    # the 目录 is set as the published ones are, in 小三 at the body's line height
    StyleSpec("toc 1", "Times New Roman", "黑体", 15, line=28, fallback="正文"),
    StyleSpec("toc 2", "Times New Roman", "仿宋_GB2312", 15, line=28, fallback="正文"),
    StyleSpec("报告标题", "Times New Roman", "方正小标宋简体", 22, align="center", space_after=12, line=None),
    StyleSpec("部分标题", "Times New Roman", "黑体", 16, align="center", space_before=12, space_after=6,
              keep_with_next=True, outline=0),
    StyleSpec("一级标题", "Times New Roman", "黑体", 16, indent=True, keep_with_next=True, outline=1),
    StyleSpec("二级标题", "Times New Roman", "楷体_GB2312", 16, indent=True, keep_with_next=True, outline=2),
    StyleSpec("三级标题", "Times New Roman", "仿宋_GB2312", 16, bold=True, indent=True, keep_with_next=True, outline=3),
    StyleSpec("正文", "Times New Roman", "仿宋_GB2312", 16, indent=True),
    StyleSpec("表格标题", "Times New Roman", "黑体", 14, align="center", space_before=6, space_after=6,
              keep_with_next=True, line=None),
    StyleSpec("表格单位", "Times New Roman", "仿宋_GB2312", 10.5, align="right", keep_with_next=True, line=None),
    StyleSpec("表格文字", "Times New Roman", "仿宋_GB2312", 10.5, line=14),
    StyleSpec("表格数字", "Times New Roman", "仿宋_GB2312", 10.5, align="right", line=14),
    StyleSpec("表格表头", "Times New Roman", "黑体", 10.5, align="center", line=14),
    StyleSpec("表注", "Times New Roman", "仿宋_GB2312", 10.5, space_after=6, line=None),
    StyleSpec("图", "Times New Roman", "仿宋_GB2312", 10.5, align="center", keep_with_next=True, line=None),
    StyleSpec("图题", "Times New Roman", "黑体", 12, align="center", space_after=6, line=None),
    StyleSpec("页码", "Times New Roman", "宋体", 10.5, align="center", line=None),
)

# A layout whose province sets its documents otherwise ships a template of its own, templates/<layout>.docx,
# built (scripts/build_template.py) from STYLES with these changes. shanghai-2024, as measured on the
# published Putuo PDF: 15 pt text on a 31.2 pt pitch; parts in 黑体, sections and their subsections in
# 楷体_GB2312, bold (the 目录's entries too, not bold); the cover's lines 62 pt apart, the first 277 pt
# down; tables, their titles and notes in 宋体 五号, the title not bold.
LOOKS: dict[str, dict[str, dict]] = {
    "shanghai-2024": {
        "toc 1": {"line": 31.2},
        "toc 2": {"east_asian": "楷体_GB2312", "line": 31.2},
        "部分标题": {"size": 15, "line": 31.2, "space_before": 0, "space_after": 31.2},
        "目录标题": {"bold": True},
        "一级标题": {"east_asian": "楷体_GB2312", "size": 15, "line": 31.2, "bold": True},
        "二级标题": {"size": 15, "line": 31.2, "bold": True},
        "三级标题": {"size": 15, "line": 31.2},
        "正文": {"size": 15, "line": 31.2},
        "封面标题": {"line": 62, "space_before": 158},
        "表格标题": {"east_asian": "宋体", "size": 10.5, "space_before": 0, "space_after": 3},
        "表格单位": {"east_asian": "宋体"},
        "表格文字": {"east_asian": "宋体"},
        "表格数字": {"east_asian": "宋体"},
        "表格表头": {"east_asian": "宋体"},
        "表注": {"east_asian": "宋体"},
    },
}


def styles_for(look: str = "") -> tuple[StyleSpec, ...]:
    """The styles of a layout's template: STYLES with the layout's changes (LOOKS), if any."""
    changes = LOOKS.get(look, {})
    return tuple(spec._replace(**changes.get(spec.name, {})) for spec in STYLES)


HEADING_STYLES = {1: "部分标题", 2: "一级标题", 3: "二级标题"}
DEEP_HEADING_STYLE = "三级标题"


def heading_style(level: int) -> str:
    return HEADING_STYLES.get(level, DEEP_HEADING_STYLE)
