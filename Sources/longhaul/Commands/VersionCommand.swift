import ArgumentParser

enum LonghaulVersion {
    static let current = "0.1.0"
}

/// `longhaul version`: prints the version.
struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print Longhaul's version.")

    func run() async throws {
        print("longhaul \(LonghaulVersion.current)")
    }
}
