from django.urls import path

from logistics.pickup import views

app_name = "pickup"
urlpatterns = [
    path("suivi/<str:number>/<str:token>/", views.order_status, name="order-status"),
    path("suivi/<str:number>/<str:token>/annuler/", views.order_status_cancel, name="order-cancel"),
    path("point/", views.point_choose, name="point-choose"),
    path("point/<int:point_id>/", views.point_handover, name="point-handover"),
    path("comptoir/", views.counter_handover, name="counter-handover"),
    path("comptoir/depots/", views.counter_drops, name="counter-drops"),
    path("comptoir/a-reprendre/", views.counter_returns, name="counter-returns"),
    path("consigne/<int:point_id>/", views.locker_keypad, name="locker-keypad"),
]
