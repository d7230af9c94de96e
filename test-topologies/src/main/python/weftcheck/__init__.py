"""Weft on the test bed: a standard-library REST client (rest), what a running bed registers with Weft
(registration), pings and bounded polls (probe), and the topology checks (checks). Used by weft.py (mn --custom),
check.py and bench_mesh.py; the bed itself (weftbed) knows nothing about Weft.
"""
