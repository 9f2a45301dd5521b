"""The HTML report printed to A4 by headless Chromium, as an audit lead prints it: at most a
page per child and four more (the summary, the grid and the themes first, each child from
a new page), and no token (a rule id, a case id, an outcome) broken across two lines.

Skipped where Chromium or poppler's pdftotext/pdfinfo are not installed (`.ci/run`
installs them where the machine allows).
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cp_audit.standards.spec import default_path, load

REPO = Path(__file__).resolve().parents[1]
CHILDREN = 10
BROWSER = next(
    (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
)
pytestmark = pytest.mark.skipif(
    BROWSER is None or not shutil.which("pdftotext") or not shutil.which("pdfinfo"),
    reason="headless Chromium and poppler-utils (pdftotext, pdfinfo) are needed",
)
_TOKEN_CHAR = re.compile(r"[A-Za-z0-9_-]")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str]:
    """The samples' HTML report printed to PDF: its page count and its text."""
    folder = tmp_path_factory.mktemp("print")
    page, pdf = folder / "report.html", folder / "report.pdf"
    subprocess.run(
        [sys.executable, "-m", "cp_audit", "check", "samples/", "-o", str(page), "-q"],
        cwd=REPO, check=False, capture_output=True,
    )
    assert page.exists()
    assert BROWSER is not None
    subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={pdf}", page.as_uri()],
        check=False, capture_output=True, timeout=300,
    )
    assert pdf.exists()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return pages, text


def _tokens() -> set[str]:
    rules = {rule.id for rule in load(default_path()).rules}
    cases = {f"NS-2022-{n:02d}" for n in range(1, CHILDREN + 1)}
    return rules | cases | {"worry", "met", "outstanding", "inadequate"}


def broken(text: str, tokens: set[str]) -> list[str]:
    """Each token that a line ends inside and the next line finishes."""
    found = []
    lines = [line.split() for line in text.splitlines()]
    for this, after in itertools.pairwise(lines):
        if not this or not after:
            continue
        last, first = this[-1], after[0]
        joined = last + first
        for token in tokens:
            at = joined.find(token)
            while at != -1:
                end = at + len(token)
                inside = at < len(last) < end
                bounded = (at == 0 or not _TOKEN_CHAR.match(joined[at - 1])) and (
                    end == len(joined) or not _TOKEN_CHAR.match(joined[end])
                )
                if inside and bounded:
                    found.append(f"{last} / {first}")
                at = joined.find(token, at + 1)
    return found


def test_the_breaking_check_finds_a_broken_token_and_only_that() -> None:
    tokens = {"worry", "health-at-conferences", "met"}
    assert broken("no health at\nworr\ny\n", tokens) == ["worr / y"]
    assert broken("health-at-\nconferences ok\n", tokens) == ["health-at- / conferences"]
    assert broken("the same\ntimescale\nworry\nmet\n", tokens) == []


def test_at_most_a_page_per_child_and_four_more(printed: tuple[int, str]) -> None:
    pages, text = printed
    assert pages <= CHILDREN + 4, pages
    assert all(f"NS-2022-{n:02d}" in text for n in range(1, CHILDREN + 1))


def test_no_token_is_broken_across_lines(printed: tuple[int, str]) -> None:
    _, text = printed
    assert broken(text, _tokens()) == []
