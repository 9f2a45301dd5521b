"""`cp-audit init DIR`: a new audit folder, ready for an audit lead to fill in.

It holds `cp-audit.yaml`, `standards.yaml` (a copy of the default standards),
`schemas/` (for editors), an empty `cases/` for the real records, and a
README. The example case goes to `examples/`, outside the audit's cases and
never read as one of them (`folder.resolve`): it is dated 2022, and checked
as of today it would show worries about a child who is only an example.
`examples/` carries its own `cp-audit.yaml` with the as-of date the example
was written for, so `cp-audit check examples` shows a report of it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from cp_audit.folder.config import CONFIG_NAME
from cp_audit.folder.resolve import EXAMPLES, MEETING, SCHEMAS
from cp_audit.schema import case_schema, meeting_schema, standards_schema
from cp_audit.standards.spec import default_path

CONFIG_TEMPLATE = """\
# The settings of this audit. `cp-audit check` reads them when it is run in
# this folder, or given this folder; options on the command line win over them.
# Paths are relative to this file.

name: {name}

# The audit date: nothing dated after it is read, and deadlines after it are
# not yet due. Fix it so the report is the same whichever day it is run.
as_of: {as_of}

# The rules: a copy of the default standards, yours to edit.
standards: standards.yaml

# Where the case records are (files or folders). The example case in
# examples/ is never read as one of them.
cases:
  - cases

# Rule ids to report (empty: all) and to leave out.
select: []
ignore: []

# Reports written on every run, besides the one printed; the format follows
# the extension: .html, .md, .json, .csv, .xml (JUnit), .txt
outputs:
  - report.html

# Record every run in history.sqlite (no names, no free text), for a re-audit.
history: true

# The previous audit folder of the same theme, for "Since the last audit".
# previous: ../last-audit
"""

README_TEMPLATE = """\
# {name}

This folder is a multi-agency case audit run with `cp-audit`.

1. Put the exported case records in `cases/` (JSON, JSON Lines or YAML; one
   file per child or one per agency per child: records with the same
   `case_id` are merged). `examples/example-case.yaml` shows the format: see
   its report with `cp-audit check examples`. It is kept out of the audit
   (never read as one of its cases) unless you move it into `cases/`.
2. Set the audit date (`as_of`) and the name in `cp-audit.yaml`.
3. Run `cp-audit check` in this folder. The report is printed and written to
   `report.html`. Exit code 0: no worry; 1: worries found; 2: some input was
   rejected (listed under "Data problems"; the other cases are still
   reported), or no case record was found in `cases/`.
4. To change a rule's threshold, a role list or a sentence, edit
   `standards.yaml`, then run `cp-audit standards check standards.yaml` and
   `cp-audit standards test standards.yaml`.

Case records are about vulnerable children: keep this folder where your
organisation's data protection rules say. Reports show case ids, not names,
unless `--show-names` is given.

A grade supports, and does not replace, the auditors' professional judgement
and moderation.
"""

# The date the example case was written for: its plan started on 2022-03-21.
EXAMPLE_AS_OF = "2022-04-08"

EXAMPLE_CONFIG = f"""\
# The settings of the example only: `cp-audit check examples` reads them.
# The example is dated 2022, so it is checked as of the date it was written
# for; the audit itself uses ../cp-audit.yaml and never reads this folder.
name: Example case (not part of the audit)
as_of: {EXAMPLE_AS_OF}
standards: ../standards.yaml
cases:
  - .
outputs: []
"""

EXAMPLE_CASE = f"""\
# yaml-language-server: $schema=../schemas/case.schema.json
# A synthetic example case, to show the format of a case record. It is not
# part of the audit: `cp-audit check` in the audit folder never reads the
# examples/ folder. See its report with
#     cp-audit check examples
# (as of {EXAMPLE_AS_OF}, the date it was written for: one worry, the first
# core group is late, and some good practice). Move a file into cases/ only
# when it holds a real child's records.
case_id: EXAMPLE-01
source: {{agency: social_care, system: example, exported: 2022-09-01}}
child:
  date_of_birth: 2016-04-02
  communication: verbal
  needs: [domestic_abuse]
people:
  - {{id: mum, relationship: mother, parental_responsibility: true, lives_with_child: true}}
  - {{id: dad, relationship: father, parental_responsibility: true, lives_with_child: false}}
referrals:
  - {{date: 2022-03-01, source: police, outcome: strategy_discussion}}
plans:
  - start: 2022-03-21
    category: emotional_abuse
    actions:
      - {{id: A1, action: Safety plan with mother, owner: social_worker, due: 2022-05-01}}
meetings:
  - type: strategy_discussion
    date: 2022-03-02
    participants:
      - {{role: social_worker, agency: social_care}}
      - {{role: police_officer, agency: police}}
      - {{role: health_visitor, agency: community_health}}
  - type: icpc
    date: 2022-03-21
    participants:
      - {{role: conference_chair, agency: social_care}}
      - {{role: social_worker, agency: social_care}}
      - {{role: gp, agency: gp, status: apologies, report: true}}
      - {{person: mum}}
      - {{person: dad}}
visits:
  - {{date: 2022-03-25, seen: true, seen_alone: true}}
child_voice:
  - {{date: 2022-03-25, method: direct_work, by: social_worker}}
tools:
  - {{name: dash, date: 2022-03-01, by: police_officer}}
"""


MEETING_TEMPLATE = """\
# yaml-language-server: $schema=schemas/meeting.schema.json
# The audit meeting's record: the panel's moderation of the tool's findings
# (cp-audit moderate CASE RULE --outcome ... writes it), the auditors' own
# findings, and the agreed actions. Every report applies it.
moderation: []
findings: []
actions: []
"""


class InitError(Exception):
    """The folder already holds an audit, or cannot be written."""


def init_folder(folder: Path, name: str | None = None, today: date | None = None) -> list[Path]:
    """Create the audit folder's files and its empty `cases/` (last in the list returned);
    refuse to overwrite any file."""
    title = name or folder.resolve().name or "Multi-agency case audit"
    files = {
        folder / CONFIG_NAME: CONFIG_TEMPLATE.format(
            name=json.dumps(title), as_of=(today or date.today()).isoformat()
        ),
        folder / "standards.yaml": "# yaml-language-server: $schema=schemas/standards.schema.json\n"
        + default_path().read_text(encoding="utf-8"),
        folder / SCHEMAS / "standards.schema.json": json.dumps(standards_schema(), indent=2),
        folder / SCHEMAS / "case.schema.json": json.dumps(case_schema(), indent=2),
        folder / SCHEMAS / "meeting.schema.json": json.dumps(meeting_schema(), indent=2),
        folder / MEETING: MEETING_TEMPLATE,
        folder / EXAMPLES / CONFIG_NAME: EXAMPLE_CONFIG,
        folder / EXAMPLES / "example-case.yaml": EXAMPLE_CASE,
        folder / "README.md": README_TEMPLATE.format(name=title),
    }
    existing = [path for path in files if path.exists()]
    if existing:
        raise InitError(f"{existing[0]} already exists: not overwriting an audit folder")
    cases = folder / "cases"
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
        cases.mkdir(exist_ok=True)
    except OSError as exc:
        raise InitError(f"cannot write {exc.filename}: {exc.strerror}") from None
    return [*files, cases]
