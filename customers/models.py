import re

from django.db import models
from django.utils.translation import gettext_lazy as _


def digits_only(value: str) -> str:
    return re.sub(r"\D", "", value or "")


class CustomerQuerySet(models.QuerySet):
    def of_companies(self, companies):
        return self.filter(company__in=companies)


class Customer(models.Model):
    """A customer of a company (legal entity); every call center of that company serves it."""

    company = models.CharField(_("company"), max_length=20, db_index=True)
    account_number = models.CharField(_("account number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_digits = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    is_blocked = models.BooleanField(_("blocked"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "account_number"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return f"{self.account_number} {self.name}"

    def save(self, *args, **kwargs):
        self.phone_digits = digits_only(self.phone)
        if kwargs.get("update_fields") is not None and "phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_digits"}
        super().save(*args, **kwargs)

    @property
    def primary_address(self) -> "Address | None":
        """The primary delivery address, from prefetched addresses when available."""
        addresses = list(self.addresses.all())
        for address in addresses:
            if address.purpose == Address.Purpose.DELIVERY and address.is_primary:
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

    def __str__(self) -> str:
        return self.one_line()

    def one_line(self) -> str:
        region = " ".join(part for part in [self.state, self.postal_code] if part)
        return ", ".join(part for part in [self.street, self.city, region, self.country] if part)
