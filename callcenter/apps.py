from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallCenterConfig(AppConfig):
    name = "callcenter"
    verbose_name = _("Call centers")

    role_permissions = {
        "manager": [
            "view_callcenter",
            "change_callcenter",
            "view_channeluser",
            "add_channeluser",
            "change_channeluser",
            "delete_channeluser",
            "view_deliverymode",
            "view_financialdimension",
            "view_chargerule",  # of their centers and of every center (``CenterSettingsMixin``)
        ],
    }

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.core import signals as core_signals
        from django.db.models.signals import post_migrate

        from . import log, reference, signals  # noqa: F401
        from .choices import keep_choice_labels
        from .models import CallCenter, ChargeRule, DeliveryMode
        from .roles import grant_role_permissions

        keep_choice_labels(self.get_models())
        # the request's X-Request-ID on the log lines written while it is served
        core_signals.request_started.connect(log.request_started)
        core_signals.request_finished.connect(log.request_finished)
        reference.watch(DeliveryMode)
        reference.watch_links(CallCenter.delivery_modes.through)
        reference.watch(ChargeRule, call_center_of=lambda rule: rule.call_center_id)
        # channel users' permissions (callcenter.auth): roles' groups and their grants
        user = get_user_model()
        reference.watch(Group)
        reference.watch_links(user.groups.through)
        reference.watch_links(user.user_permissions.through)

        # after auth's own handler has created the permissions of each app
        post_migrate.connect(grant_role_permissions, dispatch_uid="grant_role_permissions")
