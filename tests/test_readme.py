"""The README's example report compiles and says what the README shows; docs/security.md names real tests."""

from pathlib import Path

from reportdsl.compiler import compile_text

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_example_compiles():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## The language")[1].split("```")[1].lstrip("\n")
    result = compile_text(example, "README.rpt")
    assert not result.diagnostics
    assert result.document.paragraphs() == [
        "2023 年度收、支总计均为 376.72 万元。与 2022 年度相比，收、支总计各减少 70.48 万元，下降 15.8%。"]


def test_the_readme_lists_every_error_code():
    from reportdsl.diagnostics import CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"| {code} | {meaning} |" in readme for code, meaning in CODES.items())


def test_every_test_docs_security_names_exists():
    """Each promise of docs/security.md names the test that holds it: the name must be a real test
    (a name cut short with … is a prefix)."""
    import re

    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    defined = set(re.findall(r"^def (test_\w+)", "\n".join(p.read_text(encoding="utf-8")
                                                            for p in (ROOT / "tests").glob("test_*.py")), re.M))
    named = re.findall(r"::(test_\w+)(…)?", text)
    assert len(named) > 30
    for name, cut in named:
        assert (any(d.startswith(name) for d in defined) if cut else name in defined), name
    for file in set(re.findall(r"\b(test_\w+\.py)\b", text)):
        assert (ROOT / "tests" / file).is_file(), file
