"""Pages of the operations work fit a phone: a sold-out product, undelivered mail, an order to pay again."""
from playwright.sync_api import expect

from tests.support.browser import sign_in


def phone_page(browser, base, user=None):
    page = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844}).new_page()
    if user is not None:
        sign_in(page, base, user.email)
    return page


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_sold_out_product_page_fits_a_phone(browser, live_server, make_listing_for_sale):
    listing = make_listing_for_sale(title="Longjing tea 250 g", stock=0, status="sold_out")
    page = phone_page(browser, live_server)
    page.goto(f"{live_server}/listings/{listing.id}")
    expect(page.locator("#sold-out")).to_have_text("Sold out")
    assert page.locator("#add-to-cart").count() == 0 and fits(page)


def test_the_supervisor_sends_a_failed_mail_again_from_a_phone(app, browser, live_server, make_user):
    from marketplace.core.mailer.models import MailStatus, OutgoingMail
    from marketplace.extensions import db

    mail = OutgoingMail(recipient="a-very-long-address-of-a-buyer@example.com", subject="Order T00000001 received",
                        message="From: x@example.com\nTo: a@example.com\nSubject: s\n\nbody\n",
                        status=MailStatus.FAILED, attempts=10,
                        last_error="SMTPServerDisconnected: Connection unexpectedly closed: timed out " * 3)
    db.session.add(mail)
    db.session.commit()
    page = phone_page(browser, live_server, make_user(name="Supervisor", supervisor=True))
    page.goto(f"{live_server}/admin/")
    page.click("text=Outgoing mail")
    expect(page.locator(f"#mail-{mail.id}")).to_contain_text("Failed")
    assert fits(page)
    page.click(f"#mail-{mail.id} button[type=submit]")
    expect(page.locator("main")).to_contain_text("The mail will be sent again in a moment.")
    from tests.support.polling import wait_for

    assert wait_for(lambda: page.reload() and "Every mail was delivered." in page.content())
    assert fits(page)
