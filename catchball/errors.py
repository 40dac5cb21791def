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


class FileBug(Exception):
    """An unexpected exception while reading one file, raised again where it can be reported.

    A worker process sends it back instead of the bare exception, so the
    report can name the file and show the worker's traceback.
    """

    def __init__(self, file: str, summary: str, detail: str) -> None:
        super().__init__(file, summary, detail)
        self.file, self.summary, self.detail = file, summary, detail

    def __str__(self) -> str:
        return self.summary


class _Reading:
    file: str | None = None


_READING = _Reading()


class reading:
    """`with reading(path):` names the file being read for an internal-error report.

    On an exception the name is deliberately left in place, so the CLI's
    last-resort handler can say which file was being read.
    """

    def __init__(self, file: str) -> None:
        self.file = file

    def __enter__(self) -> None:
        self.previous, _READING.file = _READING.file, self.file

    def __exit__(self, kind, value, traceback) -> bool:
        if kind is None:
            _READING.file = self.previous
        return False


def file_being_read() -> str | None:
    """The file being read when an unexpected exception left `reading`, if any."""
    return _READING.file


def forget_file_being_read() -> None:
    _READING.file = None
