"""Attacks on a live `eventql serve` over loopback, with a probe that watches the server.

`attacks` writes the hostile requests of issue 17 and sends them; `probe` times a small query
and `/healthz` while they run; `measure` reads the server's memory and CPU and PostgreSQL's
busy backends; `harness` runs one attack against a fresh server and says what went wrong.
`tests/test_adversarial.py` asserts on it in CI; `python -m tests.adversarial` prints figures.
"""
