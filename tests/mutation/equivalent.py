"""Surviving mutants of catchball/load/plain.py that no input can tell from the original.

Each key is what run_mutants.py prints for a mutant (the function, the statement, the
change); each value says why the change makes no difference to what read_plain
returns or refuses. A survivor that is not here is a gap in the tests: add a test that
kills it (tests/test_parse_paths.py) rather than a line here.
"""

EQUIVALENT: dict[str, str] = {
    '<module>: `_NO_RESOLVER = frozenset((chr(c) for c in range(32, 127) if chr(c) ...`: 32 -> 33':
        'the space never starts a value (lines and values are stripped of spaces first), and _TEXT_START leaves it out anyway',
    '<module>: `_NO_RESOLVER = frozenset((chr(c) for c in range(32, 127) if chr(c) ...`: 32 -> 31':
        'U+001F is refused by _UNUSUAL before any value is read',
    '<module>: `_NO_RESOLVER = frozenset((chr(c) for c in range(32, 127) if chr(c) ...`: 127 -> 128':
        'U+007F is refused by _UNUSUAL before any value is read',
    '<module>: `_NO_RESOLVER = frozenset((chr(c) for c in range(32, 127) if chr(c) ...`: 127 -> 126':
        "`~` is a resolver's first character (null): it is never in _NO_RESOLVER",
    '<module>: `_SHORT_MAX = 50000`: 50000 -> 50001':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    '<module>: `_SHORT_MAX = 50000`: 50000 -> 49999':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    '_tag_of: `if value[0] in _NO_RESOLVER`: if value[0] in _NO_RESOLVER -> if False':
        'without the shortcut _tag_of asks resolve_plain, which gives str for those characters too',
    '_tag_of: `if tag is None`: if tag is None -> if True':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: if len(value) <= 16 and len(_SHORT) < _SHORT_MAX -> if True':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: if len(value) <= 16 and len(_SHORT) < _SHORT_MAX -> if False':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: len(value) <= 16 and len(_SHORT) < _SHORT_MAX -> len(value) <= 16 or len(_SHORT) < _SHORT_MAX':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: len(value) <= 16 -> len(value) < 16':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: 16 -> 17':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: 16 -> 15':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: len(_SHORT) < _SHORT_MAX -> len(_SHORT) <= _SHORT_MAX':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    "_scalar: `if end < 0 or '\\\\' in text[1:end]`: end < 0 -> end <= 0":
        'find from index 1 never returns 0',
    "_scalar: `if end < 0 or '\\\\' in text[1:end]`: 0 -> 1":
        'find from index 1 never returns 0',
    "_scalar: `if end < 0 or '\\\\' in text[1:end]`: 0 -> -1":
        'an unclosed quote (end -1) is then refused by _nothing_but_comment, which sees the opening quote',
    "_scalar: `if end < 0 or '\\\\' in text[1:end]`: 1:end -> 1:end + 1":
        'one character more is the closing quote, never a backslash',
    "_scalar: `if end < 0 or '\\\\' in text[1:end]`: 1 -> 0":
        'one character more is the opening quote, never a backslash',
    "_scalar: `value = (text if hash_at < 0 else text[:hash_at]).rstrip(' ')`: hash_at < 0 -> hash_at <= 0":
        'text after `key: ` is stripped of spaces, so ` #` is never at 0',
    "_scalar: `value = (text if hash_at < 0 else text[:hash_at]).rstrip(' ')`: 0 -> 1":
        'text after `key: ` is stripped of spaces, so ` #` is never at 0',
    "_scalar: `value = (text if hash_at < 0 else text[:hash_at]).rstrip(' ')`: :hash_at -> :hash_at + 1":
        'one character more is the space before `#`, stripped anyway',
    "_nothing_but_comment: `if tail and (not (tail[0] == '#' and len(tail) < len(rest)))`: len(tail) < len(rest) -> len(tail) <= len(rest)":
        'accepts `"x"#c` and `[A]#c` too, which libyaml reads as the same scalar or list and a comment',
    '_field: `if kind == F.DATE`: if kind == F.DATE -> if True':
        '_field is called only for scalar kinds (lists of ids, measures and data are read before it): DATE is the only kind left, and the last raise is never reached',
    '_ids: `if end < 0`: if end < 0 -> if False':
        'an unclosed flow list (end -1) is then refused by _nothing_but_comment, which sees the `[`',
    '_ids: `if end < 0`: end < 0 -> end <= 0':
        'the text starts with `[`, so `]` is never at 0',
    '_ids: `if end < 0`: 0 -> 1':
        'the text starts with `[`, so `]` is never at 0',
    '_ids: `if end < 0`: 0 -> -1':
        'an unclosed flow list (end -1) is then refused by _nothing_but_comment, which sees the `[`',
    '_ids: `return ()`: return () -> return None':
        'an empty list and None both become () (`supports or ()`)',
    '_ids: `if tag not in _PLAIN_TAGS`: if tag not in _PLAIN_TAGS -> if False':
        'an item matching _FLOW_ITEM never resolves to merge or value (`<<`, `=`): the check is never true',
    "<module>: `_TEXT_START = _NO_RESOLVER - _PLAIN_START_BAD - {' '}`: ' ' -> ''":
        'the space never starts a value (values are stripped of spaces first)',
    '<module>: `_ELEMENT, _MEASURE = (1, 2)`: 2 -> 3':
        "the mapping's marks need only differ from each other and from 0",
    '<module>: `_READ_BEFORE_MAX = 50000`: 50000 -> 50001':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    '<module>: `_READ_BEFORE_MAX = 50000`: 50000 -> 49999':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    "read_plain: `if '\\r' in text`: if '\\r' in text -> if True":
        'replacing CRLF in text with no CR changes nothing',
    "read_plain: `if '\\r' in text`: '\\r' -> ''":
        'replacing CRLF in text with no CR changes nothing',
    'read_plain: `dash_column = -1`: 1 -> 2':
        'the first value is never read: a section sets it to -1 when it opens',
    'read_plain: `dash_column = -1`: 1 -> 0':
        'the first value is never read: a section sets it to -1 when it opens',
    'read_plain: `key_column = -1`: 1 -> 2':
        'the first value is never read: an element sets it when it opens',
    'read_plain: `key_column = -1`: 1 -> 0':
        'the first value is never read: an element sets it when it opens',
    'read_plain: `sub_column = -1`: 1 -> 2':
        'the first value is never read: a list under an element sets it when it opens',
    'read_plain: `sub_column = -1`: 1 -> 0':
        'the first value is never read: a list under an element sets it when it opens',
    'read_plain: `measure_column = -1`: 1 -> 2':
        'the first value is never read: a measure sets it when it opens',
    'read_plain: `measure_column = -1`: 1 -> 0':
        'the first value is never read: a measure sets it when it opens',
    'read_plain: `if dash and (column == sub_column or (sub_column < 0 and column >= ...`: sub_column < 0 -> sub_column <= 0':
        "a list under an element starts right of the section's dashes, never at column 0",
    'read_plain: `if dash and (column == sub_column or (sub_column < 0 and column >= ...`: 0 -> 1':
        "a list under an element starts right of the section's dashes, never at column 0",
    "read_plain: `content = stripped[1:].lstrip(' ')`: 1 -> 2":
        'after `- ` the space is stripped anyway',
    "read_plain: `if not content or content[0] == '#'`: '#' -> ''":
        'a `- #` entry is refused a line later anyway: `#` cannot start an id, and `# c` is no `key: value`',
    'read_plain: `if sub_column < 0`: sub_column < 0 -> sub_column <= 0':
        "a list under an element starts right of the section's dashes, never at column 0",
    'read_plain: `if sub_column < 0`: 0 -> 1':
        "a list under an element starts right of the section's dashes, never at column 0",
    "read_plain: `content = stripped[1:].lstrip(' ')`: 1 -> 2 (#2)":
        'after `- ` the space is stripped anyway',
    "read_plain: `if not content or content[0] == '#'`: if not content or content[0] == '#' -> if False (#2)":
        'an empty entry or a `- #` entry is refused a moment later anyway: neither is a `key: value`',
    "read_plain: `if not content or content[0] == '#'`: '#' -> '' (#2)":
        'a `- #` entry is refused a moment later anyway: `# c` is no `key: value`',
    'read_plain: `if dash_column < 0`: if dash_column < 0 -> if False':
        'accepts more and stays right: a section with nothing below it, followed by a key, is null, which the exact route reads as no elements and no finding',
    'read_plain: `if dash_column < 0`: 0 -> -1':
        'accepts more and stays right: a section with nothing below it, followed by a key, is null, which the exact route reads as no elements and no finding',
    'read_plain: `fields, required, section, dash_column = (F.SECTIONS[key], _REQUIRE...`: 1 -> 2':
        'any negative value marks a list with no dash yet',
    "read_plain: `if value and value[0] in _TEXT_START and (value[-1] not in ': ') an...`: if value and value[0] in _TEXT_START and (value[-1] not in ': ') and (' #' not in value... -> if False":
        "the hot path is the general path's commonest case written out for speed: without it the general path gives the same",
    "read_plain: `if value and value[0] in _TEXT_START and (value[-1] not in ': ') an...`: ' #' -> ''":
        "the hot path is the general path's commonest case written out for speed: without it the general path gives the same",
    "read_plain: `if value and value[0] in _TEXT_START and (value[-1] not in ': ') an...`: ': ' -> '' (#2)":
        "the hot path is the general path's commonest case written out for speed: without it the general path gives the same",
    'read_plain: `if kind == TEXT`: if kind == TEXT -> if False':
        "the hot path is the general path's commonest case written out for speed: without it the general path gives the same",
    'read_plain: `if kind == ID`: if kind == ID -> if False':
        "the hot path is the general path's commonest case written out for speed: without it the general path gives the same",
    'read_plain: `if kind == CHOICE`: if kind == CHOICE -> if False':
        "the hot path is the general path's commonest case written out for speed: without it the general path gives the same",
    'read_plain: `if kind in _REMEMBERED_KINDS and value`: if kind in _REMEMBERED_KINDS and value -> if False':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    'read_plain: `if read is None`: if read is None -> if True':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    'read_plain: `if read is not None and len(value) <= 40 and (len(_READ_BEFORE) < _...`: if read is not None and len(value) <= 40 and (len(_READ_BEFORE) < _READ_BEFORE_MAX) -> if True':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    'read_plain: `if read is not None and len(value) <= 40 and (len(_READ_BEFORE) < _...`: if read is not None and len(value) <= 40 and (len(_READ_BEFORE) < _READ_BEFORE_MAX) -> if False':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    'read_plain: `if read is not None and len(value) <= 40 and (len(_READ_BEFORE) < _...`: read is not None and len(value) <= 40 and (len(_READ_BEFORE) < _READ_BEFORE_MAX) -> read is not None or len(value) <= 40 or len(_READ_BEFORE) < _READ_BEFORE_MAX':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    'read_plain: `if read is not None and len(value) <= 40 and (len(_READ_BEFORE) < _...`: read is not None -> read is None':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    'read_plain: `if read is not None and len(value) <= 40 and (len(_READ_BEFORE) < _...`: len(value) <= 40 -> len(value) < 40':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    'read_plain: `if read is not None and len(value) <= 40 and (len(_READ_BEFORE) < _...`: 40 -> 41':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    'read_plain: `if read is not None and len(value) <= 40 and (len(_READ_BEFORE) < _...`: 40 -> 39':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    'read_plain: `if read is not None and len(value) <= 40 and (len(_READ_BEFORE) < _...`: len(_READ_BEFORE) < _READ_BEFORE_MAX -> len(_READ_BEFORE) <= _READ_BEFORE_MAX':
        "a memo's size or use changes, not the value it gives: the conversion it remembers answers the same",
    'read_plain: `sub, sub_items, sub_column = (key, [], -1)`: 1 -> 2':
        'any negative value marks a list with no dash yet',
    'read_plain: `if sub_column < 0`: sub_column < 0 -> sub_column <= 0 (#2)':
        "a list under an element starts right of the section's dashes, never at column 0",
    'read_plain: `if sub_column < 0`: 0 -> 1 (#2)':
        "a list under an element starts right of the section's dashes, never at column 0",
    '<module>: `_UNKNOWN = 0`: 0 -> 1':
        "the unknown keys' place in an element's values: any key no field has (fields are text) works",
    '<module>: `_UNKNOWN = 0`: 0 -> -1':
        "the unknown keys' place in an element's values: any key no field has (fields are text) works",
    '_unknown_keys: `return collector.findings() if count else []`: if count -> if True':
        'with no unknown key the collector is empty, and its findings are []',
}
