"""The application's URLs plus the framework's floor: a view that makes one query.

The benchmark serves both through the same middleware (sessions, login, locale,
CSP, ...), so "× floor" says what the application adds to Django itself.
"""

from django.http import HttpResponse
from django.urls import path

from callcenter.urls import urlpatterns as application
from customers.models import Customer


def floor(request):
    return HttpResponse(str(Customer.objects.filter(pk=1).exists()))


urlpatterns = [path("__floor__/", floor), *application]
