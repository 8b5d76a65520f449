"""Users, groups and permissions are for superusers only (sodertorn/roles.py).

Whatever permissions a group holds, only an active superuser sees these admin pages: a
permission to change users would let anyone give themselves every other one. The one
exception is the admin autocomplete that picks a member's account in the fields of
``roles.USER_PICKERS``, for a user who may add or change the model the field belongs to.

Also here: django-axes' access attempts, whose clean-up action needs a fix and the delete
permission.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from . import roles


def _superuser(request) -> bool:
    return request.user.is_active and request.user.is_superuser


class SuperuserOnlyMixin:
    def has_module_permission(self, request):
        return _superuser(request)

    def has_view_permission(self, request, obj=None):
        return _superuser(request)

    def has_add_permission(self, request):
        return _superuser(request)

    def has_change_permission(self, request, obj=None):
        return _superuser(request)

    def has_delete_permission(self, request, obj=None):
        return _superuser(request)


def picks_a_user(request) -> bool:
    """An admin autocomplete request for a user field its requester may fill in."""
    match = request.resolver_match
    if match is None or match.url_name != "autocomplete" or not request.user.is_active:
        return False
    key = tuple(request.GET.get(name) for name in ("app_label", "model_name", "field_name"))
    if key not in roles.USER_PICKERS:
        return False
    app_label, model_name, _field = key
    return request.user.has_perm(f"{app_label}.change_{model_name}") or request.user.has_perm(
        f"{app_label}.add_{model_name}"
    )


class SuperuserUserAdmin(SuperuserOnlyMixin, UserAdmin):
    def has_view_permission(self, request, obj=None):
        return _superuser(request) or (obj is None and picks_a_user(request))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if _superuser(request) else queryset.filter(is_active=True)


class SuperuserGroupAdmin(SuperuserOnlyMixin, GroupAdmin):
    pass


for model, model_admin in ((User, SuperuserUserAdmin), (Group, SuperuserGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


# django-axes' lockouts: curators unlock by deleting an access attempt (sodertorn/roles.py).
if "axes" in settings.INSTALLED_APPS:
    from axes.admin import AccessAttemptAdmin
    from axes.models import AccessAttempt

    class LockoutAdmin(AccessAttemptAdmin):
        @admin.action(description=_("Clean up expired attempts"), permissions=["delete"])
        def cleanup_expired_attempts(self, request, queryset):
            # django-axes sets the attempt time on login requests only; without it the
            # clean-up fails (AttributeError, a 500). None means "now".
            request.axes_attempt_time = None
            return AccessAttemptAdmin.cleanup_expired_attempts(self, request, queryset)

    if admin.site.is_registered(AccessAttempt):
        admin.site.unregister(AccessAttempt)
        admin.site.register(AccessAttempt, LockoutAdmin)
