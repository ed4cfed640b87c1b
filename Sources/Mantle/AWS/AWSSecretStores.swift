import Foundation
import HTTPClient

/// Reads a secret from SSM Parameter Store (`GetParameter` with decryption) or Secrets Manager
/// (`GetSecretValue`, optionally one key of a JSON secret), signed with resolved AWS credentials,
/// over their JSON protocol.
struct AWSSecretStores: Sendable {
    let settings: AWSSettings
    let call: AWSServiceCall
    let now: @Sendable () -> Date

    /// The Region of a name that is an ARN (`arn:aws:ssm:REGION:…`), nil otherwise.
    static func region(ofARN name: String) -> String? {
        let parts = name.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[3].isEmpty else { return nil }
        return String(parts[3])
    }

    func parameter(_ name: String, region: String, credentials: AWSCredentials) async throws(MantleError) -> MantleSecret {
        let source = "SSM parameter \(name)"
        let json = try await send(
            .ssm, target: "AmazonSSM.GetParameter", body: ["Name": name, "WithDecryption": true], region: region, credentials: credentials,
            source: source)
        guard let parameter = json["Parameter"] as? [String: Any], let value = parameter["Value"] as? String,
            !value.trimmingWhitespace.isEmpty
        else {
            throw .credential("\(source) has no value; put the Bedrock API key in it")
        }
        return MantleSecret(value.trimmingWhitespace)
    }

    func secret(_ id: String, jsonKey: String?, region: String, credentials: AWSCredentials) async throws(MantleError) -> MantleSecret {
        let source = "Secrets Manager secret \(id)"
        let json = try await send(
            .secretsManager, target: "secretsmanager.GetSecretValue", body: ["SecretId": id], region: region, credentials: credentials,
            source: source)
        guard let text = json["SecretString"] as? String else {
            throw .credential("\(source) has no SecretString (a binary secret?); store the key as text")
        }
        guard let jsonKey else {
            guard !text.trimmingWhitespace.isEmpty else { throw .credential("\(source) is empty") }
            return MantleSecret(text.trimmingWhitespace)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw .credential("\(source) is not a JSON object, so it has no key '\(jsonKey)'; drop #\(jsonKey) from the reference")
        }
        guard let value = object[jsonKey] as? String, !value.trimmingWhitespace.isEmpty else {
            throw .credential("\(source) has no text at key '\(jsonKey)' (its keys: \(object.keys.sorted().joined(separator: ", ")))")
        }
        return MantleSecret(value.trimmingWhitespace)
    }

    private func send(
        _ service: AWSService, target: String, body: [String: Any], region: String, credentials: AWSCredentials, source: String
    ) async throws(MantleError) -> [String: Any] {
        let (url, signingRegion) = settings.endpoint(service, region: region)
        let payload = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        let now = now
        let outcome = try await call.send(
            { () throws(MantleError) -> HTTPRequest in
                let signed = try SigV4RequestSigner(credentials: credentials, region: signingRegion, service: service.hostPrefix).sign(
                    method: "POST", url: url + "/",
                    headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", target)], body: payload, date: now())
                var headers = HTTPHeaders()
                for (name, value) in signed { headers.add(name: name, value: value) }
                return HTTPRequest(
                    method: .post, url: url + "/", headers: headers, body: payload, timeout: .seconds(10), connectTimeout: .seconds(5),
                    maxResponseBytes: 1 << 20)
            }, errorCode: { Self.errorType(in: $0.body) })
        switch outcome {
        case .noAnswer(let failure):
            throw .credentialUnavailable("\(source): \(url) did not answer (\(failure.kind.rawValue))")
        case .answer(let response):
            guard (200..<300).contains(response.status) else {
                let type = Self.errorType(in: response.body) ?? "no error type"
                let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
                let message = ((object?["message"] ?? object?["Message"]) as? String).map { ": \(String($0.prefix(300)))" } ?? ""
                let line =
                    "\(source): \(service == .ssm ? "SSM GetParameter" : "Secrets Manager GetSecretValue") answered \(response.status) \(type)\(message)"
                if response.status >= 500 || response.status == 429 { throw .credentialUnavailable(line) }
                throw .credential(line + Self.advice(type, service: service))
            }
            guard let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else {
                throw .credentialUnavailable("\(source): the answer is not JSON")
            }
            return object
        }
    }

    /// `__type`, without the `namespace#` some services put before it.
    static func errorType(in body: Data) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any], let type = object["__type"] as? String else {
            return nil
        }
        return type.split(separator: "#").last.map(String.init)
    }

    private static func advice(_ type: String, service: AWSService) -> String {
        switch (type, service) {
        case ("ParameterNotFound", _): "; create it (aws ssm put-parameter --type SecureString) or fix the name"
        case ("ResourceNotFoundException", .secretsManager): "; create it or fix the name or ARN"
        case ("AccessDeniedException", .ssm): "; allow ssm:GetParameter on it (and kms:Decrypt on its key)"
        case ("AccessDeniedException", _): "; allow secretsmanager:GetSecretValue on it (and kms:Decrypt on its key)"
        default: ""
        }
    }
}
