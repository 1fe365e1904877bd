"""A minimal authorization server built on django-oauth-toolkit (Debian python3-django-oauth-toolkit),
whose OAuth work is done by OAuthLib (Debian python3-oauthlib): a code base independent of Authlib's.

Mounted at /o/ as DOT's documentation does, with Django's CommonMiddleware (APPEND_SLASH), as a
stock Django deployment has it: DOT routes only paths with a trailing slash, so /o/token answers
301 → /o/token/. DOT parses the Basic header itself (form-decoding it, RFC 6749 Appendix B);
OAuthLib issues client_credentials tokens and revokes them (RFC 7009); DOT introspects (RFC 7662)
and serves OpenID Connect discovery at /o/.well-known/openid-configuration/ (which lists neither
a revocation nor an introspection endpoint). Tokens live in a throwaway SQLite file.

Clients come from the JSON in INTEROP_CLIENTS: [{"id": ..., "secret": ...}] (confidential,
client_credentials). Any client may introspect (DOT's rule: an authenticated client).
Run: /usr/bin/python3 dot_server.py [port]
"""
import json
import os
import secrets
import sys
import tempfile

import django
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.urls import include, path

from serve import serve

db = tempfile.NamedTemporaryFile(prefix="dot-interop-", suffix=".sqlite3", delete=False)
db.close()
# OIDC discovery needs a signing key (DOT advertises RS256 with it); one per run.
signing_key = (
    rsa.generate_private_key(public_exponent=65537, key_size=2048)
    .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    .decode()
)
settings.configure(
    DEBUG=False,
    SECRET_KEY=secrets.token_hex(32),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "oauth2_provider"],
    MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": db.name}},
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    USE_TZ=True,
    OAUTH2_PROVIDER={
        "SCOPES": {"api:read": "read the API", "api:write": "write the API"},
        "DEFAULT_SCOPES": ["api:read"],
        "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": signing_key,
    },
)
django.setup()

from django.core.management import call_command  # noqa: E402  (needs django.setup())
from oauth2_provider.models import Application  # noqa: E402

urlpatterns = [path("o/", include("oauth2_provider.urls", namespace="oauth2_provider"))]


def main():
    try:
        call_command("migrate", verbosity=0, interactive=False)
        for c in json.loads(os.environ["INTEROP_CLIENTS"]):
            Application.objects.create(
                name=c["id"],
                client_id=c["id"],
                client_secret=c["secret"],
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            )
        from django.core.wsgi import get_wsgi_application

        serve(get_wsgi_application(), int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    finally:
        os.unlink(db.name)


if __name__ == "__main__":
    main()
