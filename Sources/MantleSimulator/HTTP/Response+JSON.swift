import Foundation
import HTTPTypes
import Hummingbird
import JSONWriting

extension Response {
    /// A JSON body with `status` (`WholeAnswer.json(encoding:)`).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        WholeAnswer.json(encoding: value, status: status, headers: headers).response
    }

    /// A JSON body with `status`, written without `JSONEncoder` (`WholeAnswer.json`).
    static func json(_ value: some JSONBytesWritable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        WholeAnswer.json(value, status: status, headers: headers).response
    }

    /// Stand-in returned after the connection was closed on purpose; it is never written.
    static let unwritten = Response(status: .ok)
}

extension MantleErrorBody {
    var response: Response { wholeAnswer.response }
}

extension WholeAnswer {
    /// As Hummingbird writes it: `Content-Length` from the body, unless it is an event stream.
    var response: Response {
        let buffer = ByteBuffer(bytes: body)
        guard declaresLength else {
            return Response(
                status: status, headers: headers,
                body: ResponseBody { writer in
                    try await writer.write(buffer)
                    try await writer.finish(nil)
                })
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }
}

extension HTTPField.Name {
    static let openAIProject = HTTPField.Name("OpenAI-Project")!
    static let requestID = HTTPField.Name("x-request-id")!
}

extension AnthropicErrorBody {
    var response: Response { .json(json, status: status, headers: headers) }
}

extension BedrockErrorBody {
    var response: Response {
        var headers = headers
        headers[.amznErrorType] = "\(exception):http://internal.amazon.com/coral/com.amazon.bedrock/"
        return .json(json, status: status, headers: headers)
    }

    /// The error as the one message of an event stream answered 200, as `invoke-with-response-stream`
    /// sends an error it finds only once the stream has begun.
    var inStream: Response {
        Response(
            status: .ok, headers: [.contentType: "application/vnd.amazon.eventstream", .bedrockContentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: EventStreamFrame.exception(streamExceptionType, message: message))))
    }
}

extension HTTPField.Name {
    static let amznErrorType = HTTPField.Name("x-amzn-ErrorType")!
    static let amznRequestID = HTTPField.Name("x-amzn-RequestId")!
    static let anthropicVersion = HTTPField.Name("anthropic-version")!
    static let anthropicWorkspace = HTTPField.Name("anthropic-workspace")!
    static let xAPIKey = HTTPField.Name("x-api-key")!
}
