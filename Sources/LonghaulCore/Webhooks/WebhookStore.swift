import Foundation
import Mantle
public import Postgres

/// Webhook endpoints and signing secrets in the database: what `longhaul webhooks` manages.
public struct WebhookStore: Sendable {
    let pool: PostgresPool

    /// How long a replaced secret keeps signing, so receivers can switch without losing messages.
    public static let rotationOverlap: Duration = .seconds(24 * 3600)

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    static let columns = """
        public_id, project_id, url, event_types, include_result, enabled, disabled_reason, failing_since, created_at
        """

    /// Adds an endpoint with a secret of its own; returns it with the secret (shown once). With
    /// `secretReference` (`ssm:…`, `secretsmanager:…[#KEY]`) the endpoint signs with the secret
    /// kept there, read by the Deliverer; only the reference is stored.
    public func addEndpoint(
        projectID: Int64, url: String, eventTypes: [WebhookEventType] = [], includeResult: Bool = false, secretReference: String? = nil
    ) async throws -> (WebhookEndpoint, IssuedWebhookSecret) {
        try Self.validate(url: url)
        if let secretReference, !AWSStoredSecrets.isReference(secretReference) {
            throw StoreError.invalid(
                field: "secret",
                message: "give a reference to a secret kept in AWS (ssm:NAME_OR_ARN or secretsmanager:ID_OR_ARN[#KEY]), or none to have one generated")
        }
        let secret = secretReference ?? WebhookSecret.generate()
        let rows = try await pool.query("""
            INSERT INTO webhook_endpoints (public_id, project_id, url, event_types, include_result, secret)
            VALUES (\(PublicID.make("we")), \(projectID), \(url), \(eventTypes.map(\.rawValue)), \(includeResult), \(secret))
            RETURNING \(unescaped: Self.columns)
            """)
        return (try Self.decode(rows.first.orThrow("endpoint insert returned no row")), IssuedWebhookSecret(secret: secret))
    }

    /// The project's endpoints (removed ones excluded), oldest first.
    public func endpoints(projectID: Int64) async throws -> [WebhookEndpoint] {
        let rows = try await pool.query("""
            SELECT \(unescaped: Self.columns) FROM webhook_endpoints
            WHERE project_id = \(projectID) AND deleted_at IS NULL ORDER BY id
            """)
        return try rows.map(Self.decode)
    }

    /// One endpoint of the project, or `StoreError.notFound`.
    public func endpoint(projectID: Int64, publicID: String) async throws -> WebhookEndpoint {
        let rows = try await pool.query("""
            SELECT \(unescaped: Self.columns) FROM webhook_endpoints
            WHERE project_id = \(projectID) AND public_id = \(publicID) AND deleted_at IS NULL
            """)
        guard let row = rows.first else { throw StoreError.notFound("webhook endpoint \(publicID)") }
        return try Self.decode(row)
    }

    /// The id of the project an endpoint belongs to (for the admin, who names no project), or
    /// `StoreError.notFound`.
    public func projectID(ofEndpoint publicID: String) async throws -> Int64 {
        let rows = try await pool.query("""
            SELECT project_id FROM webhook_endpoints WHERE public_id = \(publicID) AND deleted_at IS NULL
            """)
        guard let row = rows.first else { throw StoreError.notFound("webhook endpoint \(publicID)") }
        return try row.decode("project_id")
    }

    /// Removes an endpoint: it gets nothing more and what was pending for it is cancelled; its
    /// deliveries stay in the log.
    public func removeEndpoint(projectID: Int64, publicID: String) async throws {
        try await pool.transaction { connection in
            let rows = try await connection.query("""
                UPDATE webhook_endpoints SET deleted_at = now(), enabled = false, disabled_at = now(),
                       disabled_reason = 'removed', updated_at = now()
                WHERE project_id = \(projectID) AND public_id = \(publicID) AND deleted_at IS NULL
                RETURNING id
                """)
            guard let id: Int64 = try rows.first?.decode("id") else { throw StoreError.notFound("webhook endpoint \(publicID)") }
            try await Self.cancelPending(endpointID: id, reason: "the endpoint was removed", on: connection)
        }
    }

    /// Enables or disables an endpoint by hand. Disabling cancels what is pending for it;
    /// enabling clears the failure streak (cancelled deliveries can be sent again with
    /// `deliveries resend`).
    public func setEnabled(_ enabled: Bool, projectID: Int64, publicID: String) async throws -> WebhookEndpoint {
        try await pool.transaction { connection in
            let rows = try await connection.query("""
                UPDATE webhook_endpoints
                SET enabled = \(enabled), failing_since = NULL, updated_at = now(),
                    disabled_at = CASE WHEN \(enabled) THEN NULL ELSE now() END,
                    disabled_reason = CASE WHEN \(enabled) THEN NULL ELSE 'disabled by hand' END
                WHERE project_id = \(projectID) AND public_id = \(publicID) AND deleted_at IS NULL
                RETURNING id, \(unescaped: Self.columns)
                """)
            guard let row = rows.first else { throw StoreError.notFound("webhook endpoint \(publicID)") }
            if !enabled {
                try await Self.cancelPending(endpointID: try row.decode("id"), reason: "the endpoint was disabled by hand", on: connection)
            }
            return try Self.decode(row)
        }
    }

    /// Replaces the signing secret of an endpoint (or, with `endpoint` nil, the project's, which
    /// signs per-job URLs and endpoints without a secret of their own). The replaced secret keeps
    /// signing for `rotationOverlap`, beside the new one.
    public func rotateSecret(projectID: Int64, endpoint publicID: String?) async throws -> IssuedWebhookSecret {
        let secret = WebhookSecret.generate()
        let overlap = Double(Self.rotationOverlap.components.seconds)
        let rows: PostgresRows
        if let publicID {
            rows = try await pool.query("""
                UPDATE webhook_endpoints e
                SET previous_secret = coalesce(e.secret, p.webhook_secret), secret = \(secret),
                    previous_secret_expires_at = now() + make_interval(secs => \(overlap)), updated_at = now()
                FROM projects p
                WHERE p.id = e.project_id AND e.project_id = \(projectID) AND e.public_id = \(publicID) AND e.deleted_at IS NULL
                RETURNING e.previous_secret_expires_at AS expires
                """)
        } else {
            rows = try await pool.query("""
                UPDATE projects SET previous_webhook_secret = webhook_secret, webhook_secret = \(secret),
                       previous_secret_expires_at = now() + make_interval(secs => \(overlap)), updated_at = now()
                WHERE id = \(projectID)
                RETURNING previous_secret_expires_at AS expires
                """)
        }
        guard let row = rows.first else { throw StoreError.notFound(publicID.map { "webhook endpoint \($0)" } ?? "project \(projectID)") }
        return IssuedWebhookSecret(secret: secret, previousExpiresAt: try row.decode("expires"))
    }

    /// The secrets that sign for an endpoint (or the project, with `endpoint` nil) right now:
    /// the current one first, then the previous one while its overlap lasts.
    public func signingSecrets(projectID: Int64, endpoint publicID: String?) async throws -> [String] {
        let rows = try await pool.query("""
            SELECT \(unescaped: Self.secretsSQL) AS secrets
            FROM projects p LEFT JOIN webhook_endpoints e ON e.project_id = p.id AND e.public_id = \(publicID)
            WHERE p.id = \(projectID) AND (\(publicID)::text IS NULL OR e.id IS NOT NULL)
            """)
        guard let row = rows.first else { throw StoreError.notFound(publicID.map { "webhook endpoint \($0)" } ?? "project \(projectID)") }
        return try row.decode("secrets")
    }

    /// SQL for the signing secrets of a delivery's endpoint `e` (may be NULL) in project `p`.
    static let secretsSQL = """
        CASE WHEN e.secret IS NOT NULL
             THEN array_remove(ARRAY[e.secret, CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END], NULL)
             ELSE array_remove(ARRAY[p.webhook_secret, CASE WHEN p.previous_secret_expires_at > now() THEN p.previous_webhook_secret END], NULL)
        END
        """

    /// Cancels an endpoint's pending deliveries, inside the caller's transaction.
    static func cancelPending(endpointID: Int64, reason: String, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE deliveries SET state = 'cancelled', finished_at = now(), last_error = \(reason),
                   lease_owner = NULL, lease_expires_at = NULL
            WHERE endpoint_id = \(endpointID) AND state = 'pending'
            """)
    }

    static func validate(url: String) throws {
        do {
            _ = try WebhookDestinationResolver.hostAndPort(url)
        } catch {
            throw StoreError.invalid(field: "url", message: error.message)
        }
    }

    static func decode(_ row: PostgresRow) throws -> WebhookEndpoint {
        let types: [String] = try row.decode("event_types")
        return WebhookEndpoint(
            publicID: try row.decode("public_id"), projectID: try row.decode("project_id"), url: try row.decode("url"),
            eventTypes: types.compactMap(WebhookEventType.init(rawValue:)), includeResult: try row.decode("include_result"),
            enabled: try row.decode("enabled"), disabledReason: try row.decode("disabled_reason"),
            failingSince: try row.decode("failing_since"), createdAt: try row.decode("created_at"))
    }
}
