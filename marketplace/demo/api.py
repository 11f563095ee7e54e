"""Demo API tokens with known secrets, so that the README's curl examples work on `make run`.

Only demo data: real tokens are random and shown once (see api/tokens.py).
"""
from __future__ import annotations

import click
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.api.models import ApiToken, TokenScope
from marketplace.api.tokens import hash_of
from marketplace.cooperatives.models import Cooperative
from marketplace.core.database import write_transaction
from marketplace.demo.people import DEMO_COOPERATIVES, credit_code_for
from marketplace.extensions import db

#: The Longjing cooperative's write token and the supervisor's export token (demo only).
DEMO_WRITE_TOKEN = "trr_demo-longjing-stock-sheet-write-token"
DEMO_EXPORT_TOKEN = "trr_demo-supervisor-regulator-export-token"


def _token(secret: str, name: str, scope: TokenScope, user: User, cooperative_id: int | None) -> None:
    if db.session.scalar(select(ApiToken.id).where(ApiToken.token_hash == hash_of(secret))) is None:
        db.session.add(ApiToken(name=name, token_hash=hash_of(secret), prefix=secret[:10], scope=scope,
                                user_id=user.id, cooperative_id=cooperative_id))


def load() -> None:
    owner_email, _name, county, body, _address, _description = DEMO_COOPERATIVES[0]
    with write_transaction():
        cooperative = db.session.scalar(select(Cooperative).where(
            Cooperative.credit_code == credit_code_for(county, body)))
        owner = db.session.scalar(select(User).where(User.email == owner_email))
        supervisor = db.session.scalar(select(User).where(User.email == "supervisor@terroir.demo"))
        if cooperative is not None and owner is not None:
            _token(DEMO_WRITE_TOKEN, "演示库存表 (demo stock sheet)", TokenScope.WRITE, owner, cooperative.id)
        if supervisor is not None:
            _token(DEMO_EXPORT_TOKEN, "演示导出 (demo export)", TokenScope.EXPORT, supervisor, None)
    click.echo(f"API tokens: {DEMO_WRITE_TOKEN} (Longjing cooperative, write), "
               f"{DEMO_EXPORT_TOKEN} (supervisor, export)")
