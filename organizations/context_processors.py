from .scoping import is_admin_anywhere, open_posts


def scope(request):
    """Posts for the navigation bar (one query per request, memoised by scoping)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_posts": open_posts(user), "is_admin_anywhere": is_admin_anywhere(user)}
