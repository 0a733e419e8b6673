app_name = "sanctions_portal"
urlpatterns: list = []
