import re

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from callcenter.models import Event, code_validator
from callcenter.money import DECIMAL_PLACES, MAX_DIGITS

from .normalize import canonical_postal_code, format_phone, phone_digits, search_text


class CustomerGroup(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("customer group")
        verbose_name_plural = _("customer groups")

    def __str__(self) -> str:
        return self.name


class CustomerQuerySet(models.QuerySet):
    def of_companies(self, companies):
        return self.filter(company__in=companies)


class Customer(models.Model):
    """A customer of a company (legal entity); every call center of that company serves it."""

    company = models.CharField(_("company"), max_length=20, db_index=True)
    account_number = models.CharField(_("account number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    # the name without accents or case, for search (see normalize.search_text)
    name_search = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True, help_text=_("E.164"))
    phone_digits = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    customer_group = models.ForeignKey(
        CustomerGroup,
        verbose_name=_("customer group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customers",
    )
    credit_limit = models.DecimalField(
        _("credit limit"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Empty: the customer cannot buy on account."),
    )
    is_blocked = models.BooleanField(_("blocked"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # set when the customer's personal data was erased (customers.privacy)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    # bumped by every change (customers.services): a form that saw an older one is refused
    # db_default too: the large data set's COPY of customers names no version
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "account_number"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        permissions = [
            # what a customer may buy on account: not a clerk's to give
            ("set_credit_limit", _("Can set a customer's credit limit")),
        ]

    def __str__(self) -> str:
        return f"{self.account_number} {self.name}"

    def save(self, *args, **kwargs):
        self.name_search = search_text(self.name)
        self.phone_digits = phone_digits(self.phone)
        self.email = (self.email or "").strip().lower()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_search", "phone_digits"}
        super().save(*args, **kwargs)

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone) if self.phone else ""

    @property
    def primary_address(self) -> "Address | None":
        """The primary delivery address, from prefetched addresses when available."""
        addresses = list(self.addresses.all())
        for address in addresses:
            if address.is_primary_delivery:
                return address
        return addresses[0] if addresses else None


class Address(models.Model):
    class Purpose(models.TextChoices):
        DELIVERY = "delivery", _("Delivery")
        INVOICE = "invoice", _("Invoice")

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="addresses",
    )
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=Purpose, default=Purpose.DELIVERY
    )
    is_primary = models.BooleanField(_("primary"), default=True)
    street = models.CharField(_("street"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state"), max_length=50, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, db_index=True)
    country = models.CharField(_("country"), max_length=2, default="US")

    class Meta:
        ordering = ["customer", "-is_primary", "purpose", "pk"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        indexes = [
            # the search results' filters match city and postal code in any case
            models.Index(Upper("city"), name="address_city_upper"),
            models.Index(Upper("postal_code"), name="address_postal_code_upper"),
        ]

    def __str__(self) -> str:
        return self.one_line()

    def save(self, *args, **kwargs):
        # as the clerk's form stores it (the admin's too): "K1A 0B1" however typed
        self.postal_code = canonical_postal_code(self.postal_code, self.country)
        super().save(*args, **kwargs)

    @property
    def is_primary_delivery(self) -> bool:
        """The address orders are delivered to, and the one the clerk's edit changes."""
        return self.purpose == Address.Purpose.DELIVERY and bool(self.is_primary)

    def one_line(self) -> str:
        return one_line_address(self)


def one_line_address(place) -> str:
    """An address on one line, as the customer page writes it: "1 Main Street, Seattle,
    WA 98101, US". ``place``: anything with street, city, state, postal_code, country."""
    region = " ".join(part for part in [place.state, place.postal_code] if part)
    return ", ".join(part for part in [place.street, place.city, region, place.country] if part)


#: the end of an address as ``one_line_address`` writes a US or Canadian one: the
#: state's two letters and the ZIP or postal code, then the country ("…, OR 97201, US")
_STATE_AND_COUNTRY = re.compile(
    r",\s*([A-Z]{2})\s+(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\s*,\s*([A-Z]{2})\s*$"
)


def state_and_country_in(text: str) -> tuple[str, str] | None:
    """The (state, country) an address written as ``one_line_address`` writes a US or
    Canadian one ends with ("1 Pine St, Portland, OR 97201, US": ("OR", "US")), or None
    when its end does not say them so (the postal code is what tells a state from other
    words)."""
    found = _STATE_AND_COUNTRY.search(text or "")
    return (found.group(1), found.group(2)) if found else None


class AccountSequence(models.Model):
    """The next customer account number of a company: C-000001, C-000002..."""

    company = models.CharField(_("company"), max_length=20, unique=True)
    prefix = models.CharField(_("prefix"), max_length=10, default="C-")
    next_number = models.PositiveIntegerField(_("next number"), default=1)

    class Meta:
        verbose_name = _("account number sequence")
        verbose_name_plural = _("account number sequences")

    def __str__(self) -> str:
        return f"{self.company}: {self.prefix}{self.next_number:06d}"


class CustomerNote(models.Model):
    """What a clerk wrote about a call. Notes are added, never edited or removed."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("customer note")
        verbose_name_plural = _("customer notes")

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.text[:40]}"


class CustomerEvent(Event):
    """A change to a customer: who, when, which fields from what to what."""

    class Type(models.TextChoices):
        CREATED = "created", _("Customer created")
        CHANGED = "changed", _("Customer changed")
        NOTE_ADDED = "note_added", _("Note added")
        VIEWED = "viewed", _("Customer page viewed")
        EXPORTED = "exported", _("Personal data exported")
        ERASED = "erased", _("Personal data erased")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="events"
    )
    type = models.CharField(_("event"), max_length=20, choices=Type)

    class Meta(Event.Meta):
        verbose_name = _("customer event")
        verbose_name_plural = _("customer events")

    def __str__(self) -> str:
        return f"{self.customer_id} {self.type}"

    def changed_fields(self) -> list[tuple[str, str, str]]:
        """(field label, old value, new value) of a change; the primary delivery address's
        fields are "address.city", another address's "address[invoice].city"."""
        rows = []
        for key, change in self.parameters.get("changes", {}).items():
            model, name = (Address, key.split(".", 1)[1]) if "." in key else (Customer, key)
            try:
                label = capfirst(model._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                label = key
            if key.startswith("address[") and "]" in key:  # another address than the primary
                purpose = key[len("address[") : key.index("]")]
                if purpose in Address.Purpose.values:
                    label = f"{label} ({Address.Purpose(purpose).label})"
            rows.append((label, change.get("from", ""), change.get("to", "")))
        return rows
