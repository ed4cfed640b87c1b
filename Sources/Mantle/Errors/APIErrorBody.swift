import Foundation

/// The fields of an error answer, read from whichever shape Mantle used.
///
/// The documented envelope is `{"error":{"type","code","message","param"}}` (OpenAI `ErrorResponse`).
/// Mantle has also been seen answering with the inner object alone, with an API-Gateway style
/// `{"message":"Internal server error"}`, and with plain text; all of them are read here.
struct APIErrorBody: Equatable {
    var type: String?
    var code: String?
    var message: String?
    var param: String?

    /// The longest stretch of a non-JSON body kept as the message.
    static let maxPlainTextMessage = 500

    init(type: String? = nil, code: String? = nil, message: String? = nil, param: String? = nil) {
        self.type = type
        self.code = code
        self.message = message
        self.param = param
    }

    init(body: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            self.init(plainText: body)
            return
        }
        guard let dictionary = object as? [String: Any] else {
            if let text = object as? String { self.init(message: text) } else { self.init(plainText: body) }
            return
        }
        if let inner = dictionary["error"] as? [String: Any] {
            self.init(fields: inner)
        } else if let text = dictionary["error"] as? String {
            self.init(fields: dictionary)
            message = message ?? text
        } else {
            self.init(fields: dictionary)
        }
        if message == nil, !body.isEmpty { self.init(plainText: body) }
    }

    private init(fields: [String: Any]) {
        func string(_ key: String) -> String? {
            switch fields[key] {
            case let text as String: text
            case let number as NSNumber: number.stringValue
            default: nil
            }
        }
        self.init(
            type: string("type") ?? string("__type"),
            code: string("code"),
            message: string("message") ?? string("Message"),
            param: string("param")
        )
    }

    private init(plainText body: Data) {
        let text = String(decoding: body.prefix(Self.maxPlainTextMessage * 4), as: UTF8.self).trimmingWhitespace
        self.init(message: text.isEmpty ? nil : String(text.prefix(Self.maxPlainTextMessage)))
    }
}
