"""A folder of articles to JSON Lines, then a table of articles per category and month in pandas and DuckDB.

Run it from anywhere: ``python examples/jsonl_table.py [FOLDER]`` (default:
examples/articles). The folder's articles are written with
``newsarticle.write_collection(articles, "jsonl", path)``, one JSON object per
line, as ``newsarticle convert FOLDER -t jsonl -o articles.jsonl`` does on the
command line. pandas reads the file into a table of articles (rows: categories,
columns: months, ``YYYY-MM``), and DuckDB answers the same question in SQL,
straight from the file. Both come with newsarticle's ``dask`` and ``test`` extras.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

import newsarticle

ARTICLES = Path(__file__).resolve().parent / "articles"
NO_CATEGORY = "(none)"
NO_DATE = "(no date)"


def write_jsonl(folder: Path, target: Path) -> int:
    """Write every ``*.txt`` under ``folder`` to ``target`` as JSON Lines; return how many articles."""
    articles = (
        newsarticle.parse_file(path, source=str(path.relative_to(folder)), on_diagnostic=lambda _: None)
        for path in sorted(folder.rglob("*.txt"))
    )
    return newsarticle.write_collection(articles, "jsonl", target)


def pandas_table(jsonl: Path) -> pd.DataFrame:
    """Articles per category (rows) and month (columns), with totals."""
    frame = pd.read_json(jsonl, lines=True, dtype={"published": "string", "category": "string"})
    month = frame["published"].str.slice(0, 7).fillna(NO_DATE)
    category = frame["category"].fillna(NO_CATEGORY)
    return pd.crosstab(category.rename("category"), month.rename("month"), margins=True, margins_name="total")


def duckdb_table(jsonl: Path) -> list[tuple[str, str, int]]:
    """(month, category, articles) for every month and category that has articles, newest month first."""
    query = f"""
        SELECT coalesce(strftime(published, '%Y-%m'), '{NO_DATE}') AS month,
               coalesce(category, '{NO_CATEGORY}') AS category,
               count(*) AS articles
        FROM read_json(?, format = 'newline_delimited', columns = {{published: 'DATE', category: 'VARCHAR'}})
        GROUP BY ALL
        ORDER BY month DESC, category
    """
    return [(str(m), str(c), int(n)) for m, c, n in duckdb.execute(query, [str(jsonl)]).fetchall()]


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ARTICLES
    with tempfile.TemporaryDirectory() as scratch:
        jsonl = Path(scratch) / "articles.jsonl"
        count = write_jsonl(folder, jsonl)
        print(f"{count} articles from {folder} to JSON Lines\n")
        print("Articles per category and month (pandas):")
        print(pandas_table(jsonl).to_string())
        print("\nThe same in DuckDB SQL, newest month first:")
        for month, category, articles in duckdb_table(jsonl):
            print(f"{month}  {category:<20} {articles}")


if __name__ == "__main__":
    main()
