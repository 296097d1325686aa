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
  const nodeView = new vis.DataView(nodes, { filter: (n) => !hiddenClasses.has(n.group) });
  const edgeView = new vis.DataView(edges, { filter: (e) => !hiddenRelations.has(e.relation) });
  const container = byId("map");
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  const originalColours = new Map(data.nodes.map((n) => [n.id, (groups[n.group] || {}).color]));
  const originalFonts = new Map(data.nodes.map((n) => [n.id, (groups[n.group] || {}).font]));
  const originalEdgeColours = new Map(edgeRecords.map((e) => [e.id, e.color]));
  const DIMMED = { background: "rgba(200,200,200,0.35)", border: "rgba(160,160,160,0.35)" };
  let highlighted = null;

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
  if ((guides.ticks && guides.ticks.length) || (guides.bands && guides.bands.length)) {
    network.on("beforeDrawing", (ctx) => {
      const ticks = guides.ticks || [];
      const bands = guides.bands || [];
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
        ctx.textAlign = "right";
        ctx.textBaseline = "middle";
        ctx.fillText(band.title, left - 20, (band.top + band.bottom) / 2);
      });
      ctx.strokeStyle = "rgba(0,0,0,0.12)";
      ctx.lineWidth = 1;
      ctx.fillStyle = "#444444";
      ctx.font = "22px sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      ticks.forEach((tick) => {
        ctx.beginPath();
        ctx.moveTo(tick.x, top);
        ctx.lineTo(tick.x, bottom);
        ctx.stroke();
        ctx.fillText(String(tick.year), tick.x, top - 6);
        ctx.textBaseline = "top";
        ctx.fillText(String(tick.year), tick.x, bottom + 6);
        ctx.textBaseline = "bottom";
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
      ? { id: n.id, color: originalColours.get(n.id), font: originalFonts.get(n.id) }
      : { id: n.id, color: DIMMED, font: { color: "rgba(120,120,120,0.45)", strokeWidth: 0 } }));
    edges.update(edgeRecords.map((e) => ({
      id: e.id, color: keepEdges.has(e.id) ? originalEdgeColours.get(e.id) : { color: "rgba(180,180,180,0.2)" },
    })));
    document.body.dataset.highlight = id;
  }
  function clearHighlight() {
    if (highlighted === null) return;
    highlighted = null;
    nodes.update(data.nodes.map((n) => ({ id: n.id, color: originalColours.get(n.id), font: originalFonts.get(n.id) })));
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

  // ---- focusing (search results and story steps)
  const LINEAGE = new Set(["subtypeOf", "derivedFrom", "groundedIn", "developedBy", "studentOf", "influencedBy",
    "collaboratedWith"]);
  function storyScale(id) {
    // Zoom so the stop and its lineage neighbours fit around it (projector-friendly bounds).
    const here = network.getPosition(id);
    const linked = network.getConnectedEdges(id).map((e) => edges.get(e)).filter((e) => e);
    const lineage = linked.filter((e) => LINEAGE.has(e.relation));
    const others = (lineage.length ? lineage : linked).map((e) => (e.from === id ? e.to : e.from));
    let dx = 150;
    let dy = 100;
    others.forEach((other) => {
      const p = network.getPosition(other);
      dx = Math.max(dx, Math.abs(p.x - here.x) + 150);
      dy = Math.max(dy, Math.abs(p.y - here.y) + 100);
    });
    const box = container.getBoundingClientRect();
    return Math.min(1.1, Math.max(0.8, Math.min(box.width / (2 * dx), box.height / (2 * dy))));
  }
  function focusOn(id, scale) {
    if (hiddenClasses.has(nodes.get(id).group)) {
      hiddenClasses.delete(nodes.get(id).group);
      nodeView.refresh();
      document.querySelectorAll("#legend-classes input").forEach((box, i) => {
        if (data.legend.classes[i].name === nodes.get(id).group) box.checked = true;
      });
    }
    network.selectNodes([id]);
    highlight(id);
    document.body.dataset.moving = "true";
    landing = { position: network.getPosition(id), scale: scale || 1.1 };
    network.focus(id, { scale: scale || 1.1, animation: { duration: 500, easingFunction: "easeInOutQuad" } });
    document.body.dataset.focus = id;
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
    document.body.dataset.moving = "true";
    landing = null;
    const view = wholeView();
    const animation = { duration: 400, easingFunction: "easeInOutQuad" };
    if (view) network.moveTo({ ...view, animation });
    else network.fit({ animation });
    delete document.body.dataset.focus;
  }
  const firstView = wholeView();
  if (firstView && data.nodes.length) network.moveTo(firstView);
  byId("fit").addEventListener("click", showAll);

  // ---- presentation mode: one story step per key press
  const story = data.story || [];
  const panel = byId("story");
  function showStep(step) {
    window.tkgMap.step = step;
    document.body.dataset.storyStep = String(step);
    if (step === 0) {
      panel.hidden = true;
      showAll();
      return;
    }
    const stop = story[step - 1];
    byId("story-count").textContent = `Step ${step} of ${story.length}`;
    byId("story-title").textContent = labelOf.get(stop.id) || stop.id;
    byId("story-caption").textContent = stop.caption || (titleOf.get(stop.id) || "").split("\n").slice(1).join("\n");
    panel.hidden = false;
    byId("details").hidden = true;
    focusOn(stop.id, storyScale(stop.id));
  }
  if (story.length) {
    const present = byId("present");
    present.hidden = false;
    present.addEventListener("click", () => {
      present.blur();
      showStep(Math.min(window.tkgMap.step + 1, story.length));
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.target === input) return;
    const next = ["ArrowRight", "PageDown", " ", "n"];
    const back = ["ArrowLeft", "PageUp", "p"];
    if (story.length && next.includes(event.key)) {
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
    }
  });
})();
