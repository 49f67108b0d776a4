"""The town's own content on the home page: events and announcements the manager writes."""
