from django.conf import settings


def town(request):
    return {"town_name": settings.HALLE_TOWN_NAME}
