from django.contrib import admin

from .models import Municipality, Testbed, Theme

admin.site.register(Municipality)
admin.site.register(Theme)
admin.site.register(Testbed)
