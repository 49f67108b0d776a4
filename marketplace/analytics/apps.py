from oscar.apps.analytics import apps


class AnalyticsConfig(apps.AnalyticsConfig):
    """Oscar's analytics (product and user counters) plus Halle's roll-ups, footfall and open data."""

    name = "marketplace.analytics"
