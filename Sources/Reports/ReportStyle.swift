/// The report's inline style sheet: short (it is in every stored report), no web fonts, no `@import`, no URLs.
///
/// Colours are custom properties so that the dark scheme and print only swap values. Contrast (WCAG 2 ratio, against
/// the page background `--bg`; all ≥ 4.5:1, and still ≥ 5.4:1 on the light track/band tint `--tr`):
///
/// | property | use | light on #fff | dark on #121416 |
/// |---|---|---|---|
/// | `--fg` | text, chart labels | #1b1b1b 17.2 | #ececec 15.6 |
/// | `--mu` | secondary text, axis labels, wrong answers, band edge | #595959 7.0 | #a6abb2 8.0 |
/// | `--ac` | lines, bars, correct answers | #1d5fa8 6.5 | #7db3f5 8.5 |
/// | `--wa` | warning, "worse" | #b3261e 6.5 | #ff8f85 8.4 |
/// | `--ca` | caution | #8a4b00 6.8 | #f2b45c 10.1 |
/// | `--ok` | encouragement, "better" | #1e6b34 6.6 | #7fd394 10.2 |
///
/// `--tr` (bar tracks, the ±1 SE band) and `--bd` (rules, grid) are decorative tints; the data they frame is drawn
/// or written in the colours above. Print uses the light values with black text on white.
enum ReportStyle {
    static let css: StaticString = """
        :root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--mu:#595959;--ac:#1d5fa8;--wa:#b3261e;--ca:#8a4b00;\
        --ok:#1e6b34;--tr:#e8ecf1;--bd:#c9ced6}
        @media (prefers-color-scheme: dark){:root{--bg:#121416;--fg:#ececec;--mu:#a6abb2;--ac:#7db3f5;--wa:#ff8f85;\
        --ca:#f2b45c;--ok:#7fd394;--tr:#262b33;--bd:#3d444e}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,sans-serif}
        main{max-width:46rem;margin:0 auto;padding:1rem}
        h1{font-size:1.5rem;margin:0}
        h2{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--bd)}
        p{margin:.4rem 0}
        .mu,.na,th small{color:var(--mu)}
        .tw{overflow-x:auto}
        header,caption,th{overflow-wrap:anywhere}
        @media (max-width:30rem){main{padding:.75rem}th,td{padding:.3rem .15rem}.sp{width:60px;height:20px}}
        table{border-collapse:collapse;width:100%}
        caption{text-align:left;color:var(--mu);font-size:.9rem}
        th,td{text-align:left;vertical-align:top;padding:.4rem .3rem;border-bottom:1px solid var(--bd)}
        th small{display:block;font-weight:400;font-size:.85rem}
        .ad{list-style:none;padding:0}
        .ad li{border-left:4px solid var(--mu);padding:.2rem .6rem;margin:.5rem 0}
        .ad .warning{border-color:var(--wa)}.warning strong,.worse{color:var(--wa)}
        .ad .caution{border-color:var(--ca)}.caution strong{color:var(--ca)}
        .ad .encouragement{border-color:var(--ok)}.encouragement strong,.better{color:var(--ok)}
        svg{display:block}
        .c{width:100%;height:auto;max-width:30rem}
        .sp{width:80px;height:24px}
        svg text{fill:var(--fg);font-size:14px}
        svg .m{fill:var(--mu)}
        .ln{fill:none;stroke:var(--ac);stroke-width:2;stroke-linejoin:round}
        .bd{fill:var(--tr);stroke:var(--mu);stroke-dasharray:3 3}
        .ba{fill:var(--ac)}.bm{fill:var(--mu)}.bt{fill:var(--tr)}
        .gr{stroke:var(--bd)}
        .k{display:inline-block;border:.4em solid;margin:0 .3em 0 .8em;vertical-align:-.05em}.ka{color:var(--ac)}\
        .km{color:var(--mu)}
        @media print{:root{--bg:#fff;--fg:#000;--mu:#595959;--ac:#1d5fa8;--wa:#b3261e;--ca:#8a4b00;--ok:#1e6b34;\
        --tr:#e8ecf1;--bd:#c9ced6}main{max-width:none;padding:0}.tw{overflow:visible}\
        section{break-inside:avoid}h2{break-after:avoid}\
        @page { size: A4; margin: 15mm }}
        """
}
