"""A store's team on its admin page: who is in it, with which role, and (for owners, admins
and platform staff) adding a merchant account by email, changing a role, removing someone.

The rows are written only by ``stores.team`` (the same services as ``store-merchant/*``):
the formset validates what it can, and the store admin's ``save_formset`` hands each
change to a service. Who may manage is ``stores.roles`` (``Capability.TEAM``).
"""

from django import forms
from django.contrib import admin, messages

from core.errors import AppError
from stores import roles, team
from stores.admin_forms import merchant_of
from stores.models import StoreMembership, StoreRole


class TeamMemberForm(forms.ModelForm):
    """A new row names an account by email and an assignable role; an existing row shows
    its account and may change role (never the owner's)."""

    email = forms.CharField(max_length=254, required=False, label="Merchant email")

    class Meta:
        model = StoreMembership
        fields = ("role",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        role, email = self.fields.get("role"), self.fields.get("email")
        if role is None or email is None:
            return  # the read-only team (a member's view) has no inputs
        if self.instance.pk:
            email.initial = self.instance.merchant.user.email
            email.disabled = True
        if self.instance.pk and self.instance.role == StoreRole.OWNER:
            role.disabled = True
        else:
            role.choices = [(value, value) for value in roles.ASSIGNABLE_ROLES]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk or not self.has_changed():
            return cleaned
        try:
            merchant = team.merchant_by_email(email=cleaned.get("email"))
        except AppError as error:
            raise forms.ValidationError({"email": error.message}) from None
        store_id = self.instance.store_id
        if StoreMembership.objects.filter(store_id=store_id, merchant=merchant).exists():
            raise forms.ValidationError({"email": team.ALREADY_A_MEMBER})
        return cleaned


class TeamFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # A row ticked for deletion is not validated as a form: the owner's is refused here.
        if any(form.instance.role == StoreRole.OWNER for form in self.deleted_forms):
            raise forms.ValidationError(team.OWNER_NOT_REMOVABLE)


class TeamInline(admin.TabularInline):
    model = StoreMembership
    form = TeamMemberForm
    formset = TeamFormSet
    fields = ("email", "role", "created_at")
    readonly_fields = ("created_at",)
    extra = 0
    verbose_name = "team member"
    verbose_name_plural = "Team"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("merchant__user")

    def get_fields(self, request, obj=None):
        if self._may_manage(request, obj):
            return self.fields
        return ("merchant_email", "role", "created_at")

    def get_readonly_fields(self, request, obj=None):
        if self._may_manage(request, obj):
            return self.readonly_fields
        return ("merchant_email", "role", "created_at")

    @admin.display(description="Merchant email")
    def merchant_email(self, membership):
        return membership.merchant.user.email

    def _may_manage(self, request, store) -> bool:
        if request.user.is_superuser:
            return True
        merchant = merchant_of(request.user)
        if store is None or merchant is None:
            return False
        role = (
            StoreMembership.objects.filter(store=store, merchant=merchant)
            .values_list("role", flat=True)
            .first()
        )
        return roles.role_allows(role=role, capability=roles.Capability.TEAM)

    def has_view_permission(self, request, obj=None):
        return True  # whoever reaches the store's page sees its team

    def has_add_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_manage(request, obj)


def save_team(request, formset) -> None:
    """Each change of the team formset through its service; a refusal (a race the form
    could not see) is shown, and the other changes stand. What was done is left on the
    formset as Django's own save would, so the store's admin history names it."""
    merchant = merchant_of(request.user)
    actor_id = None if request.user.is_superuser or merchant is None else merchant.pk
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        try:
            _save_one(form, formset, store_id=formset.instance.pk, actor_id=actor_id)
        except AppError as error:
            messages.error(request, error.message)


def _save_one(form, formset, *, store_id, actor_id) -> None:
    membership = form.instance
    if form in formset.deleted_forms:
        if membership.pk:
            team.team_member_remove(
                store_id=store_id, merchant_id=membership.merchant_id, actor_id=actor_id
            )
            formset.deleted_objects.append(membership)
    elif membership.pk is None:
        if form.has_changed():
            added = team.team_member_add(
                store_id=store_id,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor_id=actor_id,
            )
            formset.new_objects.append(added)
    elif "role" in form.changed_data:
        changed = team.team_member_set_role(
            store_id=store_id,
            merchant_id=membership.merchant_id,
            role=form.cleaned_data["role"],
            actor_id=actor_id,
        )
        formset.changed_objects.append((changed, ["role"]))
