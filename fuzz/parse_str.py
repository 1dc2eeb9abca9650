"""Fuzz harness `parse_str`: see `invariants.parse_str` for what it checks.

Usage: ``python fuzz/parse_str.py -max_total_time=60 <corpus dir>`` (or ``python fuzz/run.py parse_str``).
"""

from harness import main

if __name__ == "__main__":
    main("parse_str")
