"""Fuzz harness `parse_bytes`: see `invariants.parse_bytes` for what it checks.

Usage: ``python fuzz/parse_bytes.py -max_total_time=60 <corpus dir>`` (or ``python fuzz/run.py parse_bytes``).
"""

from harness import main

if __name__ == "__main__":
    main("parse_bytes")
