import Foundation
public import LonghaulCore

/// How the API server runs: where it listens, who is admin, and what it accepts.
public struct APIConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// `LONGHAUL_ADMIN_TOKEN`: a bearer token that acts as admin without being stored.
    public var adminToken: String?
    public var bodyLimits: BodyLimits
    public var jobLimits: JobLimits
    /// Most documents one `POST /v1/batches` may carry.
    public var maxBatchDocuments: Int
    /// Where webhook receivers reach this API (`LONGHAUL_PUBLIC_URL`): the base of `result_url`.
    public var publicBaseURL: String
    /// A server span per request (continuing an incoming W3C `traceparent`), and each enqueued
    /// job stores its request's trace for the workers; off, neither happens.
    public var tracing = false

    /// Body size limits by route: batches carry many documents, everything else little.
    public struct BodyLimits: Sendable {
        /// `POST /v1/jobs`: one document of up to 32 MiB, JSON-escaped (most text grows little).
        public var job: Int = 48 << 20
        /// `POST /v1/batches`.
        public var batch: Int = 64 << 20
        /// Everything else.
        public var other: Int = 1 << 20

        public init() {}

        func limit(forPath path: String) -> Int {
            switch path {
            case "/v1/jobs": job
            case "/v1/batches": batch
            default: other
            }
        }
    }

    public init(
        host: String = "127.0.0.1", port: Int = 8080, adminToken: String? = nil, bodyLimits: BodyLimits = BodyLimits(),
        jobLimits: JobLimits = JobLimits(), maxBatchDocuments: Int = 10_000,
        publicBaseURL: String = WebhookOutbox.defaultPublicBaseURL, tracing: Bool = false
    ) {
        self.tracing = tracing
        self.publicBaseURL = publicBaseURL
        self.host = host
        self.port = port
        self.adminToken = adminToken
        self.bodyLimits = bodyLimits
        self.jobLimits = jobLimits
        self.maxBatchDocuments = maxBatchDocuments
    }
}
