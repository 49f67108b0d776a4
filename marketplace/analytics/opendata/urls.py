from django.urls import path, re_path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("datapackage.json", views.descriptor, name="datapackage"),
    re_path(r"^(?P<slug>[a-z0-9-]+)\.(?P<extension>[a-z]+)$", views.download, name="download"),
]
