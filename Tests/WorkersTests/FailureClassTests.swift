import Foundation
import HTTPClient
import Testing

@testable import LonghaulCore
@testable import Mantle

/// What each Mantle failure means for the job and for its project (`MantleGateway.classify`).
@Suite("Mantle failures by class: the job's, the endpoint's, the project's")
struct FailureClassTests {
    static func classified(_ status: Int, _ body: String) -> RemoteCallError {
        MantleGateway.classify(MantleError.http(HTTPResponse(status: status, headers: [:], body: Data(body.utf8)), operation: .createResponse, now: Date()))
    }

    @Test("a refused key, an unknown Mantle project, a forbidden call and an exhausted quota need a person: the project pauses", arguments: [
        (401, #"{"error":{"type":"invalid_request_error","code":"invalid_api_key","message":"The security token included in the request is invalid."}}"#),
        (401, #"{"error":{"type":"invalid_request_error","code":"invalid_project","message":"The OpenAI-Project header names 'proj_x', which is not a project of this account."}}"#),
        (403, #"{"error":{"type":"invalid_request_error","code":"project_archived","message":"Project 'proj_x' is archived and accepts no new inference."}}"#),
        (429, #"{"error":{"type":"insufficient_quota","code":"insufficient_quota","message":"You exceeded your current quota."}}"#),
    ])
    func refusals(status: Int, body: String) {
        guard case .needsAttention(let detail) = Self.classified(status, body) else {
            Issue.record("\(status) should need attention, got \(Self.classified(status, body))")
            return
        }
        #expect(detail.httpStatus == status)
    }

    @Test("a model not enabled on this route is that job's problem, not the project's")
    func modelNotEnabled() {
        let error = Self.classified(401, #"{"error":{"message":"google.gemma-4 is not enabled for this account (access_denied)"}}"#)
        guard case .permanent = error else { Issue.record("expected permanent, got \(error)"); return }
    }

    @Test("a credential that cannot be read needs a person")
    func unreadableCredential() {
        guard case .needsAttention = MantleGateway.classify(.credential("API key file /k does not exist")) else {
            Issue.record("expected needs attention")
            return
        }
    }

    @Test("5xx and 429 are the endpoint's: retryable, and nothing was created")
    func unavailable() {
        for status in [429, 500, 503] {
            guard case .retryable(_, _, mayHaveBeenCreated: false) = Self.classified(status, #"{"error":{"message":"busy"}}"#) else {
                Issue.record("\(status) should be retryable without a Response")
                continue
            }
        }
    }
}
