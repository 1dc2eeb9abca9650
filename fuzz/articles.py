"""Fuzz harness `articles`: see `invariants.articles` for what it checks.

Usage: ``python fuzz/articles.py -max_total_time=60 <corpus dir>`` (or ``python fuzz/run.py articles``).
"""

from harness import main

if __name__ == "__main__":
    main("articles")
