from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from matchwerk.profiles import selectors as profile_selectors


def home(request):
    return render(request, "core/home.html", {"stats": profile_selectors.directory_stats()})


@login_required
def dashboard(request):
    return render(request, "core/dashboard.html", {
        "organisations": profile_selectors.organisations_of_user(user=request.user),
    })
