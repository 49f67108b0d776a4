"""Production: every secret from the environment, PostgreSQL, Redis and the media bucket required."""
from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "marketplace.core.redis_cache.RedisCache",  # Django's, one client per pool
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="halle"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
SESSION_ENGINE = "marketplace.core.sessions.cached_db"

# Media (shop photos, product pictures, their thumbnails) on S3-compatible object storage,
# so that web processes share them and stay stateless; the bucket is required. Credentials
# are boto3's own (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the host's role): never in
# the settings. The demo and the tests keep media on the file system (base.py).
_media_options = {
    "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
    "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=""),  # another provider than AWS, or MinIO
    "region_name": env("AWS_S3_REGION_NAME", default=""),
    "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=""),  # a CDN in front of the bucket
    "location": env("AWS_LOCATION", default=""),
    # Public pictures by default: plain URLs the page cache can keep; signed URLs otherwise.
    "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
    "file_overwrite": False,  # two uploads with the same name never replace each other
}
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {name: value for name, value in _media_options.items() if value != ""},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
