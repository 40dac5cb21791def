"""catchball's own report templates (docs/templates.md).

This folder is the one copy. pyproject.toml ships it as the package
`catchball.templates`, so a wheel and an editable install both find it;
the file exists only so that the import system sees a package here.
"""
