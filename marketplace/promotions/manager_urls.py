"""``/gestion/promotions/``: the town's campaigns (namespace ``promotions-manager``)."""
from django.urls import path

from . import manager_views as views

app_name = "promotions-manager"
urlpatterns = [
    path("", views.campaigns, name="campaigns"),
    path("nouvelle/", views.campaign_create, name="campaign-create"),
    path("<int:campaign_pk>/", views.campaign, name="campaign"),
    path("<int:campaign_pk>/modifier/", views.campaign_edit, name="campaign-edit"),
    path("<int:campaign_pk>/inviter/", views.campaign_invite, name="campaign-invite"),
    path("<int:campaign_pk>/codes/", views.voucher_batch_create, name="voucher-batch-create"),
    path("<int:campaign_pk>/codes/import/", views.voucher_import, name="voucher-import"),
    path("<int:campaign_pk>/ambassadeurs/", views.ambassador_create, name="ambassador-create"),
    path("lots/<int:batch_pk>/codes.csv", views.voucher_batch_export, name="voucher-batch-export"),
    path("<int:campaign_pk>/releve/<int:year>/<int:month>/", views.statement, name="statement"),
    path("<int:campaign_pk>/releve/<int:year>/<int:month>/releve.csv", views.statement_csv, name="statement-csv"),
]
