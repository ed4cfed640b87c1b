import Foundation
import LonghaulCore
import Testing
import TestSupport
import Workers

@Suite("The Deliverer refuses internal addresses before connecting", .serialized)
struct DeliverySSRFTests {
    @Test("loopback by literal, [::1] and localhost are refused without the allowlist: logged, nothing sent; allowed with it")
    func loopbackRefusedUnlessAllowed() async throws {
        let harness = try await DeliveryHarness.make("ssrf_loopback")
        let receiver = try await WebhookReceiver.start(secrets: [])
        let urls = [
            "http://127.0.0.1:\(receiver.port)/ok", "http://[::1]:\(receiver.port)/ok", "http://localhost:\(receiver.port)/ok",
            "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/hook",
        ]
        do {
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
            #expect(try await receiver.received().isEmpty)
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
        } catch {
            await receiver.stop()
            await harness.close()
            throw error
        }
        await receiver.stop()
        await harness.close()
    }

    @Test("a redirect to an internal address is a failed attempt and is never followed")
    func redirectNotFollowed() async throws {
        let harness = try await DeliveryHarness.make("ssrf_redirect")
        let receiver = try await WebhookReceiver.start(secrets: [])
        let deliverer = harness.startDeliverer(try .delivering(schedule: "0;jitter=0"))
        do {
            let target = "http://127.0.0.1:\(receiver.port)/internal"
            let id = try await harness.enqueue(url: receiver.url("/redirect?to=\(target)"))
            let detail = try await harness.waitForState(id, .failed)
            #expect(detail.attempts.first?.httpStatus == 302)
            #expect(detail.attempts.first?.error?.contains("never followed") == true)
            let paths = try await receiver.received().map(\.path)
            #expect(paths == ["/redirect"])
        } catch {
            await deliverer.stop()
            await receiver.stop()
            await harness.close()
            throw error
        }
        await deliverer.stop()
        await receiver.stop()
        await harness.close()
    }
}
