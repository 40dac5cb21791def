"""Surviving mutants of catchball/load/plain.py that no input can tell from the original.

Each key is what run_mutants.py prints for a mutant (the function, the statement, the
change); each value says why the change makes no difference to what compose_plain
returns or refuses. A survivor that is not here is a gap in the tests: add a test that
kills it (tests/test_parse_paths.py) rather than a line here.
"""

EQUIVALENT: dict[str, str] = {
    '<module>: `_NO_RESOLVER = frozenset((chr(c) for c in range(32, 127) if chr(c) ...`: if None not in _RESOLVERS -> if True':
        'PyYAML registers no implicit resolver under None: the condition is always true',
    '<module>: `_NO_RESOLVER = frozenset((chr(c) for c in range(32, 127) if chr(c) ...`: if None not in _RESOLVERS -> if False':
        'an empty _NO_RESOLVER only sends every scalar through resolve_plain, which gives the same tag',
    '<module>: `_NO_RESOLVER = frozenset((chr(c) for c in range(32, 127) if chr(c) ...`: None not in _RESOLVERS -> None in _RESOLVERS':
        'as `if False`: an empty _NO_RESOLVER only makes resolving slower',
    '<module>: `_NO_RESOLVER = frozenset((chr(c) for c in range(32, 127) if chr(c) ...`: 32 -> 33':
        'the space never starts a value (values are stripped); it only leaves the shortcut for resolve_plain',
    '<module>: `_NO_RESOLVER = frozenset((chr(c) for c in range(32, 127) if chr(c) ...`: 32 -> 31':
        'chr(31) is refused by _UNUSUAL before any value is read',
    '<module>: `_NO_RESOLVER = frozenset((chr(c) for c in range(32, 127) if chr(c) ...`: 127 -> 128':
        'DEL (chr(127)) is refused by _UNUSUAL before any value is read',
    '<module>: `_NO_RESOLVER = frozenset((chr(c) for c in range(32, 127) if chr(c) ...`: 127 -> 126':
        '`~` has a resolver (null), so it was never in _NO_RESOLVER',
    '<module>: `_SHORT_MAX = 50000`: 50000 -> 50001':
        "a memo's size or use changes, not the tag it gives: resolve_plain answers the same",
    '<module>: `_SHORT_MAX = 50000`: 50000 -> 49999':
        "a memo's size or use changes, not the tag it gives: resolve_plain answers the same",
    '_tag_of: `if value[0] in _NO_RESOLVER`: if value[0] in _NO_RESOLVER -> if False':
        'without the shortcut _tag_of asks resolve_plain, which gives str for those characters too',
    '_tag_of: `if tag is None`: if tag is None -> if True':
        "a memo's size or use changes, not the tag it gives: resolve_plain answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: if len(value) <= 16 and len(_SHORT) < _SHORT_MAX -> if True':
        "a memo's size or use changes, not the tag it gives: resolve_plain answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: if len(value) <= 16 and len(_SHORT) < _SHORT_MAX -> if False':
        "a memo's size or use changes, not the tag it gives: resolve_plain answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: len(value) <= 16 and len(_SHORT) < _SHORT_MAX -> len(value) <= 16 or len(_SHORT) < _SHORT_MAX':
        "a memo's size or use changes, not the tag it gives: resolve_plain answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: len(value) <= 16 -> len(value) < 16':
        "a memo's size or use changes, not the tag it gives: resolve_plain answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: 16 -> 17':
        "a memo's size or use changes, not the tag it gives: resolve_plain answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: 16 -> 15':
        "a memo's size or use changes, not the tag it gives: resolve_plain answers the same",
    '_tag_of: `if len(value) <= 16 and len(_SHORT) < _SHORT_MAX`: len(_SHORT) < _SHORT_MAX -> len(_SHORT) <= _SHORT_MAX':
        "a memo's size or use changes, not the tag it gives: resolve_plain answers the same",
    "_value: `if end < 0 or '\\\\' in text[1:end]`: end < 0 -> end <= 0":
        'find() from index 1 never returns 0',
    "_value: `if end < 0 or '\\\\' in text[1:end]`: 0 -> 1":
        'end is -1 or at least 1: `end < 1` is `end < 0`',
    "_value: `if end < 0 or '\\\\' in text[1:end]`: 0 -> -1":
        'with no closing quote (end -1) the text then fails _nothing_but_comment(text, 0): it starts with the quote',
    "_value: `if end < 0 or '\\\\' in text[1:end]`: 1:end -> 1:end + 1":
        'the one more character checked for a backslash is the closing quote',
    "_value: `if end < 0 or '\\\\' in text[1:end]`: 1 -> 0":
        'the one more character checked for a backslash is the opening quote',
    "_value: `value = (text if hash_at < 0 else text[:hash_at]).rstrip(' ')`: hash_at < 0 -> hash_at <= 0":
        'the text after `key: ` or `- ` never starts with a space, so ` #` is never at 0',
    "_value: `value = (text if hash_at < 0 else text[:hash_at]).rstrip(' ')`: 0 -> 1":
        'the text after `key: ` or `- ` never starts with a space, so ` #` is never at 0',
    "_value: `value = (text if hash_at < 0 else text[:hash_at]).rstrip(' ')`: :hash_at -> :hash_at + 1":
        'the one more character kept is the space before `#`, which rstrip removes',
    '_value: `tag = _tag_of(value) if value else _NULL`: if value -> if True':
        '_value never gets an empty value part: text starting with `#` is an indicator, refused before',
    "_nothing_but_comment: `if tail and (not (tail[0] == '#' and len(tail) < len(rest)))`: len(tail) < len(rest) -> len(tail) <= len(rest)":
        'libyaml also reads `"x"#c`, `\'x\'#c` and `[A]#c` as the scalar or list and a comment: accepting them reads them the same',
    '_flow_list: `if end < 0`: if end < 0 -> if False':
        'with no `]` (end -1) the text then fails _nothing_but_comment(text, 0): it starts with `[`',
    '_flow_list: `if end < 0`: end < 0 -> end <= 0':
        'find() never returns 0 here: text[0] is `[`',
    '_flow_list: `if end < 0`: 0 -> 1':
        'end is -1 or at least 1: `end < 1` is `end < 0`',
    '_flow_list: `if end < 0`: 0 -> -1':
        'as `if False`: with no `]` the text fails _nothing_but_comment(text, 0)',
    '_flow_list: `if tag not in _PLAIN_TAGS`: if tag not in _PLAIN_TAGS -> if False':
        'a flow-list item matches _FLOW_ITEM (letter, digit or _ first), so it never resolves to `=`, the one tag outside _PLAIN_TAGS',
    '<module>: `_KEYS_MAX = 10000`: 10000 -> 10001':
        "the key memo's size or use changes, not the check or the tag: _KEY and resolve_plain answer the same",
    '<module>: `_KEYS_MAX = 10000`: 10000 -> 9999':
        "the key memo's size or use changes, not the check or the tag: _KEY and resolve_plain answer the same",
    '_key_tag: `if tag is None`: if tag is None -> if True':
        "the key memo's size or use changes, not the check or the tag: _KEY and resolve_plain answer the same",
    '_key_tag: `if len(_KEYS) < _KEYS_MAX`: if len(_KEYS) < _KEYS_MAX -> if True':
        "the key memo's size or use changes, not the check or the tag: _KEY and resolve_plain answer the same",
    '_key_tag: `if len(_KEYS) < _KEYS_MAX`: if len(_KEYS) < _KEYS_MAX -> if False':
        "the key memo's size or use changes, not the check or the tag: _KEY and resolve_plain answer the same",
    '_key_tag: `if len(_KEYS) < _KEYS_MAX`: len(_KEYS) < _KEYS_MAX -> len(_KEYS) <= _KEYS_MAX':
        "the key memo's size or use changes, not the check or the tag: _KEY and resolve_plain answer the same",
    "_document_marker: `if stripped[0] == '%'`: if stripped[0] == '%' -> if False":
        'a line at column 0 starting with `%` is neither a key (_KEY) nor a list entry: refused either way',
    "_document_marker: `if stripped[0] == '%'`: '%' -> ''":
        'as `if False`: a `%` line is refused as a key',
    '_document_marker: `return True`: return True -> return None':
        'None is false, as the line is then not a marker: a `%` line is refused as a key',
    "_document_marker: `return stripped[:3] in ('---', '...') and (len(stripped) == 3 or st...`: '...' -> ''":
        'a line at column 0 starting with `...` is neither a key (_KEY) nor a list entry: refused either way',
    "compose_plain: `if '\\r' in text`: if '\\r' in text -> if True":
        'replacing CRLF in text with no CR changes nothing',
    "compose_plain: `if '\\r' in text`: '\\r' -> ''":
        "`'' in text` is always true: replacing CRLF in text with no CR changes nothing",
    "compose_plain: `content = stripped[1:].lstrip(' ')`: 1 -> 2":
        'stripped[1] after a dash is always the space, which lstrip removes anyway',
    'compose_plain: `if value[0] in _PLAIN_START_BAD`: if value[0] in _PLAIN_START_BAD -> if True':
        '_value reads a plain value exactly as this branch does (the branch is its plain case written out for speed)',
    'compose_plain: `if hash_at >= 0`: hash_at >= 0 -> hash_at > 0':
        'the value after `key: ` never starts with a space, so ` #` is never at 0',
    'compose_plain: `if hash_at >= 0`: 0 -> 1':
        'the value after `key: ` never starts with a space, so ` #` is never at 0',
    'compose_plain: `value = value[:hash_at]`: :hash_at -> :hash_at + 1':
        'the one more character kept is the space before `#`, which rstrip removes',
    'compose_plain: `if value[0] in _NO_RESOLVER`: if value[0] in _NO_RESOLVER -> if False':
        '_tag_of takes the same shortcut for a first character no resolver looks at',
}
