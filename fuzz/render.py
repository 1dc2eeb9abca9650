"""Fuzz harness `render`: see `invariants.render` for what it checks.

Usage: ``python fuzz/render.py -max_total_time=60 <corpus dir>`` (or ``python fuzz/run.py render``).
"""

from harness import main

if __name__ == "__main__":
    main("render")
