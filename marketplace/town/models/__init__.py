"""The town app's models: its content, the newsletter, shops' applications, assisted mode."""
from marketplace.town.models.applications import (
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    Fulfilment,
    ShopApplication,
)
from marketplace.town.models.assist import AssistAuditEntry, AssistConsent, AuditOutcome
from marketplace.town.models.content import EventKind, FeaturedShop, TownEvent, TownPage
from marketplace.town.models.newsletter import Newsletter, NewsletterSubscription

__all__ = [
    "OPEN_APPLICATION_STATUSES",
    "ApplicationStatus",
    "AssistAuditEntry",
    "AssistConsent",
    "AuditOutcome",
    "EventKind",
    "FeaturedShop",
    "Fulfilment",
    "Newsletter",
    "NewsletterSubscription",
    "ShopApplication",
    "TownEvent",
    "TownPage",
]
