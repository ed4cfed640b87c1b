import Hummingbird
import NIOCore

/// Request context that keeps the connection's channel, so a fault can close it without answering.
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Documents can be long; Mantle's context windows run to hundreds of thousands of tokens.
    var maxUploadSize: Int { 64 * 1024 * 1024 }

    /// Closes the connection with no response written: the client sees the socket close.
    ///
    /// The handler still returns a `Response` afterwards; Hummingbird's write of it fails on the
    /// closed channel and is dropped quietly.
    func dropConnection() async {
        try? await channel.close(mode: .all)
    }
}
