"""`python -m bulletin.print_apart`: lay out the print jobs pickled on its input (bulletin.print_build.
print_apart); a failure's French message on its output, and exit code 1."""

from __future__ import annotations

import pickle
import sys

from .print_build import PrintFailed, render_jobs


def main() -> int:
    jobs = pickle.loads(sys.stdin.buffer.read())  # written by print_apart in the parent: trusted
    try:
        render_jobs(jobs)
    except PrintFailed as exc:
        sys.stdout.write(str(exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
