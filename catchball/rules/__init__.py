"""Rules: one module per family, each rule registered under its stable code.

Import `catchball.rules.registry` and call `all_rules()`; rule modules never
import each other.
"""
