extension HTTPClient {
    /// Limits and policies shared by every request an `HTTPClient` sends.
    ///
    /// Connection limits are enforced by libcurl: transfers beyond them wait inside curl's queue
    /// (they still count against their own `HTTPRequest.timeout`) instead of failing.
    public struct Configuration: Sendable {
        /// At most this many open connections to one host (HTTP/2 multiplexes many requests on one).
        public var maxConnectionsPerHost: Int
        /// At most this many open connections in total, across every host.
        public var maxTotalConnections: Int
        /// The `User-Agent` header sent unless a request sets its own.
        public var userAgent: String
        /// Whether TLS certificates and host names are verified; turn off only for local test servers.
        public var verifiesTLSCertificates: Bool

        /// Creates a configuration; the defaults suit one process talking to a few busy hosts.
        public init(
            maxConnectionsPerHost: Int = 256,
            maxTotalConnections: Int = 4096,
            userAgent: String = "longhaul-http-client",
            verifiesTLSCertificates: Bool = true
        ) {
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxTotalConnections = maxTotalConnections
            self.userAgent = userAgent
            self.verifiesTLSCertificates = verifiesTLSCertificates
        }
    }
}
