/* window.essShapes: territory shapes fetched once per frame, then styled.
 * See ess_geo/maps/shapes.py. A layer spec gives the shape files' URLs
 * (coarse and display details), the positions of the territories to draw
 * and their properties (c colour, t tooltip HTML already escaped, r click
 * ref, d dash). The decoded shapes stay in this frame across reruns: a
 * filter change only sends new properties. */
window.essShapes = window.essShapes || (function () {
    var files = {};

    function load(url) {
        if (!files[url]) {
            files[url] = fetch(url).then(function (response) {
                if (!response.ok) { throw new Error(url + ": " + response.status); }
                return response.json();
            }).then(function (data) {
                return {q: data.q, s: data.s, cache: []};
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

    function layer(spec, map) {
        var group = L.featureGroup();
        var detail = null;
        var wanted = function () {
            return map.getZoom() >= spec.zoom ? "display" : "coarse";
        };
        var draw = function () {
            var target = wanted();
            if (target === detail) { return; }
            detail = target;
            load(spec.urls[target]).then(function (file) {
                if (detail !== target) { return; }
                group.clearLayers();
                for (var n = 0; n < spec.p.length; n++) {
                    group.addLayer(shape(file, n));
                }
                window.essDrawn = (window.essDrawn || 0) + 1;  // tests, bench
                group.fire("essdrawn");
            }).catch(function (error) { console.error(error); });
        };
        var shape = function (file, n) {
            var p = (spec.props && spec.props[n]) || {};
            var style = Object.assign({}, spec.style, {
                interactive: spec.interactive, smoothFactor: 0.5
            });
            if (spec.canvas) { style.renderer = window.essCanvas; }
            if (p.c) { style.fillColor = p.c; }
            if (p.d) { style.dashArray = p.d; }
            var polygon = L.polygon(latlngs(file, spec.p[n]), style);
            if (spec.interactive) {
                if (p.t) { polygon.bindTooltip(p.t, {sticky: true}); }
                if (p.r) {
                    polygon.toGeoJSON = function () {
                        return {type: "Feature", geometry: null, properties: {ref: p.r}};
                    };
                }
                if (spec.highlight) {
                    polygon.on("mouseover", function () { polygon.setStyle(spec.highlight); });
                    polygon.on("mouseout", function () { polygon.setStyle(style); });
                }
            }
            return polygon;
        };
        group.on("add", function () { map.on("zoomend", draw); draw(); });
        group.on("remove", function () { map.off("zoomend", draw); });
        return group;
    }

    return {layer: layer, load: load};
})();
