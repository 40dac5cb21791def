"""Surviving mutants of catchball/load/plain.py that no input can tell from the original.

Each key is what run_mutants.py prints for a mutant (the function, the statement, the
change); each value says why the change makes no difference to what read_plain
returns or refuses. A survivor that is not here is a gap in the tests: add a test that
kills it (tests/test_parse_paths.py) rather than a line here.
"""

EQUIVALENT: dict[str, str] = {
}
