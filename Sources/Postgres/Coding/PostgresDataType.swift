/// A PostgreSQL type OID, as bound parameters declare it and result columns report it.
///
/// ``unknown`` (OID 0) lets the server infer a parameter's type from where it is used, which is
/// what text needs to land in `text`, `varchar` or enum columns alike.
public struct PostgresDataType: Sendable, Hashable, CustomStringConvertible {
    /// The OID from `pg_type`.
    public let oid: UInt32

    /// Wraps an OID from `pg_type`.
    public init(oid: UInt32) { self.oid = oid }

    /// The OID as a number.
    public var description: String { String(oid) }

    /// Let the server infer the type from context.
    public static let unknown = PostgresDataType(oid: 0)
    /// `boolean`.
    public static let bool = PostgresDataType(oid: 16)
    /// `bytea`.
    public static let bytea = PostgresDataType(oid: 17)
    /// `bigint`.
    public static let int8 = PostgresDataType(oid: 20)
    /// `smallint`.
    public static let int2 = PostgresDataType(oid: 21)
    /// `integer`.
    public static let int4 = PostgresDataType(oid: 23)
    /// `text`.
    public static let text = PostgresDataType(oid: 25)
    /// `json`.
    public static let json = PostgresDataType(oid: 114)
    /// `real`.
    public static let float4 = PostgresDataType(oid: 700)
    /// `double precision`.
    public static let float8 = PostgresDataType(oid: 701)
    /// `text[]`.
    public static let textArray = PostgresDataType(oid: 1009)
    /// `bigint[]`.
    public static let int8Array = PostgresDataType(oid: 1016)
    /// `varchar`.
    public static let varchar = PostgresDataType(oid: 1043)
    /// `date`.
    public static let date = PostgresDataType(oid: 1082)
    /// `timestamp` (without time zone).
    public static let timestamp = PostgresDataType(oid: 1114)
    /// `timestamptz`.
    public static let timestamptz = PostgresDataType(oid: 1184)
    /// `interval`.
    public static let interval = PostgresDataType(oid: 1186)
    /// `uuid`.
    public static let uuid = PostgresDataType(oid: 2950)
    /// `jsonb`.
    public static let jsonb = PostgresDataType(oid: 3802)
}
