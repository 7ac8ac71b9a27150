from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = _("Customers")
    # which role gets which of this app's permissions (see callcenter.roles)
    role_permissions = {
        "clerk": [
            "view_customer",
            "add_customer",
            "change_customer",
            "view_address",
            "add_address",
            "change_address",
            "view_customernote",
            "add_customernote",
        ],
        "supervisor": ["set_credit_limit"],
        "manager": [
            # the records of their companies' customers in the admin (ManagedCallCenterMixin)
            "view_customerevent",
        ],
    }

    def ready(self) -> None:
        from callcenter import reference
        from callcenter.choices import keep_choice_labels

        from .models import CustomerGroup

        keep_choice_labels(self.get_models())
        reference.watch(CustomerGroup)  # the search results' group filter
