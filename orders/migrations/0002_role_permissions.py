from django.db import migrations

from callcenter.roles import grant, revoke

PERMISSIONS = {"clerk": ["view_salesorder", "add_salesorder", "change_salesorder"]}


def forwards(apps, schema_editor):
    grant(apps, "orders", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "orders", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial"), ("callcenter", "0003_role_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
