from django.urls import path

from . import manager_views

app_name = "payments-manager"
urlpatterns = [
    path("", manager_views.money, name="money"),
    path("export.csv", manager_views.money_export, name="money-export"),
    path("plans/<int:plan_pk>/", manager_views.plan_update, name="plan-update"),
    path("plan-commerce/", manager_views.shop_plan, name="shop-plan"),
    path("anomalies/<int:issue_pk>/traitee/", manager_views.issue_resolve, name="issue-resolve"),
]
