import Foundation
import LonghaulCore
import Testing

@Suite("Standard Webhooks signatures")
struct WebhookSignerTests {
    @Test("the published Svix test vectors sign to the published signatures", arguments: [
        ("whsec_plJ3nmyCDGBKInavdOK15jsl", "msg_loFOjxBNrRLzqYUf", Int64(1_731_705_121), #"{"event_type":"ping","data":{"success":true}}"#,
         "v1,rAvfW3dJ/X/qxhsaXPOyyCGmRKsaKWcsNccKXlIktD0="),
        ("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", Int64(1_614_265_330), #"{"test": 2432232314}"#,
         "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
    ])
    func vectors(secret: String, id: String, timestamp: Int64, body: String, expected: String) throws {
        #expect(try WebhookSigner.signature(id: id, timestamp: timestamp, body: Data(body.utf8), secrets: [secret]) == expected)
    }

    @Test("during a rotation both secrets sign, current first, space-separated")
    func twoSecrets() throws {
        let current = "whsec_plJ3nmyCDGBKInavdOK15jsl", previous = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let body = Data(#"{"type":"job.completed"}"#.utf8)
        let both = try WebhookSigner.signature(id: "msg_1", timestamp: 1_700_000_000, body: body, secrets: [current, previous])
        let first = try WebhookSigner.signature(id: "msg_1", timestamp: 1_700_000_000, body: body, secrets: [current])
        let second = try WebhookSigner.signature(id: "msg_1", timestamp: 1_700_000_000, body: body, secrets: [previous])
        #expect(both == "\(first) \(second)")
    }

    @Test("a secret that is not base64 is skipped, and none usable is an error that shows no secret")
    func badSecrets() throws {
        let good = WebhookSecret.generate()
        let signed = try WebhookSigner.signature(id: "msg_1", timestamp: 1, body: Data(), secrets: ["whsec_!!!not-base64!!!", good])
        #expect(signed.hasPrefix("v1,") && !signed.contains(" "))
        #expect(throws: WebhookSigningError.self) {
            try WebhookSigner.signature(id: "msg_1", timestamp: 1, body: Data(), secrets: ["whsec_!!!secretvalue"])
        }
        let message = "\(WebhookSigningError())"
        #expect(!message.contains("secretvalue"))
    }

    @Test("generated secrets are whsec_ and 32 random bytes")
    func generated() throws {
        let secret = WebhookSecret.generate()
        #expect(secret.hasPrefix("whsec_"))
        #expect(WebhookSecret.keyBytes(secret)?.count == 32)
        #expect(WebhookSecret.generate() != secret)
    }
}
