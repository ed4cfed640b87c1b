import Foundation
import LonghaulCore
import Testing
import TestSupport
import Workers

@Suite("The Deliverer refuses internal addresses before connecting", .serialized)
struct DeliverySSRFTests {
    @Test("loopback by literal, [::1] and localhost are refused without the allowlist: logged, nothing sent; allowed with it")
    func loopbackRefusedUnlessAllowed() async throws {
        try await DeliveryHarness.with("ssrf_loopback") { harness in
            let urls = [
                "http://127.0.0.1:\(harness.receiver.port)/ok", "http://[::1]:\(harness.receiver.port)/ok",
                "http://localhost:\(harness.receiver.port)/ok",
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/hook",
            ]
            let refusing = harness.startDeliverer(try .delivering(schedule: "0,100ms;jitter=0", allowLoopback: false))
            var ids: [String] = []
            for url in urls { ids.append(try await harness.enqueue(url: url)) }
            for id in ids {
                let detail = try await harness.waitForState(id, .failed)
                #expect(detail.attempts.count == 2)
                #expect(detail.attempts.allSatisfy { $0.httpStatus == nil && $0.address == nil })
                #expect(detail.attempts.allSatisfy { $0.error?.contains("refused to send") == true }, "\(detail.attempts)")
                #expect(detail.attempts.allSatisfy { $0.error?.contains(WebhookAddressPolicy.allowlistVariable) == true })
            }
            #expect(try await harness.receiver.received().isEmpty)
            await refusing.stop()

            // The loopback allowlist admits the first three (the receiver listens on IPv4 only,
            // so [::1] is refused by the kernel instead) and still nothing else.
            let allowing = harness.startDeliverer(try .delivering(schedule: "0;jitter=0"))
            let literal = try await harness.enqueue(url: urls[0])
            let named = try await harness.enqueue(url: urls[2])
            let metadata = try await harness.enqueue(url: urls[3])
            try await harness.waitForState(literal, .succeeded)
            try await harness.waitForState(named, .succeeded)
            let refused = try await harness.waitForState(metadata, .failed)
            #expect(refused.attempts.first?.error?.contains("link-local") == true)
            await allowing.stop()
        }
    }

    @Test("a redirect to an internal address is a failed attempt and is never followed")
    func redirectNotFollowed() async throws {
        try await DeliveryHarness.with("ssrf_redirect") { harness in
            harness.startDeliverer(try .delivering(schedule: "0;jitter=0"))
            let target = "http://127.0.0.1:\(harness.receiver.port)/internal"
            let id = try await harness.enqueue(url: harness.receiver.url("/redirect?to=\(target)"))
            let detail = try await harness.waitForState(id, .failed)
            #expect(detail.attempts.first?.httpStatus == 302)
            #expect(detail.attempts.first?.error?.contains("never followed") == true)
            let paths = try await harness.receiver.received().map(\.path)
            #expect(paths == ["/redirect"])
        }
    }
}
