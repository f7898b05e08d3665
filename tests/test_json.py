"""`--to json`: the evaluated model validates against docs/model.schema.json and is stable."""

import json
from pathlib import Path

import jsonschema

from reportdsl.compiler import compile_file
from reportdsl.render.json import render_json
from helpers import compile_snippet

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "model.schema.json").read_text(encoding="utf-8"))


def export(result, path="t.rpt") -> dict:
    return json.loads(render_json(result.document, path, result.diagnostics))


def test_sample_report_validates_against_the_schema():
    result = compile_file(str(ROOT / "reports" / "hongshan_2023.rpt"))
    data = export(result)
    jsonschema.validate(data, SCHEMA)
    names = {(f["name"], f["period"]) for f in data["figures"]}
    assert ("收支总计", None) in names or any(f["kind"] == "item" for f in data["figures"])


def test_figures_are_exact_decimal_strings_with_their_display():
    result = compile_snippet('fact t = 376.72\nfact t@上年 = 447.20\nlet r = change(t, t@上年) as %.1\nfact n = ? 辆')
    data = export(result)
    jsonschema.validate(data, SCHEMA)
    by_name = {(f["name"], f["period"]): f for f in data["figures"]}
    assert by_name[("t", "上年")]["value"] == "447.20"
    rate = by_name[("r", None)]
    assert rate["value"].startswith("-0.157602862254025") and rate["shown"] == "-15.8%" and rate["format"] == "%.1"
    assert by_name[("n", None)]["gap"] == "unfilled" and by_name[("n", None)]["value"] is None


def test_export_is_byte_stable():
    first = render_json(compile_file(str(ROOT / "reports" / "hongshan_2023.rpt")).document, "r", ())
    second = render_json(compile_file(str(ROOT / "reports" / "hongshan_2023.rpt")).document, "r", ())
    assert first == second


def test_schema_rejects_a_float_amount():
    result = compile_snippet('fact a = 1\npart "p" { chart bar c "图" { "a": a } }')
    data = export(result)
    data["document"][1]["points"][0]["value"] = 1.0
    try:
        jsonschema.validate(data, SCHEMA)
    except jsonschema.ValidationError:
        return
    raise AssertionError("a float amount passed the schema")
