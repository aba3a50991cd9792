// The star map around the current system, as SVG: the system in the middle, its jump lanes to
// the neighbours on a ring (tap one to jump), and the neighbours' own lanes to the systems one
// jump further, fainter, on an outer ring.
const SVG = "http://www.w3.org/2000/svg";

/**
 * @param {SVGSVGElement} svg
 * @param {{id: string, name: string, neighbours: {id: string, name: string}[]}} system
 * @param {Map<string, {neighbours: {id: string, name: string}[]}>} around  neighbour id -> its SystemInfo, where known
 * @param {(systemId: string) => void} onJump
 */
export function drawStarMap(svg, system, around, onJump) {
  svg.replaceChildren();
  const lanes = el("g", {});
  const nodes = el("g", {});
  svg.append(lanes, nodes);
  const place = new Map([[system.id, { x: 0, y: 0 }]]);
  const n = system.neighbours.length;
  system.neighbours.forEach((s, i) => {
    const a = angle(i, n);
    place.set(s.id, { x: 110 * Math.cos(a), y: 110 * Math.sin(a), a });
  });

  // One jump further: the neighbours' neighbours not already on the map, fanned out behind them.
  const far = [];
  system.neighbours.forEach((s) => {
    const info = around.get(s.id);
    if (!info) return;
    const beyond = info.neighbours.filter((t) => !place.has(t.id));
    const base = place.get(s.id).a;
    // Each neighbour's fan stays inside its own slice of the circle; a crowded fan alternates two radii.
    const spread = Math.min(((2 * Math.PI) / Math.max(n, 1)) * 0.85, 0.22 * (beyond.length - 1));
    beyond.forEach((t, j) => {
      const a = base + (beyond.length === 1 ? 0 : spread * (j / (beyond.length - 1) - 0.5));
      const r = beyond.length > 4 && j % 2 ? 188 : 166;
      place.set(t.id, { x: r * Math.cos(a), y: r * Math.sin(a) });
      far.push({ from: s.id, to: t });
    });
  });

  const drawn = new Set();
  const lane = (from, to, cls) => {
    const key = [from, to].sort().join("|");
    if (drawn.has(key) || !place.has(from) || !place.has(to)) return;
    drawn.add(key);
    const p = place.get(from), q = place.get(to);
    lanes.append(el("line", { x1: p.x, y1: p.y, x2: q.x, y2: q.y, class: cls }));
  };
  system.neighbours.forEach((s) => lane(system.id, s.id, "near"));
  system.neighbours.forEach((s) => (around.get(s.id)?.neighbours ?? []).forEach((t) => lane(s.id, t.id, "far")));

  nodes.append(node(system.id, system.name, place.get(system.id), "current", 16));
  for (const s of system.neighbours) {
    const g = node(s.id, s.name, place.get(s.id), "neighbour", 12);
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("aria-label", `jump to ${s.name}`);
    g.addEventListener("click", () => onJump(s.id));
    g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") onJump(s.id); });
    nodes.append(g);
  }
  for (const f of far) nodes.append(node(f.to.id, f.to.name, place.get(f.to.id), "far", 6));
}

function angle(i, n) { return -Math.PI / 2 + (2 * Math.PI * i) / Math.max(n, 1); }

function node(id, name, p, cls, r) {
  const g = el("g", { class: cls, "data-id": id, "data-name": name });
  g.append(el("circle", { cx: p.x, cy: p.y, r }));
  const label = el("text", { x: p.x, y: p.y + r + 12 });
  label.textContent = name;
  g.append(label);
  return g;
}

function el(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}
