"""cp-audit workbooks (`shared/importers.md`, "cp-audit workbooks"): the spreadsheet an
agency's auditor fills in for the agency's part of each child's case.

    layout.py    the one description of the workbook: its sheets, their columns (the
                 case format's field names), notes, closed sets and drop-down lists,
                 the About sheet, and which parts each agency holds; read by both
    template.py  the writer (`cp-audit template`), and
    ../inputs/workbook.py  the reader of a filled workbook.
"""
