from django.urls import path

from . import manager_views

app_name = "pickup-manager"
urlpatterns = [
    path("", manager_views.late, name="late"),
]
