import HTTPTypes
import Hummingbird
import NIOCore

/// The dashboard's responses: pages, redirects and assets.
enum PageResponse {
    static func html(_ page: HTML, status: HTTPResponse.Status = .ok) -> Response {
        bytes(Array(page.rendered.utf8), contentType: "text/html; charset=utf-8", status: status, cacheSeconds: nil)
    }

    /// A 303 to `location` (after a POST, so reloading does not post again).
    static func redirect(to location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    static func bytes(_ bytes: [UInt8], contentType: String, status: HTTPResponse.Status = .ok, cacheSeconds: Int?) -> Response {
        Response(status: status, headers: headers(contentType: contentType, cacheSeconds: cacheSeconds),
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A body sent as `chunks` yields them, at the reader's pace.
    static func stream(
        _ chunks: some AsyncSequence<ByteBuffer, any Error> & Sendable, contentType: String, cacheSeconds: Int?
    ) -> Response {
        Response(status: .ok, headers: headers(contentType: contentType, cacheSeconds: cacheSeconds), body: ResponseBody(asyncSequence: chunks))
    }

    private static func headers(contentType: String, cacheSeconds: Int?) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        // Pages hold tenant data: never stored by a shared cache or the browser's back-forward one.
        headers[.cacheControl] = cacheSeconds.map { "private, max-age=\($0)" } ?? "no-store"
        return headers
    }
}
