"""One fresh database per test, cloned from a template that holds the schema.

The schema is built once per session from the models; a separate test proves that the
migrations build the same schema. Cloning a template is much faster than creating tables.
"""
from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import sqlalchemy as sa

_counter = itertools.count()


def backend() -> str:
    return os.environ.get("TERROIR_TEST_DB", "sqlite")


def build_schema(url: str) -> None:
    from marketplace.extensions import db
    from marketplace import models  # noqa: F401

    engine = sa.create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()


class SqliteDatabases:
    def __init__(self, folder: Path):
        self.folder = folder
        self.template = folder / "template.sqlite3"
        build_schema(f"sqlite:///{self.template}")

    def new(self) -> str:
        path = self.folder / f"test-{next(_counter)}.sqlite3"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"


class PostgresDatabases:
    def __init__(self, cluster):
        self.cluster = cluster
        admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE terroir_template")
        admin.dispose()
        build_schema(cluster.url("terroir_template"))
        self.admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")

    def new(self) -> str:
        name = f"test_{next(_counter)}"
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE terroir_template")
        return self.cluster.url(name)

    def close(self) -> None:
        self.admin.dispose()
