import CCurl

/// libcurl's process-wide initialisation, run exactly once.
///
/// `curl_global_init` must run before any other libcurl call and before threads use libcurl. A
/// `static let` is initialised once, atomically, on first use, so it needs no mutable global; every
/// `HTTPClient` touches it in its initialiser, before it starts its owner thread.
enum CurlRuntime {
    /// The result of `curl_global_init`; `CURLE_OK` unless libcurl could not set up its TLS backend.
    static let initialisation: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    /// Runs the one-time initialisation, stopping the process if libcurl cannot work at all.
    static func ensureInitialised() {
        let code = initialisation
        precondition(
            code == CURLE_OK,
            "curl_global_init failed (\(String(cString: curl_easy_strerror(code)))): libcurl or its TLS library is broken"
        )
    }
}
