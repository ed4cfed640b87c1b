import Testing

@testable import Postgres

/// The pool's bookkeeping, with plain objects for connections and strings for waiters.
struct PoolStateMachineTests {
    final class FakeConnection {}
    typealias Machine = PoolStateMachine<FakeConnection, String>

    @Test func opensUpToTheLimitThenQueuesInOrder() {
        var machine = Machine(maxConnections: 2)
        guard case .grant(.slot) = machine.lease(), case .grant(.slot) = machine.lease() else {
            Issue.record("expected two slots")
            return
        }
        guard case .wait = machine.lease() else {
            Issue.record("the third borrower should wait")
            return
        }
        machine.enqueue("first", id: machine.makeWaiterID())
        machine.enqueue("second", id: machine.makeWaiterID())
        let connection = FakeConnection()
        guard case .resume(let waiter, .connection(let handed)) = machine.release(connection, reusable: true) else {
            Issue.record("a returned connection should go to the first waiter")
            return
        }
        #expect(waiter == "first")
        #expect(handed === connection)
        #expect(machine.openConnections == 2)
    }

    @Test func aBrokenConnectionHandsItsSlotToAWaiter() {
        var machine = Machine(maxConnections: 1)
        _ = machine.lease()
        _ = machine.lease()
        machine.enqueue("waiting", id: machine.makeWaiterID())
        guard case .close(_, handingSlotTo: "waiting") = machine.release(FakeConnection(), reusable: false) else {
            Issue.record("the slot should pass to the waiter")
            return
        }
        #expect(machine.openConnections == 1)
        #expect(machine.connectFailed() == nil)
        #expect(machine.openConnections == 0)
    }

    @Test func cancelledWaitersLeaveTheLineAndShutdownFailsTheRest() {
        var machine = Machine(maxConnections: 1)
        _ = machine.lease()
        let leaving = machine.makeWaiterID()
        machine.enqueue("leaving", id: leaving)
        machine.enqueue("staying", id: machine.makeWaiterID())
        #expect(machine.removeWaiter(id: leaving) == "leaving")
        #expect(machine.removeWaiter(id: leaving) == nil)
        let (idle, waiters) = machine.shutDown()
        #expect(idle.isEmpty)
        #expect(waiters == ["staying"])
        guard case .fail = machine.lease() else {
            Issue.record("a shut-down pool lends nothing")
            return
        }
    }

    @Test func idleConnectionsAreReusedBeforeOpeningMore() {
        var machine = Machine(maxConnections: 3)
        _ = machine.lease()
        let connection = FakeConnection()
        guard case .none = machine.release(connection, reusable: true) else {
            Issue.record("expected the connection to go idle")
            return
        }
        guard case .grant(.connection(let again)) = machine.lease() else {
            Issue.record("expected the idle connection")
            return
        }
        #expect(again === connection)
        #expect(machine.openConnections == 1)
    }
}
