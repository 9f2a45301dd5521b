"""Reading input files into raw case records: one reader per format, and their registry.

    interface.py  the `Reader` interface; RawRecord, FileResult, Part, Limits
    reading.py    what the readers share: bytes within a size limit, UTF-8, records
    json.py       `.json`
    jsonl.py      `.jsonl`, read in parts when big
    yaml.py       `.yaml`, `.yml` (and the loader of the YAML users write by hand)
    workbook.py   `.xlsx`: cp-audit workbooks (an About sheet naming the format)
    annex_a.py    `.xlsx`: Ofsted Annex A returns (List 7), and why any other .xlsx is not read
    _xlsx.py      what the .xlsx readers share: opening safely, bounds, cells
    discovery.py  which files under the paths given are read, which skipped and why
    settings_yaml.py  the standards' and `cp-audit.yaml`'s YAML
    cin_census.py `.xml`: the DfE Children in Need census return (census_child.py one
                  child's mapping, census_codes.py the code tables)
    locate.py     the line and column of a record's error, found only when there is one

A file is read by the first reader in `READERS` whose `suffixes` end its name
(in any case) and that `claims` it: by default every reader claims every file
its suffixes match; readers of formats that share a suffix tell their files
apart by content. To add a format: a module with a `Reader` subclass, and its
instance in `READERS`. The endings read, in the order of `READERS`, also make
up the message for a file skipped ("only .json, .jsonl, .yaml, .yml and .xml
files are read").
"""

from __future__ import annotations

from cp_audit.inputs.annex_a import AnnexAReader
from cp_audit.inputs.cin_census import CinCensusReader
from cp_audit.inputs.interface import Reader
from cp_audit.inputs.json import JsonReader
from cp_audit.inputs.jsonl import JsonLinesReader
from cp_audit.inputs.workbook import WorkbookReader
from cp_audit.inputs.yaml import YamlReader

READERS: tuple[Reader, ...] = (
    JsonReader(),
    JsonLinesReader(),
    YamlReader(),
    CinCensusReader(),
    WorkbookReader(),  # before Annex A: it claims only the workbooks it reads
    AnnexAReader(),
)

# Every ending read, for messages and for telling inputs from outputs (`cli.outputs`).
CASE_EXTENSIONS = tuple(dict.fromkeys(s for reader in READERS for s in reader.suffixes))


def extensions_text(last: str = "and") -> str:
    """Every ending read, for people: ".json, .jsonl, .yaml and .yml"."""
    return ", ".join(CASE_EXTENSIONS[:-1]) + f" {last} " + CASE_EXTENSIONS[-1]


def reader_for(path: str) -> Reader | None:
    """The reader of the file at `path`; None: no reader reads it (the file is skipped)."""
    lower = path.lower()
    for reader in READERS:
        if lower.endswith(reader.suffixes) and reader.claims(path):
            return reader
    return None
