// The head of tanso's self-contained HTML reports: inline CSS, no script, no external resource.
import Foundation

enum HTMLPage {
    static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222;line-height:1.45}
        h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:2em;border-bottom:2px solid #ddd;padding-bottom:.2em}
        table{border-collapse:collapse;margin:.6em 0;font-size:.9em} th,td{border:1px solid #ccc;padding:.25em .55em;text-align:left}
        th{background:#f1f3f5} td.n{text-align:right;font-variant-numeric:tabular-nums}
        .ok{color:#1a7f37;font-weight:600} .ko{color:#c62828;font-weight:600} .muted{color:#666;font-size:.9em}
        figure{margin:1em 0} figcaption{color:#555;font-size:.9em} img{max-width:100%;border:1px solid #ccc}
        .cards{display:flex;flex-wrap:wrap;gap:1em} .card{border:1px solid #ddd;border-radius:6px;padding:.7em 1em;min-width:220px;flex:1}
        .card .big{font-size:1.8em;font-weight:700}
        """

    /// `<!DOCTYPE html>` to `<body>`, with the report's title and any CSS of its own.
    static func head(title: String, extraCSS: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(ComplianceHTML.esc(title))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        \(css)\(extraCSS.isEmpty ? "" : "\n" + extraCSS)
        </style></head><body>

        """
    }
}
