"""Benchmarks: a synthetic corpus generator (`bench.synth`) and the pipeline harness (`bench.harness`).

Nothing here is part of the pipeline; it only drives it (through the same functions and command
line a user runs) and measures it.
"""
