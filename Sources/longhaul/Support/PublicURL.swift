import Foundation
import LonghaulCore

/// Where webhook receivers reach the API: `LONGHAUL_PUBLIC_URL` (e.g. `https://longhaul.example.com`),
/// else `http://127.0.0.1:8080`. The base of `result_url` in webhook payloads, read here once by every
/// command that ends jobs (workers, `serve`, `batch`, `jobs cancel`) and passed to the stores.
enum PublicURL {
    static var configured: String {
        guard let configured = ProcessInfo.processInfo.environment["LONGHAUL_PUBLIC_URL"], !configured.isEmpty else {
            return WebhookOutbox.defaultPublicBaseURL
        }
        return configured.hasSuffix("/") ? String(configured.dropLast()) : configured
    }
}
