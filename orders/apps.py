from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Sales orders")
    # which role gets which of this app's permissions (see callcenter.roles)
    role_permissions = {
        "clerk": [
            "view_salesorder",
            "add_salesorder",
            "change_salesorder",
            "add_catalogrequest",
            "add_orderhold",
            "release_order",
        ],
        "supervisor": [
            "override_price_beyond_limit",
            "export_catalogrequest",
            "view_hold_queue",
            "clear_hold",
            "export_fulfilment",
        ],
        # their centers' hold settings, fraud rules and override limits (``CenterSettingsMixin``)
        "manager": [
            f"{action}_{model}"
            for model in ("holdsettings", "fraudrule", "priceoverridelimit")
            for action in ("view", "add", "change", "delete")
        ]
        # what belongs to their centers' orders, in the admin (ManagedCallCenterMixin)
        + [
            f"view_{model}"
            for model in (
                "salesline",
                "orderevent",
                "orderhold",
                "returnorder",
                "returnline",
                "upselloffer",
                "catalogrequest",
                "customerpricegroup",
                "enrolment",
                "enrolmentshipment",
                "enrolmentevent",
            )
        ],
    }

    def ready(self) -> None:
        from callcenter import reference
        from callcenter.choices import keep_choice_labels

        from . import contributions
        from .models import (
            ContinuityProgram,
            CustomerPriceGroup,
            FraudRule,
            HoldCode,
            HoldSettings,
            PriceOverrideReason,
        )

        keep_choice_labels(self.get_models())
        contributions.register()
        reference.watch(PriceOverrideReason, ContinuityProgram, HoldCode, CustomerPriceGroup)
        reference.watch(HoldSettings, FraudRule, call_center_of=lambda row: row.call_center_id)
