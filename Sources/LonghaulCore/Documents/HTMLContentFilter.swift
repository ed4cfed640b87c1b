/// Decides which parts of a page are its content, for `HTMLTextExtractor`'s single pass: page
/// chrome — navigation, menus, sidebars, theme pickers, keyboard help, banners, hidden elements —
/// is paid for in every call and pollutes every summary, so it is dropped before anything is stored.
///
/// The rules, in order:
/// - a page with `<main>` is read only inside it; else a page with `<article>`
///   only inside its articles; else the whole body (the `<title>` is kept in every case);
/// - dropped with their content wherever they are: `<nav>`, `<aside>`, `<menu>`, `<dialog>`,
///   `<button>`, `<select>`, `<svg>`, `<iframe>`, `<noscript>`; elements with `hidden`,
///   `aria-hidden="true"`, a chrome role (`navigation`, `banner`, `contentinfo`, `search`, `menu`,
///   `menubar`, `toolbar`, `dialog`, `complementary`, `alert`), or a chrome word in their id or
///   class (whole words such as `sidebar`, `cookie`, `consent`, `breadcrumb`, `navbar`, `toc`,
///   `hidden`; phrases such as `menu-bar`, `skip-link`, `help-popup`);
/// - `<header>` and `<footer>` are dropped outside `<main>`/`<article>` and kept inside them.
///
/// No stack: a dropped element is left by counting its own name's opening and closing tags, and
/// the content region by counting `main`/`article` depth, so the pass stays linear and a
/// 100,000-deep page cannot exhaust anything.
struct HTMLContentFilter {
    /// Where the content is.
    enum Region {
        case wholePage
        case main
        case articles
    }

    let region: Region
    /// How deep inside the content region (`main`, or `article` when that is the region) the pass is.
    private var regionDepth = 0
    /// How deep inside any `main` or `article` — where `<header>`/`<footer>` are content.
    private var contentDepth = 0
    /// The element being dropped, and how many of its name are open.
    private var dropped: String?
    private var droppedDepth = 0
    /// Inside `<title>`, which is kept whatever the region.
    private var inTitle = false

    init(region: Region) { self.region = region }

    /// Whether text at this point is content.
    var isEmitting: Bool {
        guard dropped == nil else { return false }
        if inTitle { return true }
        switch region {
        case .wholePage: return true
        case .main, .articles: return regionDepth > 0
        }
    }

    /// An opening tag; returns false when the tag belongs to dropped chrome (so it makes no line break).
    mutating func open(_ name: String, selfClosing: Bool, attributes: () -> HTMLAttributes) -> Bool {
        if let dropped {
            if name == dropped && !selfClosing && !Self.voidElements.contains(name) { droppedDepth += 1 }
            return false
        }
        if !Self.voidElements.contains(name) && !selfClosing && isChrome(name, attributes()) {
            dropped = name
            droppedDepth = 1
            return false
        }
        guard !selfClosing else { return true }
        switch name {
        case "title": inTitle = true
        case "main":
            contentDepth += 1
            if region == .main { regionDepth += 1 }
        case "article":
            contentDepth += 1
            if region == .articles { regionDepth += 1 }
        default: break
        }
        return true
    }

    /// A closing tag; returns false when it closes (or is inside) dropped chrome.
    mutating func close(_ name: String) -> Bool {
        if let dropped {
            if name == dropped {
                droppedDepth -= 1
                if droppedDepth == 0 { self.dropped = nil }
            }
            return false
        }
        switch name {
        case "title": inTitle = false
        case "main":
            contentDepth = max(0, contentDepth - 1)
            if region == .main { regionDepth = max(0, regionDepth - 1) }
        case "article":
            contentDepth = max(0, contentDepth - 1)
            if region == .articles { regionDepth = max(0, regionDepth - 1) }
        default: break
        }
        return true
    }

    private func isChrome(_ name: String, _ attributes: HTMLAttributes) -> Bool {
        // The page's frame is never chrome, whatever its classes say (mdBook's `<html>` has `sidebar-visible`).
        if Self.frameElements.contains(name) { return false }
        if Self.droppedElements.contains(name) { return true }
        if (name == "header" || name == "footer") && contentDepth == 0 { return true }
        if attributes.hidden || attributes.ariaHidden { return true }
        if let role = attributes.role, Self.chromeRoles.contains(role) { return true }
        return attributes.idAndClassTokens.contains { token in
            Self.chromePhrases.contains { token.contains($0) }
                || token.split(whereSeparator: { $0 == "-" || $0 == "_" }).contains { Self.chromeWords.contains(String($0)) }
        }
    }

    static let frameElements: Set<String> = ["html", "head", "body", "main", "article", "title"]
    static let droppedElements: Set<String> = [
        "nav", "aside", "menu", "dialog", "button", "select", "svg", "iframe", "noscript", "object",
    ]
    static let chromeRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "search", "menu", "menubar", "toolbar", "dialog", "complementary", "alert",
    ]
    /// Whole words of an id or class (split at `-` and `_`) that name chrome.
    static let chromeWords: Set<String> = [
        "sidebar", "cookie", "cookies", "consent", "breadcrumb", "breadcrumbs", "navbar", "toc", "menubar", "hidden",
    ]
    /// Phrases anywhere in an id or class that name chrome.
    static let chromePhrases = ["menu-bar", "skip-link", "help-popup", "help-container", "theme-popup", "searchbar"]
    /// Elements that never have content or a closing tag.
    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    ]
}
