export const STYLE = `html,body,#app{height:100%;margin:0}body{font:14px/1.45 system-ui,sans-serif;color:#1f2933}
.tp{display:flex;flex-direction:column;height:100%}
header{display:flex;align-items:center;gap:8px;padding:12px 14px;background:#2563eb;color:#fff;font-weight:600}
header span:first-child{flex:1}header button{background:none;border:0;color:#fff;font-size:22px;cursor:pointer;line-height:1}
.dot{width:8px;height:8px;border-radius:50%;background:#cbd2d9}.dot.live{background:#4ade80}
.list{flex:1;overflow-y:auto;padding:12px;background:#f5f7fa}.empty{color:#7b8794;text-align:center}
.msg{display:flex;flex-direction:column;margin:6px 0}.me{align-items:flex-end}.them{align-items:flex-start}
.bubble{max-width:80%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;word-wrap:break-word}
.me .bubble{background:#2563eb;color:#fff}.them .bubble{background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.1)}
small{color:#7b8794}.retry{background:none;border:0;color:#b91c1c;cursor:pointer;font-size:12px}
.typing{color:#7b8794;font-style:italic;margin:6px 0}.away{background:#fef3c7;color:#78350f;border-radius:8px;padding:8px 10px;margin:0 0 8px}
form{display:flex;gap:8px;padding:10px;border-top:1px solid #e4e7eb}
textarea{flex:1;resize:none;border:1px solid #cbd2d9;border-radius:8px;padding:6px 8px;font:inherit}
form button{background:#2563eb;color:#fff;border:0;border-radius:8px;padding:0 14px;cursor:pointer}
form.card-form{flex:1;flex-direction:column;gap:12px;padding:16px;border:0;background:#f5f7fa;overflow-y:auto}.card-form p{margin:0}
.field{display:flex;flex-direction:column;gap:4px}.field em{color:#7b8794;font-style:normal}
.field input,.field textarea{border:1px solid #cbd2d9;border-radius:8px;padding:8px;font:inherit;flex:none}
form.card-form button{padding:10px 14px}.error{color:#b91c1c}
.clip{display:flex;align-items:center;color:#52606d;cursor:pointer}.clip.disabled{opacity:.4;cursor:default}.clip input{display:none}
.chips{display:flex;flex-wrap:wrap;gap:6px;padding:8px 10px 0}.chip{display:flex;align-items:center;gap:4px;background:#e4e7eb;border-radius:12px;padding:2px 4px 2px 10px;font-size:12px}
.chip.error{background:#fee2e2;color:#991b1b}.chip button{background:none;border:0;cursor:pointer;font-size:14px;color:inherit;padding:0 4px}
.files{display:flex;flex-direction:column;gap:4px;margin-top:4px}.file{background:#fff;border:1px solid #cbd2d9;border-radius:8px;padding:4px 8px;cursor:pointer;font:inherit;font-size:13px;color:#1f2933}`;
