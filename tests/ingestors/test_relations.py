"""The bridge between dbt Python models and plain Python: what ``write`` stores is exactly the rows given."""

from __future__ import annotations

from datetime import date

import duckdb

from ingestors.domain.relations import read, write

COLUMNS = (("key", "varchar"), ("score", "double"), ("flag", "boolean"), ("rules", "varchar[]"),
           ("n", "bigint"), ("day", "date"))
ROWS = [("a", 1.5, True, ["r1", "r2"], 3, date(2025, 1, 2)),
        ("b", None, None, [], None, None),
        ("c", 2, False, None, -1, date(1999, 12, 31))]  # an int where a double is declared


def test_write_stores_the_rows_with_their_types_and_nulls():
    con = duckdb.connect()
    relation = write(con, "_out", COLUMNS, iter(ROWS))
    assert read(relation) == [dict(zip([c for c, _ in COLUMNS], row, strict=True)) for row in
                              [ROWS[0], ROWS[1], ("c", 2.0, False, None, -1, date(1999, 12, 31))]]
    types = dict(con.execute("select column_name, data_type from duckdb_columns() where table_name = '_out'")
                 .fetchall())
    assert types == {"key": "VARCHAR", "score": "DOUBLE", "flag": "BOOLEAN", "rules": "VARCHAR[]", "n": "BIGINT",
                     "day": "DATE"}


def test_write_without_rows_makes_the_empty_table():
    con = duckdb.connect()
    assert read(write(con, "_empty", COLUMNS, [])) == []
    assert con.execute("select count(*) from _empty").fetchone() == (0,)


def test_write_matches_row_by_row_inserts():
    con = duckdb.connect()
    write(con, "_fast", COLUMNS, ROWS)
    con.execute("create table slow (key varchar, score double, flag boolean, rules varchar[], n bigint, day date)")
    con.executemany("insert into slow values (?, ?, ?, ?, ?, ?)", ROWS)
    assert con.execute("select * from _fast").fetchall() == con.execute("select * from slow").fetchall()
