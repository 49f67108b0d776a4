from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("<str:order_number>/confirmation/", views.action, name="action"),
    path("<str:order_number>/retour/", views.action_return, name="action-return"),
]
