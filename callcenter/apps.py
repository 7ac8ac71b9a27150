from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallCenterConfig(AppConfig):
    name = "callcenter"
    verbose_name = _("Call centers")

    def ready(self) -> None:
        from . import signals  # noqa: F401
