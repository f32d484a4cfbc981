/** Channel ids are validated as UUIDs before they get here; escaping anyway keeps these templates safe to reuse. */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The chat frame: an empty page for frame.js, isolated from the host page's CSS and scripts by the iframe. */
export function frameHtml(channelId: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Chat</title></head>
<body data-channel="${esc(channelId)}"><div id="app"></div><script src="/widget/frame.js"></script></body></html>`;
}

const STYLE = `body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1f2933;background:#faf7f2}
header{background:#2f4f3a;color:#fff;padding:18px 32px;display:flex;justify-content:space-between;align-items:center}
header h1{margin:0;font-size:22px;letter-spacing:.5px}nav a{color:#e6efe8;margin-left:20px;text-decoration:none}
main{max-width:960px;margin:0 auto;padding:32px}.hero{background:#e6efe8;border-radius:12px;padding:32px;margin-bottom:32px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:20px}
.card{background:#fff;border-radius:10px;padding:18px;box-shadow:0 1px 3px rgba(0,0,0,.08)}.price{font-weight:600;color:#2f4f3a}
footer{text-align:center;color:#7b8794;padding:32px;font-size:14px}`;

const PRODUCTS = [
  ['Ridgeline Rain Jacket', 'Three-layer shell, taped seams, packs into its own pocket.', '$189'],
  ['Trailhead 28 L Pack', 'Ventilated back panel and a rain cover for wet days.', '$129'],
  ['Summit Merino Base Layer', '200 g merino wool: warm, quick to dry, no odour.', '$79'],
  ['Basecamp Down Sleeping Bag', 'Rated to -5 °C, 1.1 kg, water-repellent down.', '$249'],
];

/** A fictional store (the seed's demo account) with the widget embedded as a customer would embed it. */
export function demoPage(channelId: string): string {
  const cards = PRODUCTS.map(
    ([name, text, price]) => `<div class="card"><h3>${name}</h3><p>${text}</p><p class="price">${price}</p></div>`,
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Northwind Outfitters — gear for the outdoors</title><style>${STYLE}</style></head>
<body><header><h1>Northwind Outfitters</h1><nav><a href="#">Jackets</a><a href="#">Packs</a><a href="#">Camp</a></nav></header>
<main><section class="hero"><h2>Ready for the trail</h2><p>Free returns for 60 days. Questions about sizing or an order?
Chat with us — the button at the bottom right.</p></section><div class="grid">${cards}</div></main>
<footer>A demo store for Touchpoint. Messages you send here arrive in the demo inbox (log in as demo@touchpoint.dev).</footer>
<script src="/widget.js" data-channel="${esc(channelId)}" async></script></body></html>`;
}

export function noDemoPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Touchpoint demo</title><style>${STYLE}</style></head>
<body><main><h1>The demo store is not set up</h1><p>This page shows the web chat widget on the store of the demo account
(Northwind Outfitters), which does not exist on this server yet. Create it with
<code>npm run touchpoint -- seed --demo</code> and reload.</p></main></body></html>`;
}
