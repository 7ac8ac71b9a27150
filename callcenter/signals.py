from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ChannelUser
from .roles import sync_groups


@receiver(post_save, sender=ChannelUser)
@receiver(post_delete, sender=ChannelUser)
def channel_user_changed(sender, instance: ChannelUser, **kwargs) -> None:
    sync_groups(instance.user)
