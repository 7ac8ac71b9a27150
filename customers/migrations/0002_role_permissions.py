from django.db import migrations

from callcenter.roles import grant, revoke

PERMISSIONS = {"clerk": ["view_customer", "add_customer", "change_customer", "view_address",
                         "add_address", "change_address"]}


def forwards(apps, schema_editor):
    grant(apps, "customers", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "customers", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial"), ("callcenter", "0003_role_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
