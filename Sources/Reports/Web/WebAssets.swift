// The page of `tanso web`: index.html, style.css and app.js (Leaflet from lib/, data from data/*.js).
import Foundation

enum WebAssets {
    static func write(to folder: String, layers: [String]) throws {
        let scripts = (["lib/leaflet.js"] + layers + ["app.js"]).map { "<script src=\"\($0)\"></script>" }.joined(separator: "\n")
        let html = """
            <!DOCTYPE html>
            <html lang="vi">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>tanso map</title>
            <link rel="stylesheet" href="lib/leaflet.css">
            <link rel="stylesheet" href="style.css">
            </head>
            <body>
            <div id="map"></div>
            <div id="search" class="panel">
              <input id="search-input" type="search" placeholder="Village (with or without accents)" autocomplete="off">
              <ol id="search-results"></ol>
            </div>
            \(scripts)
            </body>
            </html>

            """
        try Data(html.utf8).write(to: URL(fileURLWithPath: folder + "/index.html"))
        try Data(css.utf8).write(to: URL(fileURLWithPath: folder + "/style.css"))
        try Data(js.utf8).write(to: URL(fileURLWithPath: folder + "/app.js"))
    }

    static let css = """
        html, body, #map { height: 100%; margin: 0; font: 13px/1.35 system-ui, sans-serif; }
        .panel { background: rgba(255,255,255,0.92); border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.35); padding: 6px 8px; }
        #search { position: absolute; top: 10px; left: 54px; z-index: 1000; width: 260px; }
        #search input { width: 100%; box-sizing: border-box; font-size: 14px; padding: 3px 5px; }
        #search ol { margin: 4px 0 0; padding-left: 20px; max-height: 240px; overflow-y: auto; }
        #search li { cursor: pointer; padding: 1px 0; }
        #search li:hover { text-decoration: underline; }
        .legend h4 { margin: 4px 0 3px; font-size: 12px; }
        .legend .row { display: flex; align-items: center; gap: 6px; }
        .legend .sw { width: 16px; height: 11px; border: 1px solid #555; display: inline-block; }
        .legend .dot { width: 10px; height: 10px; border-radius: 50%; border: 1px solid #333; display: inline-block; }
        .legend .note { max-width: 230px; color: #444; font-size: 11px; }
        .title { font-size: 15px; font-weight: 600; }
        table.fig { border-collapse: collapse; margin: 4px 0; }
        table.fig td, table.fig th { border-bottom: 1px solid #ddd; padding: 1px 6px 1px 0; text-align: left; }
        table.fig td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .ok { color: #1a7f37; font-weight: 600; } .no { color: #c62828; font-weight: 600; } .review { color: #b26a00; font-weight: 600; }

        """

    /// The application: layers, popups, legend, scale, search. Reads the TANSO_* variables of data/*.js.
    static let js = #"""
        "use strict";
        (function () {
          var M = TANSO_META;
          var map = L.map("map", { zoomSnap: 1, maxZoom: M.maxZoom + 3, preferCanvas: false });
          map.fitBounds(M.bounds);
          var bounds = L.latLngBounds(M.bounds);
          var overlays = {};
          function esc(s) {
            return String(s === undefined || s === null ? "" : s).replace(/[&<>"']/g, function (c) {
              return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
            });
          }
          function tiles(name, label, opacity) {
            if (M.tiles.indexOf(name) < 0) return;
            var layer = L.tileLayer("tiles/" + name + "/{z}/{x}/{y}.png", {
              minNativeZoom: M.minZoom, maxNativeZoom: M.maxZoom, minZoom: 0, maxZoom: M.maxZoom + 3,
              bounds: bounds, opacity: opacity, className: "tiles-" + name, errorTileUrl: ""
            }).addTo(map);
            overlays[label] = layer;
          }
          tiles("relief", "Relief (hillshade of the DEM)", 1);
          tiles("signal", "Best signal (dBm classes)", 0.6);

          function yes(v) { return v === "1" ? '<span class="ok">yes</span>' : v === "0" ? '<span class="no">no</span>' : esc(v); }
          function villagePopup(p) {
            var h = '<div class="title">' + esc(p.name) + "</div>" + esc(p.commune) + ", " + esc(p.district) +
              "<br>Population <b class=\"pop\">" + esc(p.population) + "</b>";
            if (p.best_signal_dbm) h += "<br>Best signal " + esc(p.best_signal_dbm) + " dBm (" + esc(p.best_server) + ")";
            h += '<table class="fig signals"><tr><th>operator</th><th>tech</th><th>metric</th><th>dBm</th><th>covered</th></tr>';
            p.signals.forEach(function (s) {
              if (s[3] === "" && s[4] !== "1") return;
              h += '<tr data-service="' + esc(s[0] + "_" + s[1]) + '"><td>' + esc(s[0]) + "</td><td>" + esc(s[1]) + "</td><td>" + esc(s[2]) +
                '</td><td class="num dbm">' + esc(s[3]) + "</td><td>" + yes(s[4]) + "</td></tr>";
            });
            h += "</table>";
            if (p.targets.length) {
              h += '<div class="verdict">';
              p.targets.forEach(function (t) { h += "Target " + esc(t[0]) + ": " + (t[1] === "1" ? '<span class="ok">met</span>' : '<span class="no">not met</span>') + "<br>"; });
              h += "</div>";
            } else if (p.covered_4g_5g) {
              h += '<div class="verdict">4G/5G: ' + yes(p.covered_4g_5g) + "</div>";
            }
            var ev = [];
            if (p.serving_transmitter) ev.push("served by " + esc(p.serving_transmitter) + " (site " + esc(p.serving_site) + ")");
            if (p.nearest_site) ev.push("nearest site " + esc(p.nearest_site) + " at " + esc(p.nearest_site_km) + " km");
            if (ev.length) h += '<div class="evidence">Evidence: ' + ev.join("; ") + "</div>";
            return h;
          }
          function villageMet(p) {
            if (p.targets.length) return p.targets.every(function (t) { return t[1] !== "0"; });
            return p.covered_4g_5g !== "0";
          }

          function shareColor(share, min) {
            if (share === "") return "#bdbdbd";
            var s = parseFloat(share), m = min === "" ? 1 : parseFloat(min);
            if (s >= m) return "#2c7bb6";
            if (s >= m - 0.05) return "#abd9e9";
            if (s >= m - 0.2) return "#fdae61";
            return "#7b2d8e";
          }
          var unitTarget = M.unitTarget;
          function unitTargetRow(p) {
            for (var i = 0; i < p.targets.length; i++) if (p.targets[i][0] === unitTarget) return p.targets[i];
            return [unitTarget, "", "", "", ""];
          }
          function unitPopup(p, f_isPoint) {
            var h = '<div class="title">' + esc(p.name) + "</div>" + esc(p.level) + (p.parent ? " of " + esc(p.parent) : "") +
              "<br>" + esc(p.villages) + " villages, population " + esc(p.population) + '<table class="fig"><tr><th>target</th><th>share</th><th>min</th><th>achieved</th><th>population missing</th></tr>';
            p.targets.forEach(function (t) {
              h += "<tr><td>" + esc(t[0]) + '</td><td class="num">' + esc(t[1]) + '</td><td class="num">' + esc(t[2]) + "</td><td>" + yes(t[3]) + '</td><td class="num">' + esc(t[4]) + "</td></tr>";
            });
            return h + "</table>" + (f_isPoint ? '<div class="note">Drawn at its villages\' population-weighted centre (no boundary given).</div>' : "");
          }
          function units(data, label, scale) {
            if (!data) return;
            overlays[label] = L.geoJSON(data, {
              style: function (f) {
                var t = unitTargetRow(f.properties);
                return { color: "#222", weight: label.indexOf("District") === 0 ? 2.5 : 1, dashArray: "4 3", fillColor: shareColor(t[1], t[2]), fillOpacity: 0.35, className: "unit unit-" + (f.properties.level || "other") };
              },
              pointToLayer: function (f, ll) {
                var t = unitTargetRow(f.properties), pop = parseFloat(f.properties.population) || 0;
                return L.circleMarker(ll, { radius: Math.max(5, Math.sqrt(pop) / scale), color: "#222", weight: 2, dashArray: "4 3", fillColor: shareColor(t[1], t[2]), fillOpacity: 0.5, className: "unit unit-" + (f.properties.level || "other") });
              },
              onEachFeature: function (f, l) { l.bindPopup(unitPopup(f.properties, f.geometry.type === "Point")); l.bindTooltip(esc(f.properties.name)); }
            }).addTo(map);
          }
          units(window.TANSO_DISTRICTS, "Districts (" + unitTarget + ")", 25);
          units(window.TANSO_COMMUNES, "Communes (" + unitTarget + ")", 30);

          if (window.TANSO_ZONES) {
            overlays["Zones (5G target)"] = L.geoJSON(TANSO_ZONES, {
              style: function (f) {
                var p = f.properties, met = Object.keys(p).filter(function (x) { return /^target_/.test(x) && !/_area_share$/.test(x); });
                var ok = met.length ? met.every(function (x) { return p[x] !== "0"; }) : true;
                return { color: ok ? "#1a9641" : "#d7191c", weight: 2, fillOpacity: 0.2 };
              },
              onEachFeature: function (f, l) {
                var p = f.properties, h = '<div class="title">' + esc(p.name) + "</div>" + esc(p.kind) + ", " + esc(p.area_km2) + " km²<table class=\"fig\">";
                Object.keys(p).filter(function (k) { return /^(share_[2-5]G|target_)/.test(k); }).forEach(function (k) { h += "<tr><td>" + esc(k) + '</td><td class="num">' + esc(p[k]) + "</td></tr>"; });
                l.bindPopup(h + "</table>");
              }
            }).addTo(map);
          }

          var severity = { critical: "#b2182b", high: "#ef6548", medium: "#fdae61", low: "#fee08b" };
          function findingPopup(p) {
            var h = '<div class="title">' + esc(p.kind || "finding") + (p.severity ? " (" + esc(p.severity) + ")" : "") + "</div>";
            ["a_id", "b_id", "c_id", "id"].forEach(function (k) { if (p[k]) h += esc(k) + ": " + esc(p[k]) + "<br>"; });
            return h + '<div class="explanation">' + esc(p.explanation || p.reason || "") + "</div>";
          }
          if (window.TANSO_CONFLICTS) {
            overlays["Conflicts (register)"] = L.geoJSON(TANSO_CONFLICTS, {
              style: function (f) { return { color: severity[f.properties.severity] || "#7b3294", weight: 3, dashArray: f.properties.kind === "intermodulation" ? "6 4" : null }; },
              pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 6, color: "#7b3294" }); },
              onEachFeature: function (f, l) { l.bindPopup(findingPopup(f.properties)); }
            }).addTo(map);
          }
          if (window.TANSO_OUT_OF_PLAN) {
            overlays["Out of the band plan"] = L.geoJSON(TANSO_OUT_OF_PLAN, {
              pointToLayer: function (f, ll) { return L.circleMarker(ll, { radius: 7, color: "#7b3294", weight: 3, fillOpacity: 0.1 }); },
              onEachFeature: function (f, l) { l.bindPopup(findingPopup(f.properties)); }
            }).addTo(map);
          }
          var verdictColor = { pass: "#1a9641", approve: "#1a9641", review: "#ff8c00", fail: "#d7191c", reject: "#d7191c" };
          if (window.TANSO_PROPOSALS) {
            overlays["Sharing proposals"] = L.geoJSON(TANSO_PROPOSALS, {
              pointToLayer: function (f, ll) {
                return L.marker(ll, { icon: L.divIcon({ className: "proposal", html: '<div style="width:14px;height:14px;transform:rotate(45deg);border:2px solid #222;background:' + (verdictColor[f.properties.verdict] || "#888") + '"></div>', iconSize: [18, 18] }) });
              },
              onEachFeature: function (f, l) {
                var p = f.properties, h = '<div class="title">Proposal ' + esc(p.id) + "</div>" + esc(p.operator) + ", " + esc(p.kind) + ", tower " + esc(p.tower) +
                  '<br>Verdict: <span class="' + esc(p.verdict) + '">' + esc(p.verdict) + '</span><table class="fig">';
                p.checks.forEach(function (c) { h += "<tr><td>" + esc(c[0]) + "</td><td>" + esc(c[1]) + "</td><td>" + esc(c[2]) + "</td></tr>"; });
                l.bindPopup(h + "</table>", { maxWidth: 480 });
              }
            }).addTo(map);
          }

          var markers = {};
          overlays["Villages"] = L.geoJSON(TANSO_VILLAGES, {
            pointToLayer: function (f, ll) {
              var ok = villageMet(f.properties);
              return L.circleMarker(ll, { radius: ok ? 4 : 6, color: ok ? "#333" : "#7f0000", weight: 1, fillColor: ok ? "#f0f0f0" : "#e41a1c", fillOpacity: 0.9, className: "village village-" + f.properties.id });
            },
            onEachFeature: function (f, l) { markers[f.properties.id] = l; l.bindPopup(villagePopup(f.properties), { maxWidth: 420 }); l.bindTooltip(esc(f.properties.name)); }
          }).addTo(map);

          L.control.layers(null, overlays, { collapsed: false }).addTo(map);
          L.control.scale({ metric: true, imperial: false }).addTo(map);

          var legend = L.control({ position: "bottomright" });
          legend.onAdd = function () {
            var d = L.DomUtil.create("div", "panel legend"), h = '<div class="title">' + esc(M.title) + "</div><h4>Best signal (dBm)</h4>";
            M.signalClasses.forEach(function (c, i) {
              var upper = i === 0 ? "" : " to " + M.signalClasses[i - 1].min;
              h += '<div class="row"><span class="sw" style="background:' + c.color + '"></span>' + (i === 0 ? "≥ " + c.min : c.min + upper) + "</div>";
            });
            if (window.TANSO_COMMUNES) {
              h += "<h4>Target " + esc(unitTarget) + " (communes, districts)</h4>";
              [["#2c7bb6", "met"], ["#abd9e9", "within 5 points of the target"], ["#fdae61", "within 20 points"], ["#7b2d8e", "further"]].forEach(function (r) {
                h += '<div class="row"><span class="dot" style="background:' + r[0] + '"></span>' + r[1] + "</div>";
              });
            }
            h += '<h4>Villages</h4><div class="row"><span class="dot" style="background:#f0f0f0"></span>meets the targets</div><div class="row"><span class="dot" style="background:#e41a1c"></span>misses a target</div>';
            M.notes.forEach(function (n) { h += '<div class="note">' + esc(n) + "</div>"; });
            d.innerHTML = h;
            return d;
          };
          legend.addTo(map);

          // Search: case, accents and đ/Đ folded, so that "Phu Huu" finds "Phú Hữu".
          function fold(s) { return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim(); }
          var index = TANSO_VILLAGES.features.map(function (f) { return { key: fold(f.properties.name), f: f }; });
          var input = document.getElementById("search-input"), list = document.getElementById("search-results");
          L.DomEvent.disableClickPropagation(document.getElementById("search"));
          function show(f) {
            var m = markers[f.properties.id];
            map.setView(m.getLatLng(), Math.max(map.getZoom(), M.maxZoom));
            m.openPopup();
          }
          input.addEventListener("input", function () {
            var q = fold(input.value);
            list.innerHTML = "";
            if (q.length < 2) return;
            index.filter(function (e) { return e.key.indexOf(q) >= 0; }).slice(0, 50).forEach(function (e) {
              var li = document.createElement("li");
              li.textContent = e.f.properties.name + " (" + e.f.properties.commune + ", " + e.f.properties.district + ")";
              li.setAttribute("data-id", e.f.properties.id);
              li.addEventListener("click", function () { show(e.f); });
              list.appendChild(li);
            });
          });
          input.addEventListener("keydown", function (ev) { if (ev.key === "Enter" && list.firstChild) list.firstChild.click(); });
          window.tansoMap = { map: map, markers: markers, fold: fold, overlays: overlays };
        })();

        """#
}
