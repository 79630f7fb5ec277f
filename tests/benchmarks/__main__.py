"""`python -m tests.benchmarks`: see `tests.benchmarks.run`."""

from tests.benchmarks.run import main

main()
