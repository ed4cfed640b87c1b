import LonghaulCore

/// `/v1/projects/{project}/budgets`: spending caps; anyone who sees the project reads them, only
/// an admin sets them (a cap its own project could lift would cap nothing).
extension APIHandler {
    func listBudgets(_ input: Operations.ListBudgets.Input) async throws -> Operations.ListBudgets.Output {
        let project = try await visibleProject(slug: input.path.project)
        return .ok(.init(body: .json(try await budgetList(project))))
    }

    func setBudget(_ input: Operations.SetBudget.Input) async throws -> Operations.SetBudget.Output {
        try requireAdmin("set budgets")
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the cap as JSON") }
        let project = try await visibleProject(slug: input.path.project)
        try await BudgetStore(pool: pool).set(
            projectID: project.id, period: ProjectBudget.Period(input.path.period), maxTokens: body.maxTokens.map(Int64.init),
            maxCost: body.maxCost)
        return .ok(.init(body: .json(try await budgetList(project))))
    }

    func clearBudget(_ input: Operations.ClearBudget.Input) async throws -> Operations.ClearBudget.Output {
        try requireAdmin("clear budgets")
        let project = try await visibleProject(slug: input.path.project)
        let period = ProjectBudget.Period(input.path.period)
        guard try await BudgetStore(pool: pool).clear(projectID: project.id, period: period) else {
            throw APIError.notFound("a \(period.rawValue) budget of project '\(project.slug)'")
        }
        return .ok(.init(body: .json(try await budgetList(project))))
    }

    private func budgetList(_ project: Project) async throws -> Components.Schemas.BudgetList {
        let budgets = try await BudgetStore(pool: pool).budgets(projectID: project.id)
        return .init(
            object: .list,
            data: budgets.map { budget in
                Components.Schemas.Budget(
                    object: .budget, period: .init(rawValue: budget.period.rawValue) ?? .total, maxCost: budget.maxCost,
                    maxTokens: budget.maxTokens.map(Int.init), currency: budget.currency, spentTokens: Int(budget.spentTokens),
                    spentCost: budget.spentCost, reservedTokens: Int(budget.reservedTokens), reservedCost: budget.reservedCost,
                    resetsAt: budget.resetsAt, blocksNextJob: budget.blocksNextJob,
                    message: budget.blocksNextJob ? budget.message(project: project.slug) : nil)
            })
    }
}

extension ProjectBudget.Period {
    init(_ path: Operations.SetBudget.Input.Path.PeriodPayload) {
        self = Self(rawValue: path.rawValue) ?? .total
    }

    init(_ path: Operations.ClearBudget.Input.Path.PeriodPayload) {
        self = Self(rawValue: path.rawValue) ?? .total
    }
}
