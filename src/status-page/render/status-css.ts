/** The page's one stylesheet, inlined: no other request, no JavaScript, dark mode from the system setting. */
export const STATUS_CSS = `
:root{--bg:#f7f8fa;--panel:#fff;--text:#1f2328;--muted:#6a737d;--line:#e1e4e8;--link:#0b62c4;
--operational:#2fcc66;--degraded_performance:#f1c40f;--partial_outage:#e67e22;--major_outage:#e74c3c;--under_maintenance:#3498db;
--button:#0b62c4;--none:#2fcc66;--minor:#f1c40f;--major:#e67e22;--critical:#e74c3c;--maintenance:#3498db;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--panel:#171a21;--text:#e6e8eb;--muted:#9aa4b2;--line:#2a2f3a;--link:#6cb6ff;--button:#1f5fbf}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
a{color:var(--link)}
.wrap{max-width:860px;margin:0 auto;padding:0 20px}
.masthead{padding:36px 0 28px}
.masthead .wrap{display:flex;align-items:center;justify-content:space-between;gap:16px;flex-wrap:wrap}
.brand{font-size:28px;font-weight:700;color:var(--text);text-decoration:none;letter-spacing:-.01em}
.subscribe{display:inline-block;padding:8px 16px;border-radius:6px;background:var(--button);color:#fff;text-decoration:none;font-weight:600;font-size:14px}
.overall{border-radius:6px;padding:16px 22px;color:#fff;font-size:20px;font-weight:600;margin-bottom:36px;background:var(--none)}
.overall.minor{background:var(--minor);color:#2b2300}.overall.major{background:var(--major)}.overall.critical{background:var(--critical)}
.incident{background:var(--panel);border:1px solid var(--line);border-radius:6px;margin-bottom:28px;overflow:hidden}
.incident>h2{margin:0;padding:14px 22px;font-size:18px;color:#fff;background:var(--none)}
.incident>h2 a{color:inherit;text-decoration:none}
.incident.minor>h2{background:var(--minor);color:#2b2300}.incident.major>h2{background:var(--major)}.incident.critical>h2{background:var(--critical)}.incident.maintenance>h2{background:var(--maintenance)}
.updates{padding:6px 22px}
.update{padding:12px 0;border-bottom:1px solid var(--line)}.update:last-child{border-bottom:0}
.update p{margin:0;white-space:pre-line;overflow-wrap:anywhere}.update small,.meta{color:var(--muted);font-size:13px}
.section-title{font-size:20px;font-weight:600;margin:44px 0 14px}
.components{background:var(--panel);border:1px solid var(--line);border-radius:6px}
.component{padding:18px 22px;border-bottom:1px solid var(--line)}.component:last-child{border-bottom:0}
.component-head{display:flex;justify-content:space-between;gap:12px;align-items:baseline}
.component-name{font-weight:600}.component-desc{color:var(--muted);font-size:13px;margin:2px 0 0}
.state{font-size:14px;font-weight:600}
.state.operational{color:#1c9c4c}.state.degraded_performance{color:#b38f00}.state.partial_outage{color:#d35400}.state.major_outage{color:var(--major_outage)}.state.under_maintenance{color:var(--under_maintenance)}
@media (prefers-color-scheme:dark){.state.operational{color:var(--operational)}.state.degraded_performance{color:var(--degraded_performance)}.state.partial_outage{color:var(--partial_outage)}}
.bars{display:flex;gap:2px;height:34px;margin:12px 0 6px}
.bars span{flex:1;border-radius:2px;background:var(--operational)}
.bars span.degraded_performance{background:var(--degraded_performance)}.bars span.partial_outage{background:var(--partial_outage)}.bars span.major_outage{background:var(--major_outage)}.bars span.under_maintenance{background:var(--under_maintenance)}
.bars span.nodata{background:var(--line)}
.legend{display:flex;align-items:center;gap:10px;color:var(--muted);font-size:13px}
.legend .rule{flex:1;height:1px;background:var(--line)}
.day{margin-top:26px}.day h3{font-size:17px;margin:0 0 4px;padding-bottom:6px;border-bottom:1px solid var(--line)}
.day .none{color:var(--muted);margin:8px 0}
.past-incident{margin:12px 0 18px}.past-incident h4{margin:0 0 4px;font-size:17px}
.past-incident h4 a{text-decoration:none}.past-incident.minor h4 a{color:#b38f00}.past-incident.major h4 a{color:#d35400}.past-incident.critical h4 a{color:var(--critical)}
.past-incident p{margin:2px 0;overflow-wrap:anywhere;white-space:pre-line}
.earlier{padding-left:18px}
.affected{margin:0;padding:12px 22px;border-top:1px solid var(--line);color:var(--muted);font-size:14px}
footer.wrap{margin:56px auto 40px;color:var(--muted);font-size:13px;text-align:center}
footer a{color:var(--muted)}
@media (max-width:600px){
body{font-size:15px}.wrap{padding:0 14px}.masthead{padding:22px 0 18px}.brand{font-size:22px}
.overall{font-size:17px;padding:14px 16px}.incident>h2{padding:12px 16px;font-size:16px}.updates{padding:4px 16px}
.component{padding:14px 16px}.bars{height:30px}.bars span:nth-child(-n+60){display:none}
.legend .ninety{display:none}.legend .thirty{display:inline}
}
.legend .thirty{display:none}
@media (max-width:600px){.legend .thirty{display:inline}}
`;
