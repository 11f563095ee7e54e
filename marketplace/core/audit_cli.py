"""`flask audit verify` and `flask audit app-role-sql`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.core.audit import app_role_grants, verify_chain
from marketplace.core.database import end_read

audit_cli = AppGroup("audit", help="The append-only audit log.")


@audit_cli.command("verify")
@click.option("--expect-head", default=None, help="A head hash printed by an earlier run, to prove "
                                                   "no row was removed from the end since.")
def verify(expect_head: str | None):
    """Prove that no audit row was changed or removed (exit status 1 if one was)."""
    end_read()  # read the log as it is now
    report = verify_chain(expect_head=expect_head)
    for row_id, problem in report.problems:
        click.echo(f"row {row_id}: {problem}" if row_id is not None else problem, err=True)
    if not report.intact:
        raise click.ClickException(f"the audit log is not intact ({len(report.problems)} problem(s) "
                                   f"in {report.checked} rows)")
    click.echo(f"{report.checked} audit rows, chain intact. Head: {report.head or '(empty log)'}")


@audit_cli.command("app-role-sql")
@click.argument("role")
def app_role_sql(role: str):
    """Print the GRANTs (PostgreSQL) for an app role that owns nothing; run them as the owner."""
    for statement in app_role_grants(role):
        click.echo(f"{statement};")
