from django.urls import path

from . import ambassador_views as views

app_name = "promotions-ambassador"
urlpatterns = [
    path("ambassadeur/", views.ambassador_page, name="page"),
    path("parrainage/<str:code>/", views.ambassador_link, name="link"),
]
