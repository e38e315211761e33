# Reserved for notifications (issue 16) (parallel work, 03/12/2026): fill in this file's operations rather than
# adding a new migration, so that the chain stays linear while several changes land at once.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = []
