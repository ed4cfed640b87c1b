import Testing

/// Page chrome is dropped before it is paid for: pages shaped like the ones users bring (an
/// mdBook chapter, a documentation site's page), written here with text of our own.
extension HTMLDocumentTests {
    /// The structure mdBook 0.4 writes around every chapter: keyboard help, a sidebar of chapters,
    /// a menu bar with a theme picker and a search box, the chapter in `<main>`, then previous/next links.
    static let bookChapter = """
        <!DOCTYPE html>
        <html lang="en" class="light sidebar-visible" dir="ltr">
        <head><meta charset="UTF-8"><title>Tides and Moorings - The Harbour Handbook</title>
        <script>const path_to_root = "";</script></head>
        <body>
        <div id="mdbook-help-container">
          <div id="mdbook-help-popup">
            <h2 class="mdbook-help-title">Keyboard shortcuts</h2>
            <div><p>Press <kbd>←</kbd> or <kbd>→</kbd> to navigate between chapters</p>
            <p>Press <kbd>S</kbd> or <kbd>/</kbd> to search in the book</p></div>
          </div>
        </div>
        <div id="mdbook-body-container">
          <input type="checkbox" id="mdbook-sidebar-toggle-anchor" class="hidden">
          <nav id="mdbook-sidebar" class="sidebar" aria-label="Table of contents">
            <ol class="chapter"><li><a href="intro.html">1. Introduction</a></li><li><a href="tides.html">2. Tides</a></li></ol>
          </nav>
          <div id="mdbook-page-wrapper" class="page-wrapper"><div class="page">
            <div id="mdbook-menu-bar" class="menu-bar sticky">
              <div class="left-buttons">
                <button id="mdbook-theme-toggle" class="icon-button" type="button" aria-label="Change theme">T</button>
                <ul id="mdbook-theme-list" class="theme-popup" aria-label="Themes" role="menu">
                  <li role="none"><button role="menuitem" class="theme">Auto</button></li>
                  <li role="none"><button role="menuitem" class="theme">Light</button></li>
                  <li role="none"><button role="menuitem" class="theme">Rust</button></li>
                  <li role="none"><button role="menuitem" class="theme">Coal</button></li>
                  <li role="none"><button role="menuitem" class="theme">Navy</button></li>
                  <li role="none"><button role="menuitem" class="theme">Ayu</button></li>
                </ul>
              </div>
              <h1 class="menu-title">The Harbour Handbook</h1>
            </div>
            <div id="mdbook-search-wrapper" class="hidden">
              <form id="mdbook-searchbar-outer" class="searchbar-outer"><input type="search" placeholder="Search this book ..."></form>
            </div>
            <div id="mdbook-content" class="content">
              <main>
                <h2 id="tides"><a class="header" href="#tides">Tides and Moorings</a></h2>
                <p>The harbour sees two high tides a day, about twelve hours and twenty-five minutes apart.</p>
                <h3 id="lines"><a class="header" href="#lines">Mooring lines</a></h3>
                <p>Leave slack in every line: a vessel moored tight at high water hangs from its cleats at low water.</p>
                <pre><code>slack = range + 0.5 m</code></pre>
              </main>
              <nav class="nav-wrapper" aria-label="Page navigation">
                <a rel="prev" href="intro.html" class="nav-chapters previous" title="Previous chapter">←</a>
                <a rel="next" href="berths.html" class="nav-chapters next" title="Next chapter">→</a>
              </nav>
            </div>
          </div></div>
        </div>
        <template id="fa-eye"><span class="fa-svg"><svg viewBox="0 0 576 512"><path d="M288 32"/></svg></span></template>
        </body></html>
        """

    @Test func bookChapterKeepsTheChapterAndDropsItsChrome() async throws {
        let text = try await text(ofHTML: Self.bookChapter)
        #expect(
            text == """
                Tides and Moorings - The Harbour Handbook

                ## Tides and Moorings

                The harbour sees two high tides a day, about twelve hours and twenty-five minutes apart.

                ### Mooring lines

                Leave slack in every line: a vessel moored tight at high water hangs from its cleats at low water.

                slack = range + 0.5 m
                """)
        for chrome in ["Keyboard shortcuts", "navigate between chapters", "Coal", "Navy", "Ayu", "Introduction", "Search this book", "Previous chapter"] {
            #expect(!text.contains(chrome), "chrome kept: \(chrome)")
        }
    }

    /// A documentation site without `<main>`: a header with navigation, a sidebar, the page in
    /// `<article>` (whose own header is content), a cookie banner and a footer.
    static let docsPage = """
        <html><head><title>Sensor API</title></head><body>
        <div class="cookie-banner">We use cookies to improve this site. <a href="/privacy">Accept</a></div>
        <a class="skip-link" href="#content">Skip to content</a>
        <header class="site-header"><a href="/">Acme Docs</a>
          <ul role="navigation"><li>Guides</li><li>Reference</li><li>Blog</li></ul></header>
        <div class="layout">
          <aside class="toc"><p>On this page</p><ul><li>Readings</li><li>Errors</li></ul></aside>
          <div id="content">
            <article>
              <header><h1>Sensor API</h1><p class="byline">Updated 3 March</p></header>
              <p>Each sensor reports one reading a minute.</p>
              <h2>Errors</h2>
              <p>A sensor that misses five readings is marked <em>stale</em>.</p>
              <div hidden><p>Draft: rate limits</p></div>
              <p aria-hidden="true">¶</p>
            </article>
          </div>
        </div>
        <footer><p>© Acme. All rights reserved.</p><p>Privacy · Terms</p></footer>
        </body></html>
        """

    @Test func docsPageKeepsTheArticleWithItsOwnHeader() async throws {
        let text = try await text(ofHTML: Self.docsPage)
        #expect(
            text == """
                Sensor API

                # Sensor API

                Updated 3 March

                Each sensor reports one reading a minute.

                ## Errors

                A sensor that misses five readings is marked stale.
                """)
    }

    @Test func pageWithoutMainOrArticleDropsChromeAroundTheBody() async throws {
        let html = """
            <body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
            <div role="banner">Acme</div>
            <p>The only paragraph.</p>
            <div class="sidebar"><p>Related posts</p><div><div>nested</div></div></div>
            <p>After the sidebar.</p>
            <footer>Contact us</footer></body>
            """
        #expect(try await text(ofHTML: html) == "The only paragraph.\n\nAfter the sidebar.")
    }

    @Test func mainMentionedOnlyInAScriptDoesNotEmptyThePage() async throws {
        let html = #"<body><script>document.write("<main>")</script><p>Plain page.</p></body>"#
        #expect(try await text(ofHTML: html) == "Plain page.")
    }

    @Test func aTagCutOffAtTheEndOfThePageIsHarmless() async throws {
        #expect(try await text(ofHTML: "<p>Kept.</p><div class") == "Kept.")
        #expect(try await text(ofHTML: "<p>Kept.</p><section") == "Kept.")
    }
}
