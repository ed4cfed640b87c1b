import Foundation
import JSONWriting
import Testing

@testable import MantleSimulator

/// The hand-written JSON (``JSONBytesWritable``) and the ASCII paths of the summary and the
/// header parsing give what the general code gives, on tricky inputs.
@Suite struct WireFastPathTests {
    // MARK: JSON

    /// Create bodies whose echoes cover every kind of value the Response object carries.
    static let createBodies: [String] = [
        #"{"model":"openai.gpt-oss-120b","input":"Hi."}"#,
        #"""
        {"model":"openai.gpt-oss-120b","background":true,"store":false,"instructions":"Sum \"it\" up\n\tin 3 sentences / \\ é 日本語 \u0001\u001f\u007f","max_output_tokens":64,
         "metadata":{"job_id":"j/1","attempt":"2","quote\"key":"tab\tvalue","é":"日本"},
         "temperature":0.7,"top_p":0.3333333333333,"previous_response_id":null,"service_tier":"auto","user":"u\\1",
         "text":{"format":{"type":"json_schema","name":"x","schema":{"type":"object"}},"x":[1,2.5,-3,1e20,-0.0,0.1,1e-7,123456789012345,true,false,null,"s",[],{}]},
         "reasoning":{"effort":"high","summary":"auto"},"tool_choice":{"type":"function","name":"f"},
         "tools":[{"type":"function","name":"f","parameters":{"type":"object","properties":{}}}],
         "parallel_tool_calls":false,"truncation":"auto",
         "input":[{"role":"user","content":[{"type":"input_text","text":"Hello there. It is \"quoted\".\n\nNew paragraph!"}]}]}
        """#,
        #"{"model":"openai.gpt-oss-20b","temperature":2,"top_p":0,"max_output_tokens":16,"input":"One. Two. Three. Four. Five. Six."}"#,
        #"{"model":"openai.gpt-oss-20b","temperature":1e-300,"top_p":-0.0,"input":"x"}"#,
    ]

    static func objects() throws -> [ResponseObject] {
        var objects: [ResponseObject] = []
        for body in createBodies {
            let request = try JSONDecoder().decode(CreateResponseRequest.self, from: Data(body.utf8))
            let echo = EchoedRequestFields(request, model: request.model ?? "")
            let usage = ResponseUsage(inputTokens: 37, outputTokens: 67, reasoningTokens: 48)
            let text = "Answer with \"quotes\", a \\ and a\nnewline / é 日本語 \u{7}."
            let answered = ResponseObject(
                id: "resp_1", createdAt: 1_796_387_963, status: .completed, completedAt: 1_796_387_964, error: nil,
                incompleteReason: nil,
                output: [.reasoning(id: "rs_1", text: text), .message(id: "msg_1", status: .completed, text: text)],
                usage: usage, echo: echo)
            let incomplete = ResponseObject(
                id: "resp_2", createdAt: 0, status: .incomplete, completedAt: nil, error: nil, incompleteReason: "max_output_tokens",
                output: [.message(id: "msg_2", status: .incomplete, text: "")], usage: usage, echo: echo)
            let failed = ResponseObject(
                id: "resp_3", createdAt: -5, status: .failed, completedAt: nil,
                error: ResponseError(code: "server_error", message: "The model failed."), incompleteReason: nil, output: [],
                usage: nil, echo: echo)
            let running = ResponseObject(
                id: "resp_4", createdAt: Int.max, status: .inProgress, completedAt: nil, error: nil, incompleteReason: nil,
                output: [], usage: nil, echo: echo)
            objects += [answered, incomplete, failed, running]
        }
        return objects
    }

    /// The same JSON as `JSONEncoder` writes: equal once parsed, and the same bytes in another
    /// order (keys come in hash order from `JSONEncoder`), so numbers and escapes are spelt alike.
    static func expectSameJSON(_ written: [UInt8], as value: some Encodable, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let reference = [UInt8](try encoder.encode(value))
        func canonical(_ bytes: [UInt8]) throws -> Data {
            let parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            return try JSONSerialization.data(withJSONObject: parsed, options: [.sortedKeys, .fragmentsAllowed])
        }
        #expect(try canonical(written) == canonical(reference), sourceLocation: sourceLocation)
        #expect(written.sorted() == reference.sorted(), "\(String(decoding: written, as: UTF8.self))", sourceLocation: sourceLocation)
    }

    @Test func responseObjectsAreWrittenAsJSONEncoderWritesThem() throws {
        for object in try Self.objects() {
            try Self.expectSameJSON(object.jsonBytes, as: object)
        }
    }

    @Test func streamEventsAreWrittenAsJSONEncoderWritesThem() throws {
        for body in Self.createBodies {
            let request = try JSONDecoder().decode(CreateResponseRequest.self, from: Data(body.utf8))
            let model = try #require(ModelCatalogue.model(request.model ?? ""))
            let inputTokens = AnswerWriter.inputTokens(of: request)
            for outcome in [
                PlannedOutcome.answered(AnswerWriter.answer(for: request, model: model, inputTokens: inputTokens, makeID: IDMint().makeID)),
                .failed,
            ] {
                let stored = StoredResponse(
                    id: "resp_s", project: "default", echo: EchoedRequestFields(request, model: model.id), createdAt: 1_000,
                    finishAt: 1_002.5, outcome: outcome, cancelledAt: nil)
                for entry in ResponseEventTimeline.entries(of: stored) {
                    let frame = entry.event.serverSentEvent
                    let head = Array("event: \(entry.event.type)\ndata: ".utf8)
                    #expect(Array(frame.prefix(head.count)) == head)
                    #expect(Array(frame.suffix(2)) == Array("\n\n".utf8))
                    try Self.expectSameJSON(Array(frame.dropFirst(head.count).dropLast(2)), as: entry.event)
                }
            }
        }
    }

    @Test(arguments: [0.0, -0.0, 1, -1, 2.5, 0.1, 1.0 / 3, 1e15, 1e16, 1e20, -1e300, 1e-7, 123_456_789_012_345, 9_007_199_254_740_992])
    func echoedNumbersAreWrittenAsJSONEncoderWritesThem(_ value: Double) throws {
        // Doubles themselves: JSONWritingTests.
        var echoed = JSONBytes()
        JSONValue.number(value).write(to: &echoed)
        try Self.expectSameJSON(echoed.bytes, as: JSONValue.number(value))
    }

    /// `reasoning` and `text` echo Mantle's defaults, with what a create sets laid over them.
    @Test(arguments: [
        (#"{}"#, #"{"effort":null,"summary":null}"#, #"{"format":{"type":"text"},"verbosity":"medium"}"#),
        (#"{"reasoning":{},"text":{}}"#, #"{"effort":null,"summary":null}"#, #"{"format":{"type":"text"},"verbosity":"medium"}"#),
        (
            #"{"reasoning":{"effort":"high"},"text":{"verbosity":"low","format":{"type":"json_object"}}}"#,
            #"{"effort":"high","summary":null}"#,
            #"{"format":{"type":"json_object"},"verbosity":"low"}"#
        ),
        (
            #"{"reasoning":null,"text":{"format":{"name":"x"}}}"#, #"{"effort":null,"summary":null}"#,
            #"{"format":{"name":"x","type":"text"},"verbosity":"medium"}"#
        ),
    ])
    func echoedReasoningAndTextDefaultAsMantlesDo(_ body: String, _ reasoning: String, _ text: String) throws {
        let request = try JSONDecoder().decode(CreateResponseRequest.self, from: Data(body.utf8))
        let echo = EchoedRequestFields(request, model: "openai.gpt-oss-120b")
        #expect(echo.reasoning == (try JSONDecoder().decode(JSONValue.self, from: Data(reasoning.utf8))))
        #expect(echo.text == (try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))))
    }

    // MARK: Summary

    /// ASCII texts at the edges of the splitting rules, and random ones from their characters.
    static func asciiTexts() -> [String] {
        var texts = [
            "", " ", "\n\n", "One. Two! Three? Four", "Pi is 3.14. E.g. this.", "e.g.x and i.e. y. Next one.",
            "He said \"Yes!\" she said. Then \"No.\" Then more.", "\"Yes!\" Then. (A. B.) [c. d.] End.",
            "Line one\nline two.\n\nParagraph two. \n \n Three.\u{0B}\u{0C}Four.\tTab. ", "A (nested [deep. (x.)] y.) z. Done.",
            "Unclosed \"quote. Still. Going", "Closing) stray] brackets. Here.", "Ends with a stop.", "  Leading and trailing.  ",
            "Digits 42 and 7x7. MiXeD CaSe words. The and for are stop words.", "Quote at end: \"Go.\"", "Bang!\"x\" y. Z.",
            "Report 7. The lighthouse stood on the northern cliff for two hundred years. Ships used it to find the harbour in winter storms.",
        ]
        var generator = SeededGenerator(seed: 17)
        let alphabet = Array("aAzZ09 .!?\"()[]\n\t\u{0B}\u{0C},;:'-_ bB eE.")
        for _ in 0..<400 {
            let length = Int(generator.next() % 60)
            texts.append(String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }))
        }
        return texts
    }

    @Test func asciiSentencesAreTheGeneralOnes() {
        for text in Self.asciiTexts() {
            #expect(SentenceSplitter.asciiSentences(in: text) == SentenceSplitter.sentencesOfAnyText(in: text), "\(text.debugDescription)")
        }
        // CR (CR LF is one Character) and non-ASCII text take the general path.
        for text in ["One.\r\nTwo.\r\n\r\nThree.", "Café. Naïve! 雨。晴れ？", "Yes!” she said. Then."] {
            #expect(SentenceSplitter.sentences(in: text) == SentenceSplitter.sentencesOfAnyText(in: text))
        }
    }

    @Test func asciiTermsAreTheGeneralOnes() {
        for text in Self.asciiTexts() + ["One.\r\nTwo", "x\u{7F}y z\u{1}w"] {
            let read = TermFrequencies(sentences: [text]).terms(ofSentence: 0)
            #expect(read == ExtractiveSummarizer.termsOfAnyText(of: text), "\(text.debugDescription)")
        }
    }

    @Test func asciiInstructionTokensAreTheGeneralOnes() {
        let instructions = [
            "Summarise the document in a few short paragraphs. Keep names, figures and dates exact.",
            "In 3 sentences; 5 bullet-points (max 100 words) or 200chars: 12abc34 x\ty\r\nz ~!@#$%^&*_+={}[]|<>?/\"'`",
        ]
        for text in instructions + Self.asciiTexts() {
            let lowered = text.lowercased()
            #expect(SummaryLength.asciiTokens(lowered) == SummaryLength.tokensOfAnyText(lowered), "\(text.debugDescription)")
            #expect(SummaryLength.asciiTokens(text) == SummaryLength.tokensOfAnyText(text), "\(text.debugDescription)")
        }
    }

    /// Instructions read in place as ASCII bytes give the length their `String` tokens give.
    @Test func asciiInstructionLengthsAreTheGeneralOnes() {
        let pieces = [
            "3", "5", "0", "007", "one", "Five", "TWENTY", "twelve", "sentences", "Sentence", "bullet", "points", "items", "words",
            "chars", "characters", "lines", "in", "short", "the", "99999999999999999999", "12abc34", "x", "+", "!", "~",
        ]
        let separators = [" ", "", "-", ",", ". ", "\t", "(", ")"]
        var texts =
            [
                "Summarise the document in a few short paragraphs. Keep names, figures and dates exact.",
                "In 3 sentences; 5 bullet-points (max 100 words) or 200chars: 12abc34 x\ty\r\nz ~!@#$%^&*_+={}[]|<>?/\"'`",
            ] + Self.asciiTexts()
        var generator = SeededGenerator(seed: 41)
        for _ in 0..<2_000 {
            texts.append(
                (0..<Int(generator.next() % 9)).map { _ in
                    pieces[Int(generator.next() % UInt64(pieces.count))] + separators[Int(generator.next() % UInt64(separators.count))]
                }.joined())
        }
        var found = 0
        for text in texts {
            let length = SummaryLength(instructions: text)
            #expect(length == SummaryLength.lengthOfAnyText(text), "\(text.debugDescription)")
            if length != .automatic { found += 1 }
        }
        #expect(found > 200)  // most texts name no length; enough of them do to compare the reading
    }

    // MARK: Headers and ids

    @Test(arguments: [
        "Bearer key", "bearer key", "BEARER key", "BeArEr   key  ", "Bearer \tkey\t", "Bearer ", "Bearer", "Bearerkey", "Basic abc",
        "bearer a b", "Bearer\u{0}key", "Bearer key\u{A0}", "Bearer é", " Bearer key", "Bearer \u{2003}key\u{2003}", "",
    ])
    func bearerKeysAreReadAsBefore(_ header: String) {
        let before: String? =
            header.lowercased().hasPrefix("bearer ")
            ? header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces) : nil
        #expect(SimulatorEngine.bearerKey(header) == before)
    }

    @Test func idsArePrefixAndFortyEightHexDigits() {
        let mint = IDMint()
        let ids = (0..<200).map { _ in mint.makeID("resp_") } + (0..<200).map { _ in IDMint().makeID("resp_") }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.hasPrefix("resp_") && id.count == 53)
            #expect(id.dropFirst(5).allSatisfy { "0123456789abcdef".contains($0) })
        }
        #expect(mint.makeID("msg_").count == 52 && mint.makeID("").count == 48)
    }

    /// Ids made at once from many tasks are all different, already in their first 16 digits (each
    /// is a bijection of the number the mint hands out), and their digits are evenly spread.
    @Test func idsFromManyTasksAreUnique() async {
        let mint = IDMint()
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (0..<5_000).map { _ in mint.makeID("resp_") } } }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(ids.count == 40_000)
        #expect(Set(ids.map { $0.prefix(5 + 16) }).count == ids.count)
        var digits: [Character: Int] = [:]
        for id in ids { for digit in id.dropFirst(5) { digits[digit, default: 0] += 1 } }
        #expect(digits.count == 16)
        // 120,000 of each digit if uniform (σ ≈ 335); a counter showing through would be far off.
        #expect(digits.values.allSatisfy { abs($0 - 120_000) < 3_000 }, "\(digits)")
    }
}
