"""Drop and create a PostgreSQL benchmark database: recreate_database.py URL NAME."""

import sys

import psycopg
from psycopg import sql

admin_url, name = sys.argv[1], sys.argv[2]
if "bench" not in name:
    sys.exit(f"Refusing to recreate {name!r}: benchmark databases have 'bench' in it")
with psycopg.connect(admin_url, autocommit=True) as connection:
    drop = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
    connection.execute(drop)
    connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
sys.stdout.write(f"Recreated database {name}\n")
