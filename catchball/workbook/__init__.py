"""Workbooks: the catchball round by spreadsheet.

`export` writes the goals (or one team's pack) as an .xlsx workbook or CSV
files; `read` reads such a file back as untrusted input, cell by cell, into
typed rows and problems; `plan` turns those rows into the changes to make
to the goals; `write_yaml` makes them in the YAML files, keeping comments
and order. The layout both sides share is in `layout`, and documented in
docs/workbooks.md as the import format.
"""
