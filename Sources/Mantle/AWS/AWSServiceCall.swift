import Foundation
import HTTPClient

/// One call to an AWS service or credential endpoint, retried with backoff while it fails in a
/// way that can pass (no answer, 5xx, throttling), and failing with the source's name.
struct AWSServiceCall: Sendable {
    /// Sends the requests.
    let transport: any MantleTransport
    /// Tries per call; the delays between them double from `firstDelay`.
    var attempts = 3
    var firstDelay: Duration = .milliseconds(200)

    /// What a failed try means for the next one.
    enum Verdict: Equatable {
        case retry(after: Duration)
        case fail
    }

    /// Retry an answerless try, a 5xx, a 429 or a throttling code while tries remain (pure).
    static func verdict(attempt: Int, attempts: Int, firstDelay: Duration, status: Int?, code: String?) -> Verdict {
        guard attempt < attempts else { return .fail }
        let transient: Bool =
            switch status {
            case nil: true
            case let status?:
                status >= 500 || status == 429
                    || ["Throttling", "ThrottlingException", "RequestLimitExceeded", "IDPCommunicationError"].contains(code ?? "")
            }
        return transient ? .retry(after: firstDelay * (1 << (attempt - 1))) : .fail
    }

    /// An HTTP answer, or the transport failure of the last try.
    enum Outcome: Sendable {
        case answer(HTTPResponse)
        case noAnswer(HTTPClientError)
    }

    /// Sends `request` (built afresh for each try: a signature carries its time) until it is
    /// answered with a status `verdict` does not retry, or the tries run out.
    func send(
        _ request: @Sendable () throws(MantleError) -> HTTPRequest, errorCode: @Sendable (HTTPResponse) -> String? = { _ in nil }
    ) async throws(MantleError) -> Outcome {
        var attempt = 1
        while true {
            let outcome: Outcome
            do {
                outcome = .answer(try await transport.send(try request()))
            } catch let error as MantleError {
                throw error
            } catch let failure as HTTPClientError {
                outcome = .noAnswer(failure)
            } catch {
                outcome = .noAnswer(
                    HTTPClientError(kind: error is CancellationError ? .cancelled : .other, message: "\(type(of: error))", url: ""))
            }
            let status: Int?
            switch outcome {
            case .answer(let response) where (200..<300).contains(response.status): return outcome
            case .answer(let response): status = response.status
            case .noAnswer(let failure) where failure.kind == .cancelled: return outcome
            case .noAnswer: status = nil
            }
            let code: String? = if case .answer(let response) = outcome { errorCode(response) } else { nil }
            switch Self.verdict(attempt: attempt, attempts: attempts, firstDelay: firstDelay, status: status, code: code) {
            case .fail:
                return outcome
            case .retry(let delay):
                do { try await Task.sleep(for: delay) } catch { return outcome }
                attempt += 1
            }
        }
    }
}

extension MantleError {
    /// A credential source that did not answer or answered with an error that can pass (an STS
    /// or metadata outage): retryable, so jobs wait instead of failing.
    static func credentialUnavailable(_ message: String) -> MantleError {
        MantleError(kind: .credential, classification: .retryable, message: message)
    }
}

/// The few fields read from AWS's XML answers (STS), without an XML library: the answers are
/// flat, and each field read has a unique tag name.
enum AWSXML {
    /// The text of the first `<tag>…</tag>`, entities decoded.
    static func value(_ tag: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(tag)>"), let close = text.range(of: "</\(tag)>", range: open.upperBound..<text.endIndex) else {
            return nil
        }
        return decode(String(text[open.upperBound..<close.lowerBound]))
    }

    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let number =
                    entity.hasPrefix("#x")
                    ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) { result.unicodeScalars.append(scalar) } else { result += "&\(entity);" }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return result + rest
    }
}
