import HTTPClient

/// A held generation as it runs: each element is the `StreamedGeneration` so far, after one
/// network read; the last element has its `ending` set (finished, failed, interrupted or
/// cancelled), and then the sequence ends. It never throws: a cut, an idle connection or a
/// damaged frame is an `.interrupted` ending, whatever the transport said.
///
/// Cancelling the reading task closes the connection and ends with `.cancelled`; so does
/// dropping the stream.
public struct GenerationStream: AsyncSequence, Sendable {
    public typealias Element = StreamedGeneration
    public typealias Failure = Never

    let body: HTTPBodyStream
    let wire: GenerationWire

    public func makeAsyncIterator() -> Iterator {
        Iterator(body: body.makeAsyncIterator(), decoder: GenerationStreamDecoder(wire: wire))
    }

    public struct Iterator: AsyncIteratorProtocol {
        var body: HTTPBodyStream.Iterator
        var decoder: GenerationStreamDecoder
        var done = false

        public mutating func next() async -> StreamedGeneration? {
            guard !done else { return nil }
            do {
                if let chunk = try await body.next() {
                    decoder.consume(chunk)
                } else {
                    decoder.end()
                }
            } catch let error as HTTPClientError where error.kind == .cancelled {
                decoder.cancel()
            } catch {
                decoder.end(failure: "\(error)")
            }
            done = decoder.generation.ending != nil
            return decoder.generation
        }
    }
}
