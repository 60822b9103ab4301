from django.urls import path

from stegvis.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("logga-in/", views.login_view, name="login"),
    path("logga-ut/", views.logout_view, name="logout"),
    path("tvafaktor/", views.verify, name="verify"),
    path("tvafaktor/aktivera/", views.enrol, name="enrol"),
    path("losenord/", views.password_change, name="password_change"),
]
