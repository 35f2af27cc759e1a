"""`flask certify standard validate | import | publish | retire | diff | list`."""

from __future__ import annotations

from certify.standards.format import LIBRARY
from tests.standards.test_format import MINIMAL


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_validate_a_good_file(runner):
    result = runner.invoke(args=["certify", "standard", "validate", str(LIBRARY / "cmq-1.0.yaml")])
    assert result.exit_code == 0 and "valid" in result.output


def test_validate_prints_each_problem_with_its_line_and_fails(runner, tmp_path):
    bad = MINIMAL.replace("visible_if: \"one_kind == 'x'\"", "visible_if: \"ghost == 'x'\"")
    bad = bad.replace("weight: 60", "weight: 61")
    result = runner.invoke(args=["certify", "standard", "validate", write(tmp_path, "bad.yaml", bad)])
    assert result.exit_code == 1
    assert "bad.yaml:" in result.output and "ghost" in result.output


def test_import_publish_and_refuse_a_changed_published_file(runner, tmp_path):
    path = write(tmp_path, "demo.yaml", MINIMAL)
    assert "demo 1.0: draft" in runner.invoke(args=["certify", "standard", "import", path]).output
    assert runner.invoke(args=["certify", "standard", "publish", "demo", "1.0"]).exit_code == 0
    changed = write(tmp_path, "demo2.yaml", MINIMAL.replace('en: "Demo"', 'en: "Changed"'))
    refused = runner.invoke(args=["certify", "standard", "import", changed])
    assert refused.exit_code == 1 and "не может меняться" in refused.output


def test_import_of_a_broken_file_exits_1_and_stores_nothing(runner, tmp_path):
    result = runner.invoke(args=["certify", "standard", "import", write(tmp_path, "x.yaml", "code: [")])
    assert result.exit_code == 1
    assert "no version" in runner.invoke(args=["certify", "standard", "publish", "x", "1"]).output


def test_diff_between_a_stored_version_and_a_file(runner, tmp_path):
    runner.invoke(args=["certify", "standard", "import", write(tmp_path, "demo.yaml", MINIMAL)])
    newer = write(
        tmp_path,
        "demo-1.1.yaml",
        MINIMAL.replace("weight: 60", "weight: 50").replace("weight: 40", "weight: 50"),
    )
    result = runner.invoke(args=["certify", "standard", "diff", "demo/1.0", newer])
    assert result.exit_code == 0
    assert "60 -> 50" in result.output


def test_install_and_list(runner):
    # 1.0 to 1.2 are superseded by 1.3 and, with no application open on them, retire as 1.3 is published
    output = runner.invoke(args=["certify", "standard", "install"]).output
    assert "cmq 1.0: retired" in output and "cmq 1.1: retired" in output and "cmq 1.2: retired" in output
    assert "cmq 1.3: published" in output
    assert "cmq" in runner.invoke(args=["certify", "standard", "list"]).output


def test_deeply_nested_yaml_is_refused_by_validate_with_its_line(runner, tmp_path):
    deep = write(tmp_path, "deep.yaml", MINIMAL + "deep: " + "[" * 5000 + "]" * 5000 + "\n")
    result = runner.invoke(args=["certify", "standard", "validate", deep])
    assert result.exit_code == 1
    assert (
        f"deep.yaml:{MINIMAL.count(chr(10)) + 1}: lists and mappings are nested more than 32" in result.output
    )
