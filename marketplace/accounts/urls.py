"""Our corrections of Oscar's account pages, at Oscar's own addresses (included before Oscar's)."""
from django.urls import path

from marketplace.accounts import views

urlpatterns = [
    path("accounts/login/", views.AccountAuthView.as_view()),
    path("accounts/register/", views.AccountRegistrationView.as_view()),
    path("accounts/logout/", views.LogoutView.as_view()),
]
