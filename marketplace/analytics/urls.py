from django.urls import path

from . import views

app_name = "analytics-manager"
urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("export/<slug:table>.csv", views.statistics_export, name="export"),
]
