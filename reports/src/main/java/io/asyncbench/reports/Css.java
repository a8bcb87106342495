package io.asyncbench.reports;

/** The page's only style sheet, inlined into index.html. System fonts only: nothing is fetched. */
final class Css {

    private Css() {
    }

    static final String STYLE = """
            :root{--ink:#1f2328;--muted:#59636e;--line:#d8dee4;--soft:#f6f8fa;--accent:#0b5cad;
              --good:#1a7f37;--bad:#c0392b;--tie:#8250df;--warn-bg:#fff8c5;--warn-line:#d4a72c;
              --problem-bg:#ffebe9;--problem-line:#cf222e}
            *{box-sizing:border-box}
            html{-webkit-text-size-adjust:100%}
            body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
              color:var(--ink);background:#fff}
            code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12.5px}
            header{background:#0d1b2a;color:#e6edf3;padding:22px 0 14px}
            header code{color:#fff}
            .wrap,main,footer{max-width:1400px;margin:0 auto;padding:0 24px}
            .kicker{margin:0;text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:#9fb3c8}
            h1{margin:2px 0 4px;font-size:28px;font-weight:650}
            .lede{margin:0 0 10px;color:#c9d6e3}
            .lede .busy{color:#ffb4a8}
            header .muted{color:#9fb3c8}
            nav{display:flex;flex-wrap:wrap;gap:6px 16px;margin:8px 0}
            nav a{color:#fff;text-decoration:none;border-bottom:1px solid #4b6a88}
            nav a:hover{border-color:#fff}
            header .legend{margin:8px 0 0}
            header .chip{background:#fff;color:var(--ink)}
            h2{font-size:22px;margin:36px 0 6px;padding-top:10px;border-top:1px solid var(--line)}
            h2 .muted{font-weight:400}
            h2.small,h3.small{font-size:14px;margin:0 0 4px;padding:0;border:0;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
            h3{font-size:16px;margin:22px 0 6px}
            h3 code{font-size:12px}
            .muted{color:var(--muted)}
            .desc{margin:0 0 12px;color:var(--muted)}
            .warnings{margin-top:18px}
            .warn{margin:6px 0;padding:8px 12px;border-left:4px solid var(--warn-line);background:var(--warn-bg);border-radius:4px}
            .warn.problem{border-color:var(--problem-line);background:var(--problem-bg)}
            .how{margin:18px 0 0;padding:10px 14px;background:var(--soft);border-radius:6px}
            .how p{margin:0}
            .env dl{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:6px 24px;margin:8px 0 12px}
            .env dl div{display:flex;gap:10px;border-bottom:1px dotted var(--line);padding:2px 0}
            .env dt{min-width:84px;color:var(--muted)}
            .env dd{margin:0;overflow-wrap:anywhere}
            .env table.kv{width:100%;margin:4px 0 12px}
            .env table.kv th{width:1%;white-space:nowrap;vertical-align:top;font-weight:400;color:var(--muted)}
            .env table.kv td{vertical-align:top;overflow-wrap:anywhere}
            .chip{display:inline-flex;align-items:center;gap:5px;padding:0 7px 0 5px;border-radius:10px;
              border:1px solid color-mix(in srgb,var(--c) 55%,#fff);white-space:nowrap;font-size:13px;line-height:20px}
            .chip::before{content:"";width:10px;height:10px;border-radius:50%;background:var(--c)}
            table{border-collapse:collapse;font-variant-numeric:tabular-nums}
            th,td{padding:4px 10px;text-align:left;vertical-align:middle}
            thead th{font-size:12.5px;font-weight:600;color:var(--muted);border-bottom:2px solid var(--line);white-space:nowrap}
            td.num,th.num{text-align:right;white-space:nowrap}
            .scroll{overflow-x:auto}
            table.results{width:100%;margin:4px 0 10px}
            table.results tbody.group{border-top:1px solid var(--line)}
            table.results tbody.group:nth-of-type(even) td.param{background:var(--soft)}
            td.param{font-weight:600;white-space:nowrap}
            tr.best td{font-weight:600}
            .err{color:var(--muted);font-weight:400}
            table.results th,table.results td{padding:4px 6px}
            table.results thead th{white-space:normal;vertical-align:bottom}
            table.results td.strat{white-space:normal;min-width:150px}
            .barcol{width:12%;min-width:70px}
            .bar{display:block;height:10px;border-radius:3px;opacity:.85}
            td.strat{white-space:nowrap}
            td.same{font-size:12.5px;color:var(--muted)}
            .dot{white-space:nowrap;margin-right:8px}
            .dot::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;background:var(--c);margin-right:4px}
            .badge{font-size:11.5px;padding:0 6px;border-radius:8px;white-space:nowrap;font-weight:600}
            .badge.best{background:#dafbe1;color:var(--good)}
            .badge.tie{background:#fbefff;color:var(--tie)}
            .badge.ref{background:#f3ece1;color:#6b4f1d}
            tr.reference td{background:#faf7f2;font-style:italic}
            .noisy{color:#9a6700;cursor:help;font-size:11.5px;font-weight:400}
            td.num .noisy{display:block;line-height:1.2}
            .hot{color:var(--bad);font-weight:600;cursor:help}
            th .unit{font-weight:400}
            th .nw{white-space:nowrap}
            .notes{margin:-6px 0 14px;padding:6px 16px;border-left:4px solid var(--warn-line);background:#fffdf0;border-radius:6px}
            .note{margin:3px 0;font-size:14px}
            .good{color:var(--good);font-weight:600}
            .bad{color:var(--bad);font-weight:600}
            .tie{color:var(--tie);font-weight:600}
            table.compact{margin:6px 0 12px}
            table.compact td{border-bottom:1px solid var(--soft)}
            table.loc tr.total td{font-weight:600;border-top:2px solid var(--line)}
            table.glance{margin:6px 0 16px;min-width:70%}
            table.glance td{border-bottom:1px solid var(--line)}
            .verdict{margin:8px 0 14px;padding:10px 16px;border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:6px;background:#fbfdff}
            .verdict ul{margin:4px 0 0;padding-left:20px}
            .verdict li{margin:3px 0}
            .charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px;margin:10px 0}
            figure.chart{margin:0;padding:8px;border:1px solid var(--line);border-radius:6px;background:#fff}
            figure.chart.wide{grid-column:1/-1}
            #overview figure.chart{margin-top:8px}
            figure.chart svg{display:block;width:100%;height:auto}
            figcaption{font-size:12.5px;color:var(--muted);padding:4px 6px 0}
            .counts .count{display:inline-block;margin-right:14px}
            .count.regressed b,tr.change.regressed td:nth-child(7){color:var(--bad)}
            .count.improved b,tr.change.improved td:nth-child(7){color:var(--good)}
            tr.change.regressed{background:var(--problem-bg)}
            tr.change.improved{background:#dafbe1}
            tr.change.within_error td{color:var(--muted)}
            tr.change td{border-bottom:1px solid #fff}
            details{margin:10px 0;border:1px solid var(--line);border-radius:6px}
            details>table{margin:8px 12px}
            summary{cursor:pointer;padding:8px 12px;font-weight:600;background:var(--soft)}
            .code-row{display:grid;grid-template-columns:repeat(auto-fill,minmax(620px,1fr));gap:12px;padding:12px}
            .code-col{min-width:0}
            .code-head{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin-bottom:6px}
            .code-col pre{margin:0;padding:10px;background:#f6f8fa;border-radius:6px;overflow:auto;max-height:960px;line-height:1.4;font-size:11.5px;white-space:pre-wrap;overflow-wrap:anywhere}
            .cm{color:#6e7781;font-style:italic}.st{color:#0a3069}.kw{color:#cf222e}.an{color:#8250df}
            footer{margin:40px auto 30px;color:var(--muted);font-size:13px;border-top:1px solid var(--line);padding-top:10px}
            td.behind{color:var(--bad);font-size:12.5px;white-space:normal;min-width:160px;max-width:260px}
            .sub{display:block;font-size:11px;line-height:1.3;color:var(--muted);font-weight:400}
            td.bestcell{background:#f0fff4}
            table.equal td.num b{font-weight:650}
            @media (max-width:900px){.charts{grid-template-columns:1fr}}
            @media print{header{background:#fff;color:var(--ink)}nav{display:none}}
            """;
}
