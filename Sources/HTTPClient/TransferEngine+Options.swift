import CCurl
import Foundation

extension TransferEngine {
    /// Sets every option of one transfer; returns the first failure.
    ///
    /// Options that are not set keep libcurl's defaults, which `curl_easy_reset` restores
    /// between transfers: notably no redirects followed.
    func configure(_ easy: EasyHandle, for transfer: Transfer) -> CURLcode {
        let request = transfer.request
        let context = Unmanaged.passUnretained(transfer).toOpaque()  // `active` keeps it alive
        let verifiesTLS = configuration.verifiesTLSCertificates
        var status = CURLE_OK
        // Applies options in order until one fails; later ones are then skipped.
        func apply(_ option: @autoclosure () -> CURLcode) {
            if status == CURLE_OK { status = option() }
        }
        apply(easy.attachErrorBuffer())
        apply(longhaul_easy_setopt_pointer(easy.raw, CURLOPT_PRIVATE, context))
        apply(easy.set(CURLOPT_URL, request.url))
        // Signals are process-wide; libcurl must not use SIGALRM for timeouts on our thread.
        apply(easy.set(CURLOPT_NOSIGNAL, 1))
        apply(easy.set(CURLOPT_PROTOCOLS_STR, "http,https"))
        apply(easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        apply(easy.set(CURLOPT_FOLLOWLOCATION, 0))
        apply(easy.set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS))
        apply(easy.set(CURLOPT_TIMEOUT_MS, request.timeoutMilliseconds))
        apply(easy.set(CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeoutMilliseconds))
        apply(easy.set(CURLOPT_USERAGENT, configuration.userAgent))
        apply(easy.set(CURLOPT_SSL_VERIFYPEER, verifiesTLS ? 1 : 0))
        apply(easy.set(CURLOPT_SSL_VERIFYHOST, verifiesTLS ? 2 : 0))
        apply(easy.set(CURLOPT_HTTPHEADER, request.headerLines))
        apply(easy.set(CURLOPT_TCP_KEEPALIVE, 1))
        apply(longhaul_easy_setopt_write_callback(easy.raw, CURLOPT_WRITEFUNCTION, receiveBody))
        apply(longhaul_easy_setopt_pointer(easy.raw, CURLOPT_WRITEDATA, context))
        apply(longhaul_easy_setopt_write_callback(easy.raw, CURLOPT_HEADERFUNCTION, receiveHeaderLine))
        apply(longhaul_easy_setopt_pointer(easy.raw, CURLOPT_HEADERDATA, context))
        if let idleSeconds = request.idleTimeoutSeconds {
            // libcurl's low-speed check: under 1 byte/s for this long aborts with
            // CURLE_OPERATION_TIMEDOUT (`CurlFailure` tells it from the other deadlines). A paused
            // transfer is not checked, so a slow reader is not mistaken for a dead peer.
            apply(easy.set(CURLOPT_LOW_SPEED_LIMIT, 1))
            apply(easy.set(CURLOPT_LOW_SPEED_TIME, idleSeconds))
        }
        if request.maxResponseBytes > 0, request.method != .head, transfer.channel == nil {
            // Refuses a too-large Content-Length before any body arrives; the write callback
            // catches bodies of unannounced length. (A HEAD response announces a body it never
            // sends, so the check would refuse it wrongly.)
            apply(longhaul_easy_setopt_off_t(easy.raw, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxResponseBytes)))
        }
        if request.method == .head {
            apply(easy.set(CURLOPT_NOBODY, 1))
        } else if let body = request.body {
            // The size first: COPYPOSTFIELDS copies that many bytes (and the body may hold NULs).
            apply(longhaul_easy_setopt_off_t(easy.raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            apply(
                body.withUnsafeBytes { bytes in
                    // An empty body has no base address, but libcurl still needs a valid pointer.
                    guard let base = bytes.baseAddress else { return easy.set(CURLOPT_COPYPOSTFIELDS, "") }
                    return longhaul_easy_setopt_pointer(easy.raw, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
                })
            if request.method != .post { apply(easy.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)) }
        } else if request.method != .get {
            apply(easy.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue))
        }
        if let connectTo = request.pinnedConnectTo {
            // Pinned: connect to exactly the checked address, on a connection of its own that no
            // later request may reuse (no re-resolution between the check and the connect).
            apply(easy.set(CURLOPT_CONNECT_TO, connectTo))
            // An environment proxy would resolve the host itself; "" turns proxies off.
            apply(easy.set(CURLOPT_PROXY, ""))
            apply(easy.set(CURLOPT_FRESH_CONNECT, 1))
            apply(easy.set(CURLOPT_FORBID_REUSE, 1))
        } else if request.isHTTPS {
            // Wait for a connection that may turn out to multiplex (HTTP/2) instead of opening
            // one connection per request while the first handshake is still going.
            apply(easy.set(CURLOPT_PIPEWAIT, 1))
        }
        return status
    }
}

/// `CURLOPT_WRITEFUNCTION`: appends body bytes to the transfer; a short count aborts it.
private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context, let data else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    switch transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) {
    case .accepted: return length
    case .pause: return longhaul_writefunc_pause()
    case .abort: return 0
    }
}

/// `CURLOPT_HEADERFUNCTION`: one complete header line per call.
private func receiveHeaderLine(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context, let data else { return 0 }
    let length = size * count
    Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}
