"""The town's public pages (namespace ``town``): « Rejoindre Halle » and the applicant's link,
the agenda, the town's page, the newsletter."""
from django.urls import path

from marketplace.town.views import join, newsletter, public

app_name = "town"
urlpatterns = [
    path("rejoindre/", join.join, name="join"),
    path("rejoindre/merci/", join.join_thanks, name="join-thanks"),
    path("rejoindre/candidature/<str:token>/", join.join_edit, name="join-edit"),
    path("agenda/", public.agenda, name="agenda"),
    path("centre-ville/", public.town_page, name="page"),
    path("lettre/", newsletter.subscribe, name="newsletter"),
    path("lettre/desabonnement/<str:token>/", newsletter.unsubscribe, name="unsubscribe"),
]
