"""`cp-audit check` through click: exit codes, rule selection, names, outputs, the audit folder.

Small synthetic cases are written to `tmp_path`; `samples/` gives a run with
worries. One test runs a real process in the repository, as a user would.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import html5lib  # type: ignore[import-untyped]
import pytest
import yaml
from click.testing import CliRunner, Result
from junitparser import JUnitXml

from cp_audit import __version__
from cp_audit.cli import cli

REPO = Path(__file__).parents[1]
SAMPLES = REPO / "samples"
DEFAULT_STANDARDS = REPO / "standards" / "default.yaml"
AS_OF = "2022-09-30"
FORMATS = ("text", "markdown", "html", "json", "csv", "junit")
SECTIONS = (
    "What are we worried about?",
    "What good practice did we see?",
    "Themes for learning",
    "Cases",
    "Data problems",
)

# A case no rule applies to: no worry, exit 0.
QUIET = '{"case_id": "%s", "child": {"age_years": 7}}'
# A record with a misspelt field: rejected.
MISSPELT = '{"case_id": "BAD-01", "child": {"age_years": 7}, "atendees": []}'

CHILD_NAME = "Zebedee Quartermain"
MOTHER_NAME = "Philippa Quartermain"
FATHER_NAME = "Ignatius Brockwell"
NAME_WORDS = ("Zebedee", "Quartermain", "Philippa", "Ignatius", "Brockwell")
# A child on a plan whose father was not invited to the conference: the
# evidence is about people, who must be named by their person id.
NAMED = f"""\
case_id: NM-01
child:
  name: {CHILD_NAME}
  date_of_birth: 2016-04-02
  needs: [domestic_abuse]
people:
  - {{id: mum, name: {MOTHER_NAME}, relationship: mother, parental_responsibility: true}}
  - {{id: dad, name: {FATHER_NAME}, relationship: father, parental_responsibility: true}}
plans:
  - start: 2022-03-21
    category: emotional_abuse
    actions:
      - {{id: A1, action: Parenting course, owner: mum, kind: parenting, involves: [mum]}}
meetings:
  - type: icpc
    date: 2022-03-21
    participants:
      - {{role: social_worker, agency: social_care}}
      - {{person: mum}}
      - {{person: dad, status: not_invited}}
recording:
  - {{date: 2022-04-01, agency: social_care, views_of: [mum]}}
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), prog_name="cp-audit", env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def write(path: str | Path, text: str) -> Path:
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


def report_json(*args: str) -> dict[str, object]:
    result = invoke("check", "--format", "json", *args)
    data: dict[str, object] = json.loads(result.stdout)
    return data


def rules_in(report: dict[str, object]) -> list[str]:
    cases = report["cases"]
    assert isinstance(cases, list) and cases
    return [r["rule"] for r in cases[0]["results"]]


# --------------------------------------------------------------------------- exit codes


def test_a_case_without_worries_exits_0(here: Path) -> None:
    write("a.json", QUIET % "A")
    result = invoke("check", "a.json", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "No worries were found." in result.stdout
    assert result.stderr == ""


def test_samples_exit_1_and_exit_zero_turns_that_into_0() -> None:
    assert invoke("check", str(SAMPLES), "-q").exit_code == 1
    assert invoke("check", str(SAMPLES), "-q", "--exit-zero").exit_code == 0


@pytest.mark.parametrize("exit_zero", [(), ("--exit-zero",)])
def test_a_rejected_file_exits_2_even_with_exit_zero(here: Path, exit_zero: tuple[str]) -> None:
    write("a.json", QUIET % "A")
    write("bad.json", MISSPELT)
    result = invoke("check", "a.json", "bad.json", "--as-of", AS_OF, *exit_zero)
    assert result.exit_code == 2
    assert "bad.json: case BAD-01" in result.stdout  # listed in the report


def test_a_rejected_file_beside_worries_exits_2_with_exit_zero(here: Path) -> None:
    write("bad.json", MISSPELT)
    result = invoke("check", str(SAMPLES), "bad.json", "-q", "--exit-zero")
    assert result.exit_code == 2


BAD_STANDARDS = "name: Ours\nrules: []\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--standards", "ours.yaml"), "ours.yaml: version: required field is missing"),
        (("--standards", "missing.yaml"), "missing.yaml: "),
        (("--select", "smart-action"),
         'no such rule: "smart-action" (did you mean "smart-actions"?)'),
        (("--ignore", "smart-actions,nope"), 'no such rule: "nope"'),
        (("-o", "report.pdf"), 'report.pdf: cannot tell the format from ".pdf"'),
        (("-o", "cases/a.json"), "cases/a.json: is one of the inputs"),
        (("-o", "cases/report.json"), "cases/report.json: is under the input folder cases"),
    ],
)
@pytest.mark.parametrize("exit_zero", [(), ("--exit-zero",)])
def test_a_bad_setting_exits_2_before_reading_any_case(
    here: Path, args: tuple[str, ...], message: str, exit_zero: tuple[str, ...]
) -> None:
    write("ours.yaml", BAD_STANDARDS)
    case = write("cases/a.json", QUIET % "A")
    result = invoke("check", "cases/a.json", "cases", *args, *exit_zero)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""  # no report
    assert case.read_text(encoding="utf-8") == QUIET % "A"  # an input is never overwritten
    assert sorted(p.name for p in here.rglob("*")) == ["a.json", "cases", "ours.yaml"]


def test_no_path_and_no_audit_folder_is_a_usage_error(here: Path) -> None:
    result = invoke("check")
    assert result.exit_code == 2
    assert "give the case files or folders to check" in result.stderr


# --------------------------------------------------------------------------- --select / --ignore


def test_select_and_ignore_choose_the_rules_in_the_report(here: Path) -> None:
    write("a.json", QUIET % "A")
    everything = rules_in(report_json("a.json"))
    assert len(everything) == 29

    selected = rules_in(report_json("a.json", "--select", "smart-actions,child-seen-alone"))
    assert selected == ["child-seen-alone", "smart-actions"]  # in the standards' order
    assert rules_in(
        report_json("a.json", "--select", "smart-actions", "--select", "visits-timely")
    ) == ["smart-actions", "visits-timely"]

    ignored = rules_in(
        report_json("a.json", "--ignore", "smart-actions, child-seen-alone", "--ignore",
                    "visits-timely")
    )
    assert ignored == [r for r in everything
                       if r not in {"smart-actions", "child-seen-alone", "visits-timely"}]

    both = rules_in(report_json("a.json", "--select", "smart-actions,visits-timely",
                                "--ignore", "visits-timely"))
    assert both == ["smart-actions"]


def test_select_changes_the_worries_and_the_exit_code() -> None:
    worried = report_json(str(SAMPLES), "--select", "long-term-involvement")
    summary = worried["summary"]
    assert isinstance(summary, dict)
    assert [w["rule"] for w in summary["worries"]] == ["long-term-involvement"]
    # NS-2022-01's initial conference was on time: that rule alone gives no worry
    result = invoke("check", str(SAMPLES / "ns-01.yaml"), "--as-of", AS_OF, "-q",
                    "--select", "icpc-timely")
    assert result.exit_code == 0


# --------------------------------------------------------------------------- names


def _render(fmt: str, *extra: str) -> str:
    result = invoke("check", "named.yaml", "--as-of", AS_OF, "--format", fmt, *extra)
    assert result.exit_code == 1, result.output
    return result.output


@pytest.mark.parametrize("fmt", FORMATS)
def test_names_are_hidden_unless_show_names(here: Path, fmt: str) -> None:
    write("named.yaml", NAMED)
    hidden = _render(fmt)
    for word in NAME_WORDS:
        assert word not in hidden
    assert "NM-01" in hidden
    assert "dad" in hidden  # people are shown by their person id

    shown = _render(fmt, "--show-names")
    assert CHILD_NAME in shown


def test_names_are_hidden_in_every_output_file(here: Path) -> None:
    write("named.yaml", NAMED)
    outputs = [f"out/report{ext}" for ext in (".txt", ".md", ".html", ".json", ".csv", ".xml")]
    args = [arg for path in outputs for arg in ("-o", path)]
    Path("out").mkdir()
    assert invoke("check", "named.yaml", "--as-of", AS_OF, "-q", *args).exit_code == 1
    for path in outputs:
        text = Path(path).read_text(encoding="utf-8")
        assert "NM-01" in text
        assert not [word for word in NAME_WORDS if word in text], path
    assert invoke("check", "named.yaml", "--as-of", AS_OF, "-q", "--show-names",
                  *args).exit_code == 1
    for path in outputs:
        assert CHILD_NAME in Path(path).read_text(encoding="utf-8"), path


def test_a_name_conflict_never_quotes_the_names(here: Path) -> None:
    record = {"case_id": "C1", "child": {"age_years": 7, "name": CHILD_NAME},
              "people": [{"id": "mum", "relationship": "mother", "name": MOTHER_NAME}]}
    write("cases/social-care.json", json.dumps(record))
    record["child"] = {"age_years": 7, "name": "Zebedee Quartermayne"}
    record["people"] = [{"id": "mum", "relationship": "mother", "name": "Philippa Brockwell"}]
    write("cases/gp.json", json.dumps(record))
    for fmt in FORMATS:
        result = invoke("check", "cases", "--format", fmt, "--show-names")
        assert result.exit_code == 2
        if fmt != "csv":  # the CSV holds the findings only
            assert "child.name" in result.output  # the place is named, not the value
        assert not [word for word in NAME_WORDS if word in result.output], fmt


# --------------------------------------------------------------------------- output files


def test_several_outputs_in_one_run_each_parseable_no_temporary_file_left(here: Path) -> None:
    write("cases/a.json", QUIET % "A")
    write("cases/named.yaml", NAMED)
    names = ["report.html", "report.md", "report.json", "report.csv", "report.xml", "report.txt"]
    args = [arg for name in names for arg in ("--output", f"out/{name}")]
    Path("out").mkdir()
    result = invoke("check", "cases", "--as-of", AS_OF, "-q", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert sorted(os.listdir("out")) == sorted(names)  # and no temporary file

    def read(name: str) -> str:
        return Path("out", name).read_text(encoding="utf-8")

    html5lib.HTMLParser(strict=True).parse(read("report.html"))
    data = json.loads(read("report.json"))
    assert [case["case_id"] for case in data["cases"]] == ["A", "NM-01"]
    assert data["as_of"] == AS_OF
    rows = list(csv.DictReader(io.StringIO(read("report.csv"), newline="")))
    assert {row["case_id"] for row in rows} == {"A", "NM-01"}
    assert len(rows) == 2 * 29
    suites = list(JUnitXml.fromfile("out/report.xml"))
    assert suites
    for title in ("What are we worried about?", "Data problems"):
        assert f"## {title}" in read("report.md")
        assert f"{title}\n{'-' * len(title)}\n" in read("report.txt")

    # Each file is the report its format prints on stdout.
    for name, fmt in [("report.json", "json"), ("report.md", "markdown"),
                      ("report.csv", "csv"), ("report.txt", "text")]:
        printed = invoke("check", "cases", "--as-of", AS_OF, "--format", fmt).stdout_bytes
        assert Path("out", name).read_bytes() == printed, name


def test_an_output_that_cannot_be_written_exits_2(here: Path) -> None:
    write("a.json", QUIET % "A")
    result = invoke("check", "a.json", "-q", "-o", "no-such-folder/report.html")
    assert result.exit_code == 2
    assert "no-such-folder/report.html: cannot write" in result.stderr
    assert not Path("no-such-folder").exists()


# --------------------------------------------------------------------------- the audit folder


def test_check_with_no_argument_in_an_init_folder(here: Path, monkeypatch: pytest.MonkeyPatch
                                                  ) -> None:
    assert invoke("init", "audit").exit_code == 0
    monkeypatch.chdir(here / "audit")
    settings = yaml.safe_load(Path("cp-audit.yaml").read_text(encoding="utf-8"))

    first = invoke("check")  # cases/ is empty: said plainly, no report of nothing
    assert (first.exit_code, first.stdout) == (2, "")
    assert first.stderr.startswith("cp-audit check: no case record found in cases (0 files ")
    assert not Path("report.html").exists()

    Path("examples/example-case.yaml").rename("cases/example-case.yaml")  # as its README says
    result = invoke("check")
    assert result.exit_code in (0, 1)  # the example case is valid; worries depend on today
    assert "EXAMPLE-01" in result.stdout
    assert Path("report.html").is_file()  # cp-audit.yaml's outputs

    data = report_json()
    assert data["as_of"] == settings["as_of"].isoformat()
    assert data["errors"] == []  # cp-audit.yaml, standards.yaml, schemas/: not cases
    assert [case["case_id"] for case in data["cases"]] == ["EXAMPLE-01"]  # type: ignore[attr-defined]
    # A second run does not read its own report.
    assert report_json()["errors"] == []


def _audit_folder(with_standards: bool = True) -> None:
    write("audit/cp-audit.yaml", f"name: Test audit\nas_of: {AS_OF}\n"
          + ("standards: ours.yaml\n" if with_standards else "")
          + "select: [smart-actions, visits-timely, child-seen-alone]\n"
          "ignore: [child-seen-alone]\ncases: [cases]\n")
    write("audit/cases/named.yaml", NAMED)
    if with_standards:
        text = DEFAULT_STANDARDS.read_text(encoding="utf-8")
        ours = text.replace("name: Multi-agency child protection audit standards",
                            "name: Our partnership's standards", 1)
        assert ours != text
        write("audit/ours.yaml", ours)


def test_the_audit_folders_settings_are_used(here: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    _audit_folder()
    for args, cwd in [(("audit",), here), ((), here / "audit")]:
        monkeypatch.chdir(cwd)
        data = report_json(*args)
        assert data["as_of"] == AS_OF
        assert rules_in(data) == ["smart-actions", "visits-timely"]
        assert data["standards"]["name"] == "Our partnership's standards"  # type: ignore[index]
        assert data["errors"] == []  # ours.yaml and cp-audit.yaml are not cases


def test_the_command_line_wins_over_the_audit_folder(here: Path) -> None:
    _audit_folder()
    data = report_json("audit", "--as-of", "2022-06-30", "--select", "smart-actions,icpc-timely",
                       "--standards", str(DEFAULT_STANDARDS))
    assert data["as_of"] == "2022-06-30"
    assert rules_in(data) == ["smart-actions", "icpc-timely"]
    assert data["standards"]["name"] == (  # type: ignore[index]
        "Multi-agency child protection audit standards")
    # --ignore replaces the folder's ignore list
    assert rules_in(report_json("audit", "--ignore", "visits-timely")) == [
        "child-seen-alone", "smart-actions"]


def test_without_an_audit_folder_the_defaults_apply(here: Path) -> None:
    write("named.yaml", NAMED)
    data = report_json("named.yaml")
    assert data["as_of"] == date.today().isoformat()
    assert len(rules_in(data)) == 29


def test_an_invalid_audit_folder_setting_exits_2(here: Path) -> None:
    write("audit/cp-audit.yaml", "as_of: 2022-09-30\nselec: [smart-actions]\n")
    write("audit/cases/a.json", QUIET % "A")
    result = invoke("check", "audit")
    assert result.exit_code == 2
    assert 'unknown setting "selec"' in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- rejected input


def test_rejected_files_are_listed_and_the_report_still_written(here: Path) -> None:
    write("cases/a.json", QUIET % "A")
    write("cases/named.yaml", NAMED)
    write("cases/bad.json", MISSPELT)
    write("cases/broken.jsonl", QUIET % "B" + "\n{oops\n")
    write("cases/empty.yaml", "")
    result = invoke("check", "cases", "--as-of", AS_OF, "-o", "report.json", "-o", "report.md",
                    "-o", "report.html")
    assert result.exit_code == 2

    data = json.loads(Path("report.json").read_text(encoding="utf-8"))
    assert [case["case_id"] for case in data["cases"]] == ["A", "B", "NM-01"]
    assert data["summary"]["rejected"] == 1
    errors = {error["file"]: error for error in data["errors"]}
    assert set(errors) == {"cases/bad.json", "cases/broken.jsonl", "cases/empty.yaml"}
    assert errors["cases/bad.json"]["case_id"] == "BAD-01"
    assert errors["cases/bad.json"]["files"] == ["cases/bad.json"]
    assert errors["cases/broken.jsonl"]["case_id"] is None

    markdown = Path("report.md").read_text(encoding="utf-8")
    problems = markdown.split("## Data problems", 1)[1]
    html = Path("report.html").read_text(encoding="utf-8")
    text = result.stdout.split("Data problems\n-------------\n", 1)[1]
    for shown in (problems, text, html):
        for name in ("bad.json", "broken.jsonl", "empty.yaml"):
            assert name in shown
    # The valid cases are still reported in full.
    assert "### NM-01" in markdown and "### A" in markdown


# --------------------------------------------------------------------------- quiet and colour


def test_quiet_prints_nothing_on_stdout_and_the_problems_on_stderr(here: Path) -> None:
    write("a.json", QUIET % "A")
    quiet = invoke("check", "a.json", "-q")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")

    write("bad.json", MISSPELT)
    quiet = invoke("check", "a.json", "bad.json", "--quiet", "-o", "report.json")
    assert quiet.exit_code == 2
    assert quiet.stdout == ""
    assert quiet.stderr.splitlines() == [
        'bad.json: case BAD-01: line 1, column 50: unknown field "atendees" (a field of your own '
        'must begin with "x_")'
    ]
    assert Path("report.json").is_file()


ANSI = re.compile(r"\x1b\[")


@pytest.mark.parametrize("no_color", [None, "1"])
def test_not_a_terminal_means_no_ansi_escapes(no_color: str | None) -> None:
    result = invoke("check", str(SAMPLES), env={"NO_COLOR": no_color})
    assert result.exit_code == 1
    assert not ANSI.search(result.output)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False), ("", True)])
def test_on_a_terminal_no_color_turns_the_colours_off(no_color: str | None, coloured: bool
                                                      ) -> None:
    master, slave = os.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["PYTHONPATH"] = str(REPO / "src")
    if no_color is not None:
        env["NO_COLOR"] = no_color
    process = subprocess.Popen(
        [sys.executable, "-m", "cp_audit", "check", "samples", "-j", "1"],
        cwd=REPO, stdout=slave, stderr=subprocess.PIPE, env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed (Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    _, stderr = process.communicate(timeout=120)
    output = b"".join(chunks).decode("utf-8")
    assert process.returncode == 1
    assert stderr == b""
    assert "What are we worried about?" in output
    assert bool(ANSI.search(output)) is coloured


# --------------------------------------------------------------------------- a real process


def test_a_real_process_checks_the_samples_from_the_repository() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("NO_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "cp_audit", "check", "samples/"],
        cwd=REPO, capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert done.returncode == 1
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == "Multi-agency quality assurance audit: emotional abuse (synthetic samples)"
    assert lines[2] == "Standards: Multi-agency child protection audit standards, version 2022.1."
    assert "Audit as of 30 September 2022: 10 cases checked." in lines
    titles = [line for line, under in itertools.pairwise(lines)
              if under and set(under) == {"-"} and len(under) == len(line)]
    # the samples' meeting.yaml adds its two sections after the themes
    assert titles == [*SECTIONS[:3], "Moderation", "Agreed actions", *SECTIONS[3:]]
    assert not ANSI.search(done.stdout)

    version = subprocess.run([sys.executable, "-m", "cp_audit", "--version"], cwd=REPO,
                             capture_output=True, text=True, env=env, timeout=60, check=True)
    assert version.stdout == f"cp-audit, version {__version__}\n"
    for command in (["check"], ["validate"], ["standards", "test"], ["schema", "case"], ["init"]):
        assert invoke(*command, "--version").stdout == version.stdout


HEAVY = ("pydantic", "yaml", "holidays", "cp_audit.standards.spec", "cp_audit.case.model", "ssl")


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["check", "--help"],
                                  ["validate", "--help"], ["standards", "check", "--help"],
                                  ["rules", "--help"], ["explain", "--help"],
                                  ["standards", "test", "--help"], ["schema", "--help"],
                                  ["init", "--help"]])
def test_version_and_help_import_nothing_heavy(args: list[str]) -> None:
    # What makes start-up slow is what is imported; the time itself is measured by hand.
    script = (
        "import sys\nfrom cp_audit.cli import main\n"
        f"sys.argv = ['cp-audit', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=60, check=True)
    assert done.stdout.splitlines()[-1] == "[]"


def test_check_of_json_and_yaml_records_opens_no_workbook_library() -> None:
    # openpyxl alone takes about 0.1 s to import: a run that reads no .xlsx file never needs it.
    script = (
        "import sys\nfrom cp_audit.cli import main\n"
        "sys.argv = ['cp-audit', 'check', 'samples', '-q']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('openpyxl', 'docx') if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, env=env, timeout=120, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
