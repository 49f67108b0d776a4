from django.urls import path

from marketplace.pickup import views

app_name = "pickup"
urlpatterns = [
    path("suivi/<str:number>/<str:token>/", views.order_status, name="order-status"),
]
