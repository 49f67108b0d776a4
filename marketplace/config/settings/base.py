"""Settings shared by every environment.

Everything a deployment changes is read from the environment (see
``.env.example``); every default works offline, so a fresh clone runs.
"""
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  (Oscar's documented first step)

BASE_DIR = Path(__file__).resolve().parents[3]

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="halle-insecure-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# A refused form (expired page, cookies blocked): our French page (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "marketplace.core.views.csrf_failure"

DJANGO_APPS = [
    "django.forms",  # Django's widget templates, for the TemplatesSetting renderer below
    "marketplace.core.admin_site.HalleAdminConfig",  # django.contrib.admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",  # sitemap.xml (marketplace/town/sitemaps.py)
    "django.contrib.postgres",
]
OSCAR_APPS = [
    "oscar.config.Shop",
    "marketplace.analytics.apps.AnalyticsConfig",
    "marketplace.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "marketplace.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "marketplace.partner.apps.PartnerConfig",
    "marketplace.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "marketplace.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "marketplace.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "marketplace.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "marketplace.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "shops.dashboard.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
]
THIRD_PARTY_APPS = [
    "widget_tweaks",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    "rest_framework",
    "drf_spectacular",
    "axes",
]
LOCAL_APPS = [
    "marketplace.core",
    "marketplace.demo",
    "shops",
    "logistics",
    "marketplace.payments",
    "marketplace.notifications",
    "logistics.pickup",
    "logistics.delivery",
    "marketplace.town",
    "marketplace.promotions",
]
INSTALLED_APPS = DJANGO_APPS + OSCAR_APPS + THIRD_PARTY_APPS + LOCAL_APPS

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy on every response.
    "marketplace.core.security.CSPMiddleware",
    "marketplace.core.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on pages rendered for a signed-in person or a guest's session.
    "marketplace.core.security.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "marketplace.basket.middleware.BasketMiddleware",  # Oscar's, in fewer queries
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "shops.dashboard.middleware.DashboardStaffOnlyMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marketplace.config.urls"
# Widgets are rendered with the project's template settings, so templates/ may override
# a widget's template (Oscar's image widget, without inline handlers).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "marketplace.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
                "marketplace.core.context_processors.town",
                "shops.context_processors.shop_staff",
                "marketplace.core.security.csp_nonce",
            ],
        },
    },
]

# Database: an embedded SQLite file unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
# Database sessions written in one statement per request (see marketplace.core.sessions).
SESSION_ENGINE = "marketplace.core.sessions.db"

# Cache: Redis when REDIS_URL is set, in-process memory otherwise.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "marketplace.core.redis_cache.RedisCache",  # Django's, one client per pool
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="halle"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = (
    # First: refuses any login while its username + IP pair is locked out.
    "axes.backends.AxesStandaloneBackend",
    "marketplace.core.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The town manager's permissions in Oscar's dashboard (marketplace.core.manager).
    "marketplace.core.manager.TownManagerPermissionsBackend",
)
# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one
# username from one IP address, that pair is locked out for AXES_COOLOFF_TIME
# hours, whether or not the account exists (nothing to enumerate).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "marketplace.core.auth_backends.login_username"
AXES_LOCKOUT_CALLABLE = "marketplace.core.auth_backends.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Where the login and registration forms go without ``next``: each role's own space
# (marketplace.town.home.after_login).
LOGIN_REDIRECT_URL = reverse_lazy("after-login")

# Internationalisation: French first, English second; Paris time; euros.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("DJANGO_MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / "var" / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Halle <bonjour@halle.localhost>")

# Celery: Redis broker when CELERY_BROKER_URL is set; tasks run in-process
# (eagerly) when it is not, which is only meant for the one-command demo.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Releases slot holds whose time is up (idempotent; overlapping runs share the work).
    "logistics-holds-expire": {"task": "logistics.holds_expire", "schedule": 60.0},
    # Gives back the units of the basket stock holds whose time is up (idempotent, overlap-safe).
    "checkout-stock-holds-expire": {"task": "checkout.stock_holds_expire", "schedule": 60.0},
    # Gives back the campaign budget held by baskets whose hold is over (idempotent, overlap-safe).
    "promotions-reservations-expire": {"task": "promotions.reservations_expire", "schedule": 60.0},
    # Keeps HALLE_SLOT_DAYS_AHEAD days of slots generated from the templates (idempotent).
    "logistics-slots-generate": {"task": "logistics.slots_generate", "schedule": 3600.0},
    # Delivery windows held past their time go back (with the stock, above), and a week of
    # windows is kept generated from the delivery templates (both idempotent).
    "delivery-holds-expire": {"task": "delivery.holds_expire", "schedule": 60.0},
    "delivery-windows-generate": {"task": "delivery.windows_generate", "schedule": 3600.0},
    # Plans the rounds of every window whose cut-off has passed (once per window: row lock + planned_at).
    "delivery-rounds-plan": {"task": "delivery.rounds_plan_due", "schedule": 60.0},
    # Sends outbox notifications no task picked up (broker outage, crash) (idempotent).
    "notifications-requeue": {"task": "notifications.requeue", "schedule": 60.0},
    # The same for the e-mails that are not about an order (applications, newsletters).
    "notifications-emails-requeue": {"task": "notifications.emails_requeue", "schedule": 60.0},
    # Reminders before the slot and the day after a missed one; no-show expiry (idempotent).
    "pickup-reminders": {"task": "pickup.reminders_send", "schedule": 300.0},
    "pickup-no-shows-expire": {"task": "pickup.no_shows_expire", "schedule": 900.0},
    # Merchants' drop reminders before the slot, shoppers' delay e-mails after it starts (idempotent).
    "pickup-drops-watch": {"task": "pickup.drops_watch", "schedule": 120.0},
    # Captures or releases card holds before the bank's hold window ends (idempotent).
    "payments-holds-settle": {"task": "payments.holds_settle", "schedule": 3600.0},
    # Writes the commission plan changes that are due onto the shops' accounts (idempotent).
    "payments-plan-changes-apply": {"task": "payments.plan_changes_apply", "schedule": 300.0},
    # Checks every recent order's ledger against itself and against Stripe (03:30 town time).
    "payments-reconcile": {"task": "payments.reconcile", "schedule": crontab(hour=3, minute=30)},
    # Analytics roll-ups: the days whose orders, ledger or slots changed (idempotent), and a
    # full rebuild from the raw rows each night; the open datasets are regenerated after it.
    "analytics-rollups-update": {"task": "analytics.rollups_update", "schedule": 300.0},
    "analytics-rollups-rebuild": {"task": "analytics.rollups_rebuild", "schedule": crontab(hour=2, minute=30)},
    "analytics-opendata-publish": {"task": "analytics.opendata_publish", "schedule": crontab(hour=4, minute=0)},
    # Forgets stored answers to API requests sent with an Idempotency-Key after a day.
    "shops-api-idempotency-purge": {"task": "shops.api_idempotency_purge", "schedule": 3600.0},
}

# Oscar
OSCAR_SHOP_NAME = env("HALLE_BRAND_NAME", default="Halle")
OSCAR_SHOP_TAGLINE = _("Les commerces du centre-ville, en un seul panier")
OSCAR_DEFAULT_CURRENCY = "EUR"
OSCAR_CURRENCY_FORMAT = {"EUR": {"currency_digits": False, "format_type": "standard"}}
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_ALLOW_ANON_CHECKOUT = True
# Prices are VAT included (French retail): "5 € de remise" takes 5 € off what the
# shopper pays, not 5 € off the net price (6 € at 20 % VAT).
OSCAR_OFFERS_INCL_TAX = True
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_EAGER_ALERTS = False
OSCAR_SEND_REGISTRATION_EMAIL = False
# Shown for a product without a picture (static/oscar/img/, French; Oscar's says "Image not available").
OSCAR_MISSING_IMAGE_URL = "image_non_disponible.png"
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "postcode", "country")
# The town's money page (marketplace/payments) and late pickups (logistics/pickup),
# for staff, in Oscar's dashboard menu.
OSCAR_DASHBOARD_NAVIGATION = [
    *OSCAR_DASHBOARD_NAVIGATION,  # noqa: F405
    {
        "label": _("Gestion du centre-ville"),
        "icon": "fas fa-city",
        "url_name": "gestion:home",
        "access_fn": lambda user, url_name, url_args=None, url_kwargs=None: user.is_staff,
    },
    {
        "label": _("Argent de la ville"),
        "icon": "fas fa-euro-sign",
        "url_name": "payments-manager:money",
        "access_fn": lambda user, url_name, url_args=None, url_kwargs=None: user.is_staff,
    },
    {
        "label": _("Commandes en retard"),
        "icon": "fas fa-clock",
        "url_name": "pickup-manager:late",
        "access_fn": lambda user, url_name, url_args=None, url_kwargs=None: user.is_staff,
    },
]

# Halle
HALLE_TOWN_NAME = env("HALLE_TOWN_NAME", default="Beaumont-sur-Loing")
# Pickup slots: how long choosing a slot holds it and the basket's stock (together)
# while the shopper pays, and how many days of slots are generated ahead from the templates.
HALLE_HOLD_MINUTES = env.int("HALLE_HOLD_MINUTES", default=15)
HALLE_SLOT_DAYS_AHEAD = env.int("HALLE_SLOT_DAYS_AHEAD", default=7)
# Home delivery: the geocoder (the local address table, offline, by default; or
# "logistics.geo.ban_api.BanApiGeocoder"), and how long before a window's start the
# parcels must be at the rounds' depot (the merchants' drop time).
HALLE_GEOCODER = env("HALLE_GEOCODER", default="logistics.geo.local.LocalGeocoder")
HALLE_DELIVERY_DROP_MINUTES = env.int("HALLE_DELIVERY_DROP_MINUTES", default=30)
# Courier rounds (logistics.delivery.services.rounds): the solver's time budget per window,
# in seconds (read by logistics.routing.adapter), and the time spent at each stop.
HALLE_ROUTING_TIME_LIMIT = env.float("HALLE_ROUTING_TIME_LIMIT", default=10.0)
HALLE_ROUND_STOP_SECONDS = env.int("HALLE_ROUND_STOP_SECONDS", default=120)
# Where the site is reached from outside: links in e-mails (the order status page, an
# invitation) and in everything Celery tasks send start with this address.
HALLE_SITE_URL = env("HALLE_SITE_URL", default="http://127.0.0.1:8000")
# Pickup: the reminder goes this many hours before the slot; an order not collected
# this many days after its slot expires (stock back, compartment freed, refund).
HALLE_SLOT_REMINDER_HOURS = env.int("HALLE_SLOT_REMINDER_HOURS", default=3)
HALLE_NO_SHOW_DAYS = env.int("HALLE_NO_SHOW_DAYS", default=3)
# Orders collected at a point: each merchant whose part is not dropped yet is reminded
# this many minutes before the slot starts.
HALLE_DROP_REMINDER_MINUTES = env.int("HALLE_DROP_REMINDER_MINUTES", default=60)
# Wrong pickup codes allowed per person and per address within the window (staff pages and
# a locker's keypad count apart), and per locker bank whatever the address (its staff are
# e-mailed when it locks).
HALLE_PICKUP_CODE_MAX_FAILURES = env.int("HALLE_PICKUP_CODE_MAX_FAILURES", default=10)
HALLE_PICKUP_KEYPAD_BANK_MAX_FAILURES = env.int("HALLE_PICKUP_KEYPAD_BANK_MAX_FAILURES", default=30)
HALLE_PICKUP_CODE_WINDOW_MINUTES = env.int("HALLE_PICKUP_CODE_WINDOW_MINUTES", default=15)
# Locker banks are driven through logistics.lockers; the simulated driver needs no hardware.
HALLE_LOCKER_DRIVER = env("HALLE_LOCKER_DRIVER", default="logistics.lockers.simulated.SimulatedLockerBank")

# French VAT rates a product class may carry (percent).
HALLE_VAT_RATES = ("20.00", "10.00", "5.50", "2.10")
# Map of a shop's page: a tile URL template for Leaflet, e.g.
# "https://tile.openstreetmap.org/{z}/{x}/{y}.png". Empty: no map, a plain
# link to the address instead (no request to a tile server).
HALLE_MAP_TILE_URL = env("HALLE_MAP_TILE_URL", default="")
# Credit the tile provider requires, shown on the map (HTML allowed, operator-set).
HALLE_MAP_ATTRIBUTION = env(
    "HALLE_MAP_ATTRIBUTION",
    default='© <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>',
)

# Content-Security-Policy (django-csp 4): scripts and styles from our own static files only,
# no inline script but the one of base.html (Oscar's page code, with this response's nonce),
# no inline style; Stripe.js and its frames for card payments; map tiles from the configured
# tile server; uploaded media from MEDIA_URL's host when it is another one (object storage).
def _origin(url: str) -> str | None:
    """``https://{s}.tile.example.org/{z}/{x}/{y}.png`` → ``https://*.tile.example.org``."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "x-subdomain"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.replace('x-subdomain', '*')}"


STRIPE_JS_ORIGINS = ["https://js.stripe.com"]
STRIPE_FRAME_ORIGINS = ["https://js.stripe.com", "https://hooks.stripe.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, *STRIPE_JS_ORIGINS],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *filter(None, [_origin(HALLE_MAP_TILE_URL), _origin(MEDIA_URL)])],
        "font-src": [SELF],
        "connect-src": [SELF, "https://api.stripe.com"],
        "frame-src": STRIPE_FRAME_ORIGINS,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Oscar's dashboard catalogue forms (staff only) cancel with these fixed inline handlers.
HALLE_CSP_STAFF_INLINE_HANDLERS = ("window.history.go(-1);return false", "window.close();return false;")
# Features no page of ours uses are refused to every page and frame (an injected frame or
# script cannot ask for the camera); card payments only for us and Stripe's frame.
HALLE_PERMISSIONS_POLICY = {
    "accelerometer": [], "autoplay": [], "camera": [], "display-capture": [], "encrypted-media": [],
    "fullscreen": ["self"], "geolocation": [], "gyroscope": [], "magnetometer": [], "microphone": [],
    "midi": [], "payment": ["self", *STRIPE_JS_ORIGINS], "picture-in-picture": [],
    "publickey-credentials-get": [], "screen-wake-lock": [], "usb": [], "xr-spatial-tracking": [],
}

# Stripe, through marketplace/payments/stripe_api.py only. The defaults are
# test-mode placeholders that work offline against the local server
# (python -m marketplace.payments.devserver); production sets real keys.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="sk_test_halle_local")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="pk_test_halle_local")
# Empty: Stripe's own API. Development and tests: http://127.0.0.1:8420.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# Without Stripe Elements (no real keys), the path of the Stripe-compatible server's own
# 3-D Secure page; set by the demo's and the tests' settings only.
STRIPE_TEST_BANK_PAGE = ""
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="whsec_halle_local")
# Retries of one call by stripe-python itself (same idempotency key each time).
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
# Seconds a webhook's signature timestamp may be old (Stripe's default tolerance).
STRIPE_WEBHOOK_TOLERANCE = env.int("STRIPE_WEBHOOK_TOLERANCE", default=300)
# A card hold lasts 7 days for customer-initiated online payments; holds are captured
# (or released) HALLE_PAYMENT_HOLD_MARGIN_HOURS before that.
HALLE_PAYMENT_HOLD_DAYS = env.int("HALLE_PAYMENT_HOLD_DAYS", default=7)
HALLE_PAYMENT_HOLD_MARGIN_HOURS = env.int("HALLE_PAYMENT_HOLD_MARGIN_HOURS", default=12)

# Days an e-mailed invitation to join a shop's staff stays valid.
HALLE_INVITATION_DAYS = env.int("HALLE_INVITATION_DAYS", default=7)

# Till/POS API (shops/api): JSON only, shop tokens only (no session, hence no CSRF).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "shops.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API de Halle : caisse et catalogue public",
    "DESCRIPTION": (
        "Lire et mettre à jour les prix et le stock d'un commerce par SKU, depuis un logiciel de caisse.\n"
        "Le catalogue public (/api/v1/public/, lecture seule, sans jeton ; clé X-Api-Key facultative pour un "
        "débit plus élevé) : commerces, points de retrait, rayons, produits et leurs offres, recherche.\n"
        "Authentification : en-tête « Authorization: Bearer <jeton> » (jeton créé par le gérant dans "
        "l'espace commerçant). Les écritures acceptent un en-tête « Idempotency-Key ». Toutes les erreurs "
        "sont en JSON : {\"detail\", \"code\", \"errors\"}."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}
# Requests per token and window (seconds); more get a 429 with Retry-After.
HALLE_API_RATE_LIMIT = env.int("HALLE_API_RATE_LIMIT", default=120)
HALLE_API_RATE_WINDOW = env.int("HALLE_API_RATE_WINDOW", default=60)
# Largest batch of changes and largest request body the API accepts.
HALLE_API_BATCH_MAX = 500
HALLE_API_MAX_BODY_BYTES = 512 * 1024
# The public catalogue API (/api/v1/public/): requests per window (seconds) per IP address
# without a key, per key with one of HALLE_PUBLIC_API_KEYS (comma-separated secrets the town
# gives its partners, sent as X-Api-Key); more get a 429 with Retry-After.
HALLE_PUBLIC_API_RATE_LIMIT = env.int("HALLE_PUBLIC_API_RATE_LIMIT", default=120)
HALLE_PUBLIC_API_KEY_RATE_LIMIT = env.int("HALLE_PUBLIC_API_KEY_RATE_LIMIT", default=1200)
HALLE_PUBLIC_API_RATE_WINDOW = env.int("HALLE_PUBLIC_API_RATE_WINDOW", default=60)
HALLE_PUBLIC_API_KEYS = [key for key in env.list("HALLE_PUBLIC_API_KEYS", default=[]) if key]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "stripe": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Oscar's class loader imports its Haystack-based search modules even though
# our forked search app replaces them; Haystack only needs a connection to
# import. It is not installed as an app, so it indexes nothing.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
