/// The states a statement requires of rows it already found by their ids: a guard ("only if the
/// job is still where the writer left it"), written so that PostgreSQL reaches those rows by their
/// primary key.
///
/// Written `j.state = 'running'`, the guard let the planner read the rows from a state's partial
/// index and hash them against the ids: `auto_explain` of `bench/pipeline.sh 10000 256` showed an
/// ending of 42 jobs scanning all 298 in-flight rows of `jobs_in_flight` (0.76 of its 3.8 ms), an
/// accept of 90 scanning 346, and other updates by id 354–416 rows of `jobs_leased`. A queue's state
/// counts swing faster than statistics follow: taken while every job was queued, they put the
/// running rows at 1, and a generic plan kept that choice for the connection's life. Compared as
/// text, the guard implies no index's predicate, so the ids are the only way in.
///
/// A statement that *looks for* rows in a state (a claim, a rescue) keeps `state = …`: there the
/// state's index is the right way in.
enum RowStateGuard {
    /// `alias.state::text IN (…)` for `states`, e.g. `j.state::text = 'running'`.
    static func sql(_ alias: String, _ states: JobState...) -> String {
        let column = alias.isEmpty ? "state::text" : "\(alias).state::text"
        let literals = states.map { "'\($0.rawValue)'" }
        return literals.count == 1 ? "\(column) = \(literals[0])" : "\(column) IN (\(literals.joined(separator: ", ")))"
    }
}
