import LonghaulCore
import Testing

@Suite("The SSRF guard: which addresses webhooks may reach")
struct WebhookAddressPolicyTests {
    @Test("loopback, private, link-local, CGNAT, reserved and multicast addresses are refused by default", arguments: [
        "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "198.18.0.1",
        "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "[::ffff:7f00:1]", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "::127.0.0.1",
    ])
    func refused(_ literal: String) throws {
        let address = try #require(IPAddress(literal))
        #expect(WebhookAddressPolicy().refusal(for: address) != nil, "\(literal) was allowed")
    }

    @Test("public addresses are allowed", arguments: ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
    func allowed(_ literal: String) throws {
        let address = try #require(IPAddress(literal))
        #expect(WebhookAddressPolicy().refusal(for: address) == nil)
    }

    @Test("the allowlist admits exactly the ranges it names, mapped forms included")
    func allowlist() throws {
        let policy = try WebhookAddressPolicy(allowlist: "127.0.0.0/8, ::1/128")
        #expect(policy.refusal(for: try #require(IPAddress("127.0.0.1"))) == nil)
        #expect(policy.refusal(for: try #require(IPAddress("::1"))) == nil)
        #expect(policy.refusal(for: try #require(IPAddress("::ffff:127.0.0.1"))) == nil)
        #expect(policy.refusal(for: try #require(IPAddress("10.0.0.1"))) != nil)
        #expect(policy.refusal(for: try #require(IPAddress("169.254.169.254"))) != nil)
        #expect(throws: WebhookPolicyError.self) { try WebhookAddressPolicy(allowlist: "10.0.0.0/33") }
        #expect(throws: WebhookPolicyError.self) { try WebhookAddressPolicy(allowlist: "localhost") }
        #expect(try WebhookAddressPolicy.fromEnvironment([WebhookAddressPolicy.allowlistVariable: "10.0.0.0/8"]).allowed.count == 1)
    }

    @Test("addresses print in their usual forms")
    func descriptions() throws {
        #expect(try #require(IPAddress("10.1.2.3")).description == "10.1.2.3")
        #expect(try #require(IPAddress("[::1]")).description == "::1")
        #expect(try #require(IPAddress("FE80::0:1")).description == "fe80::1")
        #expect(IPAddress("example.com") == nil)
        #expect(IPAddress("1.2.3") == nil)
    }

    @Test("the resolver refuses loopback by literal, by [::1] and by name, before connecting, and says how to allow it", arguments: [
        "http://127.0.0.1:9/hook", "http://[::1]:9/hook", "http://localhost:9/hook", "https://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/hook", "http://[::ffff:127.0.0.1]:9/",
    ])
    func resolverRefuses(_ url: String) async throws {
        do {
            let destination = try await WebhookDestinationResolver(policy: WebhookAddressPolicy()).resolve(url)
            Issue.record("\(url) resolved to \(destination.address)")
        } catch {
            #expect(error.kind == .refusedAddress)
            #expect(error.message.contains(WebhookAddressPolicy.allowlistVariable))
        }
    }

    @Test("with the allowlist, localhost resolves to a loopback address that the request is pinned to")
    func resolverAllowed() async throws {
        let resolver = WebhookDestinationResolver(policy: try WebhookAddressPolicy(allowlist: "127.0.0.0/8,::1/128"))
        let destination = try await resolver.resolve("http://localhost:8123/hook?token=x")
        #expect(destination.port == 8123 && destination.host == "localhost")
        #expect(["127.0.0.1", "::1"].contains(destination.address.description))
        let literal = try await resolver.resolve("http://[::1]:80/")
        #expect(literal.address.description == "::1")
    }

    @Test("URLs that are not http(s) are invalid, and messages leave out the query")
    func invalid() async throws {
        for url in ["ftp://example.com/x", "not a url", "http:///path"] {
            do {
                _ = try await WebhookDestinationResolver(policy: WebhookAddressPolicy()).resolve(url)
                Issue.record("\(url) was accepted")
            } catch {
                #expect(error.kind == .invalidURL)
            }
        }
        do {
            _ = try await WebhookDestinationResolver(policy: WebhookAddressPolicy()).resolve("http://127.0.0.1/h?token=SECRET")
        } catch {
            #expect(!error.message.contains("SECRET"))
        }
    }
}
