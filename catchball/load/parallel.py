"""Reading many goals files on every core, merged in read order all the same.

Each file is read on its own (reader.py: bytes in, FileGoals out), so a
large repository is shared out among worker processes. The workers send
back plain records (load/records.py: lists of text and numbers, the span's
file said once per file), because pickling the model's frozen dataclasses costs more
than reading the YAML: at 20,000 staff it made two processes slower than
one (measured; docs/performance.md).

Workers are forked, so they start in milliseconds with everything already
imported; where fork is not the safe default (macOS, Windows) files are read
in this process. Small repositories are read here too: below MIN_FILES files
or MIN_BYTES bytes the start-up is not worth it. CATCHBALL_WORKERS sets the
number of processes (1 reads everything here).

Each worker has a pipe of its own and shares nothing else with the others,
so a worker that crashes or is killed leaves no lock held for anyone to wait
on, and the parent sees it go. multiprocessing.Pool shares two queues and
their locks among all workers: a worker killed outright (the out-of-memory
killer) makes its imap wait for ever, and its terminate() after a worker's
exception goes through three helper threads; a test of that path once hung
for two minutes on a loaded machine.
"""

from __future__ import annotations

import os
import sys
from typing import Callable, Iterator

from catchball.errors import FileBug, file_being_read
from catchball.findings import Finding
from catchball.load.discover import GoalsRoot
from catchball.load.reader import FileGoals
from catchball.load.records import pack, unpack

MIN_FILES = 64
MIN_BYTES = 2 * 1024 * 1024
MAX_WORKERS = 8
WORKERS_VARIABLE = "CATCHBALL_WORKERS"

ReadOne = Callable[[GoalsRoot, str], "FileGoals | list"]


def worker_count(root: GoalsRoot, files: list[str]) -> int:
    """How many processes should read these files (1: read them here)."""
    wanted = os.environ.get(WORKERS_VARIABLE, "").strip()
    if wanted:
        try:
            return max(1, min(int(wanted), 64))
        except ValueError:
            pass
    if not sys.platform.startswith("linux") or len(files) < MIN_FILES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores < 2:
        return 1
    size = 0
    for relative in files:
        try:
            size += os.stat(root.path / relative).st_size
        except OSError:
            continue
        if size >= MIN_BYTES:
            return min(cores, MAX_WORKERS)
    return 1


def read_parallel(
    root: GoalsRoot, files: list[str], workers: int, read_one: ReadOne, note: Callable | None = None,
    after: Callable | None = None, later: list | None = None, then: Callable | None = None,
) -> Iterator[FileGoals]:
    """FileGoals of each file, in the order given, read by `workers` forked processes.

    `read_one(root, relative)` may give a FileGoals or its record already
    packed (as the loader's does, having packed it for the parse cache).
    With `note` and `after`, each worker also keeps note(record) of each file
    it reads (unless None), and once it has read its last file works out
    after(kept) for each, while this process goes on with what it reads:
    the loader reads there the CSV files of measure data that a goals file
    names, while the check's first rules run. The workers are then handed
    to `later` (a list) as one Afterwards, whose collect() gives the lists
    after() returned, joined. With `then` too, each worker calls then()
    once it has sent that (the loader writes there the cache entries it
    held), and Afterwards.wait() waits for it.
    """
    kept: list = []  # in each forked worker, that worker's own list
    if later is None:
        note = after = then = None

    def job(relative: str):
        record = _record(read_one(root, relative))
        if note is not None:
            noted = note(record)
            if noted is not None:
                kept.append(noted)
        return record

    def tail() -> list:
        return [pair for noted in kept for pair in after(noted)]

    tail = tail if after is not None else None
    for record in forked_map(files, workers, job, root.display_path, tail, later, then):
        yield unpack(record)


def _record(read) -> list:
    return pack(read) if isinstance(read, FileGoals) else read


def forked_map(
    items: list, workers: int, job: Callable, name: Callable[[object], str], tail: Callable | None = None,
    later: list | None = None, then: Callable | None = None,
) -> Iterator:
    """job(item) for each item, in the order given, computed by `workers` forked processes.

    What `job` returns must pickle (it comes back through a pipe). Each worker
    has a pipe of its own and is given a chunk of items at a time (two ahead,
    so it never waits); chunks come back in any order and are yielded in
    order. An item `job` crashes on is a FileBug naming `name(item)`, and so
    is a worker that dies (the kernel's out-of-memory killer, a signal): both
    stop the run at once, and every worker is killed, not waited for. Goals
    files (read_parallel) and measure data files (measure_data) share it.

    With `tail`, each worker calls tail() once it has been told there are no
    more items, and the workers go on to `later` as an Afterwards rather than
    being stopped: its collect() gives what each tail() returned. Each
    then calls then() (its failure is nobody's: it is told nothing), which
    Afterwards.wait() waits for.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    if later is None:
        tail = then = None  # nobody to collect it
    context = multiprocessing.get_context("fork")
    size = max(1, min(32, len(items) // (workers * 8)))
    chunks = [items[at:at + size] for at in range(0, len(items), size)]
    crew: list[_Worker] = []
    finished = False
    try:
        for _ in range(min(workers, len(chunks))):
            crew.append(_Worker.start(context, job, name, tail, then))
        given = 0

        def give(worker: _Worker) -> None:
            nonlocal given
            if given < len(chunks):
                worker.give(given, chunks[given])
                given += 1
            if given == len(chunks) and tail is not None:
                # Nothing left to give: each worker reads its tail once it has
                # worked through its chunks, while this process goes on with them.
                for one in crew:
                    one.finish()

        for _ in range(2):
            for worker in crew:
                give(worker)
        back: dict[int, list] = {}
        for index in range(len(chunks)):
            while index not in back:
                busy = [worker for worker in crew if worker.chunks]  # never empty: chunk `index` is out
                wait([worker.pipe for worker in busy] + [worker.process.sentinel for worker in busy])
                for worker in busy:
                    done = worker.take(chunks, name)
                    if done is not None:
                        back[done[0]] = done[1]
                        give(worker)
            yield from back.pop(index)
        finished = True
        if tail is not None:
            later.append(Afterwards(crew))
            crew = []
    finally:
        for worker in crew:
            worker.stop(finished)


class Afterwards:
    """Workers working out their tail(), to be collected once this process needs what they found."""

    def __init__(self, crew: list[_Worker]) -> None:
        self.crew = crew

    def collect(self) -> list:
        """What every worker's tail() returned, one list after another (raises FileBug for a crash).

        The workers may still be at their then(): wait() or close() ends them
        (on a crash, every one is killed here).
        """
        found: list = []
        try:
            for worker in self.crew:
                found.extend(worker.last_word())
        except BaseException:
            self.close()
            raise
        return found

    def wait(self, seconds: float = 60) -> None:
        """Wait for the workers to end, each at most `seconds` (then it is killed)."""
        crew, self.crew = self.crew, []
        for worker in crew:
            worker.process.join(seconds)
            worker.stop(False)

    def close(self) -> None:
        """Kill what is still working (a run that ended early); nothing is waited for."""
        crew, self.crew = self.crew, []
        for worker in crew:
            worker.stop(False)


class _Worker:
    """One forked process, its pipe, and the chunks it has been given (oldest first)."""

    def __init__(self, process, pipe) -> None:
        self.process, self.pipe = process, pipe
        self.chunks: list[int] = []
        self.finished = False  # told there are no more items

    @classmethod
    def start(cls, context, job: Callable, name: Callable, tail: Callable | None = None,
              then: Callable | None = None) -> _Worker:
        ours, theirs = context.Pipe()
        # Forked: `job` reaches the child as it is in memory, never pickled.
        process = context.Process(target=_work, args=(theirs, job, name, tail, then), daemon=True)
        process.start()
        theirs.close()
        return cls(process, ours)

    def give(self, index: int, chunk: list) -> None:
        self.chunks.append(index)
        try:
            self.pipe.send(chunk)
        except OSError:
            pass  # it has died (a broken pipe): `take` reports it, naming the chunk it was on

    def take(self, chunks: list[list], name: Callable) -> tuple[int, list] | None:
        """(chunk index, its results) if this worker has sent one back; raises FileBug for a crash."""
        if not self.pipe.poll():
            if self.process.exitcode is None:
                return None
            message = None  # it died without a word
        else:
            try:
                message = self.pipe.recv()
            except (EOFError, OSError):
                message = None
        if message is None:
            self.process.join(1)
            chunk = chunks[self.chunks[0]]  # a worker works through its chunks in the order given: the oldest one
            after = f" or one of the {len(chunk) - 1} files after it" if len(chunk) > 1 else ""
            summary = f"a reading process stopped (exit code {self.process.exitcode}) reading this file{after}"
            raise FileBug(name(chunk[0]), summary, "")
        if isinstance(message, FileBug):
            raise message
        return self.chunks.pop(0), message

    def finish(self) -> None:
        """Tell a worker there are no more items (once): it works out its tail() and sends it."""
        if self.finished:
            return
        self.finished = True
        try:
            self.pipe.send(None)
        except OSError:
            pass  # it has died: last_word reports it

    def last_word(self) -> list:
        """What the worker's tail() returned; raises FileBug for a crash or a worker that died."""
        try:
            message = self.pipe.recv()
        except (EOFError, OSError):
            message = None
        if isinstance(message, FileBug):
            raise message
        if message is None:
            self.process.join(1)
            raise FileBug("measure data", f"a reading process stopped (exit code {self.process.exitcode}) "
                          "reading the measure data beside its goals files", "")
        return message

    def stop(self, finished: bool) -> None:
        """Ask a worker that did its share to leave; kill one stopped half-way (never wait on it)."""
        if finished and not self.finished:
            try:
                self.pipe.send(None)
            except OSError:
                pass
            self.process.join(5)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join(5)
        self.pipe.close()


def _work(pipe, job: Callable, name: Callable, tail: Callable | None = None, then: Callable | None = None) -> None:
    """A worker's loop: chunks of items in, their results (or a FileBug) out, until None; then its tail(),
    and once that is sent, then()."""
    while True:
        try:
            chunk = pipe.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if chunk is None:
            break
        results = []
        for item in chunk:
            try:
                results.append(job(item))
            except Exception as exc:
                results = _bug(name(item), exc)
                break
        try:
            pipe.send(results)
        except (OSError, KeyboardInterrupt):
            return
    if tail is None:
        return
    _behind_the_parent()
    try:
        found = tail()
    except Exception as exc:
        found = _bug(file_being_read() or "measure data", exc)
    try:
        pipe.send(found)
    except (OSError, KeyboardInterrupt):
        return
    if then is not None:
        try:
            then()
        except Exception:  # the cache's writes: the run has its answer, and a cache never fails it
            pass


TAIL_NICENESS = 5  # weight about a third of the parent's, under Linux's scheduler


def _behind_the_parent() -> None:
    """Run this worker's tail behind the parent, which runs the check's first rules meanwhile.

    On two cores, two tails and the parent's rules are three processes: at
    equal priority the rules, which every run waits for, got two thirds of
    a core. The tails are collected only after those rules, so they can
    take what CPU the rules leave. A worker's priority cannot be raised
    again, and it ends after its tail.
    """
    try:
        os.nice(TAIL_NICENESS)
    except (AttributeError, OSError):  # no nice() here, or not allowed: the tail runs as it is
        pass


def _bug(file: str, exc: Exception) -> FileBug:
    # Sent back as a FileBug: the parent reports the file and, with --debug,
    # this process's traceback (the bare exception would lose both).
    import traceback

    return FileBug(file, f"{type(exc).__name__}: {exc}", traceback.format_exc())
