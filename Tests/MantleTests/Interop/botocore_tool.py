"""botocore as the oracle and as the set-up tool of the AWS credential tests.

  resolve [PROFILE]      resolve credentials as botocore does from this process's environment and
                         the files it names; print {"method", "access_key", "arn"} (arn from STS
                         GetCallerIdentity at AWS_ENDPOINT_URL, when it is set), or
                         {"method": null, "error": the exception's class} when botocore fails
  put-parameter NAME VALUE        a SecureString in SSM (moto at AWS_ENDPOINT_URL)
  put-secret NAME VALUE           create or update a Secrets Manager secret
  sign METHOD URL BODY SERVICE REGION UNIX_TIME HEADER=VALUE...
                         print the headers botocore's SigV4Auth adds, as JSON (credentials from
                         AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN)
"""
import datetime
import json
import os
import sys
from unittest import mock

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def client(session, name):
    return session.create_client(name, region_name=os.environ.get("AWS_REGION", "us-east-1"))


def main(argv):
    command = argv[0]
    if command == "resolve":
        profile = argv[1] if len(argv) > 1 and argv[1] else None
        session = botocore.session.Session(profile=profile)
        try:
            credentials = session.get_credentials()
            frozen = credentials.get_frozen_credentials() if credentials is not None else None
        except Exception as error:  # the oracle's refusal is an answer too (an expired SSO sign-in)
            print(json.dumps({"method": None, "error": type(error).__name__}))
            return
        if credentials is None:
            print(json.dumps({"method": None}))
            return
        out = {"method": credentials.method, "access_key": frozen.access_key, "arn": None}
        if os.environ.get("AWS_ENDPOINT_URL"):
            out["arn"] = client(session, "sts").get_caller_identity()["Arn"]
        print(json.dumps(out))
    elif command == "put-parameter":
        session = botocore.session.Session()
        client(session, "ssm").put_parameter(Name=argv[1], Value=argv[2], Type="SecureString", Overwrite=True)
    elif command == "put-secret":
        session = botocore.session.Session()
        secrets = client(session, "secretsmanager")
        try:
            secrets.create_secret(Name=argv[1], SecretString=argv[2])
        except secrets.exceptions.ResourceExistsException:
            secrets.put_secret_value(SecretId=argv[1], SecretString=argv[2])
    elif command == "sign":
        method, url, body, service, region, when = argv[1:7]
        headers = dict(item.split("=", 1) for item in argv[7:])
        credentials = Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"], os.environ.get("AWS_SESSION_TOKEN"))
        request = AWSRequest(method=method, url=url, data=body.encode(), headers=headers)
        fixed = datetime.datetime.fromtimestamp(int(when), datetime.timezone.utc).replace(tzinfo=None)
        with mock.patch("botocore.auth.get_current_datetime", return_value=fixed):
            SigV4Auth(credentials, service, region).add_auth(request)
        print(json.dumps({name: request.headers[name] for name in ("X-Amz-Date", "X-Amz-Security-Token", "Authorization") if name in request.headers}))
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main(sys.argv[1:])
