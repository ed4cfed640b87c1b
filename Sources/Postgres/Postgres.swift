/// Swift over libpq (implementation pending).
public enum PostgresLibrary {
    /// The libpq version this process linked against, e.g. 150018.
    public static var libpqVersion: Int { 0 }
}
