public import Foundation
import Hashing

/// A private PostgreSQL cluster under `$LONGHAUL_HOME` (default `./.longhaul`), so that every
/// command works on a fresh machine with no `DATABASE_URL`.
///
/// It runs the server binaries already on the machine (`pg_config --bindir`,
/// `/usr/lib/postgresql/*/bin`), listens on a Unix socket only (no TCP port is opened), is reused
/// when already running, and — because PostgreSQL refuses to run as root — runs the server as the
/// unprivileged `postgres` user when Longhaul runs as root.
public struct EmbeddedPostgres: Sendable {
    /// What `status()` found.
    public enum Status: Sendable, Equatable {
        case notInitialized
        case stopped
        case running(url: String)
    }

    public let home: URL
    /// The database Longhaul uses inside the cluster.
    public let databaseName = "longhaul"

    public init(home: URL) {
        self.home = home.standardizedFileURL
    }

    /// `$LONGHAUL_HOME`, or `./.longhaul`.
    public static func fromEnvironment() -> EmbeddedPostgres {
        let environment = ProcessInfo.processInfo.environment
        let path = environment["LONGHAUL_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ".longhaul"
        return EmbeddedPostgres(home: URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)))
    }

    // MARK: Layout

    /// Where the cluster lives. Normally `$LONGHAUL_HOME/postgres`; when running as root and the
    /// `postgres` user cannot reach that folder (a home directory with mode 0700, a private temp
    /// dir), a folder under /var/tmp keyed by the home's path, recorded in `postgres.location`.
    public var clusterDirectory: URL {
        get throws {
            let pointer = home.appendingPathComponent("postgres.location")
            if let recorded = try? String(contentsOf: pointer, encoding: .utf8) {
                return URL(fileURLWithPath: recorded.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return home.appendingPathComponent("postgres")
        }
    }

    private var fallbackClusterDirectory: URL {
        let digest = SHA256.hash(data: Data(home.path.utf8)).prefix(6).hexString
        return URL(fileURLWithPath: "/var/tmp/longhaul-postgres-\(digest)")
    }

    /// The libpq URL of Longhaul's database in this cluster.
    public func url(clusterDirectory: URL) -> String {
        "postgresql:///\(databaseName)?host=\(clusterDirectory.appendingPathComponent("socket").path)&port=5432&user=postgres"
    }

    // MARK: Commands

    /// Reports whether the cluster exists and runs, without changing anything.
    public func status() async throws -> Status {
        let cluster = try clusterDirectory
        let data = cluster.appendingPathComponent("data")
        guard FileManager.default.fileExists(atPath: data.appendingPathComponent("PG_VERSION").path) else {
            return .notInitialized
        }
        let binaries = try await ServerBinaries.find()
        let result = try await runAsServerUser(binaries.pgCtl, ["status", "-D", data.path])
        return result.exitCode == 0 ? .running(url: url(clusterDirectory: cluster)) : .stopped
    }

    /// Starts the cluster if needed (creating it the first time) and returns its URL, and
    /// whether this call started it (so the caller knows whether to stop it afterwards).
    public func start() async throws -> (url: String, startedHere: Bool) {
        let binaries = try await ServerBinaries.find()
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let cluster = try await prepareClusterDirectory()
        let data = cluster.appendingPathComponent("data")
        let socket = cluster.appendingPathComponent("socket")

        if !FileManager.default.fileExists(atPath: data.appendingPathComponent("PG_VERSION").path) {
            let initdb = try await runAsServerUser(binaries.initdb, [
                "-D", data.path, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
            ])
            guard initdb.exitCode == 0 else {
                throw EmbeddedPostgresError("initdb failed in \(data.path): \(initdb.diagnostics)")
            }
        }
        if case .running(let url) = try await status() {
            return (url, false)
        }
        try? FileManager.default.createDirectory(at: socket, withIntermediateDirectories: true)
        try await handToServerUser(socket)
        let log = cluster.appendingPathComponent("server.log")
        let options = "-k \(socket.path) -c listen_addresses= -p 5432 -c max_connections=200 -c shared_buffers=256MB"
        let started = try await runAsServerUser(binaries.pgCtl, [
            "start", "-D", data.path, "-l", log.path, "-w", "-t", "60", "-o", options,
        ])
        guard started.exitCode == 0 else {
            let tail = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").suffix(5).joined(separator: "\n") ?? ""
            throw EmbeddedPostgresError("PostgreSQL did not start in \(data.path): \(started.diagnostics)\n\(tail)")
        }
        try await createDatabaseIfMissing(binaries: binaries, socket: socket)
        return (url(clusterDirectory: cluster), true)
    }

    /// Stops the cluster if it runs (fast shutdown: sessions are ended, data is safe).
    public func stop() async throws {
        guard case .running = try await status() else { return }
        let binaries = try await ServerBinaries.find()
        let data = try clusterDirectory.appendingPathComponent("data")
        let stopped = try await runAsServerUser(binaries.pgCtl, ["stop", "-D", data.path, "-m", "fast", "-w", "-t", "60"])
        guard stopped.exitCode == 0 else {
            throw EmbeddedPostgresError("pg_ctl stop failed for \(data.path): \(stopped.diagnostics)")
        }
    }

    // MARK: Steps

    private func prepareClusterDirectory() async throws -> URL {
        let preferred = try clusterDirectory
        try FileManager.default.createDirectory(at: preferred, withIntermediateDirectories: true)
        guard ServerUser.current.isRoot else { return preferred }
        try await handToServerUser(preferred)
        let reachable = try await ProcessRunner.run("/usr/sbin/runuser", ["-u", "postgres", "--", "test", "-w", preferred.path])
        // Unix socket paths are limited to 107 bytes; a deep home would not fit either.
        if reachable.exitCode == 0 && preferred.path.utf8.count < 80 { return preferred }

        let fallback = fallbackClusterDirectory
        try FileManager.default.createDirectory(at: fallback, withIntermediateDirectories: true)
        try await handToServerUser(fallback)
        try fallback.path.write(to: home.appendingPathComponent("postgres.location"), atomically: true, encoding: .utf8)
        return fallback
    }

    private func handToServerUser(_ directory: URL) async throws {
        guard ServerUser.current.isRoot else { return }
        let chown = try await ProcessRunner.run("/bin/chown", ["postgres:", directory.path])
        guard chown.exitCode == 0 else {
            throw EmbeddedPostgresError("could not give \(directory.path) to the postgres user: \(chown.diagnostics)")
        }
        _ = try await ProcessRunner.run("/bin/chmod", ["0700", directory.path])
    }

    private func createDatabaseIfMissing(binaries: ServerBinaries, socket: URL) async throws {
        let exists = try await runAsServerUser(binaries.psql, [
            "-h", socket.path, "-p", "5432", "-U", "postgres", "-d", "postgres", "-tAc",
            "SELECT 1 FROM pg_database WHERE datname = '\(databaseName)'",
        ])
        if String(decoding: exists.standardOutput, as: UTF8.self).contains("1") { return }
        let created = try await runAsServerUser(binaries.createdb, ["-h", socket.path, "-p", "5432", "-U", "postgres", databaseName])
        guard created.exitCode == 0 || created.diagnostics.contains("already exists") else {
            throw EmbeddedPostgresError("could not create the database \(databaseName): \(created.diagnostics)")
        }
    }

    private func runAsServerUser(_ executable: String, _ arguments: [String]) async throws -> ProcessOutput {
        if ServerUser.current.isRoot {
            guard ServerUser.postgresExists else {
                throw EmbeddedPostgresError(
                    "PostgreSQL refuses to run as root and there is no 'postgres' user to run it as; "
                        + "install the server package (apt-get install postgresql) or run Longhaul as a normal user")
            }
            return try await ProcessRunner.run("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments)
        }
        return try await ProcessRunner.run(executable, arguments)
    }
}

/// A problem starting, stopping or finding the embedded PostgreSQL, with what to do about it.
public struct EmbeddedPostgresError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The PostgreSQL server programs found on this machine.
struct ServerBinaries: Sendable {
    var initdb: String
    var pgCtl: String
    var psql: String
    var createdb: String

    static func find() async throws -> ServerBinaries {
        var candidates: [String] = []
        if let bindir = await ServerBinaries.pgConfigBindir() { candidates.append(bindir) }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append("/usr/lib/postgresql/\(version)/bin")
        }
        for directory in candidates {
            let tools = ["initdb", "pg_ctl", "postgres", "psql", "createdb"].map { "\(directory)/\($0)" }
            if tools.allSatisfy({ FileManager.default.isExecutableFile(atPath: $0) }) {
                return ServerBinaries(initdb: tools[0], pgCtl: tools[1], psql: tools[3], createdb: tools[4])
            }
        }
        throw EmbeddedPostgresError(
            "no PostgreSQL server binaries found (looked in \(candidates.isEmpty ? "/usr/lib/postgresql/*/bin" : candidates.joined(separator: ", "))). "
                + "Install them with: apt-get install -y postgresql — or set DATABASE_URL to use an existing server")
    }

    /// `pg_config --bindir`, if pg_config is installed.
    private static func pgConfigBindir() async -> String? {
        guard let pgConfig = ProcessRunner.which("pg_config"),
            let output = try? await ProcessRunner.run(pgConfig, ["--bindir"], timeout: .seconds(10)), output.exitCode == 0
        else { return nil }
        let path = String(decoding: output.standardOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }
}

/// Who runs this process, as far as PostgreSQL cares.
struct ServerUser {
    var isRoot: Bool
    static var current: ServerUser { ServerUser(isRoot: getuid() == 0) }
    static var postgresExists: Bool { getpwnam("postgres") != nil }
}
