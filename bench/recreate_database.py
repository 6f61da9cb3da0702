"""Drop and create a PostgreSQL database for a benchmark: recreate_database.py URL NAME."""

import sys

import psycopg
from psycopg import sql

admin_url, name = sys.argv[1], sys.argv[2]
if "bench" not in name:
    sys.exit(
        f"Refusing to recreate {name!r}: benchmark databases have 'bench' in the name"
    )
with psycopg.connect(admin_url, autocommit=True) as connection:
    connection.execute(
        sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
    )
    connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
print(f"Recreated database {name}")
