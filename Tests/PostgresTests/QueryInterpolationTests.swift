import Postgres
import Testing

struct QueryInterpolationTests {
    @Test func valuesBecomeNumberedParametersNeverSQL() {
        let id = 42
        let state = "queued'; DROP TABLE jobs; --"
        let query: PostgresQuery = "SELECT * FROM jobs WHERE id = \(id) AND state = \(state)"
        #expect(query.sql == "SELECT * FROM jobs WHERE id = $1 AND state = $2")
        #expect(query.bindings.values == ["42", state])
        #expect(query.bindings.types == [.int8, .unknown])
        #expect(!query.description.contains("DROP"))
    }

    @Test func identifiersAreQuotedAndRawTextIsExplicit() {
        let table = "we\"ird"
        let query: PostgresQuery = "SELECT 1 FROM \(identifier: table) \(unescaped: "LIMIT 1")"
        #expect(query.sql == "SELECT 1 FROM \"we\"\"ird\" LIMIT 1")
        #expect(query.bindings.count == 0)
    }

    @Test func nilIsANullParameterOfTheWrappedType() {
        let missing: Int64? = nil
        let query: PostgresQuery = "SELECT \(missing)"
        #expect(query.bindings.values == [nil])
        #expect(query.bindings.types == [.int8])
    }
}
