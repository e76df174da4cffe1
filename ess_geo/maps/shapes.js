/* window.essShapes: territory shapes fetched once per frame, then restyled.
 * See ess_geo/maps/shapes.py. A layer spec gives the shape files' URLs
 * (coarse and display details), the positions of the territories to draw
 * and their properties (c colour, t tooltip HTML already escaped, r click
 * ref, d dash; or v, the values of the tooltip's lines, composed here with
 * the territory's name from the file and the spec's labels, the ref then
 * made of spec.ref and the file's code; a file of its own may also carry
 * t, r and d per shape: shapes.geometry_urls). The decoded shapes stay in
 * this frame across reruns.
 *
 * The polygons themselves stay on the map too. streamlit-folium removes
 * every feature group, then adds the new ones, in one go: the layer a spec
 * makes is a light stand-in that claims a "slot" (same shape files, style
 * and renderer, in the same order) when added and gives it up when
 * removed. Slots given up and not claimed again in the same update are
 * removed from the map once the update is over. A slot claimed again keeps
 * its polygons: only their colours, tooltip texts and refs change, and only
 * the territories that come into view are built, so a filter change no
 * longer rebuilds and re-projects 1,600 polygons. A slot has one tooltip
 * whose text is the hovered polygon's. */
window.essShapes = window.essShapes || (function () {
    var files = {};
    var slots = {};       // key -> {key, map, group, polys: {position: polygon}, …}
    var order = [];       // the slots of the latest update, in drawing order
    var counts = {};      // how many slots of each kind the latest update claimed
    var pending = false;  // an update is under way (flushed after it)
    // The frame's first drawing shows its first slot (the choropleth) at
    // once, lets the browser paint it, then draws the others (outlines,
    // networks): their files are often there already, and drawing them all
    // in the same task delayed the first picture.
    var gate = null, gateOpen = false;

    function afterFirstPaint(ready) {
        if (gateOpen) { return ready; }
        if (!gate) {
            gate = ready.catch(function () {}).then(function () {
                return new Promise(function (open) {
                    requestAnimationFrame(function () {
                        setTimeout(function () { gateOpen = true; open(); }, 0);
                    });
                });
            });
            return ready;
        }
        return Promise.all([ready, gate]).then(function (both) { return both[0]; });
    }

    function fetchJson(url) {
        return fetch(url).then(function (response) {
            if (!response.ok) { throw new Error(url + ": " + response.status); }
            return response.json();
        });
    }

    function load(url) {
        if (!files[url]) {
            // Started before Leaflet loaded (shapes.prefetch_url), if it was.
            var early = window.essPrefetch && window.essPrefetch[url];
            var data = early
                ? early.catch(function () { return fetchJson(url); })
                : fetchJson(url);
            files[url] = data.then(function (data) {
                return {q: data.q, s: data.s, k: data.k, n: data.n, t: data.t,
                        r: data.r, d: data.d, cache: []};
            });
        }
        return files[url];
    }

    function latlngs(file, i) {
        var done = file.cache[i];
        if (done) { return done; }
        var q = file.q, shape = file.s[i] || [], out = [];
        for (var p = 0; p < shape.length; p++) {
            var rings = [];
            for (var r = 0; r < shape[p].length; r++) {
                var codes = shape[p][r], x = 0, y = 0, ring = new Array(codes.length / 2);
                for (var k = 0; k < codes.length; k += 2) {
                    x += codes[k]; y += codes[k + 1];
                    ring[k / 2] = [y * q, x * q];
                }
                rings.push(ring);
            }
            out.push(rings);
        }
        file.cache[i] = out;
        return out;
    }

    // After streamlit-folium's removals and additions: drop the slots that
    // no stand-in holds any more.
    function flush() {
        pending = false;
        counts = {};
        Object.keys(slots).forEach(function (key) {
            var slot = slots[key];
            if (slot.holder) { return; }
            slot.map.off("zoomend", slot.onZoom);
            slot.map.removeLayer(slot.group);
            delete slots[key];
        });
    }

    function begin() {
        if (pending) { return; }
        pending = true;
        order = [];
        setTimeout(flush, 0);
    }

    // A tooltip from the file's (escaped) name and the spec's (escaped)
    // labels and values: see shapes.tooltip_html.
    function tip(spec, file, position, p) {
        if (p.t) { return p.t; }
        if (file.t && file.t[position]) { return file.t[position]; }
        if (!spec.labels || !p.v || !file.n) { return null; }
        var html = "<strong>" + file.n[position] + "</strong>";
        for (var i = 0; i < spec.labels.length; i++) {
            html += "<br>" + spec.labels[i] + " : " + p.v[i];
        }
        return html;
    }

    function paint(slot, polygon, p, file, position) {
        var style = Object.assign({}, slot.spec.style);
        var dash = p.d || (file.d && file.d[position]);
        if (p.c) { style.fillColor = p.c; }
        if (dash) { style.dashArray = dash; }
        var token = JSON.stringify(style);
        if (polygon._essToken !== token) {
            polygon._essToken = token;
            polygon._essStyle = style;
            polygon.setStyle(style);
        }
        var spec = slot.spec;
        polygon._essRef = p.r || (file.r && file.r[position])
            || (spec.ref && file.k ? spec.ref + ":" + file.k[position] : null);
        polygon._essTip = tip(spec, file, position, p);  // the slot's one tooltip reads it
    }

    function build(slot, file, position) {
        var spec = slot.spec;
        var options = Object.assign({}, spec.style, {
            interactive: spec.interactive, smoothFactor: 0.5
        });
        if (spec.canvas) { options.renderer = window.essCanvas; }
        var rings = latlngs(file, position);
        var polygon = spec.lines
            ? L.polyline([].concat.apply([], rings), options)  // every ring, as lines
            : L.polygon(rings, options);
        polygon._essSlot = true;
        if (spec.interactive) {
            polygon.toGeoJSON = function () {
                return {type: "Feature", geometry: null,
                        properties: {ref: polygon._essRef}};
            };
            polygon.on("mouseover", function () {
                if (slot.spec.highlight) { polygon.setStyle(slot.spec.highlight); }
            });
            polygon.on("mouseout", function () {
                if (slot.spec.highlight) { polygon.setStyle(polygon._essStyle); }
            });
        }
        return polygon;
    }

    // Keep the drawing order when a slot gains polygons (they come after
    // the fetch, so they would be drawn over everything added meanwhile):
    // the later slots of the update, then every vector layer drawn inline
    // (circles, a selection's outline, actors), above the shapes.
    function raiseAfter(slot) {
        var at = order.indexOf(slot);
        for (var i = at + 1; at >= 0 && i < order.length; i++) {
            if (slots[order[i].key] === order[i]) { order[i].group.bringToFront(); }
        }
        slot.map.eachLayer(function (layer) {
            if (layer instanceof L.Path && !layer._essSlot) { layer.bringToFront(); }
        });
    }

    function draw(slot) {
        var spec = slot.spec, map = slot.map;
        var detail = map.getZoom() >= spec.zoom ? "display" : "coarse";
        var token = slot.token = (slot.token || 0) + 1;
        afterFirstPaint(load(spec.urls[detail])).then(function (file) {
            if (slot.token !== token || slots[slot.key] !== slot) { return; }
            if (slot.detail !== detail) {
                slot.group.clearLayers();
                slot.polys = {};
                slot.detail = detail;
            }
            var kept = {}, added = false;
            for (var n = 0; n < spec.p.length; n++) {
                var position = spec.p[n];
                var polygon = slot.polys[position];
                if (!polygon) {
                    polygon = slot.polys[position] = build(slot, file, position);
                    slot.group.addLayer(polygon);
                    added = true;
                }
                paint(slot, polygon, (spec.props && spec.props[n]) || {}, file, position);
                kept[position] = true;
            }
            Object.keys(slot.polys).forEach(function (position) {
                if (!kept[position]) {
                    slot.group.removeLayer(slot.polys[position]);
                    delete slot.polys[position];
                }
            });
            if (added) { raiseAfter(slot); }
            window.essDrawn = (window.essDrawn || 0) + 1;  // tests, bench
            requestAnimationFrame(function () {  // after Leaflet's redraw
                window.essPainted = (window.essPainted || 0) + 1;
            });
        }).catch(function (error) { console.error(error); });
    }

    function claim(holder, map) {
        begin();
        var spec = holder.spec;
        var kind = [spec.urls.coarse, JSON.stringify(spec.style), spec.interactive,
                    spec.canvas, !!spec.lines].join("|");
        counts[kind] = (counts[kind] || 0) + 1;
        var key = kind + "#" + counts[kind];
        var slot = slots[key];
        if (!slot) {
            slot = slots[key] = {key: key, map: map, group: L.featureGroup(), polys: {}};
            if (spec.interactive) {
                // One tooltip for the slot, not one per polygon: its text is
                // the hovered polygon's.
                slot.group.bindTooltip(function (polygon) {
                    return polygon._essTip || "";
                }, {sticky: true});
            }
            slot.onZoom = function () { draw(slot); };
            map.on("zoomend", slot.onZoom);
            slot.group.addTo(map);
        }
        slot.holder = holder;
        slot.spec = spec;
        holder.slot = slot;
        order.push(slot);
        draw(slot);
    }

    function release(holder) {
        var slot = holder.slot;
        if (slot && slot.holder === holder) {
            slot.holder = null;
            begin();
        }
    }

    var Holder = L.Layer.extend({
        initialize: function (spec) { this.spec = spec; },
        onAdd: function (map) { claim(this, map); },
        onRemove: function () { release(this); },
        getBounds: function () {
            return this.slot ? this.slot.group.getBounds() : L.latLngBounds([]);
        }
    });

    function layer(spec) { return new Holder(spec); }

    return {layer: layer, load: load, slots: function () { return slots; }};
})();
