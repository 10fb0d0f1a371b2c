"""Forms behind the merchant admin: validation comes from the same functions the API uses,
and every write that has a service goes through that service.

``ServiceModelForm`` is the pattern for writes that belong to a service (creating a store,
adding an API key, versioning a product): the service runs at the very end of validation,
inside a savepoint, so an ``AppError`` it raises becomes a form error and nothing is written.
The admin then finds the service's result in ``form.instance`` and does not save it again.
"""

import json
import re

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from core.errors import AppError, BadRequest, Forbidden
from stores import services, settings_schema, theme_form
from stores.models import ApiKey, Merchant, Store, StoreStatus


def merchant_of(user) -> Merchant | None:
    """The merchant behind an admin user, or ``None`` (platform staff, anonymous)."""
    try:
        return user.merchant
    except (Merchant.DoesNotExist, AttributeError):
        return None


class AdminRequestForm(forms.ModelForm):
    """A ModelForm that knows the admin request; the ModelAdmin sets ``admin_request`` on the
    class it builds for each request."""

    admin_request = None

    @property
    def is_superuser(self) -> bool:
        return bool(self.admin_request and self.admin_request.user.is_superuser)

    @property
    def merchant(self) -> Merchant | None:
        return merchant_of(self.admin_request.user) if self.admin_request else None


class ServiceModelForm(AdminRequestForm):
    """A form whose write is a service call made once the form is otherwise valid."""

    service_done = False

    def perform(self):
        """Call the service; return the object it wrote (or ``None`` to keep the instance)."""
        raise NotImplementedError

    def service_error_field(self, error: AppError) -> str | None:
        """The form field an error message is about; ``None`` for a form-wide error."""
        return None

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            with transaction.atomic():
                result = self.perform()
        except AppError as error:
            field = self.service_error_field(error)
            self.add_error(field if field in self.fields else None, error.message)
            return
        if result is not None:
            self.instance = result
        self.service_done = True


class PrettyJSONField(forms.JSONField):
    """JSON shown indented, so a merchant can read and edit it in a textarea."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 12, "cols": 80}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2, cls=self.encoder)


def _humanize(key: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", key).lower().capitalize()


NOTIFICATION_CHOICES = [
    (key, _humanize(key)) for key in settings_schema.MERCHANT_WRITABLE_NOTIFICATIONS
]
MERCHANT_STATUS_CHOICES = [
    (StoreStatus.ACTIVE, StoreStatus.ACTIVE.label),
    (StoreStatus.INACTIVE, StoreStatus.INACTIVE.label),
]


def _store_name(value) -> str:
    try:
        return services.clean_store_name(value)
    except AppError as error:
        raise ValidationError(error.message) from None


class StoreAddForm(ServiceModelForm):
    """A new store is made by ``store_create``, which also makes the owner membership."""

    name = forms.CharField(strip=False, help_text="1 to 48 characters.")
    owner = forms.ModelChoiceField(
        queryset=Merchant.objects.select_related("user"),
        help_text="The merchant who owns the new store.",
    )

    class Meta:
        model = Store
        fields = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_superuser:
            # A merchant always creates stores for itself.
            del self.fields["owner"]

    def clean_name(self):
        return _store_name(self.cleaned_data["name"])

    def perform(self):
        owner = self.cleaned_data.get("owner") or self.merchant
        if owner is None:
            raise Forbidden("Only merchants can own stores", layer="store")
        return services.store_create(merchant_id=owner.pk, name=self.cleaned_data["name"])

    def service_error_field(self, error):
        return "name"


class StoreChangeForm(theme_form.ThemeFields, AdminRequestForm):
    name = forms.CharField(strip=False, help_text="1 to 48 characters.")
    logo = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="An https URL or a data:image URI (png, jpeg, gif, webp).",
    )
    website = forms.URLField(
        required=False,
        validators=[URLValidator(schemes=["http", "https"])],
        assume_scheme="https",
    )
    notifications = forms.MultipleChoiceField(
        choices=NOTIFICATION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Notifications",
        help_text="Emails to you and your buyers that you control. Order and subscription "
        "confirmations to buyers are always sent by the platform.",
    )

    class Meta:
        model = Store
        fields = [
            "name",
            "status",
            "prod_enabled",
            "logo",
            "support_email",
            "website",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        store = self.instance
        # The merchant edits the effective theme; it is only stored when it changes.
        self.initial.update(theme_form.theme_initial(store.checkout_settings))
        effective = settings_schema.effective_notification_settings(store.notification_settings)
        self.initial["notifications"] = [key for key, _ in NOTIFICATION_CHOICES if effective[key]]
        if "status" in self.fields and not self.is_superuser:
            # Suspending is for platform staff only.
            self.fields["status"].choices = MERCHANT_STATUS_CHOICES
        self._notification_settings = None

    def clean_name(self):
        return _store_name(self.cleaned_data["name"])

    def clean_logo(self):
        logo = self.cleaned_data["logo"].strip()
        if logo and not settings_schema.is_valid_logo(logo):
            raise ValidationError("Invalid logo: expected an https URL or a data:image URI")
        return logo

    def clean_support_email(self):
        return services.normalize_email(self.cleaned_data["support_email"])

    def clean(self):
        cleaned = super().clean()
        self._checkout_settings = theme_form.clean_theme(self, self.instance.checkout_settings)
        return cleaned

    def clean_notifications(self):
        selected = set(self.cleaned_data["notifications"])
        if "notifications" in self.changed_data:
            patch = {key: key in selected for key, _ in NOTIFICATION_CHOICES}
            try:
                merged, _ = settings_schema.merge_notification_settings(
                    self.instance.notification_settings, patch
                )
            except BadRequest as error:
                raise ValidationError(error.message) from None
            self._notification_settings = merged
        return sorted(selected)

    def save(self, commit=True):
        self.instance.checkout_settings = self._checkout_settings
        if self._notification_settings is not None:
            self.instance.notification_settings = self._notification_settings
        return super().save(commit)


class ApiKeyAddForm(ServiceModelForm):
    """Paste a public key, or let the platform generate the pair and hand out the private
    key once."""

    public_key_pem = forms.CharField(
        label="Public key",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 9, "cols": 70}),
        help_text="PEM (-----BEGIN PUBLIC KEY-----), RSA, at least 2048 bits.",
    )
    generate = forms.BooleanField(
        label="Generate a key pair for me",
        required=False,
        help_text="Instead of pasting a key: the private key is offered as a download once, "
        "right after saving, and is never stored.",
    )
    both_environments = forms.BooleanField(
        label="Use this key in test and prod",
        required=False,
        help_text="Not recommended: one key per environment keeps a leaked test key out of "
        "prod. A key registered in both must send X-Environment with every request.",
    )

    class Meta:
        model = ApiKey
        fields = ["merchant", "environment", "name"]

    def clean(self):
        cleaned = super().clean()
        pasted = (cleaned.get("public_key_pem") or "").strip()
        if cleaned.get("generate") and pasted:
            self.add_error("public_key_pem", "Paste a public key or generate a key pair, not both.")
        elif not cleaned.get("generate") and not pasted:
            self.add_error(
                "public_key_pem", "Paste a public key, or tick “Generate a key pair for me”."
            )
        return cleaned

    def perform(self):
        merchant = self.cleaned_data.get("merchant") or self.merchant
        if merchant is None:
            raise Forbidden("Only merchants have API keys", layer="user")
        fields = {
            "merchant": merchant,
            "environment": self.cleaned_data["environment"],
            "name": self.cleaned_data.get("name") or "",
            "both_environments": bool(self.cleaned_data.get("both_environments")),
        }
        if self.cleaned_data.get("generate"):
            api_key, private_pem = services.api_key_generate(**fields)
            # Handed to ModelAdmin.response_add, which offers it once; never saved.
            api_key.generated_private_pem = private_pem
            return api_key
        return services.api_key_add(public_key=self.cleaned_data["public_key_pem"], **fields)

    def service_error_field(self, error):
        return None if self.cleaned_data.get("generate") else "public_key_pem"


class ApiKeyChangeForm(AdminRequestForm):
    class Meta:
        model = ApiKey
        fields = ["name"]


class MerchantAddForm(ServiceModelForm):
    """Platform staff invite a merchant: a staff user in the merchant group, via the service."""

    email = forms.EmailField()
    password = forms.CharField(
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text="Leave empty to create the account without a usable password.",
    )

    class Meta:
        model = Merchant
        fields = []

    def clean_password(self):
        password = self.cleaned_data["password"]
        if password:
            password_validation.validate_password(password)
        return password

    def perform(self):
        return services.merchant_create(
            email=self.cleaned_data["email"], password=self.cleaned_data["password"] or None
        )

    def service_error_field(self, error):
        return "email"
