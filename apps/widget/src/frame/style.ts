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
form{display:flex;gap:8px;padding:10px;border-top:1px solid #e4e7eb}
textarea{flex:1;resize:none;border:1px solid #cbd2d9;border-radius:8px;padding:6px 8px;font:inherit}
form button{background:#2563eb;color:#fff;border:0;border-radius:8px;padding:0 14px;cursor:pointer}`;
