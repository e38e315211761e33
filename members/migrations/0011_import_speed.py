# Reserved for import speed (issue 13) (parallel work, 03/12/2026 evening): fill in this file's operations rather than
# adding a new migration, so that the chain stays linear while several changes land at once.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("members", "0010_import_keys")]

    operations = []
