"""The ``wirestream`` console script's entry point: it imports nothing until it runs.

A spawned process (a stage's sandbox, a model process) re-runs the script that started its parent
before it unpickles its work: that is how ``multiprocessing`` finds ``__main__`` there. So whatever
the script imports at its top, every such process imports too. The command line imports Beam; its
stages' processes never use it. Importing the command line only when the command runs keeps Beam
out of them (see docs/performance.md for what that saves).
"""

from __future__ import annotations


def main() -> int:
    from wirestream.pipelines.cli import main as run_command

    return run_command()
