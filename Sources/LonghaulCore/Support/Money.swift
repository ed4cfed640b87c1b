import Foundation

/// Amounts as people read them: `$12.34` in US dollars, `12.34 EUR` otherwise, `12.34` with no
/// currency; amounts under a cent keep four decimals so that a cheap call does not show as 0.00.
public enum Money {
    public static func format(_ value: Double, currency: String?) -> String {
        let amount = value > 0 && value < 0.01 ? String(format: "%.4f", value) : String(format: "%.2f", value)
        return currency == "USD" ? "$" + amount : amount + (currency.map { " " + $0 } ?? "")
    }
}
