from tests.factories import UserFactory
from partners.models import Role
from allauth.mfa.models import Authenticator

def test_x(mfa_client, client):
    u = UserFactory(mfa=True)
    assert Authenticator.objects.filter(user=u).count() == 2
    c = mfa_client(u)
    r = c.get("/")
    print(r.status_code, r.content.decode()[:3000])
    u2 = UserFactory(role=Role.BEHEERDER)
    c2 = mfa_client(u2)
    r = c2.get("/beheer/")
    print(r.status_code)
    assert 0
