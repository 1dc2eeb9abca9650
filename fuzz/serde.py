"""Fuzz harness `serde`: see `invariants.serde` for what it checks.

Usage: ``python fuzz/serde.py -max_total_time=60 <corpus dir>`` (or ``python fuzz/run.py serde``).
"""

from harness import main

if __name__ == "__main__":
    main("serde")
