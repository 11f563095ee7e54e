"""The suite's own footing on a busy machine: fixtures write like the app, mail is waited for, connections close."""
import threading
import time

import sqlalchemy as sa

from marketplace.catalog.models import Listing
from marketplace.extensions import db
from tests.support import databases
from tests.support.factories_orders import fresh


def write_from_another_connection(app, statement: str, hold_seconds: float = 0.0) -> threading.Thread:
    """Commit `statement` from another thread, holding the write lock for `hold_seconds`."""
    started = threading.Event()

    def write():
        with app.app_context():
            with db.engine.connect() as connection:
                if connection.dialect.name == "sqlite":
                    connection.exec_driver_sql("COMMIT")  # the app's BEGIN: take the lock explicitly
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                connection.exec_driver_sql(statement)
                started.set()
                time.sleep(hold_seconds)  # a writer that is slow to commit, as under load
                connection.commit() if connection.in_transaction() else connection.exec_driver_sql("COMMIT")

    thread = threading.Thread(target=write)
    thread.start()
    assert started.wait(30)
    return thread


def test_a_fixture_that_read_before_another_writer_committed_can_still_write(app, make_listing_for_sale):
    listing = make_listing_for_sale(stock=3)
    other = make_listing_for_sale(stock=3)
    assert db.session.get(Listing, listing.id).stock == 3  # the test reads first…
    write_from_another_connection(app, f"UPDATE listings SET stock = 7 WHERE id = {other.id}").join()
    listing.stock = 5  # …then writes after another connection committed
    db.session.commit()
    assert (fresh(Listing, listing.id).stock, fresh(Listing, other.id).stock) == (5, 7)


def test_a_fixture_write_waits_for_a_slow_writer_instead_of_failing(app, make_listing_for_sale):
    listing = make_listing_for_sale(stock=3)
    other = make_listing_for_sale(stock=3)
    db.session.get(Listing, listing.id)
    slow = write_from_another_connection(app, f"UPDATE listings SET stock = 8 WHERE id = {other.id}",
                                         hold_seconds=0.5)
    listing.stock = 4
    db.session.commit()  # waits (busy timeout) for the slow writer, as the app's own writes do
    slow.join()
    assert (fresh(Listing, listing.id).stock, fresh(Listing, other.id).stock) == (4, 8)


def test_reading_mail_waits_for_mail_still_being_delivered(app, monkeypatch, outbox):
    from marketplace.core.mail import send_mail_after_commit
    from marketplace.core.mailer.transports import FolderTransport

    deliver = FolderTransport.send

    def slow_send(self, message, name_hint):
        time.sleep(0.5)  # a relay that takes its time
        deliver(self, message, name_hint)

    monkeypatch.setattr(FolderTransport, "send", slow_send)
    with app.test_request_context("/"):
        send_mail_after_commit("buyer@example.com", "Order T00000001 received", "order_cancelled", name="Buyer",
                               number="T00000001", url="http://127.0.0.1:5000/orders/1")
        db.session.commit()
    assert [message["To"] for message in outbox()] == ["buyer@example.com"]


def test_sqlite_test_databases_wait_as_long_as_the_app(app):
    if databases.backend() != "sqlite":
        return
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == app.config["SQLITE_BUSY_TIMEOUT_MS"]


def held_connection(url: str, release: threading.Event):
    """A request still at work after its test: it returns its connection once `release` is set."""
    engine = sa.create_engine(url)
    holding, seen = threading.Event(), {}

    def answer():
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
            seen["dbapi"] = connection.connection.dbapi_connection
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=answer)
    thread.start()
    assert holding.wait(30)
    return engine, thread, seen["dbapi"]


def is_closed(engine, dbapi_connection) -> bool:
    try:
        dbapi_connection.cursor().close()
    except engine.dialect.loaded_dbapi.Error:
        return True
    return False


def test_a_connection_returned_after_its_engine_was_disposed_is_still_closed(app):
    from tests.support.connections import ConnectionWatch

    watch = ConnectionWatch().start()
    release = threading.Event()
    engine, thread, dbapi_connection = held_connection(app.config["SQLALCHEMY_DATABASE_URI"], release)
    engine.dispose()  # the app's own teardown, while a live server still answers a request
    threading.Timer(0.5, release.set).start()  # the request ends after the test's end began
    assert watch.close_all(timeout=30) == 0
    thread.join(30)
    assert is_closed(engine, dbapi_connection)  # not left open in a pool nothing will empty
    engine.dispose()


def test_a_connection_that_never_comes_back_is_counted(app):
    from tests.support.connections import ConnectionWatch

    watch = ConnectionWatch().start()
    release = threading.Event()
    engine, thread, _ = held_connection(app.config["SQLALCHEMY_DATABASE_URI"], release)
    assert watch.close_all(timeout=0.2) == 1
    release.set()
    thread.join(30)
    engine.dispose()
