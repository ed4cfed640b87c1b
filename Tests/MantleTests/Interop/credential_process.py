"""A credential_process for the tests: prints fixed temporary credentials in the documented format."""
import datetime
import json

expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
print(json.dumps({"Version": 1, "AccessKeyId": "ASIAPROCESSEXAMPLE01", "SecretAccessKey": "process-secret",
                  "SessionToken": "process-session", "Expiration": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}))
