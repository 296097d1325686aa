// therapy-kg map page: legend and filters, search, neighbourhood highlight, presentation mode.
// Every string from the data reaches the page through textContent or canvas text, never as HTML.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const byId = (id) => document.getElementById(id);
  const hiddenClasses = new Set();
  const hiddenRelations = new Set((data.legend.relations || []).filter((r) => !r.shown).map((r) => r.name));
  const labelOf = new Map(data.nodes.map((n) => [n.id, n.label]));
  const titleOf = new Map(data.nodes.map((n) => [n.id, n.title]));
  const relationStyle = new Map((data.legend.relations || []).map((r) => [r.name, r]));
  const groups = data.options.groups || {};
  // Edges arrive compact (ends, relation, source numbers, a quote); style and tooltip text are made here.
  const edgeRecords = data.edges.map((e, index) => {
    const style = relationStyle.get(e.relation) || { color: "#999999", dashes: false, width: 1, arrows: "to" };
    const lines = [`${labelOf.get(e.from)} ${style.phrase || e.relation} ${labelOf.get(e.to)}`];
    if (e.s && e.s.length) lines.push("Source: " + e.s.map((i) => data.sources[i]).join(", "));
    if (e.quote) lines.push(`Evidence: \u201c${e.quote}\u201d`);
    return {
      id: index, from: e.from, to: e.to, relation: e.relation, title: lines.join("\n"),
      color: { color: style.color, highlight: style.color, hover: style.color, opacity: 0.9 },
      dashes: style.dashes, width: style.width, arrows: style.arrows,
    };
  });
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(edgeRecords);
  // A story step may show only some classes and relations (its own entities always stay): null = no limit.
  let stepLimit = { classes: null, relations: null, keep: new Set() };
  let revealedUntil = null; // time slider: show only entities dated before this year (null: all)
  const nodeView = new vis.DataView(nodes, { filter: (n) => !hiddenClasses.has(n.group)
    && (!stepLimit.classes || stepLimit.classes.has(n.group) || stepLimit.keep.has(n.id))
    && (revealedUntil === null || (n.yr !== undefined && n.yr < revealedUntil)) });
  const edgeView = new vis.DataView(edges, { filter: (e) => !hiddenRelations.has(e.relation)
    && (!stepLimit.relations || stepLimit.relations.has(e.relation)) });
  const container = byId("map");
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  const originalColours = new Map(data.nodes.map((n) => [n.id, n.color || (groups[n.group] || {}).color]));
  const groupFonts = new Map(data.nodes.map((n) => [n.id, { ...((groups[n.group] || {}).font || {}), ...(n.font || {}) }]));
  const originalEdgeColours = new Map(edgeRecords.map((e) => [e.id, e.color]));
  const DIMMED = { background: "rgba(200,200,200,0.35)", border: "rgba(160,160,160,0.35)" };
  const PRESENTER_CSS = `body { margin: 0; font-family: system-ui, "DejaVu Sans", Arial, sans-serif; background: #14202e;
    color: #f2f2f2; display: grid; grid-template-rows: auto 1fr auto auto; height: 100vh; }
    #p-top { display: flex; gap: 24px; padding: 10px 20px; font-size: 20px; background: #0c141d; }
    #p-clock { margin-left: auto; font-variant-numeric: tabular-nums; }
    #p-black { color: #ffcc66; } [hidden] { display: none !important; }
    #p-now { padding: 10px 24px; overflow: auto; } #p-title { font-size: 34px; margin: 6px 0; }
    #p-caption { font-size: 20px; opacity: .85; margin: 0 0 12px; white-space: pre-line; }
    #p-notes { font: 26px/1.4 system-ui, "DejaVu Sans", Arial, sans-serif; white-space: pre-wrap; margin: 0;
      color: #fff8d8; }
    #p-next { padding: 10px 24px; background: #1e2d3f; } #p-next-title { font-size: 22px; margin: 0 0 4px; }
    #p-next-caption { font-size: 17px; opacity: .8; margin: 0; }
    #p-keys { padding: 6px 20px; font-size: 14px; opacity: .7; }`;
  const READABLE_PX = 16; // labels open at least this tall (CSS px): 14 px is the least a room can read
  const LABEL_STEP = 1.2; // + and - multiply or divide label size by this
  let labelScale = 1;
  let highlighted = null;
  let currentFocus = data.focus || null;
  const fontOf = (id) => ({ ...groupFonts.get(id), size: (groupFonts.get(id).size || 20) * labelScale });
  const dimmedFont = (id) => ({ color: "rgba(120,120,120,0.45)", strokeWidth: 0, size: fontOf(id).size });

  // Exposed for tests, benchmarks and curious trainers in the console.
  window.network = network;
  window.tkgMap = { nodes, edges, nodeView, edgeView, story: data.story, step: 0 };

  let landing = null; // vis.js eases to just short of the target; land exactly once the animation ends
  network.on("animationFinished", () => {
    if (landing) {
      const exact = landing;
      landing = null;
      network.moveTo(exact);
    }
    delete document.body.dataset.moving;
  });
  network.once("afterDrawing", () => {
    document.body.dataset.ready = "true";
  });

  // ---- guides drawn behind the map: year axis and family bands (lineage layout)
  const guides = data.guides || {};
  const TICK_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 250, 500];
  const TICK_GAP_PX = 80; // year labels at least this far apart on screen: they never overlap
  function visibleRect() {
    const box = container.getBoundingClientRect();
    const a = network.DOMtoCanvas({ x: 0, y: 0 });
    const b = network.DOMtoCanvas({ x: box.width, y: box.height });
    return { left: a.x, top: a.y, right: b.x, bottom: b.y, scale: network.getScale() };
  }
  function tickYears(from, to, scale) {
    // Years between two canvas x positions, spaced so their labels stay TICK_GAP_PX apart at this scale.
    const perYear = guides.perYear || 1;
    const step = TICK_STEPS.find((s) => s * perYear * scale >= TICK_GAP_PX) || 1000;
    const first = Math.ceil((guides.origin + from / perYear) / step) * step;
    const years = [];
    for (let year = first; (year - guides.origin) * perYear <= to && years.length < 200; year += step) years.push(year);
    return years;
  }
  const xOfYear = (year) => (year - guides.origin) * guides.perYear;
  const hasAxis = Boolean(guides.ticks && guides.ticks.length && guides.perYear);
  if (hasAxis || (guides.bands && guides.bands.length)) {
    network.on("beforeDrawing", (ctx) => {
      const ticks = guides.ticks || [];
      const bands = guides.bands || [];
      const view = visibleRect();
      const top = bands.length ? bands[0].top - 80 : -200;
      const bottom = bands.length ? bands[bands.length - 1].bottom + 60 : 200;
      const left = ticks.length ? ticks[0].x - 120 : -200;
      const right = ticks.length ? ticks[ticks.length - 1].x + 120 : 200;
      ctx.save();
      bands.forEach((band, index) => {
        if (index % 2 === 0) {
          ctx.fillStyle = "rgba(0,0,0,0.035)";
          ctx.fillRect(left - 400, band.top, right - left + 400, band.bottom - band.top);
        }
        ctx.fillStyle = "#555555";
        ctx.font = "bold 26px sans-serif";
        ctx.textBaseline = "middle";
        const middle = (band.top + band.bottom) / 2;
        if (left - 20 - ctx.measureText(band.title).width >= view.left) {
          ctx.textAlign = "right";
          ctx.fillText(band.title, left - 20, middle);
        } else if (middle > view.top && middle < view.bottom) { // zoomed in: the title keeps to the left edge
          ctx.font = `bold ${16 / view.scale}px sans-serif`;
          ctx.textAlign = "left";
          ctx.fillStyle = "rgba(85,85,85,0.8)";
          ctx.fillText(band.title, view.left + 10 / view.scale, Math.max(band.top, view.top + 48 / view.scale));
        }
      });
      if (hasAxis) {
        ctx.strokeStyle = "rgba(0,0,0,0.12)";
        ctx.lineWidth = 1 / view.scale;
        ctx.fillStyle = "#444444";
        ctx.font = `${Math.max(22, 15 / view.scale)}px sans-serif`;
        ctx.textAlign = "center";
        tickYears(Math.max(left, view.left), Math.min(right, view.right), view.scale).forEach((year) => {
          const x = xOfYear(year);
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, bottom);
          ctx.stroke();
          ctx.textBaseline = "bottom";
          ctx.fillText(String(year), x, top - 6);
          ctx.textBaseline = "top";
          ctx.fillText(String(year), x, bottom + 6);
        });
      }
      ctx.restore();
    });
  }
  function yearTicks() {
    // The year labels on screen now, as [{year, x}] (x: CSS px from the map's left edge), from the drawn axis or,
    // when that is out of sight, the strip along the top. Empty without a year axis.
    if (!hasAxis) return [];
    const view = visibleRect();
    const ticks = guides.ticks;
    const from = Math.max(view.left, ticks[0].x - 120);
    const to = Math.min(view.right, ticks[ticks.length - 1].x + 120);
    const axisTop = (guides.bands && guides.bands.length ? guides.bands[0].top : 0) - 80;
    const years = axisTop - 30 >= view.top ? tickYears(from, to, view.scale) : tickYears(view.left, view.right, view.scale);
    return years.map((year) => ({ year, x: network.canvasToDOM({ x: xOfYear(year), y: 0 }).x }));
  }
  if (hasAxis) {
    // The year axis stays on screen: a strip along the top of the view whenever the drawn axis is out of sight.
    network.on("afterDrawing", (ctx) => {
      const bands = guides.bands || [];
      const view = visibleRect();
      const top = bands.length ? bands[0].top - 80 : -200;
      if (top - 30 >= view.top) return;
      const height = 30 / view.scale;
      ctx.save();
      ctx.fillStyle = "rgba(255,255,255,0.88)";
      ctx.fillRect(view.left, view.top, view.right - view.left, height);
      ctx.fillStyle = "#333333";
      ctx.font = `${16 / view.scale}px sans-serif`;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.strokeStyle = "rgba(0,0,0,0.35)";
      ctx.lineWidth = 1 / view.scale;
      tickYears(view.left, view.right, view.scale).forEach((year) => {
        const x = xOfYear(year);
        ctx.fillText(String(year), x, view.top + height / 2);
        ctx.beginPath();
        ctx.moveTo(x, view.top + height - 6 / view.scale);
        ctx.lineTo(x, view.top + height);
        ctx.stroke();
      });
      ctx.restore();
    });
  }

  // ---- legend doubling as class / relation filters
  function legendItem(list, text, count, swatch, onToggle, shown = true) {
    const item = document.createElement("li");
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = shown;
    box.addEventListener("change", () => onToggle(box.checked));
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = text;
    const number = document.createElement("span");
    number.className = "count";
    number.textContent = String(count);
    label.append(box, swatch, name, number);
    item.append(label);
    list.append(item);
    return box;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function classSwatch(entry) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "22");
    svg.setAttribute("viewBox", "0 0 22 22");
    const shapes = {
      box: ["rect", { x: 2, y: 5, width: 18, height: 12, rx: 3 }],
      ellipse: ["ellipse", { cx: 11, cy: 11, rx: 10, ry: 7 }],
      dot: ["circle", { cx: 11, cy: 11, r: 8 }],
      square: ["rect", { x: 3, y: 3, width: 16, height: 16 }],
      triangle: ["polygon", { points: "11,2 20,19 2,19" }],
      triangleDown: ["polygon", { points: "2,3 20,3 11,20" }],
      diamond: ["polygon", { points: "11,1 21,11 11,21 1,11" }],
      hexagon: ["polygon", { points: "6,2 16,2 21,11 16,20 6,20 1,11" }],
      star: ["polygon", { points: "11,1 13.5,8 21,8 15,12.5 17,20 11,15.5 5,20 7,12.5 1,8 8.5,8" }],
    };
    const [tag, attributes] = shapes[entry.shape] || shapes.dot;
    const shape = document.createElementNS(SVG, tag);
    Object.entries(attributes).forEach(([k, v]) => shape.setAttribute(k, String(v)));
    shape.setAttribute("fill", entry.color);
    shape.setAttribute("stroke", "#333333");
    svg.append(shape);
    return svg;
  }
  function relationSwatch(entry) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "40");
    svg.setAttribute("height", "14");
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "1");
    line.setAttribute("y1", "7");
    line.setAttribute("x2", "39");
    line.setAttribute("y2", "7");
    line.setAttribute("stroke", entry.color);
    line.setAttribute("stroke-width", String(Math.max(2, entry.width)));
    if (Array.isArray(entry.dashes)) line.setAttribute("stroke-dasharray", entry.dashes.join(" "));
    svg.append(line);
    return svg;
  }
  (data.legend.classes || []).forEach((entry) => {
    legendItem(byId("legend-classes"), entry.plural, entry.count, classSwatch(entry), (shown) => {
      shown ? hiddenClasses.delete(entry.name) : hiddenClasses.add(entry.name);
      nodeView.refresh();
    });
  });
  (data.legend.relations || []).forEach((entry) => {
    legendItem(byId("legend-relations"), entry.phrase, entry.count, relationSwatch(entry), (shown) => {
      shown ? hiddenRelations.delete(entry.name) : hiddenRelations.add(entry.name);
      edgeView.refresh();
    }, entry.shown);
  });

  // ---- colour and size encodings (--colour-by, --size-by): a legend of what they mean
  const colourEntries = data.legend.colours || [];
  const sizeLegend = data.legend.size || {};
  if (colourEntries.length || sizeLegend.by) {
    byId("legend-encoding").hidden = false;
    byId("legend-colour-title").hidden = !colourEntries.length;
    colourEntries.forEach((entry) => {
      const item = document.createElement("li");
      const swatch = classSwatch({ shape: "dot", color: entry.color });
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = entry.name;
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = String(entry.count);
      const row = document.createElement("label");
      row.append(swatch, name, count);
      item.append(row);
      byId("legend-colours").append(item);
    });
    if (sizeLegend.by) {
      byId("legend-size").textContent = `Size: ${sizeLegend.label}; from ${sizeLegend.least} to ${sizeLegend.most} `
        + `(largest: ${sizeLegend.largest}).`;
    }
  }

  // ---- time slider (lineage layout): reveal the map decade by decade; undated entities come last, dashed
  const dated = data.nodes.filter((n) => n.yr !== undefined);
  const decades = [...new Set(dated.map((n) => Math.floor(n.yr / 10) * 10))].sort((a, b) => a - b);
  const slider = byId("timeline-decade");
  let playing = null;
  function revealTo(index, refresh = true) {
    const last = index >= decades.length;
    revealedUntil = last ? null : decades[index] + 10;
    slider.value = String(Math.min(index, decades.length));
    const undated = data.nodes.length - dated.length;
    byId("timeline-label").textContent = last
      ? `All${undated ? `, with ${undated} undated (dashed)` : ""}` : `Up to the ${decades[index]}s`;
    document.body.dataset.revealed = last ? "all" : String(decades[index]);
    if (refresh) nodeView.refresh();
  }
  function play() {
    if (playing) {
      clearInterval(playing);
      playing = null;
      byId("timeline-play").textContent = "\u25B6";
      return;
    }
    let index = Number(slider.value) >= decades.length ? 0 : Number(slider.value) + 1;
    revealTo(index);
    byId("timeline-play").textContent = "\u23F8";
    playing = setInterval(() => {
      index += 1;
      revealTo(index);
      if (index >= decades.length) play();
    }, 1200);
  }
  if (data.layout === "lineage" && decades.length > 1) {
    byId("timeline").hidden = false;
    slider.max = String(decades.length);
    slider.addEventListener("input", () => revealTo(Number(slider.value)));
    byId("timeline-play").addEventListener("click", play);
    revealTo(decades.length, false);
  }

  // ---- neighbourhood highlight and details
  function showDetails(id) {
    byId("details-text").textContent = titleOf.get(id) || "";
    byId("details").hidden = false;
  }
  function highlight(id) {
    highlighted = id;
    const keep = new Set([id, ...network.getConnectedNodes(id)]);
    const keepEdges = new Set(network.getConnectedEdges(id));
    nodes.update(data.nodes.map((n) => keep.has(n.id)
      ? { id: n.id, color: originalColours.get(n.id), font: fontOf(n.id) }
      : { id: n.id, color: DIMMED, font: dimmedFont(n.id) }));
    edges.update(edgeRecords.map((e) => ({
      id: e.id, color: keepEdges.has(e.id) ? originalEdgeColours.get(e.id) : { color: "rgba(180,180,180,0.2)" },
    })));
    document.body.dataset.highlight = id;
  }
  function clearHighlight() {
    if (highlighted === null) return;
    highlighted = null;
    nodes.update(data.nodes.map((n) => ({ id: n.id, color: originalColours.get(n.id), font: fontOf(n.id) })));
    edges.update(edgeRecords.map((e) => ({ id: e.id, color: originalEdgeColours.get(e.id) })));
    delete document.body.dataset.highlight;
  }
  network.on("click", (event) => {
    if (event.nodes.length) {
      highlight(event.nodes[0]);
      showDetails(event.nodes[0]);
    } else {
      clearHighlight();
      byId("details").hidden = true;
    }
  });
  byId("details-close").addEventListener("click", () => {
    byId("details").hidden = true;
  });

  // ---- views: fitting entities with margins, focusing (search results, story steps, the opening view)
  const LINEAGE = new Set(["subtypeOf", "derivedFrom", "groundedIn", "developedBy", "studentOf", "influencedBy",
    "collaboratedWith"]);
  const MARGIN_PX = 60; // free space around what a view fits
  function lineageNeighbours(id) {
    const linked = network.getConnectedEdges(id).map((e) => edges.get(e)).filter((e) => e);
    const lineage = linked.filter((e) => LINEAGE.has(e.relation));
    return (lineage.length ? lineage : linked).map((e) => (e.from === id ? e.to : e.from));
  }
  let measured = false; // label boxes are measured on the first draw; a view chosen before it measures them
  function boxOf(ids) {
    // Canvas-space box around the entities' shapes and labels.
    if (!measured) {
      network.body.emitter.emit("_resizeNodes");
      measured = true;
    }
    let box = null;
    ids.forEach((id) => {
      if (!network.body.nodes[id]) return;
      const b = network.getBoundingBox(id);
      box = box ? { left: Math.min(box.left, b.left), top: Math.min(box.top, b.top), right: Math.max(box.right, b.right),
        bottom: Math.max(box.bottom, b.bottom) } : { ...b };
    });
    return box;
  }
  function fitView(ids, maxScale, reserve = {}) {
    // The view showing every one of ``ids`` with MARGIN_PX around them, clear of ``reserve`` (px kept free at the
    // top and bottom for the year strip and the caption panel), no closer than ``maxScale``.
    const box = boxOf(ids);
    if (!box) return null;
    const frame = container.getBoundingClientRect();
    const top = MARGIN_PX + (reserve.top || 0);
    const bottom = MARGIN_PX + (reserve.bottom || 0);
    const width = Math.max(frame.width - 2 * MARGIN_PX, 50);
    const height = Math.max(frame.height - top - bottom, 50);
    const scale = Math.min(maxScale, width / Math.max(box.right - box.left, 1), height / Math.max(box.bottom - box.top, 1));
    return { position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 + (bottom - top) / (2 * scale) },
      scale };
  }
  function fontPixels(id) {
    const node = network.body.nodes[id];
    return node ? node.labelModule.fontOptions.size : (fontOf(id).size || 20);
  }
  function readableScale(id) {
    return READABLE_PX / fontPixels(id);
  }
  function moveView(view, duration) {
    document.body.dataset.moving = "true";
    landing = duration ? view : null;
    if (duration) network.moveTo({ ...view, animation: { duration, easingFunction: "easeInOutQuad" } });
    else {
      network.moveTo(view);
      delete document.body.dataset.moving;
    }
  }
  function revealClass(id) {
    if (hiddenClasses.has(nodes.get(id).group)) {
      hiddenClasses.delete(nodes.get(id).group);
      nodeView.refresh();
      document.querySelectorAll("#legend-classes input").forEach((box, i) => {
        if (data.legend.classes[i].name === nodes.get(id).group) box.checked = true;
      });
    }
  }
  function densestWindow(ids, scale, keep) {
    // At ``scale``, the screen-sized window (inside the margins) holding the most of ``ids``; centred on one of
    // them (every one, or an even sample of 200 on large maps), moved if need be so that ``keep`` stays inside.
    // Ties: nearer ``keep`` or, without it, the first.
    const frame = container.getBoundingClientRect();
    const top = MARGIN_PX + (hasAxis ? 30 : 0);
    const halfW = Math.max(frame.width - 2 * MARGIN_PX, 50) / (2 * scale);
    const halfH = Math.max(frame.height - top - MARGIN_PX, 50) / (2 * scale);
    const shift = (top - MARGIN_PX) / (2 * scale); // the window sits below the year strip
    const points = ids.filter((id) => network.body.nodes[id]).map((id) => network.getPosition(id));
    const anchor = keep ? network.getPosition(keep) : null;
    const inset = keep ? (network.getBoundingBox(keep).right - network.getBoundingBox(keep).left) / 2 : 0;
    let best = null;
    const stride = Math.max(1, Math.floor(points.length / 200)); // at most ~200 candidate centres: stays quick
    points.filter((_, index) => index % stride === 0).forEach((p) => {
      let x = p.x;
      let y = p.y;
      if (anchor) {
        x = Math.min(Math.max(x, anchor.x - halfW + inset), anchor.x + halfW - inset);
        y = Math.min(Math.max(y, anchor.y - halfH + 30 / scale), anchor.y + halfH - 30 / scale);
      }
      const count = points.filter((q) => Math.abs(q.x - x) <= halfW && Math.abs(q.y - y) <= halfH).length;
      const distance = anchor ? Math.hypot(x - anchor.x, y - anchor.y) : 0;
      if (!best || count > best.count || (count === best.count && distance < best.distance)) {
        best = { count, distance, x, y };
      }
    });
    if (!best) return null;
    return { position: { x: best.x, y: best.y - shift }, scale };
  }
  function focusView(id) {
    // The entity and its lineage neighbours if they fit readably, else as many of them as fit around the entity.
    const around = [id, ...lineageNeighbours(id)];
    const fitted = fitView(around, 1.1, { top: hasAxis ? 30 : 0 });
    const least = readableScale(id);
    if (fitted && fitted.scale >= least) return fitted;
    return densestWindow(around, least, id);
  }
  function focusOn(id, view) {
    revealClass(id);
    network.selectNodes([id]);
    highlight(id);
    currentFocus = id;
    document.body.dataset.focus = id;
    moveView(view || { position: network.getPosition(id), scale: Math.max(1.1, readableScale(id)) }, 500);
  }

  // ---- search by name or alias
  const searchIndex = data.nodes.map((n) => [n.id, [n.label, ...(n.aliases || [])].join(" | ").toLowerCase()]);
  const input = byId("search");
  const results = byId("search-results");
  function showResults() {
    const query = input.value.trim().toLowerCase();
    results.replaceChildren();
    if (!query) {
      results.hidden = true;
      return;
    }
    const matches = searchIndex.filter(([, text]) => text.includes(query)).slice(0, 12);
    matches.forEach(([id]) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = labelOf.get(id);
      button.addEventListener("click", () => {
        results.hidden = true;
        focusOn(id);
        showDetails(id);
      });
      item.append(button);
      results.append(item);
    });
    if (!matches.length) {
      const item = document.createElement("li");
      item.className = "none";
      item.textContent = "No match";
      results.append(item);
    }
    results.hidden = false;
  }
  input.addEventListener("input", showResults);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      const first = results.querySelector("button");
      if (first) first.click();
    } else if (event.key === "Escape") {
      input.value = "";
      showResults();
      input.blur();
    }
  });

  function wholeView() {
    // The whole map, including the year axis and band titles drawn around the nodes (vis.js fits nodes only).
    const ticks = guides.ticks || [];
    const bands = guides.bands || [];
    if (!ticks.length && !bands.length) return null;
    const xs = data.nodes.map((n) => n.x);
    const titleWidth = Math.max(0, ...bands.map((b) => b.title.length)) * 16 + 40;
    const left = Math.min(...xs, ...(ticks.length ? [ticks[0].x - 120] : [])) - titleWidth;
    const right = Math.max(...xs, ...(ticks.length ? [ticks[ticks.length - 1].x + 120] : [])) + 60;
    const top = (bands.length ? bands[0].top : Math.min(...data.nodes.map((n) => n.y))) - 120;
    const bottom = (bands.length ? bands[bands.length - 1].bottom : Math.max(...data.nodes.map((n) => n.y))) + 100;
    const box = container.getBoundingClientRect();
    const scale = Math.min(box.width / (right - left), box.height / (bottom - top), 1.2);
    return { position: { x: (left + right) / 2, y: (top + bottom) / 2 }, scale };
  }
  function showAll() {
    clearHighlight();
    network.unselectAll();
    moveView(wholeView() || fitView(data.nodes.map((n) => n.id), 1.2), 400);
    currentFocus = null;
    delete document.body.dataset.focus;
  }
  function openingView() {
    // Readable from the back of the room: the focus (and its lineage, if that fits readably); without one the
    // whole map if its labels are readable, else the densest family (or best-connected entity) chosen in Python.
    if (!data.nodes.length) return null;
    if (data.focus && nodes.get(data.focus)) return focusView(data.focus);
    const whole = wholeView() || fitView(data.nodes.map((n) => n.id), 1.2);
    const median = medianFont();
    if (!whole || whole.scale * median >= READABLE_PX || !(data.opening || []).length) return whole;
    const least = READABLE_PX / median;
    const fitted = fitView(data.opening, 1.1, { top: hasAxis ? 30 : 0 });
    if (fitted && fitted.scale >= least) return fitted;
    return densestWindow(data.opening, least, null); // wider than the screen: its most crowded stretch
  }
  function medianFont() {
    const sizes = network.body.nodeIndices.map((id) => network.body.nodes[id].labelModule.fontOptions.size).sort((a, b) => a - b);
    return sizes.length ? sizes[Math.floor(sizes.length / 2)] : 20;
  }
  const firstView = openingView();
  if (firstView) moveView(firstView, 0);
  byId("fit").addEventListener("click", showAll);

  // ---- label size: + and - (readable from the back of the room, or small enough to see the whole)
  function setLabelScale(value) {
    labelScale = Math.min(4, Math.max(0.4, value));
    document.body.dataset.labelScale = labelScale.toFixed(3);
    measured = false;
    if (highlighted !== null) highlight(highlighted);
    else nodes.update(data.nodes.map((n) => ({ id: n.id, font: fontOf(n.id) })));
  }
  function labelPixels() {
    // Rendered height (CSS px) of the focus entity's label, or of the median label when nothing is in focus.
    const id = currentFocus && network.body.nodes[currentFocus] ? currentFocus : null;
    const size = id ? fontPixels(id) : medianFont();
    return Math.round(size * network.getScale() * 10) / 10;
  }

  // ---- presentation mode: one story step per key press
  const story = data.story || [];
  const panel = byId("story");
  function limitTo(stop) {
    const classes = stop && stop.types && stop.types.length ? new Set(stop.types) : null;
    const relations = stop && stop.relations && stop.relations.length ? new Set(stop.relations) : null;
    if (!classes && !relations && !stepLimit.classes && !stepLimit.relations) return;
    stepLimit = { classes, relations, keep: new Set(stop ? [stop.id, ...(stop.shows || [])] : []) };
    nodeView.refresh();
    edgeView.refresh();
  }
  function showStep(step) {
    window.tkgMap.step = step;
    document.body.dataset.storyStep = String(step);
    limitTo(step ? story[step - 1] : null);
    if (step === 0) {
      panel.hidden = true;
      showAll();
      updatePresenter();
      return;
    }
    const stop = story[step - 1];
    byId("story-count").textContent = `Step ${step} of ${story.length}`;
    byId("story-title").textContent = labelOf.get(stop.id) || stop.id;
    byId("story-caption").textContent = stop.caption || (titleOf.get(stop.id) || "").split("\n").slice(1).join("\n");
    panel.hidden = false;
    byId("details").hidden = true;
    focusOn(stop.id, stepView(stop));
    updatePresenter();
  }
  function stepView(stop) {
    // Fit the step's entity with the entities its caption names (or, naming none, its lineage neighbours) and
    // their links, clear of the year strip at the top and the caption panel at the bottom.
    const named = (stop.shows || []).filter((id) => nodes.get(id));
    const ids = [stop.id, ...(named.length ? named : lineageNeighbours(stop.id))];
    const panelHeight = panel.getBoundingClientRect().height;
    return fitView(ids, 1.1, { top: hasAxis ? 30 : 0, bottom: panelHeight });
  }
  if (story.length) {
    const present = byId("present");
    present.hidden = false;
    present.addEventListener("click", () => {
      present.blur();
      showStep(Math.min(window.tkgMap.step + 1, story.length));
    });
  }
  // ---- presenter view: a second window (P) showing the current and next step, speaker notes and elapsed time.
  // It is an empty window this page writes into and listens to (same origin, no script of its own), so it works
  // offline from the one file and under the page's Content-Security-Policy; both windows take the clicker's keys.
  let presenter = null;
  let presenterStarted = null;
  let presenterTimer = null;
  const stepCaption = (stop) => stop.caption || (titleOf.get(stop.id) || "").split("\n").slice(1).join("\n");
  function openPresenter() {
    if (presenter && !presenter.closed) {
      presenter.focus();
      return presenter;
    }
    presenter = window.open("", "therapy-map-presenter", "width=900,height=640");
    if (!presenter) return null; // a blocked pop-up: nothing else to do
    const doc = presenter.document;
    doc.title = `Presenter: ${data.title}`;
    const style = doc.createElement("style");
    style.textContent = PRESENTER_CSS;
    doc.head.append(style);
    doc.body.replaceChildren();
    const make = (tag, id, parent) => {
      const element = doc.createElement(tag);
      element.id = id;
      (parent || doc.body).append(element);
      return element;
    };
    const top = make("header", "p-top");
    make("span", "p-count", top);
    make("span", "p-clock", top);
    make("span", "p-black", top).textContent = "Audience screen is black (B)";
    const now = make("section", "p-now");
    make("h1", "p-title", now);
    make("p", "p-caption", now);
    make("pre", "p-notes", now);
    const next = make("section", "p-next");
    make("h2", "p-next-title", next);
    make("p", "p-next-caption", next);
    make("footer", "p-keys").textContent = "Page Down / right arrow / space: next · Page Up / left arrow: back · "
      + "B: black screen · F: full screen (audience window) · Esc: whole map";
    doc.addEventListener("keydown", onKey);
    presenterStarted = Date.now();
    clearInterval(presenterTimer);
    presenterTimer = setInterval(updateClock, 1000);
    presenter.addEventListener("pagehide", () => clearInterval(presenterTimer));
    updatePresenter();
    return presenter;
  }
  function updateClock() {
    if (!presenter || presenter.closed) {
      clearInterval(presenterTimer);
      return;
    }
    const seconds = Math.floor((Date.now() - presenterStarted) / 1000);
    const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    presenter.document.getElementById("p-clock").textContent = `Elapsed ${clock}`;
    presenter.document.body.dataset.elapsed = String(seconds);
  }
  function updatePresenter() {
    if (!presenter || presenter.closed) return;
    const doc = presenter.document;
    const step = window.tkgMap.step;
    const stop = step ? story[step - 1] : null;
    const following = story[step] || null;
    doc.body.dataset.step = String(step);
    doc.getElementById("p-count").textContent = step ? `Step ${step} of ${story.length}` : `Whole map (${story.length} steps)`;
    doc.getElementById("p-title").textContent = stop ? (labelOf.get(stop.id) || stop.id) : data.title;
    doc.getElementById("p-caption").textContent = stop ? stepCaption(stop) : "";
    doc.getElementById("p-notes").textContent = stop ? (stop.notes || "(no notes for this step)") : "";
    doc.getElementById("p-next-title").textContent = following
      ? `Next: ${labelOf.get(following.id) || following.id}` : "Next: end of the story";
    doc.getElementById("p-next-caption").textContent = following ? stepCaption(following) : "";
    doc.getElementById("p-black").hidden = !document.body.dataset.blackout;
    updateClock();
  }
  function toggleBlackout() {
    const black = byId("blackout");
    black.hidden = !black.hidden;
    if (black.hidden) delete document.body.dataset.blackout;
    else document.body.dataset.blackout = "true";
    updatePresenter();
  }
  function toggleFullscreen() {
    const request = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen();
    if (request && request.catch) request.catch(() => {}); // refused (no user gesture, kiosk): stay as we are
  }
  window.addEventListener("pagehide", () => {
    if (presenter && !presenter.closed) presenter.close();
  });

  function onKey(event) {
    if (event.target === input) return;
    const next = ["ArrowRight", "PageDown", " ", "n", "N"];
    const back = ["ArrowLeft", "PageUp"];
    if (event.key === "b" || event.key === "B" || event.key === ".") {
      event.preventDefault();
      toggleBlackout();
    } else if (event.key === "f" || event.key === "F") {
      event.preventDefault();
      toggleFullscreen();
    } else if ((event.key === "p" || event.key === "P") && story.length) {
      event.preventDefault();
      openPresenter();
    } else if (story.length && next.includes(event.key)) {
      event.preventDefault();
      showStep(Math.min(window.tkgMap.step + 1, story.length));
    } else if (story.length && back.includes(event.key)) {
      event.preventDefault();
      showStep(Math.max(window.tkgMap.step - 1, 0));
    } else if (event.key === "Escape" || event.key === "0") {
      if (story.length) showStep(0);
      else showAll();
    } else if (event.key === "/") {
      event.preventDefault();
      input.focus();
    } else if (event.key === "+" || event.key === "=") {
      setLabelScale(labelScale * LABEL_STEP);
    } else if (event.key === "-" || event.key === "_") {
      setLabelScale(labelScale / LABEL_STEP);
    }
  }
  document.addEventListener("keydown", onKey);

  // ---- the page's API for embedding pages, tests and trainers at the console (documented in README, Maps)
  window.therapyMap = Object.freeze({
    labelPixels,
    step: (n) => {
      if (story.length) showStep(Math.max(0, Math.min(Number(n) || 0, story.length)));
      return window.tkgMap.step;
    },
    focus: (id) => {
      if (!nodes.get(id)) return false;
      focusOn(id, focusView(id));
      showDetails(id);
      return true;
    },
    labelSize: (factor) => {
      if (factor !== undefined) setLabelScale(Number(factor));
      return labelScale;
    },
    whole: showAll,
    presenter: () => Boolean(openPresenter()),
    blackout: toggleBlackout,
    reveal: (decade) => {
      // Show entities up to this decade (e.g. 1950); null or beyond the last: everything, undated included.
      const index = decade === null || decade === undefined ? decades.length : decades.findIndex((d) => d >= decade);
      revealTo(index < 0 ? decades.length : index);
      return document.body.dataset.revealed;
    },
    yearTicks,
    get currentStep() { return window.tkgMap.step; },
    get focused() { return currentFocus; },
  });
})();
