import Hummingbird
import Logging
import NIOCore

/// Builds the Hummingbird application that serves Mantle's routes from `engine`.
///
/// Shared by ``MantleSimulator`` and the tests, which drive it through HummingbirdTesting.
func buildSimulatorApplication(
    engine: SimulatorEngine,
    host: String,
    port: Int,
    logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: SimulatorRequestContext.self)
    router.add(middleware: MantleEnvelopeMiddleware(engine: engine))
    ModelsController(engine: engine).addRoutes(to: router)
    ResponsesController(engine: engine).addRoutes(to: router)
    ChatCompletionsController(engine: engine).addRoutes(to: router)
    MessagesController(engine: engine).addRoutes(to: router)
    InvokeController(engine: engine).addRoutes(to: router)
    ProjectsController(engine: engine).addRoutes(to: router)
    ControlController(engine: engine).addRoutes(to: router)
    let serverName = "mantle-simulator"
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [ResponsesFastLane(engine: engine, serverName: serverName)])),
        configuration: .init(address: .hostname(host, port: port), serverName: serverName, backlog: 4096),
        onServerRunning: onServerRunning,
        logger: logger
    )
}
