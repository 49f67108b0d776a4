from django.urls import path

from .footfall import views

app_name = "footfall-manager"
urlpatterns = [
    path("", views.footfall, name="footfall"),
    path("imports/<int:import_pk>/", views.import_detail, name="import"),
]
