from django.db import migrations

from callcenter.roles import grant, revoke

PERMISSIONS = {
    "manager": [
        "view_callcenter",
        "change_callcenter",
        "view_channeluser",
        "add_channeluser",
        "change_channeluser",
        "delete_channeluser",
        "view_deliverymode",
        "view_financialdimension",
    ],
}


def forwards(apps, schema_editor):
    grant(apps, "callcenter", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "callcenter", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("callcenter", "0002_call_center_configuration"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
