public import Postgres
import Mantle
import MantleModels

/// A project's overrides of the model table's windows (`project_model_limits`): set, listed and
/// cleared by `longhaul projects limits` and `/v1/projects/{project}/model-limits`, read where a
/// job is planned (enqueue, plans) and cut (the Coordinator).
public struct ModelLimitStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// How each model's estimates are calibrated, as the Maintainer last wrote them
    /// (`JobQueue.refreshTokenCalibrations`): enqueue judges fit with them (`JobLimits.calibrations`).
    /// One small table read, not the day's calls aggregated.
    public func calibrations() async throws -> [String: EstimateCalibration] {
        var calibrations: [String: EstimateCalibration] = [:]
        for row in try await pool.query("SELECT model, factor, margin, samples FROM token_calibrations") {
            calibrations[try row.decode("model")] = EstimateCalibration(
                factor: try row.decode("factor"), margin: try row.decode("margin"), samples: try row.decode("samples"))
        }
        return calibrations
    }

    /// Sets (or replaces) `projectID`'s figures for `override.model`.
    public func set(projectID: Int64, _ override: ModelLimitOverride) async throws {
        guard !override.model.isEmpty, override.model.count <= 200 else {
            throw StoreError.invalid(field: "model", message: "give the model id as jobs name it, e.g. openai.gpt-oss-120b")
        }
        guard (ModelLimitOverride.minimumContextWindow...100_000_000).contains(override.contextWindow) else {
            throw StoreError.invalid(
                field: "context_window",
                message: "context_window is \(override.contextWindow); give the model's window in tokens, from "
                    + "\(ModelLimitOverride.minimumContextWindow) to 100000000")
        }
        if let output = override.maxOutputTokens, !(16...override.contextWindow).contains(output) {
            throw StoreError.invalid(
                field: "max_output_tokens",
                message:
                    "max_output_tokens is \(output); it must be between 16 (Mantle's floor) and the context window (\(override.contextWindow))"
            )
        }
        if let api = override.api, let family = ModelTable.family(of: override.model), !family.speaks(api.modelAPI) {
            throw StoreError.invalid(
                field: "api",
                message: "\(override.model) is a \(family.name) model, which Bedrock serves through "
                    + family.apis.map { GenerationAPI($0).rawValue }.joined(separator: " or ") + ", not \(api.rawValue); leave api out or name one of those")
        }
        try await pool.query(
            """
            INSERT INTO project_model_limits (project_id, model, context_window, max_output_tokens, api)
            VALUES (\(projectID), \(override.model), \(override.contextWindow), \(override.maxOutputTokens), \(override.api?.rawValue))
            ON CONFLICT (project_id, model) DO UPDATE
            SET context_window = excluded.context_window, max_output_tokens = excluded.max_output_tokens, api = excluded.api,
                updated_at = now()
            """)
    }

    /// Removes `projectID`'s figures for `model`; false when there were none.
    public func clear(projectID: Int64, model: String) async throws -> Bool {
        try await pool.query("DELETE FROM project_model_limits WHERE project_id = \(projectID) AND model = \(model)").affectedRows > 0
    }

    /// `projectID`'s overrides, by model id.
    public func overrides(projectID: Int64) async throws -> [String: ModelLimitOverride] {
        try await Self.overrides(projectID: projectID, query: pool.query)
    }

    static func overrides(
        projectID: Int64, query: (PostgresQuery) async throws -> PostgresRows
    ) async throws -> [String: ModelLimitOverride] {
        let rows = try await query(
            """
            SELECT model, context_window, max_output_tokens, api FROM project_model_limits WHERE project_id = \(projectID)
            ORDER BY model
            """)
        var overrides: [String: ModelLimitOverride] = [:]
        for row in rows {
            let override = ModelLimitOverride(
                model: try row.decode("model"), contextWindow: try row.decode("context_window"),
                maxOutputTokens: try row.decode("max_output_tokens"), api: try row.decode("api", as: String?.self).flatMap(GenerationAPI.init))
            overrides[override.model] = override
        }
        return overrides
    }
}
