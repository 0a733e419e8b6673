app_name = "disputes_portal"
urlpatterns: list = []
