"""Template context of every page that the merchant domain provides."""


def shop_staff(request):
    """``is_shop_staff``: evaluated lazily (one query) only where a template reads it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_shop_staff": False}

    def is_shop_staff() -> bool:
        from shops.selectors import shops_for_user

        if not hasattr(request, "_is_shop_staff"):
            request._is_shop_staff = shops_for_user(user=user).exists()
        return request._is_shop_staff

    return {"is_shop_staff": is_shop_staff}
