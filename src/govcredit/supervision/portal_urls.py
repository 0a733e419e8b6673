app_name = "supervision_portal"
urlpatterns: list = []
