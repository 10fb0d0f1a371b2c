"""The base classes of the platform's admin: the request reaches the form, an object out of
reach is a 404, nothing is hard-deleted, and a merchant sees only what its memberships reach.
"""

from django.contrib import admin
from django.http import Http404

from stores import roles
from stores.admin_forms import merchant_of
from stores.models import Merchant, Store, StoreMembership
from stores.selectors import memberships_of_merchant


class PlatformAdmin(admin.ModelAdmin):
    """Defaults for every admin of the platform: the request reaches the form, an object
    that is out of reach is a 404, and nothing is hard-deleted (stores are soft-deleted,
    keys revoked, versions kept)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.admin_request = request  # a fresh class per call, so per request
        return form

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django's default is a redirect with "doesn't exist"; out of scope is a 404.
            raise Http404(f"{self.opts.verbose_name} not found")
        return obj

    def save_model(self, request, obj, form, change):
        if getattr(form, "service_done", False):
            return  # the service already wrote it
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


class MerchantScopedAdmin(PlatformAdmin):
    """Rows a merchant reaches through its memberships; everything for superusers.

    ``capability`` (``stores.roles``) is what the merchant's role in a row's store must
    allow to change it or run an action on it (a role without it only looks), and to pick
    that store for a new row. Rows reach their store through ``store_path``. None leaves it
    to the model permissions.
    """

    capability: roles.Capability | None = None
    store_path = "store"

    def scope(self, queryset, merchant: Merchant):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if self.capability is None or request.user.is_superuser:
            return True
        if obj is None:  # the list and its actions: rows are narrowed in response_action
            return _reaches_a_store_with(request, self.capability)
        return self._store_id(obj) in set(
            stores_for(request, self.capability).values_list("pk", flat=True)
        )

    def response_action(self, request, queryset, **kwargs):
        """Actions reach only rows of stores where the role holds ``capability``."""
        if self.capability is not None and not request.user.is_superuser:
            managed = stores_for(request, self.capability)
            queryset = queryset.filter(**{f"{self.store_path}__in": managed})
        return super().response_action(request, queryset, **kwargs)

    def _store_id(self, obj):
        *path, last = self.store_path.split("__")
        for step in path:
            obj = getattr(obj, step)
        return getattr(obj, f"{last}_id")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        merchant = merchant_of(request.user)
        if merchant is None:
            return queryset.none()
        return self.scope(queryset, merchant)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Store:
            kwargs["queryset"] = stores_for(request, self.capability)
        elif db_field.related_model is Merchant:
            kwargs["queryset"] = merchants_for(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StoreRecordAdmin(MerchantScopedAdmin):
    """Records a store keeps of what happened (orders, baskets): read-only, and reached
    through the store's memberships even after the store was deleted (its sales stay on
    record). They change only through their services, never through a form."""

    def scope(self, queryset, merchant: Merchant):
        return queryset.filter(store__memberships__merchant=merchant)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyChildInline(admin.TabularInline):
    """Rows that are part of their parent (an order's lines, a basket's items): whoever may
    view the parent sees them, and nobody edits them in admin."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        opts = self.parent_model._meta
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def stores_for(request, capability: roles.Capability | None = None):
    """Stores the user may pick in a form: alive and, for a merchant, its own (with
    ``capability``: those where its role holds it)."""
    stores = Store.objects.alive()
    if request.user.is_superuser:
        return stores
    merchant = merchant_of(request.user)
    if merchant is None:
        return stores.none()
    if capability is None:
        return stores.reachable_by(merchant.pk)
    memberships = StoreMembership.objects.filter(
        merchant=merchant, role__in=roles.roles_allowed(capability)
    )
    return stores.filter(pk__in=memberships.values("store_id"))


def _reaches_a_store_with(request, capability: roles.Capability) -> bool:
    """Whether some store lets the user's role use ``capability``. Every admin of the
    sidebar asks it about the same request, so the roles the merchant holds in live stores
    are read once per request and every capability is answered from them."""
    held = request.__dict__.get("_roles_in_live_stores")
    if held is None:
        merchant = merchant_of(request.user)
        held = set(
            memberships_of_merchant(merchant_id=merchant.pk).values_list("role", flat=True)
            if merchant is not None
            else ()
        )
        request._roles_in_live_stores = held
    return not held.isdisjoint(roles.roles_allowed(capability))


def merchants_for(request):
    merchants = Merchant.objects.select_related("user")
    if request.user.is_superuser:
        return merchants
    merchant = merchant_of(request.user)
    return merchants.filter(pk=merchant.pk) if merchant else merchants.none()


class SuperuserOnlyAdmin(PlatformAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class TimestampSetFilter(admin.SimpleListFilter):
    """Filter on whether a nullable timestamp (deleted_at, revoked_at) is set."""

    field = ""
    labels = ("Not set", "Set")

    def lookups(self, request, model_admin):
        return [("no", self.labels[0]), ("yes", self.labels[1])]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(**{f"{self.field}__isnull": self.value() == "no"})
        return queryset
