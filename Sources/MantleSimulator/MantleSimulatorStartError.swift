/// Why ``MantleSimulator/start(configuration:host:port:logger:)`` failed.
public struct MantleSimulatorStartError: Error, CustomStringConvertible {
    /// What went wrong and what to change.
    public let message: String
    /// Same as ``message``.
    public var description: String { message }
}
