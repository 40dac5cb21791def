"""The one exception family of catchball.

Problems in the user's goals are findings, never exceptions. A
CatchballError means the command itself cannot run (no such path, no goals,
bad settings, bad options); the CLI turns it into one line and exit code 2.
"""


class CatchballError(Exception):
    """The command could not run. The message is one line for the user."""


class SettingsError(CatchballError):
    """catchball.yaml or a command-line rule option is not usable."""


class NoGoalsError(CatchballError):
    """The goals root does not exist or holds no goals file."""
