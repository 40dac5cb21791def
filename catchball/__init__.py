"""catchball: check and show a Hoshin Kanri strategy cascade kept as YAML."""

__version__ = "0.1.0"
