import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on 127.0.0.1 made of plain POSIX calls, for misbehaviour Hummingbird will not
/// produce: resetting a connection, or a hand-written response (interim `100 Continue`).
///
/// Accepts on a thread of its own (blocking calls stay off Swift's cooperative pool), reads each
/// request head, then hands the socket to `handler`, which must close it.
final class RawSocketServer: Sendable {
    let port: Int
    private let listener: Int32
    private let stopped = Atomic<Bool>(false)

    init(handler: @escaping @Sendable (_ socket: Int32) -> Void) throws {
        let (listener, port) = try bindLoopbackListener(backlog: 16)
        self.listener = listener
        self.port = port
        let thread = Thread { [self] in acceptLoop(handler) }
        thread.start()
    }

    /// Stops accepting; the listening socket closes within 100 ms.
    func stop() { stopped.store(true, ordering: .relaxed) }

    private func acceptLoop(_ handler: @Sendable (Int32) -> Void) {
        defer { close(listener) }
        while !stopped.load(ordering: .relaxed) {
            var ready = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 100) == 1 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            readRequestHead(connection)
            handler(connection)
        }
    }

    /// Reads until the blank line that ends a request head (or 2 s pass), so the client has sent
    /// its request before the handler acts.
    private func readRequestHead(_ socket: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.suffix(4).elementsEqual("\r\n\r\n".utf8) {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            received += buffer[..<count]
        }
    }

    /// Closes `socket` with SO_LINGER 0, which sends RST instead of FIN.
    static func reset(_ socket: Int32) {
        var linger = linger(l_onoff: 1, l_linger: 0)
        setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
        close(socket)
    }

    /// Writes all of `bytes`, then closes `socket` normally.
    static func respond(_ socket: Int32, with bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { break }
            offset += written
        }
        shutdown(socket, Int32(SHUT_WR))
        close(socket)
    }
}

/// A port on 127.0.0.1 with nothing listening: bound once to learn a free number, then closed.
func closedLoopbackPort() throws -> Int {
    let (socket, port) = try bindLoopbackListener(backlog: nil)
    close(socket)
    return port
}

/// A listener whose accept queue is full and never drained: further connection attempts get no
/// answer to their SYN, so connecting hangs until the client's connect timeout.
final class UnansweringListener {
    let port: Int
    private var sockets: [Int32] = []

    init() throws {
        let (listener, port) = try bindLoopbackListener(backlog: 0)
        self.port = port
        sockets.append(listener)
        // Linux queues backlog + 1 completed connections; fill the queue with a few more than that.
        for _ in 0..<4 {
            let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var address = loopbackAddress(port: port)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            sockets.append(client)
        }
        usleep(50_000)  // let the handshakes that can complete do so
    }

    deinit { for socket in sockets { close(socket) } }
}

private func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
    return address
}

/// Binds a TCP socket to 127.0.0.1 on a free port, listening when `backlog` is given.
private func bindLoopbackListener(backlog: Int32?) throws -> (socket: Int32, port: Int) {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else { throw TestServerError(message: "socket() failed: errno \(errno)") }
    var address = loopbackAddress(port: 0)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { close(listener); throw TestServerError(message: "bind() failed: errno \(errno)") }
    if let backlog, listen(listener, backlog) != 0 {
        close(listener)
        throw TestServerError(message: "listen() failed: errno \(errno)")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
    }
    return (listener, Int(UInt16(bigEndian: address.sin_port)))
}
