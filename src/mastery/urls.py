from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Mastery administration"
admin.site.site_title = "Mastery"
admin.site.index_title = "School records"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("mastery.web.urls")),
]
