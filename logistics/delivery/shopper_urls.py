from django.urls import path

from logistics.delivery import views

app_name = "delivery"
urlpatterns = [
    path("suivi/<str:number>/<str:token>/livraison/", views.order_delivery_change, name="order-change"),
]
