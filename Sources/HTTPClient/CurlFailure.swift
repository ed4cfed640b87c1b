import CCurl

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the owner thread reads right after a failed transfer, turned into an `HTTPClientError`.
///
/// A pure value so the mapping from libcurl's codes to error kinds is testable without sockets.
struct CurlFailure {
    var code: CURLcode
    /// `CURLINFO_OS_ERRNO`: the socket error behind a connect or receive failure, or 0.
    var osErrno: Int32
    /// The error buffer's text (it names the host and the cause in libcurl's words).
    var curlMessage: String
    /// `CURLINFO_TOTAL_TIME` in milliseconds: tells which deadline a timeout hit.
    var elapsedMilliseconds: Int
    /// `CURLINFO_PRETRANSFER_TIME` > 0: the request was on its way (connected, nothing left to set up).
    var requestSent: Bool = false
    /// The write callback refused a body over the cap.
    var exceededResponseLimit: Bool

    /// The error for a transfer of `request`; its message names the host and the cause.
    func error(for request: PreparedRequest) -> HTTPClientError {
        let host = request.hostAndPort
        let (kind, summary): (HTTPClientError.Kind, String)
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            // libcurl reports both deadlines with one code. The total one cannot have passed
            // before its time, so a timeout before it is the connect deadline (resolve included).
            if let idle = request.idleTimeoutSeconds, requestSent, elapsedMilliseconds < request.timeoutMilliseconds {
                (kind, summary) = (.idleTimeout, "no byte from \(host) for \(idle) s (idleTimeout)")
            } else if elapsedMilliseconds < request.timeoutMilliseconds,
                request.connectTimeoutMilliseconds < request.timeoutMilliseconds
            {
                (kind, summary) = (.connectTimeout, "could not connect to \(host) within \(request.connectTimeoutMilliseconds) ms")
            } else {
                (kind, summary) = (.timeout, "no complete response from \(host) within \(request.timeoutMilliseconds) ms")
            }
        case CURLE_COULDNT_CONNECT:
            switch osErrno {
            case ECONNREFUSED:
                (kind, summary) = (.connectionRefused, "\(host) refused the connection (is the server listening on that port?)")
            case ETIMEDOUT:
                (kind, summary) = (.connectTimeout, "connecting to \(host) timed out in the kernel")
            case ECONNRESET:
                (kind, summary) = (.connectionReset, "\(host) reset the connection while it was being set up")
            default:
                (kind, summary) = (.other, "cannot connect to \(host) (network or host unreachable?)")
            }
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            (kind, summary) = (.dnsFailure, "cannot resolve the host name of \(host) (check the URL and DNS)")
        case CURLE_GOT_NOTHING:
            (kind, summary) = (.connectionReset, "\(host) closed the connection without sending a response")
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            (kind, summary) = (.connectionReset, "\(host) closed or reset the connection before the response was complete")
        case CURLE_SSL_CONNECT_ERROR where osErrno == ECONNRESET:
            (kind, summary) = (.connectionReset, "\(host) reset the connection during the TLS handshake")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_INITFAILED,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT:
            (kind, summary) = (.tlsFailure, "the TLS handshake or certificate check with \(host) failed (is it an HTTPS port with a valid certificate?)")
        case CURLE_WRITE_ERROR where exceededResponseLimit, CURLE_FILESIZE_EXCEEDED:
            (kind, summary) = (.responseTooLarge, "the response body from \(host) exceeds the \(request.maxResponseBytes)-byte limit (maxResponseBytes)")
        case CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT:
            (kind, summary) = (.invalidRequest, "libcurl rejected the request to \(host)")
        default:
            (kind, summary) = (.other, "the exchange with \(host) failed")
        }
        return HTTPClientError(kind: kind, message: summary + "; " + cause, url: request.redactedURL)
    }

    /// libcurl's words and the socket error, for the person reading the log.
    private var cause: String {
        var text = "curl error \(code.rawValue): "
        text += curlMessage.isEmpty ? String(cString: curl_easy_strerror(code)) : curlMessage
        if osErrno != 0 { text += " (errno \(osErrno): \(String(cString: strerror(osErrno))))" }
        return text
    }
}
