from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "marketplace.demo"
    label = "demo"
