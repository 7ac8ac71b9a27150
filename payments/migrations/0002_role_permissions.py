from django.db import migrations

from callcenter.roles import grant, revoke

PERMISSIONS = {
    "clerk": ["view_payment", "add_payment"],
    "manager": ["view_paymentmethod", "view_callcenterpaymentmethod",
                "add_callcenterpaymentmethod", "change_callcenterpaymentmethod",
                "delete_callcenterpaymentmethod"],
}


def forwards(apps, schema_editor):
    grant(apps, "payments", PERMISSIONS)


def backwards(apps, schema_editor):
    revoke(apps, "payments", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial"), ("callcenter", "0003_role_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
