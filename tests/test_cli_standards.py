"""`cp-audit rules`, `explain`, `standards check|test`, `schema` and `init`, through click."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_helpers import invoke
from click.testing import Result

REPO = Path(__file__).parents[1]
DEFAULT = REPO / "standards" / "default.yaml"
DEFAULT_TEXT = DEFAULT.read_text(encoding="utf-8")
SPEC: dict[str, Any] = yaml.safe_load(DEFAULT_TEXT)
RULES: dict[str, dict[str, Any]] = {rule["id"]: rule for rule in SPEC["rules"]}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rule_block(text: str, rule_id: str) -> tuple[int, int]:
    """Where the rule's entry starts and ends in the standards text."""
    start = text.index(f"  - id: {rule_id}\n")
    following = text.find("\n  - id: ", start + 1)
    return start, len(text) if following < 0 else following


def with_rule_edited(rule_id: str, old: str, new: str) -> str:
    """The default standards' text with `old` replaced by `new` once, inside one rule."""
    start, end = rule_block(DEFAULT_TEXT, rule_id)
    block = DEFAULT_TEXT[start:end]
    assert old in block
    return DEFAULT_TEXT[:start] + block.replace(old, new, 1) + DEFAULT_TEXT[end:]


# --------------------------------------------------------------------------- rules / explain


def test_rules_lists_the_29_rules_in_the_standards_order() -> None:
    result = invoke("rules")
    assert result.exit_code == 0
    header, *rows = result.stdout.splitlines()
    assert header.split()[:5] == ["id", "theme", "kind", "weight", "title"]
    assert len(rows) == 29
    assert [row.split()[0] for row in rows] == list(RULES)
    for row in rows:
        rule_id, theme, kind, weight, *title = row.split()
        rule = RULES[rule_id]
        assert (theme, kind) == (rule["theme"], rule["kind"])
        assert float(weight) == rule.get("weight", 1)
        assert " ".join(title) == rule["title"]


def test_rules_of_another_standards_file(here: Path) -> None:
    Path("ours.yaml").write_text(DEFAULT_TEXT.replace(
        "title: A health professional at core groups\n",
        "title: Health at every core group\n", 1), encoding="utf-8")
    result = invoke("rules", "--standards", "ours.yaml")
    assert result.exit_code == 0
    assert "Health at every core group" in result.stdout


@pytest.mark.parametrize("rule_id", ["health-at-core-groups", "smart-actions", "tools-for-needs"])
def test_explain_shows_the_rules_options_and_examples(rule_id: str) -> None:
    result = invoke("explain", rule_id)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    rule = RULES[rule_id]
    assert lines[0] == f"{rule_id}: {rule['title']}"
    assert f"check type: {rule['check']}" in lines
    options = lines[lines.index("options:") + 1:]
    for name, value in rule["options"].items():
        shown = next(line for line in options if line.startswith(f"  {name}: "))
        assert json.loads(shown.split(": ", 1)[1]) == value
    for example in rule["examples"]:
        assert any(example["name"] in line and example["outcome"] in line for line in lines)


def test_explain_says_what_parts_a_rule_reads_and_which_one_example_proves() -> None:
    health = invoke("explain", "health-at-core-groups").stdout.splitlines()
    assert "reads:   core_groups, participants" in health
    assert not any("proved by one example" in line for line in health)
    report = invoke("explain", "gp-report-to-conference").stdout.splitlines()
    assert "reads:   conferences, participants" in report
    assert "         (proved by one example: met wherever the records show it)" in report


def test_explain_an_unknown_rule_exits_2() -> None:
    result = invoke("explain", "x")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == 'no such rule: "x"\n'
    near = invoke("explain", "smart-action")
    assert near.exit_code == 2
    assert near.stderr == 'no such rule: "smart-action" (did you mean "smart-actions"?)\n'


# --------------------------------------------------------------------------- standards check


def test_standards_check_the_default_is_valid() -> None:
    result = invoke("standards", "check", str(DEFAULT))
    assert result.exit_code == 0
    assert result.stdout == f"{DEFAULT}: valid: 29 rules, {len(SPEC['themes'])} themes\n"


def check_edited(old: str, new: str) -> Result:
    """`standards check` on the default standards with one line of health-at-core-groups edited."""
    Path("ours.yaml").write_text(with_rule_edited("health-at-core-groups", old, new),
                                 encoding="utf-8")
    result = invoke("standards", "check", "ours.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("ours.yaml: ")
    assert 'rule "health-at-core-groups"' in result.stderr
    return result


def test_standards_check_an_unknown_option_names_rule_and_option(here: Path) -> None:
    result = check_edited("      min_agencies: 1\n", "      min_agency: 2\n")
    assert len(result.stderr.splitlines()) == 1
    assert 'unknown option "min_agency" (did you mean "min_agencies"?)' in result.stderr


def test_standards_check_a_bad_value_names_rule_and_option(here: Path) -> None:
    assert "min_share" in check_edited("      min_share: 1.0\n", "      min_share: lots\n").stderr


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: Ours\n", "version"),
        ("rules: [\n", "YAML syntax error"),
        ("- just a list\n", ""),
    ],
)
def test_standards_check_what_is_not_a_standards_file(here: Path, text: str, problem: str
                                                      ) -> None:
    Path("ours.yaml").write_text(text, encoding="utf-8")
    result = invoke("standards", "check", "ours.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("ours.yaml: ")
    assert problem in result.stderr
    assert "Traceback" not in result.output


def test_standards_check_several_files_each_checked(here: Path) -> None:
    Path("bad.yaml").write_text("name: Ours\n", encoding="utf-8")
    result = invoke("standards", "check", str(DEFAULT), "bad.yaml", "missing.yaml")
    assert result.exit_code == 2
    assert result.stdout == f"{DEFAULT}: valid: 29 rules, {len(SPEC['themes'])} themes\n"
    assert "bad.yaml: " in result.stderr
    assert "missing.yaml: " in result.stderr


# --------------------------------------------------------------------------- standards test


def test_standards_test_the_default_passes() -> None:
    examples = sum(len(rule.get("examples", [])) for rule in SPEC["rules"])
    result = invoke("standards", "test", str(DEFAULT))
    assert result.exit_code == 0
    assert result.stdout == f"{examples} passed, 0 failed\n"
    verbose = invoke("standards", "test", "-v", str(DEFAULT))
    assert verbose.stdout.count("\nok    rule ") + verbose.stdout.startswith("ok ") == examples


def test_standards_test_a_wrong_outcome_fails_naming_rule_and_example(here: Path) -> None:
    example = RULES["smart-actions"]["examples"][0]
    assert example["outcome"] == "met"
    start, _ = rule_block(DEFAULT_TEXT, "smart-actions")
    at = DEFAULT_TEXT.index("        outcome: met\n", start)
    Path("ours.yaml").write_text(
        DEFAULT_TEXT[:at] + "        outcome: not_applicable\n"
        + DEFAULT_TEXT[at + len("        outcome: met\n"):],
        encoding="utf-8",
    )
    examples = sum(len(rule.get("examples", [])) for rule in SPEC["rules"])
    result = invoke("standards", "test", "ours.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (f'FAIL  rule "smart-actions" example "{example["name"]}": '
                        "expected not_applicable, gave met")
    assert lines[-1] == f"{examples - 1} passed, 1 failed"
    assert "hint:" not in result.stdout  # the rule's options are the default ones


HINT = ('      hint: option "max_working_days" is 20 here, 10 in the default standards this '
        "example was written for")


def test_standards_test_a_changed_timescale_hints_at_the_option(here: Path) -> None:
    Path("ours.yaml").write_text(
        with_rule_edited("first-core-group-timely", "max_working_days: 10",
                         "max_working_days: 20"), encoding="utf-8")
    examples = sum(len(rule.get("examples", [])) for rule in SPEC["rules"])
    result = invoke("standards", "test", "ours.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        'FAIL  rule "first-core-group-timely" example "first core group 12 working days after '
        "the plan's start\": expected not_met, gave met",
        HINT,
        "        core group 2022-01-26 was 12 working days after the plan's start 2022-01-10 "
        "(limit 20, deadline 2022-02-07)",
        'FAIL  rule "first-core-group-timely" example "no core group by the deadline over '
        'Christmas 2021": expected not_met, gave not_applicable',
        HINT,
        "        core group after the plan's start 2021-12-17 not yet due (deadline 2022-01-19 "
        "is after the as-of date 2022-01-05)",
        f"{examples - 2} passed, 2 failed",
    ]
    # the examples that still pass show no hint, even listed
    verbose = invoke("standards", "test", "-v", "ours.yaml")
    assert verbose.stdout.count("hint:") == 2
    assert verbose.stdout.count("\nok    rule ") + verbose.stdout.startswith("ok ") == (
        examples - 2)


def test_option_hints_only_for_an_example_written_for_the_defaults(here: Path) -> None:
    from cp_audit.standards.examples import option_hints
    from cp_audit.standards.spec import load

    defaults = load(DEFAULT)
    edited = with_rule_edited("health-at-core-groups", "min_share: 1.0", "min_share: 0.5")
    start, end = rule_block(edited, "health-at-core-groups")
    block = edited[start:end].replace('roles: ["@health"]', "roles: [gp, school_nurse]", 1)
    Path("ours.yaml").write_text(edited[:start] + block + edited[end:], encoding="utf-8")
    ours = load("ours.yaml").rule("health-at-core-groups")
    name = RULES["health-at-core-groups"]["examples"][0]["name"]
    assert option_hints(ours, name, defaults) == [
        'option "roles" is [gp, school_nurse] here, [@health] in the default standards this '
        "example was written for",
        'option "min_share" is 0.5 here, 1.0 in the default standards this example was '
        "written for",
    ]
    assert option_hints(ours, name) == option_hints(ours, name, defaults)  # the packaged ones
    assert option_hints(ours, "an example of our own", defaults) == []
    assert option_hints(defaults.rule("health-at-core-groups"), name, defaults) == []
    # a rule the defaults do not have
    start, end = rule_block(DEFAULT_TEXT, "health-at-core-groups")
    Path("without.yaml").write_text(DEFAULT_TEXT[:start] + DEFAULT_TEXT[end + 1:],
                                    encoding="utf-8")
    assert option_hints(ours, name, load("without.yaml")) == []
    # a rule of another check type under a default rule's id (two ids swapped)
    swapped = (DEFAULT_TEXT.replace("id: child-seen-alone\n", "id: swap\n", 1)
               .replace("id: health-at-core-groups\n", "id: child-seen-alone\n", 1)
               .replace("id: swap\n", "id: health-at-core-groups\n", 1))
    Path("swapped.yaml").write_text(swapped, encoding="utf-8")
    other = load("swapped.yaml").rule("health-at-core-groups")
    assert other.spec.check == "seen-alone"
    for example in [name, *(e.name for e in other.spec.examples)]:
        assert option_hints(other, example, defaults) == []


def test_standards_test_an_invalid_file_exits_2(here: Path) -> None:
    Path("ours.yaml").write_text("name: Ours\n", encoding="utf-8")
    result = invoke("standards", "test", "ours.yaml")
    assert result.exit_code == 2
    assert "passed" not in result.stdout


# --------------------------------------------------------------------------- schema


@pytest.mark.parametrize("which", ["standards", "case", "meeting"])
def test_schema_prints_json(which: str) -> None:
    result = invoke("schema", which)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert isinstance(schema, dict)
    assert schema["type"] == "object"
    assert schema["properties"]


def test_the_meeting_schema_is_what_init_writes_beside_its_meeting_yaml(here: Path) -> None:
    schema = json.loads(invoke("schema", "meeting").stdout)
    assert {"moderation", "findings", "actions"} <= set(schema["properties"])
    assert invoke("init", "audit").exit_code == 0
    first = Path("audit", "meeting.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schemas/meeting.schema.json"
    written = json.loads(Path("audit", "schemas", "meeting.schema.json").read_text("utf-8"))
    assert written == schema


def test_the_standards_schema_describes_the_default_standards_top_level() -> None:
    schema = json.loads(invoke("schema", "standards").stdout)
    assert set(SPEC) <= set(schema["properties"])


# --------------------------------------------------------------------------- init


def test_init_creates_an_audit_folder_and_refuses_to_overwrite(here: Path) -> None:
    result = invoke("init", "audit", "--name", "Emotional abuse audit")
    assert result.exit_code == 0
    created = [line.removeprefix("created ") for line in result.stdout.splitlines()
               if line.startswith("created ")]
    assert {Path(p).name for p in created} >= {"cp-audit.yaml", "standards.yaml", "README.md",
                                                "example-case.yaml"}
    config = yaml.safe_load(Path("audit/cp-audit.yaml").read_text(encoding="utf-8"))
    assert config["name"] == "Emotional abuse audit"
    assert config["cases"] == ["cases"]
    assert invoke("standards", "check", "audit/standards.yaml").exit_code == 0
    # cases/ is made empty; the example is outside it, valid, with its own as-of date
    assert "audit/cases/" in created
    assert list(Path("audit/cases").iterdir()) == []
    assert "audit/examples/example-case.yaml" in created
    assert invoke("validate", "audit/examples").stdout == (
        "2 files found: 1 read, 1 skipped; 1 case loaded, 0 rejected\n")
    example = yaml.safe_load(Path("audit/examples/cp-audit.yaml").read_text(encoding="utf-8"))
    assert (str(example["as_of"]), example["cases"], example["outputs"]) == (
        "2022-04-08", ["."], [])
    readme = Path("audit/README.md").read_text(encoding="utf-8")
    assert "cp-audit check examples" in readme and "unless you move it into `cases/`" in readme
    assert "cp-audit check examples" in Path("audit/examples/example-case.yaml").read_text(
        encoding="utf-8")
    assert result.stdout.splitlines()[-1] == (
        "an example case, kept out of the audit: cp-audit check audit/examples")

    Path("audit/cp-audit.yaml").write_text("name: edited by the audit lead\n", encoding="utf-8")
    again = invoke("init", "audit")
    assert again.exit_code == 2
    assert re.search(r"cp-audit\.yaml already exists", again.stderr)
    assert Path("audit/cp-audit.yaml").read_text(encoding="utf-8") == (
        "name: edited by the audit lead\n")


def test_init_refuses_a_folder_holding_any_of_its_files(here: Path) -> None:
    Path("audit").mkdir()
    Path("audit/README.md").write_text("ours\n", encoding="utf-8")
    result = invoke("init", "audit")
    assert result.exit_code == 2
    assert "README.md already exists" in result.stderr
    assert sorted(p.name for p in Path("audit").iterdir()) == ["README.md"]


FIVE_ERRORS = """\
name: five errors
version: "1"
colour: blue
grades:
  - {grade: good, min_score: 170}
themes:
  voice: {title: V, what_we_found: x, what_needs_to_happen: y}
rules:
  - id: r1
    theme: voyce
    kind: worry
    title: T
    check: seen-alone
  - id: r2
    theme: voice
    kind: worry
    title: T2
    check: seen_alon
  - id: r3
    theme: voice
    kind: worry
    title: T3
    check: seen-alone
    options: {min_shar: 0.5}
"""


def test_standards_check_reports_every_error_of_a_file_in_one_run(here: Path) -> None:
    Path("five.yaml").write_text(FIVE_ERRORS, encoding="utf-8")
    result = invoke("standards", "check", "five.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        'five.yaml: line 3, column 1: unknown field "colour"',
        "five.yaml: line 5, column 19: grades[0].min_score: must be at most 100.0",
        'five.yaml: line 10, column 5: rule "r1": unknown theme "voyce" (themes are: voice)',
        'five.yaml: line 18, column 5: rule "r2": unknown check type "seen_alon" '
        '(did you mean "seen-alone"?)',
        'five.yaml: line 24, column 15: rule "r3": unknown option "min_shar" '
        '(did you mean "min_share"?)',
    ]


def test_a_rules_theme_goes_unchecked_when_the_themes_are_invalid(here: Path) -> None:
    text = FIVE_ERRORS.replace("  voice: {title: V,", "  voice: {titel: V,")
    Path("five.yaml").write_text(text, encoding="utf-8")
    result = invoke("standards", "check", "five.yaml")
    assert result.exit_code == 2
    assert "unknown theme" not in result.stderr  # the themes' own error says what is wrong
    assert 'themes.voice: unknown field "titel"' in result.stderr
    assert 'unknown check type "seen_alon"' in result.stderr
    assert 'unknown option "min_shar"' in result.stderr
