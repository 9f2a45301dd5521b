"""The census reader on awkward bytes. Its quick id scan (the run's first pass,
`run.audit._units`) finds the ids the careful read finds, or says None (then the careful
read) when it cannot be sure; an element's text is bounded, read in linear time."""

from __future__ import annotations

from pathlib import Path

import pytest

from cp_audit.inputs.cin_census import CinCensusReader

READER = CinCensusReader()
HEAD = ('<{p}Message{ns}><{p}Header><{p}CollectionDetails><{p}Collection>CIN</{p}Collection>'
        '</{p}CollectionDetails></{p}Header>\n<{p}Children>\n')
CHILD = ('<{p}Child><{p}ChildIdentifiers>{id}<{p}PersonBirthDate>2015-03-27</{p}PersonBirthDate>'
         '</{p}ChildIdentifiers><{p}CINdetails><{p}CINreferralDate>2022-01-04</{p}CINreferralDate>'
         '</{p}CINdetails></{p}Child>\n')


def _return(tmp_path: Path, *ids: str, prefix: str = "", encoding: str = "utf-8",
            declaration: str = "") -> Path:
    p = f"{prefix}:" if prefix else ""
    ns = f' xmlns:{prefix}="http://www.dfes.gov.uk/schemas/CS/CIN"' if prefix else ""
    text = declaration + HEAD.format(p=p, ns=ns)
    text += "".join(CHILD.format(p=p, id=case_id.format(p=p)) for case_id in ids)
    text += f"</{p}Children></{p}Message>\n"
    path = tmp_path / "census.xml"
    path.write_bytes(text.encode(encoding))
    return path


def _careful(path: Path) -> list[str]:
    return [record.data["case_id"] for record in READER.read(str(path)).records]


@pytest.mark.parametrize(("written", "prefix"), [
    ("<{p}LAchildID>A</{p}LAchildID>", ""),
    ("<{p}LAchildID>A</{p}LAchildID>", "cin"),
    ('<{p}LAchildID note="x">A</{p}LAchildID >', "cin"),
    ("<{p}LAchildID\n>\n  A \n</{p}LAchildID\n>", ""),
    ("<{p}LAchildID>\u00a0A\u00a0</{p}LAchildID>", "cin"),
])
def test_the_scan_finds_the_id_the_reader_reads(
    tmp_path: Path, written: str, prefix: str
) -> None:
    second = written.replace(">A", ">B").replace(" A", " B").replace("\u00a0A", "\u00a0B")
    path = _return(tmp_path, written, second, prefix=prefix)
    assert _careful(path) == ["A", "B"]
    assert READER.quick_case_ids(str(path), None) == ["A", "B"]


@pytest.mark.parametrize(("written", "encoding", "declaration"), [
    ("<{p}LAchildID>A</{p}LAchildID>", "utf-16", '<?xml version="1.0" encoding="UTF-16"?>'),
    ("<{p}LAchildID>A</{p}LAchildID>", "latin-1",
     '<?xml version="1.0" encoding="ISO-8859-1"?>'),
    ("<{p}LAchildID><!-- x -->A</{p}LAchildID>", "utf-8", ""),
    ("<{p}LAchildID>A<x/></{p}LAchildID>", "utf-8", ""),
    ("<{p}LAchildID>&#65;</{p}LAchildID>", "utf-8", ""),
])
def test_the_scan_says_none_when_it_is_not_sure(
    tmp_path: Path, written: str, encoding: str, declaration: str
) -> None:
    path = _return(tmp_path, written, encoding=encoding, declaration=declaration)
    assert READER.quick_case_ids(str(path), None) is None


# ---------------------------------------------------------------------------
# An element's text is bounded (`cin_census.TEXT_LIMIT`): kept in pieces, joined once


def test_an_element_of_megabytes_of_text_rejects_its_child_only(tmp_path: Path) -> None:
    lines = "x" * 99 + "\n"
    huge = f"<CINreferralDate>{lines * 40_000}</CINreferralDate>"  # 4 MB, 40,000 pieces
    path = _return(tmp_path, "<LAchildID>A</LAchildID>", "<LAchildID>B</LAchildID>")
    text = path.read_text(encoding="utf-8")
    first = text.index("<CINreferralDate>")
    end = text.index("</CINreferralDate>", first) + len("</CINreferralDate>")
    path.write_text(text[:first] + huge + text[end:], encoding="utf-8")
    read = READER.read(str(path))
    assert [(r.data["case_id"], r.errors) for r in read.records] == [
        ("A", (("line 3: CINdetails[1]/CINreferralDate",
                "the element's text is over 1,000 characters"),
               ("line 3: CINdetails[1]/CINreferralDate",
                f"not an ISO date: {('x' * 37 + '...')!r}"))),
        ("B", ()),
    ]


def test_a_header_value_of_megabytes_rejects_the_file(tmp_path: Path) -> None:
    path = _return(tmp_path, "<LAchildID>A</LAchildID>")
    text = path.read_text(encoding="utf-8").replace(">CIN<", f">CIN{' ' * 2_000_000}<", 1)
    path.write_text(text, encoding="utf-8")
    read = READER.read(str(path))
    assert read.unreadable and [(p.location, p.message) for p in read.problems] == [
        ("line 1: Header/CollectionDetails/Collection",
         "the element's text is over 1,000 characters")]
