"""A minimal authorization server built on Authlib (Debian python3-authlib) and Flask.

Authlib does the OAuth work: client authentication (client_secret_basic, its own parsing of the
Basic header; client_secret_post), the client_credentials grant (RFC 6749 §4.4), revocation
(RFC 7009) and introspection (RFC 7662). This app only stores clients and tokens in memory and
serves RFC 8414 metadata (Authlib has the metadata model, not a route for it).

Clients come from the JSON in INTEROP_CLIENTS: [{"id": ..., "secret": ...}]; each may use
client_credentials with Basic or post. The client named by INTEROP_INTROSPECTOR may introspect
any token (the tests' view of the server's own state).
Run: /usr/bin/python3 authlib_server.py [port]
"""
import json
import os
import sys
import time

# Authlib refuses plain http except to "localhost" (InsecureTransportError → HTTP 500); this server
# listens on 127.0.0.1 for tests only.
os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin, grants
from authlib.oauth2.rfc6749.util import scope_to_list
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Flask, jsonify

from serve import serve

AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
SCOPES = ["api:read", "api:write"]


class Client(ClientMixin):
    def __init__(self, client_id, secret):
        self.client_id, self.secret = client_id, secret

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        return " ".join(s for s in scope_to_list(scope or "") if s in SCOPES)

    def check_redirect_uri(self, redirect_uri):
        return False

    def check_client_secret(self, client_secret):
        return client_secret == self.secret

    def check_endpoint_auth_method(self, method, endpoint):
        return method in AUTH_METHODS

    def check_response_type(self, response_type):
        return False

    def check_grant_type(self, grant_type):
        return grant_type == "client_credentials"


class Token(TokenMixin):
    def __init__(self, data, client_id):
        self.data, self.client_id = data, client_id
        self.issued_at, self.revoked = int(time.time()), False

    def check_client(self, client):
        return client.get_client_id() == self.client_id

    def get_scope(self):
        return self.data.get("scope", "")

    def get_expires_in(self):
        return self.data["expires_in"]

    def is_expired(self):
        return time.time() >= self.issued_at + self.get_expires_in()

    def is_revoked(self):
        return self.revoked


clients = {c["id"]: Client(c["id"], c["secret"]) for c in json.loads(os.environ["INTEROP_CLIENTS"])}
introspector = os.environ.get("INTEROP_INTROSPECTOR")
tokens = {}


class ClientCredentials(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS


class Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        return tokens.get(token_string)

    def revoke_token(self, token, request):
        token.revoked = True


class Introspection(IntrospectionEndpoint):
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def query_token(self, token_string, token_type_hint):
        return tokens.get(token_string)

    def check_permission(self, token, client, request):
        return client.get_client_id() in (introspector, token.client_id)

    def introspect_token(self, token):
        return {
            "active": True,
            "client_id": token.client_id,
            "scope": token.get_scope(),
            "token_type": "Bearer",
            "iat": token.issued_at,
            "exp": token.issued_at + token.get_expires_in(),
        }


def save_token(token, request):
    tokens[token["access_token"]] = Token(token, request.client.get_client_id())


app = Flask(__name__)
app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"client_credentials": 3600}
server = AuthorizationServer(app, query_client=clients.get, save_token=save_token)
server.register_grant(ClientCredentials)
server.register_endpoint(Revocation)
server.register_endpoint(Introspection)
issuer = None


@app.post("/token")
def token():
    return server.create_token_response()


@app.post("/revoke")
def revoke():
    return server.create_endpoint_response(Revocation.ENDPOINT_NAME)


@app.post("/introspect")
def introspect():
    return server.create_endpoint_response(Introspection.ENDPOINT_NAME)


@app.get("/.well-known/oauth-authorization-server")
def metadata():
    return jsonify(
        issuer=issuer,
        token_endpoint=f"{issuer}/token",
        revocation_endpoint=f"{issuer}/revoke",
        introspection_endpoint=f"{issuer}/introspect",
        grant_types_supported=["client_credentials"],
        scopes_supported=SCOPES,
        token_endpoint_auth_methods_supported=AUTH_METHODS,
        revocation_endpoint_auth_methods_supported=AUTH_METHODS,
        introspection_endpoint_auth_methods_supported=AUTH_METHODS,
    )


def bound(url):
    global issuer
    issuer = url


if __name__ == "__main__":
    serve(app, int(sys.argv[1]) if len(sys.argv) > 1 else 0, on_bound=bound)
