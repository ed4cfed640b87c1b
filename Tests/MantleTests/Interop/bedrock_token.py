"""Prints the short-term Bedrock API key that the official aws-bedrock-token-generator produces.

MantleTests runs this with fixed credentials, Region, expiry and clock, and expects Longhaul's
minter to produce the byte-identical string. The clock is fixed by replacing the function that
botocore's SigV4 signer reads the time from (botocore.auth.get_current_datetime).

usage: bedrock_token.py ACCESS_KEY SECRET_KEY SESSION_TOKEN|- REGION UNIX_SECONDS EXPIRES_SECONDS
"""

import datetime
import sys

import botocore.auth
from botocore.credentials import Credentials

from aws_bedrock_token_generator import provide_token


class FixedCredentials:
    """A credential provider (anything with load()) that returns the given credentials."""

    def __init__(self, credentials):
        self._credentials = credentials

    def load(self):
        return self._credentials


def main():
    access_key, secret_key, session_token, region, unix_seconds, expires = sys.argv[1:7]
    fixed = datetime.datetime.fromtimestamp(int(unix_seconds), tz=datetime.timezone.utc).replace(tzinfo=None)
    botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed
    credentials = Credentials(access_key, secret_key, None if session_token == "-" else session_token)
    token = provide_token(
        region=region,
        aws_credentials_provider=FixedCredentials(credentials),
        expiry=datetime.timedelta(seconds=int(expires)),
    )
    sys.stdout.write(token)


if __name__ == "__main__":
    main()
