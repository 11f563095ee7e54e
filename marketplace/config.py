"""Settings read from the environment (a `.env` file is honoured), with defaults that run on
one machine with nothing else installed.

Every constant a deployment may want to change lives here and nowhere else.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_list(name: str) -> list[str] | None:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


def instance_path() -> Path:
    """Return the folder for this deployment's local state (database, keys, uploads, index)."""
    return Path(os.environ.get("TERROIR_INSTANCE_PATH", PROJECT_ROOT / "instance")).resolve()


def load_or_create_secret_key(folder: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once into `folder`.

    Generating it once (rather than per start) keeps sessions and signed reset links valid
    across restarts, while never shipping a key in the repository.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if not key_file.exists():
        # Several workers may start at once: each writes its own complete file, and the first
        # to link it in place wins, so no one ever reads a half-written key.
        draft = folder / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


def build_config() -> dict:
    """Read the environment into a Flask config mapping."""
    load_dotenv(PROJECT_ROOT / ".env", override=False)
    folder = instance_path()
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'terroir.sqlite3'}"
    redis_url = os.environ.get("REDIS_URL")
    return {
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": load_or_create_secret_key(folder),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        #: Seconds a SQLite connection waits for a writer's lock before giving up.
        "SQLITE_BUSY_TIMEOUT_MS": _env_int("SQLITE_BUSY_TIMEOUT_MS", 15000),
        #: What a 503 answered during a database outage tells clients to wait (Retry-After).
        "DATABASE_RETRY_AFTER_SECONDS": _env_int("DATABASE_RETRY_AFTER_SECONDS", 30),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        #: With Redis down, limits are counted in each worker's memory until it is back
        #: (logged once), rather than every limited page answering 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        #: Seconds the sign-in and sign-up counters stay in memory before Redis is tried again.
        "RATELIMIT_RETRY_STORAGE_SECONDS": _env_int("RATELIMIT_RETRY_STORAGE_SECONDS", 30),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        #: Failed sign-ins allowed per account and per client address.
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per 15 minutes"),
        #: Sign-ups and password-reset requests allowed per email address and per client
        #: address (each sends a mail, so both are counted whether or not the account exists).
        "REGISTER_LIMIT_PER_ACCOUNT": os.environ.get("REGISTER_LIMIT_PER_ACCOUNT", "3 per hour"),
        "REGISTER_LIMIT_PER_ADDRESS": os.environ.get("REGISTER_LIMIT_PER_ADDRESS", "20 per hour"),
        "RESET_LIMIT_PER_ACCOUNT": os.environ.get("RESET_LIMIT_PER_ACCOUNT", "3 per hour"),
        "RESET_LIMIT_PER_ADDRESS": os.environ.get("RESET_LIMIT_PER_ADDRESS", "20 per hour"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        #: "Keep me signed in" lasts this long at most (the cookie also dies with the
        #: user's session token: sign-out, password change, "sign out everywhere").
        "REMEMBER_COOKIE_DURATION": timedelta(days=min(_env_int("REMEMBER_COOKIE_DAYS", 30), 30)),
        #: The site's public address: every absolute link (mail, label, QR code, CLI output)
        #: is built on it, never on the request's Host.
        #: Required in production (see core/deployment.py); development and tests get a default.
        "PUBLIC_URL": (os.environ.get("PUBLIC_URL") or "").rstrip("/") or None,
        #: Host names requests may carry (others get a 400); unset: PUBLIC_URL's host.
        "TRUSTED_HOSTS": _env_list("TRUSTED_HOSTS"),
        #: Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed
        #: (0: none, the headers are ignored). Limits per client read the address from them.
        "TRUSTED_PROXY_COUNT": _env_int("TRUSTED_PROXY_COUNT", 0),
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
        "MAX_CONTENT_LENGTH": _env_int("MAX_CONTENT_LENGTH", 32 * 1024 * 1024),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIMEZONE", "Asia/Shanghai"),
        "LANGUAGES": ("zh", "en"),
        "CURRENCY": "CNY",
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Terroir <no-reply@terroir.local>"),
        #: Where development mail is written instead of being sent (when SMTP_HOST is unset).
        "MAIL_OUTBOX": os.environ.get("MAIL_OUTBOX", str(folder / "outbox")),
        #: The mail relay; every wait on it is bounded (seconds to connect, to each read).
        "SMTP_HOST": os.environ.get("SMTP_HOST") or None,
        "SMTP_PORT": _env_int("SMTP_PORT", 25),
        "SMTP_STARTTLS": _env_bool("SMTP_STARTTLS", False),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "SMTP_CONNECT_TIMEOUT": float(os.environ.get("SMTP_CONNECT_TIMEOUT", "5")),
        "SMTP_READ_TIMEOUT": float(os.environ.get("SMTP_READ_TIMEOUT", "5")),
        #: Mail the relay did not take is retried after 1, 2, 4 … minutes (at most an hour
        #: apart), then given up after the last attempt and shown to supervisors.
        "MAIL_MAX_ATTEMPTS": _env_int("MAIL_MAX_ATTEMPTS", 10),
        "MAIL_RETRY_BASE_SECONDS": float(os.environ.get("MAIL_RETRY_BASE_SECONDS", "60")),
        "MAIL_RETRY_MAX_SECONDS": float(os.environ.get("MAIL_RETRY_MAX_SECONDS", "3600")),
        #: How long a sender holds a mail it claimed before another may take it over.
        "MAIL_CLAIM_SECONDS": _env_int("MAIL_CLAIM_SECONDS", 120),
        #: Threads per worker delivering mail after commits, and how many other due mails
        #: each such delivery also takes once the relay answered.
        "MAIL_SENDER_THREADS": _env_int("MAIL_SENDER_THREADS", 2),
        "MAIL_CATCH_UP_PER_JOB": _env_int("MAIL_CATCH_UP_PER_JOB", 20),
        "PASSWORD_RESET_MAX_AGE": _env_int("PASSWORD_RESET_MAX_AGE", 2 * 3600),
        #: Seconds a sign-up link stays valid.
        "SIGN_UP_CONFIRM_MAX_AGE": _env_int("SIGN_UP_CONFIRM_MAX_AGE", 48 * 3600),
        "INVITATION_MAX_AGE": _env_int("INVITATION_MAX_AGE", 14 * 24 * 3600),
        #: werkzeug hash method; the test suite uses a cheap one to stay fast.
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "PASSWORD_MIN_LENGTH": _env_int("PASSWORD_MIN_LENGTH", 10),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER", str(folder / "uploads")),
        #: Every uploaded image (photo, lab report, application document), read from its
        #: header before a pixel is decoded: the most pixels in one image, in all images of
        #: one request together, the most frames (phones' JPEGs carry a preview frame), and
        #: the seconds one image may take to decode and write anew.
        "UPLOAD_IMAGE_MAX_PIXELS": _env_int("UPLOAD_IMAGE_MAX_PIXELS", 40_000_000),
        "UPLOAD_REQUEST_MAX_PIXELS": _env_int("UPLOAD_REQUEST_MAX_PIXELS", 100_000_000),
        "UPLOAD_IMAGE_MAX_FRAMES": _env_int("UPLOAD_IMAGE_MAX_FRAMES", 4),
        "UPLOAD_IMAGE_SECONDS": float(os.environ.get("UPLOAD_IMAGE_SECONDS", "5")),
        #: Listing photos: how many per listing, the largest upload, the longest side kept
        #: after re-encoding, the thumbnail's longest side and the JPEG quality.
        #: Where `flask ops backup` writes its archives unless told `--output`.
        "BACKUP_FOLDER": os.environ.get("BACKUP_FOLDER", str(folder / "backups")),
        #: Folder holding `pg_dump` and `pg_restore` (empty: found on PATH). Their version
        #: must be at least the server's.
        "POSTGRES_CLIENT_BIN": os.environ.get("POSTGRES_CLIENT_BIN", ""),
        "PHOTO_MAX_COUNT": _env_int("PHOTO_MAX_COUNT", 8),
        "PHOTO_MAX_BYTES": _env_int("PHOTO_MAX_BYTES", 10 * 1024 * 1024),
        "PHOTO_MAX_SIDE": _env_int("PHOTO_MAX_SIDE", 1600),
        "PHOTO_THUMBNAIL_SIDE": _env_int("PHOTO_THUMBNAIL_SIDE", 480),
        "PHOTO_JPEG_QUALITY": _env_int("PHOTO_JPEG_QUALITY", 85),
        #: Seconds browsers and proxies may keep a public photo (names are random, never reused).
        "PHOTO_CACHE_SECONDS": _env_int("PHOTO_CACHE_SECONDS", 365 * 24 * 3600),
        #: Largest lab report file (PDF or image) a cooperative may attach to a batch.
        "LAB_REPORT_MAX_BYTES": _env_int("LAB_REPORT_MAX_BYTES", 10 * 1024 * 1024),
        #: Largest invoice file (PDF or image) a cooperative uploads for a buyer.
        "INVOICE_MAX_BYTES": _env_int("INVOICE_MAX_BYTES", 10 * 1024 * 1024),
        #: Highest price of one unit of a listing, in minor units (1,000,000.00).
        "LISTING_PRICE_MAX_MINOR": _env_int("LISTING_PRICE_MAX_MINOR", 100_000_000),
        #: Highest stock a listing may hold, and heaviest unit in grams (typing slips).
        "LISTING_STOCK_MAX": _env_int("LISTING_STOCK_MAX", 1_000_000),
        "LISTING_WEIGHT_MAX_GRAMS": _env_int("LISTING_WEIGHT_MAX_GRAMS", 1_000_000),
        #: Most sizes (variants) on sale in one listing.
        "LISTING_MAX_VARIANTS": _env_int("LISTING_MAX_VARIANTS", 12),
        #: How many of the newest listings the home page shows.
        "HOME_NEWEST_LISTINGS": _env_int("HOME_NEWEST_LISTINGS", 12),
        #: Seconds a copy of a public page is kept for visitors who are not signed in (0: no
        #: copies). Copies are filed under the trust version, so any change to a badge, price,
        #: stock or cooperative is shown at once whatever this is. See pagecache/pages.py.
        "PUBLIC_PAGE_CACHE_SECONDS": _env_int("PUBLIC_PAGE_CACHE_SECONDS", 600),
        "PUBLIC_PAGE_CACHE_ENTRIES": _env_int("PUBLIC_PAGE_CACHE_ENTRIES", 300),
        #: Listings per page on a cooperative's public page.
        "COOPERATIVE_PAGE_SIZE": _env_int("COOPERATIVE_PAGE_SIZE", 24),
        "SEARCH_BACKEND": os.environ.get("SEARCH_BACKEND", "whoosh"),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(folder / "search-index")),
        #: Seconds a Whoosh writer waits for another process's write lock before leaving
        #: its listings to the outbox (they are applied by the next drain).
        "SEARCH_WRITER_TIMEOUT": float(os.environ.get("SEARCH_WRITER_TIMEOUT", "15")),
        #: Outbox rows older than this are taken to be left over and drained by any worker.
        "SEARCH_OUTBOX_GRACE_SECONDS": _env_int("SEARCH_OUTBOX_GRACE_SECONDS", 30),
        #: Processes that write the Whoosh index during `flask search reindex` (one segment each).
        "SEARCH_REINDEX_WORKERS": _env_int("SEARCH_REINDEX_WORKERS", os.cpu_count() or 1),
        "SEARCH_PAGE_SIZE": _env_int("SEARCH_PAGE_SIZE", 20),
        "SEARCH_MAX_PAGE": _env_int("SEARCH_MAX_PAGE", 500),
        #: Longer queries are cut (and the shopper told); more words than this are dropped.
        "SEARCH_QUERY_MAX_CHARS": _env_int("SEARCH_QUERY_MAX_CHARS", 200),
        "SEARCH_MAX_TERMS": _env_int("SEARCH_MAX_TERMS", 12),
        #: A query finding fewer listings than this also tries close spellings of its words.
        "SEARCH_WIDEN_BELOW": _env_int("SEARCH_WIDEN_BELOW", 3),
        "SEARCH_SNIPPET_CHARS": _env_int("SEARCH_SNIPPET_CHARS", 160),
        #: PostgreSQL ranks by relevance up to this many matches; beyond, newest first.
        "SEARCH_RANK_LIMIT": _env_int("SEARCH_RANK_LIMIT", 5000),
        "SEARCH_FACET_VALUES": _env_int("SEARCH_FACET_VALUES", 12),
        #: Edges of the price facet's bands, in minor units (fen): 0-50, 50-100 … yuan.
        #: How far back a new worker looks for certificates that expired while none was running.
        "SEARCH_EXPIRY_LOOKBACK_DAYS": _env_int("SEARCH_EXPIRY_LOOKBACK_DAYS", 7),
        "SEARCH_PRICE_BANDS": tuple(
            int(edge) for edge in os.environ.get("SEARCH_PRICE_BANDS", "5000,10000,20000,50000").split(",")
            if edge.strip()
        ),
        "STRIPE_SECRET_KEY": os.environ.get("STRIPE_SECRET_KEY"),
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET"),
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE"),
        "STRIPE_PAYMENT_METHODS": tuple(
            os.environ.get("STRIPE_PAYMENT_METHODS", "card,alipay,wechat_pay").split(",")
        ),
        "STRIPE_WEBHOOK_TOLERANCE": _env_int("STRIPE_WEBHOOK_TOLERANCE", 300),
        #: Seconds to connect to Stripe and to wait for each read, and how many times a call
        #: that failed on the network is repeated (each repeat waits the timeouts again).
        "STRIPE_CONNECT_TIMEOUT": float(os.environ.get("STRIPE_CONNECT_TIMEOUT", "3")),
        "STRIPE_READ_TIMEOUT": float(os.environ.get("STRIPE_READ_TIMEOUT", "8")),
        "STRIPE_NETWORK_RETRIES": _env_int("STRIPE_NETWORK_RETRIES", 0),
        "ORDER_RESERVATION_MINUTES": _env_int("ORDER_RESERVATION_MINUTES", 30),
        #: How long an order paid offline (bank transfer, cash on delivery) holds its stock
        #: before the sellers confirm payment: a transfer takes longer than a card payment.
        "ORDER_OFFLINE_RESERVATION_MINUTES": _env_int("ORDER_OFFLINE_RESERVATION_MINUTES", 48 * 60),
        #: How long before an offline order's reservation runs out its buyer and sellers are
        #: reminded (by `flask orders remind`, run from cron).
        "ORDER_PAYMENT_REMINDER_MINUTES": _env_int("ORDER_PAYMENT_REMINDER_MINUTES", 12 * 60),
        #: After-sales (售后): days after delivery a buyer may ask for a refund or return, working
        #: days a seller has to answer before the request goes to a supervisor by itself, and
        #: most photos one request may carry.
        "AFTER_SALE_WINDOW_DAYS": _env_int("AFTER_SALE_WINDOW_DAYS", 7),
        "AFTER_SALE_ANSWER_WORKING_DAYS": _env_int("AFTER_SALE_ANSWER_WORKING_DAYS", 3),
        "AFTER_SALE_MAX_PHOTOS": _env_int("AFTER_SALE_MAX_PHOTOS", 4),
        #: Most units of one product a cart line may hold, and most lines in one cart.
        "CART_MAX_QUANTITY": _env_int("CART_MAX_QUANTITY", 99),
        "CART_MAX_LINES": _env_int("CART_MAX_LINES", 50),
        #: What a cooperative that has set no shipping rule charges per parcel (minor units).
        "SHIPPING_DEFAULT_FEE_MINOR": _env_int("SHIPPING_DEFAULT_FEE_MINOR", 1000),
        #: Largest shipping fee or free-shipping threshold a seller may set (minor units).
        "SHIPPING_MAX_AMOUNT_MINOR": _env_int("SHIPPING_MAX_AMOUNT_MINOR", 10_000_000),
        #: Delivery estimate in days (fewest, most) after dispatch: within the seller's own
        #: province, to a remote province, and to anywhere else.
        "DELIVERY_DAYS_SAME_PROVINCE": (1, 2),
        "DELIVERY_DAYS_REMOTE": (4, 7),
        "DELIVERY_DAYS_OTHER": (2, 4),
        "DELIVERY_REMOTE_PROVINCES": ("西藏自治区", "新疆维吾尔自治区", "青海省", "台湾省",
                                      "香港特别行政区", "澳门特别行政区"),
        #: Where a carrier's tracking page is (by the carrier codes of orders.fulfilment), with
        #: {number} for the tracking number; a carrier missing here shows its number unlinked.
        "CARRIER_TRACKING_URLS": {
            "sf": "https://www.sf-express.com/chn/sc/waybill/waybill-detail/{number}",
            "ems": "https://www.ems.com.cn/queryList?mailNum={number}",
            "jd": "https://www.jdl.com/orderSearch/?waybillCodes={number}",
            "zto": "https://www.zto.com/express/expressCheck.html?txtBill={number}",
            "yto": "https://www.yto.net.cn/query/?mailNo={number}",
            "sto": "https://www.sto.cn/pc/service-page/Express_Query?billCode={number}",
            "yunda": "https://www.yundaex.com/cn/index.php?mailNo={number}",
        },
        #: The platform's commission, in thousandths of what a cooperative keeps of each sub-order
        #: (paid minus refunded), rounded half up to the fen; 0 takes nothing (orders/services/ledger.py).
        "PLATFORM_COMMISSION_PERMILLE": _env_int("PLATFORM_COMMISSION_PERMILLE", 0),
        "GI_AUTHORIZATION_YEARS": _env_int("GI_AUTHORIZATION_YEARS", 3),
        "CERTIFICATE_VALIDITY_DAYS": _env_int("CERTIFICATE_VALIDITY_DAYS", 365),
        "REVIEW_WORKING_DAYS": _env_int("REVIEW_WORKING_DAYS", 10),
        #: Distinct clients (see VERIFY_CLIENTS_PER_ADDRESS) past which a package code is
        #: said to be checked unusually often.
        "VERIFY_SCAN_WARNING_THRESHOLD": _env_int("VERIFY_SCAN_WARNING_THRESHOLD", 50),
        #: Requests per client address to the public verify pages (slows guessing of codes).
        "VERIFY_RATE_LIMIT": os.environ.get("VERIFY_RATE_LIMIT", "120 per minute"),
        #: A request header, set by a proxy you trust, naming the place (county) a check came
        #: from. Unset: no place is recorded; the header is never read unless named here.
        "VERIFY_PLACE_HEADER": os.environ.get("VERIFY_PLACE_HEADER", "").strip(),
        #: Most distinct user agents one address adds to a code's count per day: a client
        #: that rotates its agent string cannot inflate the count alone.
        "VERIFY_CLIENTS_PER_ADDRESS": _env_int("VERIFY_CLIENTS_PER_ADDRESS", 3),
        #: Parts of user agents (lower case) whose requests never count as checks: crawlers,
        #: link previews of chat apps, scripts. Empty agents never count either.
        "VERIFY_BOT_USER_AGENTS": tuple(part.strip().lower() for part in os.environ.get(
            "VERIFY_BOT_USER_AGENTS",
            "bot/,bot;,+http,spider,crawl,preview,facebookexternalhit,telegrambot,slackbot,"
            "discordbot,whatsapp/,embedly,curl/,wget/,python-requests,python-urllib,httpx,"
            "aiohttp,go-http-client,java/,libwww-perl,scrapy,lighthouse,pingdom,uptimerobot").split(",")
            if part.strip()),
        #: Public index (insights/): cells with fewer cooperatives (or searches) than this
        #: are suppressed in public pages and open data.
        "INSIGHTS_MIN_COUNT": _env_int("INSIGHTS_MIN_COUNT", 5),
        #: Seconds a provisional month's figures are served before they are recomputed.
        "INSIGHTS_PROVISIONAL_MAX_AGE": _env_int("INSIGHTS_PROVISIONAL_MAX_AGE", 600),
        #: Months in the trend charts, and words in each "most searched" list.
        "INSIGHTS_TREND_MONTHS": _env_int("INSIGHTS_TREND_MONTHS", 24),
        "INSIGHTS_TOP_WORDS": _env_int("INSIGHTS_TOP_WORDS", 10),
        #: Reports of suspected counterfeits one address may file (public form).
        "VERIFY_REPORT_RATE_LIMIT": os.environ.get("VERIFY_REPORT_RATE_LIMIT", "5 per hour"),
        #: JSON API (/api/v1): requests per client address to its public reads, and per
        #: token to the endpoints of cooperatives' systems and the regulator's export.
        "API_PUBLIC_RATE_LIMIT": os.environ.get("API_PUBLIC_RATE_LIMIT", "120 per minute"),
        "API_TOKEN_RATE_LIMIT": os.environ.get("API_TOKEN_RATE_LIMIT", "600 per minute"),
        #: Most tokens one cooperative (or one supervisor) may hold unrevoked at once.
        "API_TOKENS_PER_OWNER": _env_int("API_TOKENS_PER_OWNER", 20),
        #: A token's last-used time is written at most this often (seconds): a busy stock
        #: sheet should not turn every read into a write.
        "API_TOKEN_TOUCH_SECONDS": _env_int("API_TOKEN_TOUCH_SECONDS", 60),
        #: Rows per page of list endpoints and of the regulator's export (and the most asked).
        "API_PAGE_SIZE": _env_int("API_PAGE_SIZE", 50),
        "API_MAX_PAGE_SIZE": _env_int("API_MAX_PAGE_SIZE", 500),
        #: Seconds any cache may keep the API's figures of a published (frozen) month and its
        #: list of metrics; a provisional month is kept only until it is due to be recomputed.
        "API_INSIGHTS_PUBLISHED_MAX_AGE": _env_int("API_INSIGHTS_PUBLISHED_MAX_AGE", 24 * 3600),
        #: Largest document accepted with a GI application (PDF or image).
        "CERTIFICATION_DOCUMENT_MAX_BYTES": _env_int("CERTIFICATION_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024),
        #: Most serial trace codes issued for one batch in one request.
        "LABEL_MAX_SERIALS_PER_REQUEST": _env_int("LABEL_MAX_SERIALS_PER_REQUEST", 500),
        #: Most labels on one printed or downloaded sheet.
        "LABEL_SHEET_MAX_LABELS": _env_int("LABEL_SHEET_MAX_LABELS", 600),
        #: A font with Chinese characters for PDF/PNG labels (TrueType/OpenType, .ttc too).
        #: Unset: the first found of the Debian/Ubuntu packages fonts-noto-cjk and
        #: fonts-wqy-microhei; none found, Pillow's own font (no Chinese glyphs).
        "LABEL_FONT_PATH": os.environ.get("LABEL_FONT_PATH", ""),
        "AUDIT_PAGE_SIZE": _env_int("AUDIT_PAGE_SIZE", 50),
        #: Supervision: working days the supervisor has to answer a complaint (its deadline).
        "COMPLAINT_DEADLINE_DAYS": _env_int("COMPLAINT_DEADLINE_DAYS", 15),
        #: Most photos with one complaint or one review.
        "COMPLAINT_PHOTO_MAX_COUNT": _env_int("COMPLAINT_PHOTO_MAX_COUNT", 4),
        "REVIEW_PHOTO_MAX_COUNT": _env_int("REVIEW_PHOTO_MAX_COUNT", 4),
        #: The period of the seller record on a cooperative's page, in days.
        "SELLER_RECORD_DAYS": _env_int("SELLER_RECORD_DAYS", 365),
        #: A paid parcel shipped later than this many days counts as shipped late.
        "SHIP_WITHIN_DAYS": _env_int("SHIP_WITHIN_DAYS", 3),
    }
