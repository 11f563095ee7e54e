"""Every write ends through write_transaction: no hand-written commit or rollback elsewhere."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import marketplace

#: The transaction helpers themselves.
HELPERS = Path("core/database.py")


#: What a database transaction is reached through (a search index's writer commits too).
DATABASE_HANDLES = ("session", "savepoint", "transaction", "connection")


def _commits_and_rollbacks(tree: ast.AST):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "rollback")
                and ast.unparse(node.func.value).lower().endswith(DATABASE_HANDLES + ("session()",))):
            yield node.lineno, ast.unparse(node)


def test_no_commit_or_rollback_outside_the_transaction_helpers():
    root = Path(marketplace.__file__).parent
    found = [f"{path.relative_to(root)}:{line}: {call}" for path in sorted(root.rglob("*.py"))
             if path.relative_to(root) != HELPERS
             for line, call in _commits_and_rollbacks(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []


def test_the_scan_finds_a_commit():
    tree = ast.parse("def save():\n    db.session.commit()\n    savepoint.rollback()\n    writer.commit()\n")
    assert [call for _line, call in _commits_and_rollbacks(tree)] == ["db.session.commit()", "savepoint.rollback()"]


def test_a_refusal_inside_write_transaction_leaves_nothing(app, make_user):
    from marketplace.accounts.models import User
    from marketplace.core.database import write_transaction
    from marketplace.core.errors import Conflict
    from marketplace.extensions import db

    def new_user(email):
        user = User(email=email, display_name="Someone")
        user.set_password("correct-horse-battery")
        return user

    with pytest.raises(Conflict), write_transaction():
        db.session.add(new_user("half@example.org"))
        db.session.flush()
        raise Conflict("changed meanwhile")
    assert db.session.scalar(db.select(User).where(User.email == "half@example.org")) is None

    with write_transaction():
        db.session.add(new_user("whole@example.org"))
    db.session.remove()  # read again from the database, not from this session
    assert db.session.scalar(db.select(User).where(User.email == "whole@example.org")) is not None


def test_end_read_refuses_to_drop_unsaved_changes(app, make_user):
    from marketplace.core.database import end_read
    from marketplace.extensions import db

    user = make_user()
    user.display_name = "Changed but not saved"
    with pytest.raises(RuntimeError):
        end_read()
    db.session.rollback()  # the test's own clean-up
