from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")
    # which role gets which of this app's permissions (see callcenter.roles)
    role_permissions = {
        "clerk": ["view_payment", "add_payment"],
        "manager": [
            "view_paymentmethod",
            "view_callcenterpaymentmethod",
            "add_callcenterpaymentmethod",
            "change_callcenterpaymentmethod",
            "delete_callcenterpaymentmethod",
            # their centers' payments' records, in the admin (ManagedCallCenterMixin)
            "view_paymentevent",
            "view_cancellation",
        ],
    }

    def ready(self) -> None:
        from callcenter import reference
        from callcenter.choices import keep_choice_labels
        from orders import holds

        from . import checks, contributions, services  # noqa: F401  (checks registers itself)
        from .models import CallCenterPaymentMethod, PaymentMethod

        keep_choice_labels(self.get_models())
        contributions.register()
        # a submitted order's holds are re-checked with what it puts on account
        holds.register_credit_facts(services.order_credit_facts)
        reference.watch(PaymentMethod)
        reference.watch(CallCenterPaymentMethod, call_center_of=lambda row: row.call_center_id)
