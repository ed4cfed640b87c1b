import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension ResponsesController {
    /// The events of `stored` after `startingAfter` as `text/event-stream`, each sent at its
    /// moment (`ResponseEventTimeline`). A cancel stops the stream without a terminal event;
    /// `cutHalfway` closes the connection after about half the text (the `streamCut` fault).
    func streamed(_ stored: StoredResponse, project: String, startingAfter: Int, cutHalfway: Bool, context: Context) -> Response {
        let entries = ResponseEventTimeline.entries(of: stored).filter { $0.event.sequenceNumber > startingAfter }
        let deltas = entries.filter(\.event.isTextDelta).count
        let cutAfterDeltas = cutHalfway ? max(1, deltas / 2) : nil
        let body = ResponseBody { [engine] writer in
            var sentDeltas = 0
            var next = entries.startIndex
            while next < entries.endIndex {
                let wait = entries[next].at - SimulatorEngine.now()
                if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
                if engine.response(id: stored.id, project: project)?.cancelledAt != nil { break }
                // Every event already due goes out in one write: the same bytes, but at zero latency
                // (the benches) a stream's ~22 events were as many writes, each a system call here
                // and a read for the client.
                var due = ByteBuffer()
                var cut = false
                repeat {
                    let event = entries[next].event
                    due.writeBytes(event.serverSentEvent)
                    next += 1
                    if event.isTextDelta { sentDeltas += 1 }
                    cut = sentDeltas == cutAfterDeltas
                } while !cut && next < entries.endIndex && entries[next].at <= SimulatorEngine.now()
                try await writer.write(due)
                if cut {
                    await context.dropConnection()
                    throw CancellationError()
                }
            }
            try await writer.finish(nil)
        }
        var headers: HTTPFields = [:]
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: body)
    }

    /// `GET …/responses/{id}?stream=true&starting_after=N`: the stream of a background Response
    /// created with `stream: true`, from the event after N (all of it without N); a 400 for a
    /// Response created otherwise, a bad N, or when resuming is turned off.
    func resumed(_ stored: StoredResponse, project: String, query: [String: String], context: Context) -> Response {
        guard engine.configuration.resumesStreams else {
            return MantleErrorBody.invalidRequest("Streaming a stored response is not supported.", param: "stream").response
        }
        guard stored.echo.background && stored.echo.stream else {
            return MantleErrorBody.invalidRequest(
                "This response cannot be streamed because it was not created with background=true and stream=true.", param: "stream"
            ).response
        }
        var after = -1
        if let text = query["starting_after"] {
            guard let value = Int(text), value >= 0 else {
                return MantleErrorBody.invalidRequest(
                    "Invalid 'starting_after': expected a non-negative integer, but got '\(text.prefix(32))'.", param: "starting_after"
                ).response
            }
            after = value
        }
        return streamed(stored, project: project, startingAfter: after, cutHalfway: false, context: context)
    }
}
