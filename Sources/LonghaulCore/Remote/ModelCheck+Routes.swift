public import Mantle

extension MantleModel {
    /// Enqueue's model check now that every API runs jobs: nil when `ModelRoute` can run the
    /// model (Responses, Chat Completions or Anthropic Messages), else why not, with the closest
    /// known ids.
    public static let jobModelCheck: ModelCheck = { model in KnownModels.problem(with: model) }
}
