"""The content loader and `carefully validate`: what a course author sees."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from carefully import content
from carefully.cli import main

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
COURSE_TEXT = (ASSETS / "course.yaml").read_text(encoding="utf-8")


def broken_assets(tmp_path: Path, *edits: tuple[str, str], append: str = "") -> Path:
    """A copy of assets/ whose course.yaml has each (old, new) text edit applied once."""
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS, folder)
    text = COURSE_TEXT
    for old, new in edits:
        assert text.count(old) == 1, f"fixture text not found exactly once: {old!r}"
        text = text.replace(old, new)
    (folder / "course.yaml").write_text(text + append, encoding="utf-8")
    return folder


def line_of(folder: Path, needle: str) -> int:
    """The 1-based line of the only line in the copy's course.yaml containing ``needle``."""
    lines = (folder / "course.yaml").read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found}"
    return found[0]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "carefully", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def only(problems: list[content.Problem], field: str) -> content.Problem:
    matching = [problem for problem in problems if problem.field == field]
    assert len(matching) == 1, f"{field}: {[str(p) for p in problems]}"
    return matching[0]


# --- the real course ------------------------------------------------------


def test_real_assets_are_valid_and_load_into_the_course() -> None:
    assert content.validate(ASSETS) == []
    course = content.course(ASSETS)
    assert course.title == "Make Friends With Social Media, Carefully"
    assert [module.number for module in course.modules] == [0, 1, 2, 3, 4, 5, 6]
    assert course.module(2).page == "02_facebook.ipynb"
    assert course.total_minutes == course.estimated_minutes == 120
    assert course.max_credits == 2.0 and course.pass_mark == 80
    assert course.provider in course.credit_statement
    assert 4 <= len(course.objectives) <= 6


def test_course_is_read_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAREFULLY_ASSETS", raising=False)
    first = content.course()
    assert content.course() is first
    assert content.course(ASSETS) is first


def test_cli_says_the_real_assets_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--assets", str(ASSETS)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Course content is valid: ")
    checked = len(content.content_files(ASSETS))
    assert checked > 1 and str(ASSETS) in out and f"{checked} files checked" in out


# --- broken copies ----------------------------------------------------------


def test_yaml_syntax_error_names_file_and_line_without_traceback(tmp_path: Path) -> None:
    folder = broken_assets(tmp_path, ("\npass_mark: 80\n", "\n  pass_mark: 80\n"))
    line = line_of(folder, "  pass_mark: 80")
    result = run_cli("validate", "--assets", str(folder))
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert f"assets/course.yaml:{line}: (file): expected well-formed YAML" in output
    assert "1 problem found in" in output
    assert "Traceback" not in output


def test_wrong_type_is_reported_at_its_line(tmp_path: Path) -> None:
    folder = broken_assets(tmp_path, ("estimated_minutes: 120", "estimated_minutes: twenty"))
    problem = only(content.validate(folder), "estimated_minutes")
    assert problem.file == "assets/course.yaml"
    assert problem.line == line_of(folder, "estimated_minutes: twenty")
    assert "whole number of minutes" in problem.expected and "(got 'twenty')" in problem.expected
    assert str(problem) == f"assets/course.yaml:{problem.line}: estimated_minutes: expected " \
        + problem.expected


def test_missing_required_field_is_reported(tmp_path: Path) -> None:
    module_2 = "    minutes: 25\n    summary: >-\n      Set up"
    folder = broken_assets(tmp_path, (module_2, module_2.replace("    minutes: 25\n", "")))
    problem = only(content.validate(folder), "modules[2].minutes")
    assert problem.line == line_of(folder, "number: 2")
    assert "required" in problem.expected


def test_unknown_field_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    folder = broken_assets(tmp_path, ("\ntitle: Make", "\ntitel: Make"))
    problems = content.validate(folder)
    typo = only(problems, "titel")
    assert typo.line == line_of(folder, "titel: Make")
    assert "no field 'titel'" in typo.expected and "did you mean 'title'" in typo.expected
    assert "required" in only(problems, "title").expected


def test_bad_page_name_is_reported(tmp_path: Path) -> None:
    folder = broken_assets(tmp_path, ("page: 02_facebook.ipynb", "page: Facebook"))
    problem = only(content.validate(folder), "modules[2].page")
    assert problem.line == line_of(folder, "page: Facebook")
    assert problem.expected.startswith("a page file name like 02_facebook.ipynb")
    assert problem.expected.endswith("(got 'Facebook')")


def test_duplicate_module_numbers_are_reported(tmp_path: Path) -> None:
    folder = broken_assets(tmp_path, ("  - number: 3\n", "  - number: 2\n"))
    problem = only(content.validate(folder), "modules[3].number")
    lines = [n for n, text in enumerate((folder / "course.yaml").read_text().splitlines(), 1)
             if text == "  - number: 2"]
    assert problem.line == lines[1]
    assert f"also on line {lines[0]}" in problem.expected


def test_max_credits_above_what_the_minutes_allow(tmp_path: Path) -> None:
    folder = broken_assets(tmp_path, ("max_credits: 2.0", "max_credits: 2.5"))
    problem = only(content.validate(folder), "max_credits")
    assert problem.line == line_of(folder, "max_credits: 2.5")
    assert "at most 2.0 credits for 120 minutes" in problem.expected


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    folder = broken_assets(
        tmp_path,
        ("estimated_minutes: 120", "estimated_minutes: twenty"),
        ("\ntitle: Make", "\ntitel: Make"),
        ("page: 02_facebook.ipynb", "page: Facebook"),
        ("  - number: 3\n", "  - number: 2\n"),
        ("pass_mark: 80", "pass_mark: 101"),
    )
    fields = {problem.field for problem in content.validate(folder)}
    assert {"estimated_minutes", "titel", "title", "modules[2].page", "modules[3].number",
            "pass_mark"} <= fields
    result = run_cli("validate", "--assets", str(folder))
    assert result.returncode == 1
    assert f"{len(content.validate(folder))} problems found in {folder}." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_broken_content_raises_content_error_listing_problems(tmp_path: Path) -> None:
    folder = broken_assets(tmp_path, ("estimated_minutes: 120", "estimated_minutes: twenty"),
                           ("page: 02_facebook.ipynb", "page: Facebook"))
    with pytest.raises(content.ContentError) as raised:
        content.course(folder)
    assert raised.value.problems == tuple(content.validate(folder))
    assert str(raised.value).splitlines() == [str(p) for p in raised.value.problems]
    assert len(raised.value.problems) == 2


def test_missing_folder_or_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    missing = content.validate(tmp_path / "nowhere")
    assert [problem.field for problem in missing] == ["(folder)"]
    (tmp_path / "empty").mkdir()
    problems = content.validate(tmp_path / "empty")
    files = {problem.file for problem in problems}
    assert {"empty/course.yaml", "empty/guidance.yaml", "empty/forms.yaml"} <= files
    for problem in problems:  # each required file is named; none raised
        assert (problem.line, problem.field) == (None, "(file)")
        assert "not found" in problem.expected


def test_a_page_validates_only_content_that_changed(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS, folder)
    var = tmp_path / "var"
    probe = ("import sys; from carefully import content; content.load(sys.argv[1]); "
             "print('validated' if 'jsonschema' in sys.modules else 'trusted')")
    env = {**os.environ, "CAREFULLY_VAR": str(var), "PYTHONPATH": str(ROOT)}

    def page_kernel() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", probe, str(folder)], env=env,
                              capture_output=True, text=True, timeout=120, check=False)

    assert page_kernel().stdout.strip() == "validated"  # the first page validates
    assert page_kernel().stdout.strip() == "trusted"  # the same files: no second validation
    course_file = folder / "course.yaml"
    course_file.write_text(course_file.read_text().replace("pass_mark: 80", "pass_mark: 180"))
    broken = page_kernel()  # a changed file is validated afresh, and refused
    assert broken.returncode != 0 and "pass_mark" in broken.stderr
